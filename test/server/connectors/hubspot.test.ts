import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { hubspotAdapter, type HubspotSettings } from '../../../src/server/connectors/hubspot.js';
import type { EmailLoggedEvent, TaskCreatedEvent } from '../../../src/server/connectors/types.js';
import { FakeHubspot } from './fake-hubspot.js';

const TOKEN = 'pat-na1-test-token';
const hubspot = new FakeHubspot(TOKEN);
let settings: HubspotSettings;
const secrets = { accessToken: TOKEN };

function emailEvent(overrides: Partial<EmailLoggedEvent> = {}): EmailLoggedEvent {
  return {
    type: 'email.logged',
    id: 'evt-email-1',
    occurredAt: '2025-03-04T10:00:01.000Z',
    activity: {
      messageId: 'CAF=abc123@mail.example.com',
      threadId: 'thread-1',
      direction: 'inbound',
      occurredAt: '2025-03-04T09:58:00.000Z',
      from: 'buyer@acme.example',
      to: ['rep@tradepane.example'],
      subject: 'RFQ: 2,000 valves',
      snippet: 'Please quote FOB Ningbo for 2,000 units.',
      loggedBy: 'rep@tradepane.example',
    },
    contact: { email: 'buyer@acme.example', firstName: 'Ana', lastName: 'Buyer' },
    company: { name: 'Acme', domains: ['acme.example'] },
    ...overrides,
  };
}

function taskEvent(overrides: Partial<TaskCreatedEvent> = {}): TaskCreatedEvent {
  return {
    type: 'task.created',
    id: 'evt-task-1',
    occurredAt: '2025-03-04T10:05:00.000Z',
    task: { id: 'task-1', title: 'Send the quotation', notes: 'FOB Ningbo, 30 days', dueAt: '2025-03-06T01:00:00.000Z', dueLocal: '2025-03-06T09:00', assignee: 'rep@tradepane.example' },
    contact: { email: 'buyer@acme.example' },
    messageId: 'CAF=abc123@mail.example.com',
    ...overrides,
  };
}

beforeAll(async () => {
  const url = await hubspot.start();
  settings = hubspotAdapter.validate({ basePath: url, createContacts: false }, secrets);
});
afterAll(async () => {
  await hubspot.stop();
});
beforeEach(() => hubspot.reset());

describe('hubspotAdapter.deliver email.logged', () => {
  it('logs the mail once, associated with the contact and the company found by domain', async () => {
    const contact = hubspot.add('contacts', { email: 'buyer@acme.example' });
    const company = hubspot.add('companies', { domain: 'acme.example', name: 'Acme' });
    hubspot.add('companies', { domain: 'other.example', name: 'Other' });

    const result = await hubspotAdapter.deliver(emailEvent(), settings, secrets);

    const emails = hubspot.ofType('emails');
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    expect(result).toEqual({ ok: true, externalId: email.id });
    expect(email.properties).toMatchObject({
      hs_timestamp: String(Date.parse('2025-03-04T09:58:00.000Z')),
      hs_email_direction: 'INCOMING_EMAIL',
      hs_email_subject: 'RFQ: 2,000 valves',
    });
    expect(email.properties.hs_email_text).toContain('Please quote FOB Ningbo');
    const headers = JSON.parse(email.properties.hs_email_headers!) as Record<string, unknown>;
    expect(headers).toMatchObject({ from: { email: 'buyer@acme.example' }, to: [{ email: 'rep@tradepane.example' }], messageId: '<CAF=abc123@mail.example.com>' });
    expect(email.associations).toEqual([
      { toId: contact.id, typeId: 198 },
      { toId: company.id, typeId: 186 },
    ]);
    // Companies are looked up, never created; the contact existed, so none was created either.
    expect(hubspot.ofType('companies')).toHaveLength(2);
    expect(hubspot.ofType('contacts')).toHaveLength(1);
    // The real client hit the documented endpoints with the bearer token.
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/companies/search',
      'POST /crm/v3/objects/emails/search',
      'POST /crm/v3/objects/emails',
    ]);
  });

  it('marks outbound mail as EMAIL and skips the company when no domain matches', async () => {
    const contact = hubspot.add('contacts', { email: 'buyer@acme.example' });
    const event = emailEvent();
    event.activity.direction = 'outbound';
    event.company = { name: 'Nobody', domains: ['nobody.example', 'none.example'] };
    const result = await hubspotAdapter.deliver(event, settings, secrets);
    expect(result.ok).toBe(true);
    const email = hubspot.ofType('emails')[0]!;
    expect(email.properties.hs_email_direction).toBe('EMAIL');
    expect(email.associations).toEqual([{ toId: contact.id, typeId: 198 }]);
    expect(hubspot.requests.filter((r) => r.path === '/crm/v3/objects/companies/search')).toHaveLength(2);
  });

  it('delivering the same event again (as after a crash) creates no second engagement', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    const first = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    const again = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(hubspot.ofType('emails')).toHaveLength(1);
    // A different mail to the same contact at another time is a new engagement.
    const other = emailEvent({ id: 'evt-email-2' });
    other.activity = { ...other.activity, messageId: 'other@mail.example.com', occurredAt: '2025-03-04T11:00:00.000Z' };
    expect((await hubspotAdapter.deliver(other, settings, secrets)).ok).toBe(true);
    expect(hubspot.ofType('emails')).toHaveLength(2);
  });

  it('a different mail at the very same millisecond to the same contact is still logged', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    const twin = emailEvent({ id: 'evt-email-twin' });
    twin.activity = { ...twin.activity, messageId: 'twin@mail.example.com' };
    expect((await hubspotAdapter.deliver(twin, settings, secrets)).ok).toBe(true);
    expect(hubspot.ofType('emails')).toHaveLength(2);
  });

  it('500 is retryable; the retry then succeeds with exactly one engagement', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    hubspot.failNext(1, 500);
    const failed = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(failed).toMatchObject({ ok: false, retryable: true });
    expect(failed.ok === false && failed.reason).toMatch(/^HTTP 500/);
    // Exactly one request: the client itself does not retry.
    expect(hubspot.requests).toHaveLength(1);

    const retried = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(retried.ok).toBe(true);
    expect(hubspot.ofType('emails')).toHaveLength(1);
  });

  it('a create whose answer is lost (written, then 500) is found on the retry: still one engagement', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    hubspot.failNext(1, 500, { path: /^\/crm\/v3\/objects\/emails$/, afterCommit: true });
    expect(await hubspotAdapter.deliver(emailEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
    expect(hubspot.ofType('emails')).toHaveLength(1);
    const retried = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(retried).toEqual({ ok: true, externalId: hubspot.ofType('emails')[0]!.id });
    expect(hubspot.ofType('emails')).toHaveLength(1);
  });

  it('429 with Retry-After is retryable and carries retryAfterMs', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    hubspot.failNext(1, 429, { retryAfter: '7' });
    const result = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
    expect(hubspot.requests).toHaveLength(1);
    expect(hubspot.ofType('emails')).toHaveLength(0);
  });

  it('a wrong token is a permanent failure', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    const result = await hubspotAdapter.deliver(emailEvent(), settings, { accessToken: 'wrong' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 401/);
    expect(hubspot.ofType('emails')).toHaveLength(0);
  });

  it('a missing contact with createContacts off fails for good with a clear reason', async () => {
    const result = await hubspotAdapter.deliver(emailEvent(), settings, secrets);
    expect(result).toEqual({ ok: false, retryable: false, reason: 'contact not found in HubSpot and creating contacts is off' });
    expect(hubspot.ofType('contacts')).toHaveLength(0);
    expect(hubspot.ofType('emails')).toHaveLength(0);
  });

  it('creates the contact when createContacts is on, and not twice on a retry', async () => {
    const on = { ...settings, createContacts: true };
    const first = await hubspotAdapter.deliver(emailEvent(), on, secrets);
    expect(first.ok).toBe(true);
    const contacts = hubspot.ofType('contacts');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.properties).toEqual({ email: 'buyer@acme.example', firstname: 'Ana', lastname: 'Buyer' });
    expect(hubspot.ofType('emails')[0]!.associations[0]).toEqual({ toId: contacts[0]!.id, typeId: 198 });

    expect(await hubspotAdapter.deliver(emailEvent(), on, secrets)).toEqual(first);
    expect(hubspot.ofType('contacts')).toHaveLength(1);
    expect(hubspot.ofType('emails')).toHaveLength(1);
  });

  it('uses the existing contact when the create answers 409 (created since the search saw it)', async () => {
    const on = { ...settings, createContacts: true };
    const contact = hubspot.add('contacts', { email: 'buyer@acme.example' });
    hubspot.hiddenFromSearch.add(contact.id);
    const result = await hubspotAdapter.deliver(emailEvent(), on, secrets);
    expect(result.ok).toBe(true);
    expect(hubspot.ofType('contacts')).toHaveLength(1);
    expect(hubspot.ofType('emails')[0]!.associations[0]).toEqual({ toId: contact.id, typeId: 198 });
  });
});

describe('hubspotAdapter.deliver task.created', () => {
  it('creates a NOT_STARTED task due at dueAt, associated with the contact, once', async () => {
    const contact = hubspot.add('contacts', { email: 'buyer@acme.example' });
    const result = await hubspotAdapter.deliver(taskEvent(), settings, secrets);
    const tasks = hubspot.ofType('tasks');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(result).toEqual({ ok: true, externalId: task.id });
    expect(task.properties).toMatchObject({
      hs_timestamp: String(Date.parse('2025-03-06T01:00:00.000Z')),
      hs_task_subject: 'Send the quotation',
      hs_task_status: 'NOT_STARTED',
    });
    expect(task.properties.hs_task_body).toContain('FOB Ningbo, 30 days');
    expect(task.properties.hs_task_body).toContain('<CAF=abc123@mail.example.com>');
    expect(task.associations).toEqual([{ toId: contact.id, typeId: 204 }]);

    expect(await hubspotAdapter.deliver(taskEvent(), settings, secrets)).toEqual(result);
    expect(hubspot.ofType('tasks')).toHaveLength(1);
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/tasks/search',
      'POST /crm/v3/objects/tasks',
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/tasks/search',
    ]);
  });

  it('a task without a contact is created unassociated, once', async () => {
    const event = taskEvent({ contact: null, messageId: null });
    event.task = { ...event.task, dueAt: null, dueLocal: null };
    const first = await hubspotAdapter.deliver(event, settings, secrets);
    expect(first.ok).toBe(true);
    const task = hubspot.ofType('tasks')[0]!;
    expect(task.associations).toEqual([]);
    expect(task.properties.hs_timestamp).toBe(String(Date.parse(event.occurredAt)));
    expect(await hubspotAdapter.deliver(event, settings, secrets)).toEqual(first);
    expect(hubspot.ofType('tasks')).toHaveLength(1);
  });

  it('a contact unknown to HubSpot with createContacts off still gets the task, unassociated', async () => {
    const result = await hubspotAdapter.deliver(taskEvent(), settings, secrets);
    expect(result.ok).toBe(true);
    expect(hubspot.ofType('tasks')[0]!.associations).toEqual([]);
    expect(hubspot.ofType('contacts')).toHaveLength(0);
  });

  it('500 then success leaves exactly one task', async () => {
    hubspot.add('contacts', { email: 'buyer@acme.example' });
    hubspot.failNext(1, 503);
    expect(await hubspotAdapter.deliver(taskEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
    expect((await hubspotAdapter.deliver(taskEvent(), settings, secrets)).ok).toBe(true);
    expect(hubspot.ofType('tasks')).toHaveLength(1);
  });
});

describe('hubspotAdapter.validate', () => {
  it('accepts https and loopback http, defaults createContacts to false', () => {
    expect(hubspotAdapter.validate({}, secrets)).toEqual({ createContacts: false });
    expect(hubspotAdapter.validate({ basePath: 'https://api.hubapi.com/', createContacts: true }, secrets)).toEqual({ basePath: 'https://api.hubapi.com', createContacts: true });
    expect(hubspotAdapter.validate({ basePath: 'http://127.0.0.1:8080' }, secrets).basePath).toBe('http://127.0.0.1:8080');
  });

  it('names the bad field', () => {
    expect(() => hubspotAdapter.validate({ basePath: 'http://api.hubapi.com' }, secrets)).toThrow('basePath: must be an https URL');
    expect(() => hubspotAdapter.validate({ basePath: 'not a url' }, secrets)).toThrow(/basePath/);
    expect(() => hubspotAdapter.validate({ createContacts: 'yes' }, secrets)).toThrow(/createContacts/);
    expect(() => hubspotAdapter.validate({}, {})).toThrow('accessToken: is required');
    expect(() => hubspotAdapter.validate({}, { accessToken: '  ' })).toThrow('accessToken: is required');
  });
});
