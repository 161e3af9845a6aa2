import type { Connection } from 'jsforce';
import { classifyHttpFailure, isLoopbackHost, type ConnectorAdapter, type DeliveryResult, type EmailLoggedEvent, type TaskCreatedEvent } from './types.js';

/**
 * Logs mails and tasks into Salesforce through jsforce (REST API: SOQL query + sObject create):
 *   email.logged → a completed Task (TaskSubtype 'Email') on the Contact with the address, else the
 *                  Lead with it (none → permanent failure naming the address); with
 *                  `createEmailMessage`, also an EmailMessage (MessageIdentifier = Message-ID,
 *                  ActivityId = that Task) linked to the person through an EmailMessageRelation
 *                  (RelationType FromAddress for inbound mail, ToAddress for outbound): RelatedToId
 *                  only takes "what" objects (Account, Opportunity, Case…), never a Contact/Lead.
 *   task.created → an open Task ('Not Started') on the person when one has the address.
 *
 * Idempotency (the outbox may deliver the same event twice after a crash), step by step so a crash
 * between steps is completed, not duplicated, on the next delivery:
 *   Task         — Description is a long text area SOQL cannot filter on, so the adapter queries the
 *                  person's Tasks with the same Subject and ActivityDate and looks in their
 *                  Description for the line "tradepane event <event id>" it writes there;
 *   EmailMessage — queried by MessageIdentifier (the mail's Message-ID): one record per mail, even
 *                  if another rep or Email-to-Salesforce logged it first;
 *   relation     — queried by EmailMessageId + RelationId before it is created.
 *
 * jsforce retries GET requests itself on 420/429/5xx (up to 5 times, 0.5 s doubling): the adapter
 * turns that off (the outbox owns retries, counts stay exact) through the connection's transport,
 * which also keeps the last failed HTTP response, since jsforce's errors carry neither the status
 * nor the Retry-After header.
 */

export interface SalesforceSettings {
  /** e.g. https://mycompany.my.salesforce.com */
  instanceUrl: string;
  /** REST API version without the "v", e.g. "62.0". */
  apiVersion?: string;
  /** Also create an EmailMessage (Enhanced Email) next to the Task. */
  createEmailMessage: boolean;
}

export const SALESFORCE_DEFAULT_API_VERSION = '62.0';


type Transport = Connection['_transport'];
type HttpResponse = Awaited<ReturnType<Transport['httpRequest']>>;

interface Session {
  conn: Connection;
  lastFailure: HttpResponse | null;
}

async function connect(settings: SalesforceSettings, secrets: Record<string, string>): Promise<Session> {
  // jsforce is imported when something is delivered, not with the store (it takes ~1 s to load).
  const { Connection } = await import('jsforce');
  const conn = new Connection({
    instanceUrl: settings.instanceUrl.replace(/\/+$/, ''),
    accessToken: secrets.accessToken!,
    version: settings.apiVersion ?? SALESFORCE_DEFAULT_API_VERSION,
  });
  const session: Session = { conn, lastFailure: null };
  const inner = conn._transport;
  const noRetry: Transport = Object.create(inner) as Transport;
  noRetry.httpRequest = (req, options = {}) => {
    const pending = inner.httpRequest(req, { ...options, retry: { ...options.retry, maxRetries: 0, methods: [] } });
    pending.then(
      (res) => {
        if (res && res.statusCode >= 400) session.lastFailure = res;
      },
      () => undefined,
    );
    return pending;
  };
  conn._transport = noRetry;
  return session;
}

function failure(session: Session, error: unknown): DeliveryResult {
  const res = session.lastFailure;
  if (res) {
    const body = typeof res.body === 'string' ? res.body : '';
    // Salesforce answers a spent daily API allowance with 403 REQUEST_LIMIT_EXCEEDED: worth retrying later.
    if (res.statusCode === 403 && body.includes('REQUEST_LIMIT_EXCEEDED')) return { ok: false, retryable: true, reason: `HTTP 403: ${body.replace(/\s+/g, ' ').slice(0, 300)}` };
    return classifyHttpFailure(res.statusCode, body, res.headers['retry-after'] ?? null);
  }
  const e = error as { errorCode?: unknown; message?: unknown } | null;
  if (e && typeof e.errorCode === 'string' && e.errorCode.length > 0 && (error as Error).name !== 'FetchError') {
    return { ok: false, retryable: false, reason: `Salesforce ${e.errorCode}: ${String(e.message)}` };
  }
  return { ok: false, retryable: true, reason: `could not reach Salesforce: ${(error as Error)?.message ?? String(error)}` };
}

class PermanentFailure extends Error {}

/** A SOQL string literal: backslash and quote escaped, as the SOQL reference requires. */
const soql = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

function isoDate(iso: string, field: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new PermanentFailure(`${field}: "${iso}" is not a date`);
  return new Date(ms).toISOString().slice(0, 10);
}

const eventMarker = (eventId: string) => `tradepane event ${eventId}`;
const bracketed = (messageId: string) => `<${messageId.replace(/^<|>$/g, '')}>`;

interface Person {
  id: string;
  type: 'Contact' | 'Lead';
}

async function findPerson(conn: Connection, address: string): Promise<Person | null> {
  const email = soql(address.trim().toLowerCase());
  const contacts = await conn.query<{ Id: string }>(`SELECT Id FROM Contact WHERE Email = ${email} ORDER BY LastModifiedDate DESC LIMIT 1`);
  const contact = contacts.records[0];
  if (contact) return { id: contact.Id, type: 'Contact' };
  const leads = await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE Email = ${email} AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1`);
  const lead = leads.records[0];
  return lead ? { id: lead.Id, type: 'Lead' } : null;
}

async function findTask(conn: Connection, whoId: string | null, subject: string, activityDate: string | null, marker: string): Promise<string | null> {
  const where = [`Subject = ${soql(subject)}`, `WhoId = ${whoId ? soql(whoId) : 'null'}`, `ActivityDate = ${activityDate ?? 'null'}`].join(' AND ');
  const found = await conn.query<{ Id: string; Description: string | null }>(`SELECT Id, Description FROM Task WHERE ${where} LIMIT 200`);
  return found.records.find((task) => task.Description?.includes(marker))?.Id ?? null;
}

async function create(conn: Connection, type: string, record: Record<string, unknown>): Promise<string> {
  const saved = await conn.sobject(type).create(record);
  if (!saved.success || !saved.id) {
    const errors = (saved as { errors?: Array<{ message?: string } | string> }).errors ?? [];
    throw new PermanentFailure(`Salesforce did not create the ${type}: ${errors.map((e) => (typeof e === 'string' ? e : e.message)).join('; ') || 'no reason given'}`);
  }
  return saved.id;
}

async function deliverEmail(conn: Connection, event: EmailLoggedEvent, settings: SalesforceSettings): Promise<DeliveryResult> {
  const person = await findPerson(conn, event.contact.email);
  if (!person) return { ok: false, retryable: false, reason: `no Salesforce Contact or Lead has the address ${event.contact.email}` };

  const a = event.activity;
  const messageId = bracketed(a.messageId);
  const marker = eventMarker(event.id);
  const activityDate = isoDate(a.occurredAt, 'activity.occurredAt');
  const subject = `Email: ${a.subject}`.slice(0, 255);

  let taskId = await findTask(conn, person.id, subject, activityDate, marker);
  if (!taskId) {
    taskId = await create(conn, 'Task', {
      Subject: subject,
      Description: [
        `${a.direction === 'inbound' ? 'From' : 'To'}: ${a.direction === 'inbound' ? a.from : a.to.join(', ')}`,
        a.snippet,
        `Message-ID: ${messageId}`,
        `Logged by ${a.loggedBy} (${marker})`,
      ].join('\n'),
      ActivityDate: activityDate,
      Status: 'Completed',
      TaskSubtype: 'Email',
      WhoId: person.id,
    });
  }

  if (settings.createEmailMessage) {
    const existing = await conn.query<{ Id: string }>(`SELECT Id FROM EmailMessage WHERE MessageIdentifier = ${soql(messageId)} LIMIT 1`);
    const emailMessageId =
      existing.records[0]?.Id ??
      (await create(conn, 'EmailMessage', {
        Subject: a.subject,
        TextBody: a.snippet,
        FromAddress: a.from,
        ToAddress: a.to.join('; '),
        MessageDate: new Date(Date.parse(a.occurredAt)).toISOString(),
        Incoming: a.direction === 'inbound',
        Status: '3',
        MessageIdentifier: messageId,
        ActivityId: taskId,
      }));
    const relation = await conn.query<{ Id: string }>(
      `SELECT Id FROM EmailMessageRelation WHERE EmailMessageId = ${soql(emailMessageId)} AND RelationId = ${soql(person.id)} LIMIT 1`,
    );
    if (!relation.records[0]) {
      await create(conn, 'EmailMessageRelation', {
        EmailMessageId: emailMessageId,
        RelationId: person.id,
        RelationType: a.direction === 'inbound' ? 'FromAddress' : 'ToAddress',
      });
    }
  }
  return { ok: true, externalId: taskId };
}

/** The due date as Salesforce's date-only ActivityDate: the local date the rep chose, else dueAt's UTC date. */
function dueDate(task: TaskCreatedEvent['task']): string | null {
  const local = task.dueLocal ? /^(\d{4}-\d{2}-\d{2})/.exec(task.dueLocal)?.[1] : undefined;
  if (local) return local;
  return task.dueAt ? isoDate(task.dueAt, 'task.dueAt') : null;
}

async function deliverTask(conn: Connection, event: TaskCreatedEvent): Promise<DeliveryResult> {
  const person = event.contact ? await findPerson(conn, event.contact.email) : null;
  const t = event.task;
  const subject = t.title.slice(0, 255);
  const activityDate = dueDate(t);
  const marker = eventMarker(event.id);

  const existing = await findTask(conn, person?.id ?? null, subject, activityDate, marker);
  if (existing) return { ok: true, externalId: existing };
  const record: Record<string, unknown> = {
    Subject: subject,
    Description: [t.notes.trim(), event.messageId ? `Message-ID: ${bracketed(event.messageId)}` : '', `Assigned to ${t.assignee} (${marker})`].filter(Boolean).join('\n'),
    Status: 'Not Started',
  };
  if (activityDate) record.ActivityDate = activityDate;
  if (person) record.WhoId = person.id;
  return { ok: true, externalId: await create(conn, 'Task', record) };
}

export const salesforceAdapter: ConnectorAdapter<SalesforceSettings> = {
  kind: 'salesforce',
  validate(settings, secrets) {
    const s = (settings ?? {}) as { instanceUrl?: unknown; apiVersion?: unknown; createEmailMessage?: unknown };
    if (typeof s !== 'object') throw new Error('settings: must be an object');
    if (typeof s.instanceUrl !== 'string' || !s.instanceUrl.trim()) throw new Error('settings.instanceUrl: is required');
    let parsed: URL;
    try {
      parsed = new URL(s.instanceUrl.trim());
    } catch {
      throw new Error(`settings.instanceUrl: "${s.instanceUrl}" is not a URL`);
    }
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) throw new Error('settings.instanceUrl: must be an https URL');
    if (s.apiVersion !== undefined && s.apiVersion !== null && s.apiVersion !== '' && (typeof s.apiVersion !== 'string' || !/^\d{2,3}\.0$/.test(s.apiVersion))) {
      throw new Error('settings.apiVersion: must look like "62.0"');
    }
    if (s.createEmailMessage !== undefined && typeof s.createEmailMessage !== 'boolean') throw new Error('settings.createEmailMessage: must be true or false');
    if (typeof secrets.accessToken !== 'string' || !secrets.accessToken.trim()) throw new Error('secrets.accessToken: is required');
    return {
      instanceUrl: parsed.origin,
      ...(typeof s.apiVersion === 'string' && s.apiVersion ? { apiVersion: s.apiVersion } : {}),
      createEmailMessage: s.createEmailMessage === true,
    };
  },
  async deliver(event, settings, secrets) {
    if (!secrets.accessToken) return { ok: false, retryable: false, reason: 'secrets.accessToken: is required' };
    const session = await connect(settings, secrets);
    try {
      return event.type === 'email.logged' ? await deliverEmail(session.conn, event, settings) : await deliverTask(session.conn, event);
    } catch (error) {
      if (error instanceof PermanentFailure) return { ok: false, retryable: false, reason: error.message };
      return failure(session, error);
    }
  },
};
