import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { microsoftTodoAdapter, todoDue, type MicrosoftTodoSettings } from '../../../src/server/connectors/microsoft-todo.js';
import type { EmailLoggedEvent, TaskCreatedEvent } from '../../../src/server/connectors/types.js';
import { FakeGraphTodo } from './fake-graph-todo.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '0f6e2d3c-1b2a-4c5d-8e9f-a0b1c2d3e4f5';
const SECRET = 'Abc8Q~fake-client-secret';
const REP = 'rep@tradepane.example';
const OTHER_REP = 'other@tradepane.example';

const graph = new FakeGraphTodo(TENANT, CLIENT_ID, SECRET);
let settings: MicrosoftTodoSettings;
const secrets = { clientId: CLIENT_ID, clientSecret: SECRET };

function taskEvent(overrides: Partial<TaskCreatedEvent> = {}, task: Partial<TaskCreatedEvent['task']> = {}): TaskCreatedEvent {
  return {
    type: 'task.created',
    id: 'evt-task-1',
    occurredAt: '2025-03-04T10:05:00.000Z',
    task: {
      id: 'task-1',
      title: 'Send the quotation',
      notes: 'FOB Ningbo, 30 days',
      dueAt: '2025-03-06T06:00:00.000Z',
      dueLocal: '2025-03-06T10:00:00+04:00[Asia/Dubai]',
      assignee: REP,
      ...task,
    },
    contact: { email: 'buyer@acme.example' },
    messageId: 'CAF=abc123@mail.example.com',
    ...overrides,
  };
}

const graphCalls = () => graph.requests.filter((r) => !r.path.endsWith('/oauth2/v2.0/token')).map((r) => `${r.method} ${r.path}`);

beforeAll(async () => {
  const url = await graph.start();
  graph.addUser(REP);
  graph.addUser(OTHER_REP);
  settings = microsoftTodoAdapter.validate({ tenantId: TENANT, authority: url, graphUrl: `${url}/v1.0` }, secrets);
});
afterAll(async () => {
  await graph.stop();
});
beforeEach(() => graph.reset());

describe('microsoftTodoAdapter.deliver task.created', () => {
  it("lands in the assignee's default list with the client's due time, notes and a linked resource", async () => {
    graph.addList(REP, 'Groceries');
    const result = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);

    const tasks = graph.tasksOf(REP);
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(result).toEqual({ ok: true, externalId: task.id });
    expect(task.title).toBe('Send the quotation');
    expect(task.dueDateTime).toEqual({ dateTime: '2025-03-06T10:00:00', timeZone: 'Asia/Dubai' });
    expect(task.body.contentType).toBe('text');
    expect(task.body.content).toContain('FOB Ningbo, 30 days');
    expect(task.body.content).toContain('Message-ID <CAF=abc123@mail.example.com>');
    expect(task.body.content.split('\n')).toContain('tradepane event evt-task-1');
    expect(task.linkedResources).toEqual([{ id: expect.any(String), applicationName: 'tradepane', displayName: 'tradepane task', externalId: 'evt-task-1' }]);
    expect(graph.tasks).toHaveLength(1);
    expect(graph.tasksOf(OTHER_REP)).toHaveLength(0);

    const list = graph.defaultList(REP);
    expect(graphCalls()).toEqual([
      `GET /v1.0/users/${REP}/todo/lists`,
      `GET /v1.0/users/${REP}/todo/lists/${list.id}/tasks`,
      `POST /v1.0/users/${REP}/todo/lists/${list.id}/tasks`,
    ]);
    expect(graph.requests.find((r) => r.method === 'GET' && r.path.endsWith('/tasks'))!.query.$expand).toBe('linkedResources');
  });

  it('asks for an app-only token by client credentials and reuses it until shortly before it expires', async () => {
    graph.revokeTokens(); // whatever an earlier test cached is now refused: one fresh token, then reuse
    expect((await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-a' }), settings, secrets)).ok).toBe(true);
    expect((await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-b' }, { assignee: OTHER_REP }), settings, secrets)).ok).toBe(true);
    expect(graph.tokenRequests).toEqual([{ client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }]);
    // The refused cached token, then the token endpoint, then the same call again with the new token.
    expect(graph.requests.slice(0, 3).map((r) => r.path)).toEqual([`/v1.0/users/${REP}/todo/lists`, `/${TENANT}/oauth2/v2.0/token`, `/v1.0/users/${REP}/todo/lists`]);
    expect(graph.tasksOf(REP)).toHaveLength(1);
    expect(graph.tasksOf(OTHER_REP)).toHaveLength(1);

    // A token that expires within the safety margin is not kept.
    graph.revokeTokens();
    graph.expiresIn = 120;
    graph.tokenRequests.length = 0;
    expect((await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-c' }), settings, secrets)).ok).toBe(true);
    expect((await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-d' }), settings, secrets)).ok).toBe(true);
    expect(graph.tokenRequests).toHaveLength(2); // one per delivery: the short-lived token was not cached
  });

  it('delivering the same event twice creates one task', async () => {
    const first = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    const again = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(graph.tasksOf(REP)).toHaveLength(1);
    expect(graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tasks'))).toHaveLength(1);
  });

  it('finds the earlier copy on a later page, even completed; a foreign linked resource with the same id is not ours', async () => {
    graph.pageSize = 2;
    const list = graph.defaultList(REP);
    for (let i = 0; i < 4; i++) graph.addTask(list, { title: `other ${i}` });
    graph.addTask(list, { title: 'from another app', linkedResources: [{ id: 'x', applicationName: 'Outlook', externalId: 'evt-task-1' }] });
    const first = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    expect(first.ok).toBe(true);
    expect(graph.tasksOf(REP)).toHaveLength(6);
    graph.tasksOf(REP).at(-1)!.status = 'completed';
    graph.requests.length = 0;
    expect(await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets)).toEqual(first);
    expect(graph.tasksOf(REP)).toHaveLength(6);
    expect(graph.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/tasks')).map((r) => r.query.$skip ?? null)).toEqual([null, '2', '4']);
  });

  it('dueDateTime falls back to dueAt in UTC when dueLocal names no zone, and is left out without a due', async () => {
    await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-utc' }, { dueLocal: '2025-03-06T10:00:00+04:00' }), settings, secrets);
    await microsoftTodoAdapter.deliver(taskEvent({ id: 'evt-none', messageId: null }, { dueLocal: null, dueAt: null, notes: '' }), settings, secrets);
    const [utc, none] = graph.tasksOf(REP);
    expect(utc!.dueDateTime).toEqual({ dateTime: '2025-03-06T06:00:00', timeZone: 'UTC' });
    expect(utc!.body.content).toContain('Due at the client: 2025-03-06T10:00:00+04:00');
    expect(none!.dueDateTime).toBeUndefined();
    expect(none!.body.content).toBe('tradepane event evt-none');
    expect(todoDue({ id: 't', title: 't', notes: '', dueAt: null, dueLocal: '2025-03-06T09:30[Europe/Berlin]', assignee: REP })).toEqual({ dateTime: '2025-03-06T09:30:00', timeZone: 'Europe/Berlin' });
  });

  it('500 is retryable; the retry then leaves exactly one task', async () => {
    graph.failNext(1, 500, { path: /\/tasks$/, method: 'GET' });
    const failed = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    expect(failed).toMatchObject({ ok: false, retryable: true });
    expect(failed.ok === false && failed.reason).toMatch(/^HTTP 500/);
    expect(graph.tasks).toHaveLength(0);
    const retried = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    expect(retried.ok).toBe(true);
    expect(graph.tasks).toHaveLength(1);
  });

  it('a create whose answer is lost (written, then 503) is found on the retry: still one task', async () => {
    graph.failNext(1, 503, { path: /\/tasks$/, method: 'POST', afterCommit: true });
    expect(await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
    expect(graph.tasks).toHaveLength(1);
    expect(await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets)).toEqual({ ok: true, externalId: graph.tasks[0]!.id });
    expect(graph.tasks).toHaveLength(1);
  });

  it('429 is retryable with retryAfterMs; nothing is created and nothing retried by the adapter', async () => {
    graph.failNext(1, 429, { retryAfter: '30', path: /\/todo\/lists$/ });
    const result = await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 429/);
    expect(graphCalls()).toHaveLength(1);
    expect(graph.tasks).toHaveLength(0);
  });

  it('a wrong client secret is a permanent failure', async () => {
    const result = await microsoftTodoAdapter.deliver(taskEvent(), settings, { clientId: CLIENT_ID, clientSecret: 'wrong' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 401: .*invalid_client/);
    expect(graphCalls()).toHaveLength(0);
    expect(graph.tasks).toHaveLength(0);
  });

  it('an unknown tenant, or an assignee without a mailbox in it, is a permanent failure', async () => {
    const wrongTenant = { ...settings, tenantId: '00000000-0000-0000-0000-000000000000' };
    expect(await microsoftTodoAdapter.deliver(taskEvent(), wrongTenant, secrets)).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/AADSTS90002/) });
    const stranger = await microsoftTodoAdapter.deliver(taskEvent({}, { assignee: 'nobody@elsewhere.example' }), settings, secrets);
    expect(stranger).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^HTTP 404/) });
  });

  it('the identity platform being down is retryable', async () => {
    graph.revokeTokens();
    graph.failNext(1, 503, { path: /oauth2/ });
    // Any cached token is refused (401); the fresh token request answers 503.
    expect(await microsoftTodoAdapter.deliver(taskEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
    expect(graph.tasks).toHaveLength(0);
  });
});

describe('microsoftTodoAdapter.deliver email.logged', () => {
  it('is a task destination: mails are acknowledged and nothing is sent', async () => {
    const mail = { type: 'email.logged', id: 'evt-mail' } as unknown as EmailLoggedEvent;
    expect(await microsoftTodoAdapter.deliver(mail, settings, secrets)).toEqual({ ok: true });
    expect(graph.requests).toHaveLength(0);
  });
});

describe('microsoftTodoAdapter.validate', () => {
  it('defaults the URLs and accepts a tenant domain and loopback http', () => {
    expect(microsoftTodoAdapter.validate({ tenantId: TENANT }, secrets)).toEqual({ tenantId: TENANT });
    expect(microsoftTodoAdapter.validate({ tenantId: 'contoso.onmicrosoft.com', authority: 'https://login.microsoftonline.com/', graphUrl: 'https://graph.microsoft.com/v1.0/' }, secrets)).toEqual({
      tenantId: 'contoso.onmicrosoft.com',
    });
    expect(microsoftTodoAdapter.validate({ tenantId: TENANT, authority: 'http://127.0.0.1:9999', graphUrl: 'http://localhost:9999/v1.0' }, secrets)).toEqual({
      tenantId: TENANT,
      authority: 'http://127.0.0.1:9999',
      graphUrl: 'http://localhost:9999/v1.0',
    });
  });

  it('names the bad field', () => {
    expect(() => microsoftTodoAdapter.validate({}, secrets)).toThrow('settings.tenantId: is required');
    expect(() => microsoftTodoAdapter.validate(undefined, secrets)).toThrow('settings.tenantId: is required');
    expect(() => microsoftTodoAdapter.validate({ tenantId: 'common stuff' }, secrets)).toThrow(/^settings\.tenantId: /);
    expect(() => microsoftTodoAdapter.validate({ tenantId: TENANT, graphUrl: 'http://graph.microsoft.com/v1.0' }, secrets)).toThrow('settings.graphUrl: must be an https URL');
    expect(() => microsoftTodoAdapter.validate({ tenantId: TENANT, authority: 'nope' }, secrets)).toThrow(/^settings\.authority: /);
    expect(() => microsoftTodoAdapter.validate({ tenantId: TENANT }, { clientSecret: SECRET })).toThrow('secrets.clientId: is required');
    expect(() => microsoftTodoAdapter.validate({ tenantId: TENANT }, { clientId: 'my-app', clientSecret: SECRET })).toThrow(/^secrets\.clientId: must be/);
    expect(() => microsoftTodoAdapter.validate({ tenantId: TENANT }, { clientId: CLIENT_ID, clientSecret: ' ' })).toThrow('secrets.clientSecret: is required');
  });
});

describe('To Do due time from a store task', () => {
  it("uses the client's zone the store names in the event", async () => {
    const { todoDue } = await import('../../../src/server/connectors/microsoft-todo.js');
    const task = { id: 't', title: 'x', notes: '', dueAt: '2026-11-30T07:00:00.000Z', dueLocal: '2026-11-30T10:00:00+03:00', dueTimeZone: 'Asia/Riyadh', assignee: 'rep@example.com' };
    expect(todoDue(task)).toEqual({ dateTime: '2026-11-30T10:00:00', timeZone: 'Asia/Riyadh' });
    expect(todoDue({ ...task, dueTimeZone: null })).toEqual({ dateTime: '2026-11-30T07:00:00', timeZone: 'UTC' });
  });
});
