import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { salesforceAdapter, type SalesforceSettings } from '../../../src/server/connectors/salesforce.js';
import type { EmailLoggedEvent, TaskCreatedEvent } from '../../../src/server/connectors/types.js';
import { FakeSalesforce } from './fake-salesforce.js';

const TOKEN = '00D000000000001!AQ0AQtest.token';
const salesforce = new FakeSalesforce(TOKEN);
let settings: SalesforceSettings;
let withEmailMessage: SalesforceSettings;
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
      to: ['rep@tradepane.example', 'boss@tradepane.example'],
      subject: "RFQ: O'Brien's 2,000 valves",
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
  const url = await salesforce.start();
  settings = salesforceAdapter.validate({ instanceUrl: url, apiVersion: '62.0', createEmailMessage: false }, secrets);
  withEmailMessage = { ...settings, createEmailMessage: true };
});
afterAll(async () => {
  await salesforce.stop();
});
beforeEach(() => salesforce.reset());

describe('salesforceAdapter.deliver email.logged', () => {
  it('creates one completed email Task on the Contact, through the documented REST endpoints', async () => {
    const contact = salesforce.add('Contact', { Email: 'Buyer@Acme.example', LastName: 'Buyer' });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    const tasks = salesforce.ofType('Task');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(result).toEqual({ ok: true, externalId: task.Id });
    expect(task).toMatchObject({
      Subject: "Email: RFQ: O'Brien's 2,000 valves",
      ActivityDate: '2025-03-04',
      Status: 'Completed',
      TaskSubtype: 'Email',
      WhoId: contact.Id,
    });
    expect(task.Description).toContain('Please quote FOB Ningbo');
    expect(task.Description).toContain('Message-ID: <CAF=abc123@mail.example.com>');
    expect(salesforce.ofType('EmailMessage')).toHaveLength(0);
    expect(salesforce.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /services/data/v62.0/query',
      'GET /services/data/v62.0/query',
      'POST /services/data/v62.0/sobjects/Task',
    ]);
    expect(salesforce.requests[0]!.query).toBe("SELECT Id FROM Contact WHERE Email = 'buyer@acme.example' ORDER BY LastModifiedDate DESC LIMIT 1");
  });

  it('falls back to a Lead with the address', async () => {
    const lead = salesforce.add('Lead', { Email: 'buyer@acme.example', LastName: 'Buyer', Company: 'Acme', IsConverted: false });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    expect(result.ok).toBe(true);
    expect(salesforce.ofType('Task')[0]!.WhoId).toBe(lead.Id);
  });

  it('fails for good, naming the address, when neither a Contact nor a Lead has it', async () => {
    salesforce.add('Lead', { Email: 'buyer@acme.example', LastName: 'Buyer', Company: 'Acme', IsConverted: true });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    expect(result).toEqual({ ok: false, retryable: false, reason: 'no Salesforce Contact or Lead has the address buyer@acme.example' });
    expect(salesforce.ofType('Task')).toHaveLength(0);
  });

  it('with createEmailMessage: an EmailMessage carrying the Message-ID, linked to the person and the Task', async () => {
    const contact = salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    const result = await salesforceAdapter.deliver(emailEvent(), withEmailMessage, secrets);
    expect(result.ok).toBe(true);
    const task = salesforce.ofType('Task')[0]!;
    const messages = salesforce.ofType('EmailMessage');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      Subject: "RFQ: O'Brien's 2,000 valves",
      TextBody: 'Please quote FOB Ningbo for 2,000 units.',
      FromAddress: 'buyer@acme.example',
      ToAddress: 'rep@tradepane.example; boss@tradepane.example',
      MessageDate: '2025-03-04T09:58:00.000Z',
      Incoming: true,
      Status: '3',
      MessageIdentifier: '<CAF=abc123@mail.example.com>',
      ActivityId: task.Id,
    });
    expect(salesforce.ofType('EmailMessageRelation')).toEqual([
      expect.objectContaining({ EmailMessageId: messages[0]!.Id, RelationId: contact.Id, RelationType: 'FromAddress' }),
    ]);
  });

  it('delivering the same event again (as after a crash) creates nothing new', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    const first = await salesforceAdapter.deliver(emailEvent(), withEmailMessage, secrets);
    const again = await salesforceAdapter.deliver(emailEvent(), withEmailMessage, secrets);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(salesforce.ofType('Task')).toHaveLength(1);
    expect(salesforce.ofType('EmailMessage')).toHaveLength(1);
    expect(salesforce.ofType('EmailMessageRelation')).toHaveLength(1);
    // Another mail with the same subject the same day is another Task.
    const other = emailEvent({ id: 'evt-email-2' });
    other.activity = { ...other.activity, messageId: 'other@mail.example.com' };
    expect((await salesforceAdapter.deliver(other, withEmailMessage, secrets)).ok).toBe(true);
    expect(salesforce.ofType('Task')).toHaveLength(2);
    expect(salesforce.ofType('EmailMessage')).toHaveLength(2);
  });

  it('a crash between steps is completed on the retry, not duplicated', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    // The EmailMessage is written but its answer is lost.
    salesforce.failNext(1, 500, { path: /\/sobjects\/EmailMessage$/, afterCommit: true });
    expect(await salesforceAdapter.deliver(emailEvent(), withEmailMessage, secrets)).toMatchObject({ ok: false, retryable: true });
    expect(salesforce.ofType('EmailMessageRelation')).toHaveLength(0);
    expect((await salesforceAdapter.deliver(emailEvent(), withEmailMessage, secrets)).ok).toBe(true);
    expect(salesforce.ofType('Task')).toHaveLength(1);
    expect(salesforce.ofType('EmailMessage')).toHaveLength(1);
    expect(salesforce.ofType('EmailMessageRelation')).toHaveLength(1);
  });

  it('500 then success: retryable first, exactly one Task after, and jsforce does not retry on its own', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    salesforce.failNext(1, 500);
    const failed = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    expect(failed).toMatchObject({ ok: false, retryable: true });
    expect(failed.ok === false && failed.reason).toMatch(/^HTTP 500/);
    expect(salesforce.requests).toHaveLength(1);
    expect((await salesforceAdapter.deliver(emailEvent(), settings, secrets)).ok).toBe(true);
    expect(salesforce.ofType('Task')).toHaveLength(1);
  });

  it('429 with Retry-After is retryable with retryAfterMs, and not retried by jsforce', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    salesforce.failNext(1, 429, { retryAfter: '12' });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 12_000 });
    expect(salesforce.requests).toHaveLength(1);
  });

  it('403 REQUEST_LIMIT_EXCEEDED (daily API allowance spent) is retryable', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    salesforce.failNext(1, 403, { errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(await salesforceAdapter.deliver(emailEvent(), settings, secrets)).toMatchObject({ ok: false, retryable: true });
  });

  it('a wrong token is a permanent failure', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, { accessToken: 'wrong' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toMatch(/^HTTP 401: .*INVALID_SESSION_ID/);
    expect(salesforce.ofType('Task')).toHaveLength(0);
  });

  it('a rejected record (400) is a permanent failure', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    salesforce.failNext(1, 400, { path: /\/sobjects\/Task$/, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    const result = await salesforceAdapter.deliver(emailEvent(), settings, secrets);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok === false && result.reason).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });
});

describe('salesforceAdapter.deliver task.created', () => {
  it('creates one open Task due on the local due date, on the Contact', async () => {
    const contact = salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    const result = await salesforceAdapter.deliver(taskEvent(), settings, secrets);
    const tasks = salesforce.ofType('Task');
    expect(tasks).toHaveLength(1);
    expect(result).toEqual({ ok: true, externalId: tasks[0]!.Id });
    expect(tasks[0]).toMatchObject({ Subject: 'Send the quotation', ActivityDate: '2025-03-06', Status: 'Not Started', WhoId: contact.Id });
    expect(tasks[0]!.Description).toContain('FOB Ningbo, 30 days');
    expect(tasks[0]!.Description).toContain('<CAF=abc123@mail.example.com>');

    expect(await salesforceAdapter.deliver(taskEvent(), settings, secrets)).toEqual(result);
    expect(salesforce.ofType('Task')).toHaveLength(1);
  });

  it('links a Lead, or nobody when no one has the address; still once', async () => {
    const lead = salesforce.add('Lead', { Email: 'lead@acme.example', LastName: 'Lead', Company: 'Acme', IsConverted: false });
    expect((await salesforceAdapter.deliver(taskEvent({ id: 'evt-task-lead', contact: { email: 'lead@acme.example' } }), settings, secrets)).ok).toBe(true);
    expect(salesforce.ofType('Task')[0]!.WhoId).toBe(lead.Id);

    const nobody = taskEvent({ id: 'evt-task-nobody', contact: { email: 'stranger@else.example' }, messageId: null });
    nobody.task = { ...nobody.task, dueAt: null, dueLocal: null };
    const first = await salesforceAdapter.deliver(nobody, settings, secrets);
    expect(first.ok).toBe(true);
    expect(await salesforceAdapter.deliver(nobody, settings, secrets)).toEqual(first);
    const unlinked = salesforce.ofType('Task').filter((t) => t.Id === (first.ok ? first.externalId : ''));
    expect(unlinked).toHaveLength(1);
    expect(unlinked[0]!.WhoId).toBeUndefined();
    expect(unlinked[0]!.ActivityDate).toBeUndefined();
    expect(salesforce.ofType('Task')).toHaveLength(2);
  });

  it('uses dueAt\'s UTC date when there is no local due date', async () => {
    salesforce.add('Contact', { Email: 'buyer@acme.example', LastName: 'Buyer' });
    const event = taskEvent();
    event.task = { ...event.task, dueLocal: null };
    await salesforceAdapter.deliver(event, settings, secrets);
    expect(salesforce.ofType('Task')[0]!.ActivityDate).toBe('2025-03-06');
  });
});

describe('salesforceAdapter.validate', () => {
  it('accepts https and loopback http', () => {
    expect(salesforceAdapter.validate({ instanceUrl: 'https://acme.my.salesforce.com/' }, secrets)).toEqual({ instanceUrl: 'https://acme.my.salesforce.com', createEmailMessage: false });
    expect(salesforceAdapter.validate({ instanceUrl: 'http://127.0.0.1:9999', apiVersion: '61.0', createEmailMessage: true }, secrets)).toEqual({
      instanceUrl: 'http://127.0.0.1:9999',
      apiVersion: '61.0',
      createEmailMessage: true,
    });
  });

  it('names the bad field', () => {
    expect(() => salesforceAdapter.validate({ instanceUrl: 'http://acme.my.salesforce.com' }, secrets)).toThrow('instanceUrl: must be an https URL');
    expect(() => salesforceAdapter.validate({}, secrets)).toThrow('instanceUrl: is required');
    expect(() => salesforceAdapter.validate({ instanceUrl: 'nope' }, secrets)).toThrow(/instanceUrl/);
    expect(() => salesforceAdapter.validate({ instanceUrl: 'https://acme.my.salesforce.com', apiVersion: 'v62' }, secrets)).toThrow(/apiVersion/);
    expect(() => salesforceAdapter.validate({ instanceUrl: 'https://acme.my.salesforce.com', createEmailMessage: 'yes' }, secrets)).toThrow(/createEmailMessage/);
    expect(() => salesforceAdapter.validate({ instanceUrl: 'https://acme.my.salesforce.com' }, {})).toThrow('accessToken: is required');
  });
});
