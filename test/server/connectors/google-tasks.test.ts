import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { googleDue, googleTasksAdapter, type GoogleTasksSettings } from '../../../src/server/connectors/google-tasks.js';
import type { EmailLoggedEvent, TaskCreatedEvent } from '../../../src/server/connectors/types.js';
import { FakeGoogleTasks, GOOGLE_TOKEN_AUD } from './fake-google-tasks.js';

const SERVICE_ACCOUNT = 'tradepane-tasks@acme-trade.iam.gserviceaccount.com';
const REP = 'rep@tradepane.example';
const OTHER_REP = 'other@tradepane.example';

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const keys = keyPair();
const google = new FakeGoogleTasks();
let settings: GoogleTasksSettings;
const secrets = { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey };

function taskEvent(overrides: Partial<TaskCreatedEvent> = {}, task: Partial<TaskCreatedEvent['task']> = {}): TaskCreatedEvent {
  return {
    type: 'task.created',
    id: 'evt-task-1',
    occurredAt: new Date().toISOString(),
    // Due 10:00 on 6 March at the client (UTC+12), which is still 5 March in UTC.
    task: { id: 'task-1', title: 'Send the quotation', notes: 'FOB Ningbo, 30 days', dueAt: '2025-03-05T22:00:00.000Z', dueLocal: '2025-03-06T10:00:00+12:00', assignee: REP, ...task },
    contact: { email: 'buyer@acme.example' },
    messageId: 'CAF=abc123@mail.example.com',
    ...overrides,
  };
}

const apiCalls = () => google.requests.filter((r) => r.path !== '/token').map((r) => `${r.method} ${r.path} as ${r.user}`);

beforeAll(async () => {
  const url = await google.start();
  google.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey);
  for (const user of [REP, OTHER_REP, 'fresh@tradepane.example', 'cache@tradepane.example', 'revoked@tradepane.example']) google.addUser(user);
  settings = googleTasksAdapter.validate({ rootUrl: url, tokenUrl: `${url}/token` }, secrets);
});
afterAll(async () => {
  await google.stop();
});
beforeEach(() => google.reset());

describe('googleTasksAdapter.deliver task.created', () => {
  it("lands in the assignee's default list with the client-local due date and the notes", async () => {
    const result = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);

    const tasks = google.listOf(REP);
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(result).toEqual({ ok: true, externalId: task.id });
    expect(task.title).toBe('Send the quotation');
    expect(task.due).toBe('2025-03-06T00:00:00.000Z');
    expect(task.notes).toContain('FOB Ningbo, 30 days');
    expect(task.notes).toContain('Message-ID <CAF=abc123@mail.example.com>');
    expect(task.notes!.split('\n')).toContain('tradepane event evt-task-1');
    expect(task.status).toBe('needsAction');
    // The adapter acted as the assignee (domain-wide delegation), never in anyone else's list.
    expect(google.listOf(OTHER_REP)).toHaveLength(0);
    expect(apiCalls()).toEqual([`GET /tasks/v1/lists/@default/tasks as ${REP}`, `POST /tasks/v1/lists/@default/tasks as ${REP}`]);
    const list = google.requests.find((r) => r.method === 'GET')!;
    expect(list.query).toMatchObject({ showCompleted: 'true', showHidden: 'true' });
  });

  it('signs a JWT-bearer grant as the assignee, sends the issued bearer, and reuses the token', async () => {
    const rep = 'fresh@tradepane.example';
    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-fresh-1' }, { assignee: rep }), settings, secrets)).ok).toBe(true);
    expect(google.grants).toEqual([{ iss: SERVICE_ACCOUNT, sub: rep, scope: 'https://www.googleapis.com/auth/tasks', aud: GOOGLE_TOKEN_AUD }]);
    const token = google.requests[0]!;
    expect(token.path).toBe('/token');
    expect(new URLSearchParams(token.body as string).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');

    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-fresh-2' }, { assignee: rep }), settings, secrets)).ok).toBe(true);
    expect(google.grants).toHaveLength(1);
    expect(google.listOf(rep)).toHaveLength(2);
    // A second rep gets a grant of their own.
    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-fresh-3' }, { assignee: OTHER_REP }), settings, secrets)).ok).toBe(true);
    expect(google.grants.map((g) => g.sub)).toEqual([rep, OTHER_REP]);
    expect(google.listOf(OTHER_REP)).toHaveLength(1);
  });

  it('a cached token Google no longer accepts is replaced by a fresh grant in the same delivery', async () => {
    const rep = 'revoked@tradepane.example';
    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-revoked-1' }, { assignee: rep }), settings, secrets)).ok).toBe(true);
    google.revokeTokens();
    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-revoked-2' }, { assignee: rep }), settings, secrets)).ok).toBe(true);
    expect(google.grants).toHaveLength(2);
    expect(google.listOf(rep)).toHaveLength(2);
  });

  it('delivering the same event twice creates one task', async () => {
    const first = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    const again = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(google.listOf(REP)).toHaveLength(1);
    // An event whose id merely starts with the same characters is another task.
    expect((await googleTasksAdapter.deliver(taskEvent({ id: 'evt-task-10' }), settings, secrets)).ok).toBe(true);
    expect(google.listOf(REP)).toHaveLength(2);
  });

  it('finds the earlier copy on a later page and when the rep has completed it (hidden)', async () => {
    google.pageSize = 2;
    for (let i = 0; i < 5; i++) google.add(REP, { title: `other ${i}`, notes: `tradepane event evt-other-${i}` });
    const first = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(first.ok).toBe(true);
    const created = google.listOf(REP).find((t) => t.title === 'Send the quotation')!;
    created.status = 'completed';
    created.hidden = true;
    google.requests.length = 0;
    expect(await googleTasksAdapter.deliver(taskEvent(), settings, secrets)).toEqual(first);
    expect(google.listOf(REP)).toHaveLength(6);
    expect(google.requests.filter((r) => r.method === 'GET').map((r) => r.query.pageToken ?? null)).toEqual([null, 'page-2', 'page-4']);
    expect(google.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('uses the UTC date of dueAt when there is no dueLocal, and no due at all without either', async () => {
    await googleTasksAdapter.deliver(taskEvent({ id: 'evt-utc' }, { dueLocal: null }), settings, secrets);
    await googleTasksAdapter.deliver(taskEvent({ id: 'evt-none' }, { dueLocal: null, dueAt: null, notes: '' }), settings, secrets);
    const [utc, none] = google.listOf(REP);
    expect(utc!.due).toBe('2025-03-05T00:00:00.000Z');
    expect(none!.due).toBeUndefined();
    expect(none!.notes).toBe('Message-ID <CAF=abc123@mail.example.com>\ntradepane event evt-none');
    expect(googleDue({ id: 't', title: 't', notes: '', dueAt: null, dueLocal: '2025-12-31T23:30:00-05:00', assignee: REP })).toBe('2025-12-31T00:00:00.000Z');
  });

  it('500 is retryable without the client retrying; the retry then leaves exactly one task', async () => {
    google.failNext(1, 500, { path: /^\/tasks\// });
    const failed = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(failed).toMatchObject({ ok: false, retryable: true });
    expect(failed.ok === false && failed.reason).toMatch(/^HTTP 500/);
    expect(apiCalls()).toHaveLength(1);

    const retried = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(retried.ok).toBe(true);
    expect(google.listOf(REP)).toHaveLength(1);
  });

  it('an insert whose answer is lost (written, then 503) is found on the retry: still one task', async () => {
    google.failNext(1, 503, { method: 'POST', path: /^\/tasks\//, afterCommit: true });
    expect(await googleTasksAdapter.deliver(taskEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
    expect(google.listOf(REP)).toHaveLength(1);
    const retried = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(retried).toEqual({ ok: true, externalId: google.listOf(REP)[0]!.id });
    expect(google.listOf(REP)).toHaveLength(1);
  });

  it('429 is retryable and carries retryAfterMs; nothing is created', async () => {
    google.failNext(1, 429, { retryAfter: '12', path: /^\/tasks\// });
    const result = await googleTasksAdapter.deliver(taskEvent(), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 12_000 });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 429/);
    expect(apiCalls()).toHaveLength(1);
    expect(google.listOf(REP)).toHaveLength(0);
  });

  it('a token endpoint 5xx is retryable and asked once', async () => {
    google.revokeTokens();
    google.failNext(1, 500, { path: /^\/token$/ });
    // A fresh rep so no cached token hides the grant.
    const result = await googleTasksAdapter.deliver(taskEvent({ id: 'evt-token-500' }, { assignee: 'cache@tradepane.example' }), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(google.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(google.tasks).toHaveLength(0);
  });

  it('bad credentials are a permanent failure', async () => {
    const stranger = keyPair();
    const result = await googleTasksAdapter.deliver(taskEvent(), settings, { clientEmail: SERVICE_ACCOUNT, privateKey: stranger.privateKey });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 400: .*invalid_grant/);
    expect(google.tasks).toHaveLength(0);
    expect(google.requests.map((r) => r.path)).toEqual(['/token']);
  });

  it('an assignee outside the delegated domain is a permanent failure', async () => {
    const result = await googleTasksAdapter.deliver(taskEvent({}, { assignee: 'someone@elsewhere.example' }), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toMatch(/Invalid email or User ID/);
  });

  it('an unusable key or a missing secret fails permanently without calling Google', async () => {
    expect(await googleTasksAdapter.deliver(taskEvent(), settings, { clientEmail: SERVICE_ACCOUNT, privateKey: 'not a key' })).toMatchObject({ ok: false, retryable: false });
    expect(await googleTasksAdapter.deliver(taskEvent(), settings, { privateKey: keys.privateKey })).toEqual({ ok: false, retryable: false, reason: 'secrets.clientEmail: is required' });
    expect(google.requests).toHaveLength(0);
  });
});

describe('googleTasksAdapter.deliver email.logged', () => {
  it('is a task destination: mails are acknowledged and nothing is sent', async () => {
    const mail = { type: 'email.logged', id: 'evt-mail' } as unknown as EmailLoggedEvent;
    expect(await googleTasksAdapter.deliver(mail, settings, secrets)).toEqual({ ok: true });
    expect(google.requests).toHaveLength(0);
  });
});

describe('googleTasksAdapter.validate', () => {
  it('defaults the URLs and accepts loopback http', () => {
    expect(googleTasksAdapter.validate({}, secrets)).toEqual({});
    expect(googleTasksAdapter.validate(undefined, secrets)).toEqual({});
    expect(googleTasksAdapter.validate({ rootUrl: 'https://tasks.googleapis.com/', tokenUrl: 'https://oauth2.googleapis.com/token' }, secrets)).toEqual({});
    expect(googleTasksAdapter.validate({ rootUrl: 'http://127.0.0.1:9000', tokenUrl: 'http://localhost:9000/token' }, secrets)).toEqual({
      rootUrl: 'http://127.0.0.1:9000/',
      tokenUrl: 'http://localhost:9000/token',
    });
    // Keys pasted from the JSON file keep their escaped newlines.
    expect(() => googleTasksAdapter.validate({}, { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey.replace(/\n/g, '\\n') })).not.toThrow();
  });

  it('names the bad field', () => {
    expect(() => googleTasksAdapter.validate({ rootUrl: 'http://tasks.googleapis.com/' }, secrets)).toThrow('settings.rootUrl: must be an https URL');
    expect(() => googleTasksAdapter.validate({ tokenUrl: 'not a url' }, secrets)).toThrow(/^settings\.tokenUrl: /);
    expect(() => googleTasksAdapter.validate('x', secrets)).toThrow(/^settings: /);
    expect(() => googleTasksAdapter.validate({}, { privateKey: keys.privateKey })).toThrow('secrets.clientEmail: is required');
    expect(() => googleTasksAdapter.validate({}, { clientEmail: 'nope', privateKey: keys.privateKey })).toThrow(/^secrets\.clientEmail: /);
    expect(() => googleTasksAdapter.validate({}, { clientEmail: SERVICE_ACCOUNT })).toThrow('secrets.privateKey: is required');
    expect(() => googleTasksAdapter.validate({}, { clientEmail: SERVICE_ACCOUNT, privateKey: 'garbage' })).toThrow(/^secrets\.privateKey: must be/);
  });
});
