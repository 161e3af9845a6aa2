import type { Client } from '@hubspot/api-client';

// The SDK is imported when something is delivered, not with the store (it takes ~0.5 s to load).
const sdk = () => import('@hubspot/api-client');
import { classifyHttpFailure, isLoopbackHost, type ConnectorAdapter, type CrmContact, type DeliveryResult, type EmailLoggedEvent, type TaskCreatedEvent } from './types.js';

/**
 * Logs mails and tasks into HubSpot through the official client (CRM v3 objects):
 *   email.logged → an email engagement (/crm/v3/objects/emails) associated with the contact
 *                  (found by e-mail, created only when `createContacts`) and, when one matches a
 *                  domain of the event's company, the company (companies are never created);
 *   task.created → a task (/crm/v3/objects/tasks) associated with the contact when there is one.
 *
 * Idempotency (the outbox may deliver the same event twice after a crash): the engagement is
 * created in ONE call with its associations inline (no half-created state between "created" and
 * "associated"), and it carries two markers: the Message-ID inside `hs_email_headers` (documented
 * JSON property) and a reference line "tradepane event <id>" at the end of the body. Before
 * creating, the adapter searches the same object type for records with the same `hs_timestamp`
 * (exact millisecond, an indexed documented property), narrowed to the same contact through the
 * documented `associations.contact` search pseudo-property (tasks without a contact: the same
 * `hs_task_subject`), and treats any hit whose headers/body carry the Message-ID or the event id as
 * already delivered. HubSpot's search index lags writes by a few seconds, so a retry fired within
 * that window could still miss the first copy; the outbox's retry back-off is longer than that.
 *
 * The client's own retry decorator is left off (`numberOfApiCallRetries: 0`): the outbox owns
 * retries, so every HTTP failure comes straight back as a DeliveryResult (429/5xx retryable with
 * Retry-After honoured, other 4xx permanent — see classifyHttpFailure).
 */

export interface HubspotSettings {
  /** API root, `https://api.hubapi.com` unless a test points it elsewhere. */
  basePath?: string;
  /** Create the contact when no HubSpot contact has the address; otherwise fail permanently. */
  createContacts: boolean;
}

export const HUBSPOT_DEFAULT_BASE_PATH = 'https://api.hubapi.com';


type SearchRequest = Parameters<Client['crm']['contacts']['searchApi']['doSearch']>[0];
interface SearchHit {
  id: string;
  properties: Record<string, string | null>;
}
interface Condition {
  propertyName: string;
  operator: 'EQ';
  value: string;
}

function searchRequest(filters: Condition[], properties: string[], limit: number): SearchRequest {
  // The generated types use an enum for `operator`; the wire value is the plain string.
  return { filterGroups: [{ filters }], properties, limit } as unknown as SearchRequest;
}

function hubspotAssociation(id: string, associationTypeId: number) {
  return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] } as never;
}

async function client(settings: HubspotSettings, secrets: Record<string, string>): Promise<Client> {
  const { Client } = await sdk();
  return new Client({
    accessToken: secrets.accessToken!,
    basePath: (settings.basePath ?? HUBSPOT_DEFAULT_BASE_PATH).replace(/\/+$/, ''),
    numberOfApiCallRetries: 0,
  });
}

/** Failures of the generated client: ApiException carries `code` (HTTP status), `body` and lower-cased `headers`. */
function failure(error: unknown): DeliveryResult {
  const e = error as { code?: unknown; body?: unknown; headers?: Record<string, string> } | null;
  if (e && typeof e.code === 'number' && e.code >= 100 && e.code <= 599) {
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? '');
    return classifyHttpFailure(e.code, body, e.headers?.['retry-after'] ?? null);
  }
  return { ok: false, retryable: true, reason: `could not reach HubSpot: ${(error as Error)?.message ?? String(error)}` };
}

class PermanentFailure extends Error {}

function toMillis(iso: string, field: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new PermanentFailure(`${field}: "${iso}" is not a date`);
  return String(ms);
}

async function findContact(hs: Client, email: string): Promise<string | null> {
  const found = await hs.crm.contacts.searchApi.doSearch(searchRequest([{ propertyName: 'email', operator: 'EQ', value: email }], ['email'], 1));
  return found.results[0]?.id ?? null;
}

/** Finds the contact, or creates it when allowed. A 409 (created by someone since our search) yields the existing id. */
async function ensureContact(hs: Client, contact: CrmContact, create: boolean): Promise<string | null> {
  const email = contact.email.trim().toLowerCase();
  const existing = await findContact(hs, email);
  if (existing || !create) return existing;
  const properties: Record<string, string> = { email };
  if (contact.firstName) properties.firstname = contact.firstName;
  if (contact.lastName) properties.lastname = contact.lastName;
  try {
    const created = await hs.crm.contacts.basicApi.create({ properties, associations: [] });
    return created.id;
  } catch (error) {
    const e = error as { code?: unknown; body?: { message?: unknown } };
    const already = e.code === 409 && typeof e.body?.message === 'string' ? /Existing ID:\s*(\d+)/.exec(e.body.message) : null;
    if (already?.[1]) return already[1];
    throw error;
  }
}

async function findCompany(hs: Client, domains: string[]): Promise<string | null> {
  for (const raw of domains) {
    const domain = raw.trim().toLowerCase();
    if (!domain) continue;
    const found = await hs.crm.companies.searchApi.doSearch(searchRequest([{ propertyName: 'domain', operator: 'EQ', value: domain }], ['domain'], 1));
    if (found.results[0]) return found.results[0].id;
  }
  return null;
}

const eventMarker = (eventId: string) => `tradepane event ${eventId}`;

function carries(hit: SearchHit, fields: string[], markers: string[]): boolean {
  return fields.some((field) => {
    const value = hit.properties[field];
    return typeof value === 'string' && markers.some((marker) => value.includes(marker));
  });
}

async function deliverEmail(hs: Client, event: EmailLoggedEvent, settings: HubspotSettings): Promise<DeliveryResult> {
  const contactId = await ensureContact(hs, event.contact, settings.createContacts);
  if (!contactId) return { ok: false, retryable: false, reason: 'contact not found in HubSpot and creating contacts is off' };
  const companyId = event.company ? await findCompany(hs, event.company.domains) : null;

  const a = event.activity;
  const messageId = `<${a.messageId.replace(/^<|>$/g, '')}>`;
  const timestamp = toMillis(a.occurredAt, 'activity.occurredAt');
  const marker = eventMarker(event.id);

  const previous = await hs.crm.objects.emails.searchApi.doSearch(
    searchRequest(
      [
        { propertyName: 'hs_timestamp', operator: 'EQ', value: timestamp },
        { propertyName: 'associations.contact', operator: 'EQ', value: contactId },
      ],
      ['hs_email_headers', 'hs_email_text'],
      100,
    ),
  );
  const already = (previous.results as SearchHit[]).find((hit) => carries(hit, ['hs_email_headers', 'hs_email_text'], [messageId, marker]));
  if (already) return { ok: true, externalId: already.id };

  const headers = {
    from: { email: a.from },
    to: a.to.map((email) => ({ email })),
    cc: [],
    bcc: [],
    messageId,
  };
  const { AssociationTypes } = await sdk();
  const associations = [hubspotAssociation(contactId, AssociationTypes.emailToContact)];
  if (companyId) associations.push(hubspotAssociation(companyId, AssociationTypes.emailToCompany));
  const created = await hs.crm.objects.emails.basicApi.create({
    properties: {
      hs_timestamp: timestamp,
      hs_email_direction: a.direction === 'inbound' ? 'INCOMING_EMAIL' : 'EMAIL',
      hs_email_status: 'SENT',
      hs_email_subject: a.subject,
      hs_email_text: `${a.snippet}\n\n— Logged by ${a.loggedBy} (Message-ID ${messageId}; ${marker})`,
      hs_email_headers: JSON.stringify(headers),
    },
    associations,
  });
  return { ok: true, externalId: created.id };
}

async function deliverTask(hs: Client, event: TaskCreatedEvent, settings: HubspotSettings): Promise<DeliveryResult> {
  const contactId = event.contact ? await ensureContact(hs, event.contact, settings.createContacts) : null;
  const { AssociationTypes } = await sdk();
  const t = event.task;
  const due = t.dueAt ?? (t.dueLocal && !Number.isNaN(Date.parse(t.dueLocal)) ? t.dueLocal : null) ?? event.occurredAt;
  const timestamp = toMillis(due, 'task.dueAt');
  const subject = t.title.slice(0, 300);
  const marker = eventMarker(event.id);

  const previous = await hs.crm.objects.tasks.searchApi.doSearch(
    searchRequest(
      [
        { propertyName: 'hs_timestamp', operator: 'EQ', value: timestamp },
        contactId ? { propertyName: 'associations.contact', operator: 'EQ', value: contactId } : { propertyName: 'hs_task_subject', operator: 'EQ', value: subject },
      ],
      ['hs_task_body', 'hs_task_subject'],
      100,
    ),
  );
  const already = (previous.results as SearchHit[]).find((hit) => carries(hit, ['hs_task_body'], [marker]));
  if (already) return { ok: true, externalId: already.id };

  const body = [t.notes.trim(), event.messageId ? `Message-ID <${event.messageId.replace(/^<|>$/g, '')}>` : '', `Assigned to ${t.assignee} (${marker})`]
    .filter(Boolean)
    .join('\n');
  const created = await hs.crm.objects.tasks.basicApi.create({
    properties: {
      hs_timestamp: timestamp,
      hs_task_subject: subject,
      hs_task_body: body,
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
    },
    associations: contactId ? [hubspotAssociation(contactId, AssociationTypes.taskToContact)] : [],
  });
  return { ok: true, externalId: created.id };
}

export const hubspotAdapter: ConnectorAdapter<HubspotSettings> = {
  kind: 'hubspot',
  validate(settings, secrets) {
    const s = (settings ?? {}) as { basePath?: unknown; createContacts?: unknown };
    if (typeof s !== 'object') throw new Error('settings: must be an object');
    let basePath: string | undefined;
    if (s.basePath !== undefined && s.basePath !== null && s.basePath !== '') {
      if (typeof s.basePath !== 'string') throw new Error('settings.basePath: must be an https URL');
      let parsed: URL;
      try {
        parsed = new URL(s.basePath);
      } catch {
        throw new Error(`settings.basePath: "${s.basePath}" is not a URL`);
      }
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) throw new Error('settings.basePath: must be an https URL');
      basePath = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
    }
    if (s.createContacts !== undefined && typeof s.createContacts !== 'boolean') throw new Error('settings.createContacts: must be true or false');
    if (typeof secrets.accessToken !== 'string' || !secrets.accessToken.trim()) throw new Error('secrets.accessToken: is required');
    return { ...(basePath ? { basePath } : {}), createContacts: s.createContacts === true };
  },
  async deliver(event, settings, secrets) {
    if (!secrets.accessToken) return { ok: false, retryable: false, reason: 'secrets.accessToken: is required' };
    const hs = await client(settings, secrets);
    try {
      return event.type === 'email.logged' ? await deliverEmail(hs, event, settings) : await deliverTask(hs, event, settings);
    } catch (error) {
      if (error instanceof PermanentFailure) return { ok: false, retryable: false, reason: error.message };
      return failure(error);
    }
  },
};
