import type { Actor } from '../auth/principal.js';
import type { ContactRow, CustomerRow } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { badRequest, conflict, notFound, type ErrorDetail } from '../errors.js';
import { businessCalendar, ClientTimeError, type HoursOverride } from '../../core/clienttime/index.js';
import { normalizeCountry, readEmailDomain } from '../../core/clienttime/countries.js';
import { parseDateHeader } from '../../core/clienttime/date-header.js';
import { formatOffset, normalizeTimeZone } from '../../core/clienttime/zones.js';
import { normaliseEmail } from './people.js';
import { companyNameOfDomain, splitDisplayName } from '../../core/crm/mailbox.js';
import type { ContactView, CustomerView } from '../../contract/crm.js';

export type { ContactView, CustomerView };

/**
 * The built-in customer book: companies matched by their e-mail domains, and contacts. A
 * free-mail domain (gmail.com, qq.com …) never becomes a company: its users stand alone.
 */

export interface CustomerInput {
  name: string;
  domains?: string[];
  country?: string | null;
  timeZone?: string | null;
  languages?: string[];
  hours?: HoursOverride | null;
}

export interface ContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  language?: string | null;
  country?: string | null;
  timeZone?: string | null;
  phone?: string | null;
}

/** Turns the engine's ClientTimeError into a 400 naming the field. */
function checked<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ClientTimeError) throw badRequest(`${path}: ${error.message}`, [{ path, message: error.message }]);
    throw error;
  }
}

/** A BCP 47 language tag in its canonical form ('pt-br' → 'pt-BR'); empty means "not known". */
function validLanguage(raw: string): string | null {
  if (!raw.trim()) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(raw.trim());
    if (tag) return tag;
  } catch {
    // fall through to the error below
  }
  throw badRequest(`language: "${raw.slice(0, 40)}" is not a language tag (e.g. "de", "pt-BR", "zh-CN")`, [{ path: 'language', message: 'not a BCP 47 language tag' }]);
}

/**
 * A person's name as typed: control characters (NUL, bidi overrides) removed, spaces collapsed;
 * empty means "not known". Markup-like text is kept as typed and escaped wherever it is shown
 * (refusing it would also stop a mailbox sync that learns names from display names).
 */
function validName(raw: string, _path: string): string | null {
  const name = raw.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  return name || null;
}

function validDomain(raw: string, path: string): string {
  const verdict = readEmailDomain(`x@${raw.trim().toLowerCase()}`);
  if (verdict.kind === 'unreadable') throw badRequest(`${path}: "${raw}" is not a domain name`, [{ path, message: 'not a domain name' }]);
  if (verdict.kind === 'free-mail') {
    throw badRequest(`${path}: ${verdict.domain} is a free-mail domain; its users are separate contacts, never one company`, [{ path, message: 'free-mail domain' }]);
  }
  return verdict.domain;
}

function validated(input: Partial<CustomerInput>): { country?: string | null; timeZone?: string | null; hours?: HoursOverride | null; domains?: string[] } {
  const out: ReturnType<typeof validated> = {};
  // null, or "" (a JSON null after the HTTP layer's type coercion), clears
  if (input.country !== undefined) out.country = !input.country ? null : checked('country', () => normalizeCountry(input.country!));
  if (input.timeZone !== undefined) out.timeZone = !input.timeZone ? null : checked('timeZone', () => normalizeTimeZone(input.timeZone!));
  if (input.hours !== undefined) {
    if (input.hours !== null) checked('hours', () => businessCalendar(null, 'UTC', input.hours!));
    out.hours = input.hours;
  }
  if (input.domains !== undefined) out.domains = [...new Set(input.domains.map((d, i) => validDomain(d, `domains[${i}]`)))];
  return out;
}

function customerView(row: CustomerRow, domains: string[]): CustomerView {
  return {
    id: row.id,
    name: row.name,
    domains,
    country: row.country,
    timeZone: row.time_zone,
    languages: JSON.parse(row.languages) as string[],
    hours: row.business_hours ? (JSON.parse(row.business_hours) as HoursOverride) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function contactView(row: ContactRow): ContactView {
  return {
    id: row.id,
    email: row.email,
    customerId: row.customer_id,
    firstName: row.first_name,
    lastName: row.last_name,
    language: row.language,
    country: row.country,
    timeZone: row.time_zone,
    phone: row.phone,
    lastUtcOffset: row.last_utc_offset,
    lastSeenAt: row.last_seen_at,
  };
}

async function domainsOf(tdb: TenantDb, customerIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return map;
  const rows = await tdb.selectFrom('customer_domains').select(['customer_id', 'domain']).where('customer_id', 'in', customerIds).orderBy('domain').execute();
  for (const r of rows) map.get(r.customer_id)?.push(r.domain);
  return map;
}

async function claimDomains(tdb: TenantDb, customerId: string, domains: string[]): Promise<void> {
  const taken = domains.length ? await tdb.selectFrom('customer_domains').select(['domain', 'customer_id']).where('domain', 'in', domains).execute() : [];
  const clash = taken.filter((t) => t.customer_id !== customerId);
  if (clash.length) {
    const details: ErrorDetail[] = clash.map((c) => ({ path: `domains[${domains.indexOf(c.domain)}]`, message: `${c.domain} already belongs to another customer` }));
    throw conflict(details.map((d) => d.message).join('; '), details);
  }
  await tdb.deleteFrom('customer_domains').where('customer_id', '=', customerId).execute();
  await tdb.insert('customer_domains', domains.map((domain) => ({ domain, customer_id: customerId })));
}

/** Contacts at these domains that belong to no company yet now belong to this one. */
async function linkContacts(tdb: TenantDb, customerId: string, domains: string[], now: string): Promise<void> {
  for (const domain of domains) {
    await tdb.updateTable('contacts', { customer_id: customerId, updated_at: now }).where('email', 'like', `%@${domain}`).where('customer_id', 'is', null).execute();
  }
}

export async function getCustomer(tdb: TenantDb, customerId: string): Promise<CustomerView> {
  const row = await tdb.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirst();
  if (!row) throw notFound('customer');
  return customerView(row, (await domainsOf(tdb, [row.id])).get(row.id) ?? []);
}

export async function listCustomers(tdb: TenantDb, options: { limit?: number } = {}): Promise<CustomerView[]> {
  const rows = await tdb.selectFrom('customers').selectAll().orderBy('name').limit(options.limit ?? 500).execute();
  const domains = await domainsOf(tdb, rows.map((r) => r.id));
  return rows.map((r) => customerView(r, domains.get(r.id) ?? []));
}

export async function createCustomer(tdb: TenantDb, _actor: Actor, input: CustomerInput): Promise<CustomerView> {
  if (!input.name?.trim()) throw badRequest('name is required', [{ path: 'name', message: 'is required' }]);
  const v = validated(input);
  return tdb.transaction(async (t) => {
    const id = newId();
    const now = nowIso();
    await t.insert('customers', {
      id,
      name: input.name.trim(),
      country: v.country ?? null,
      time_zone: v.timeZone ?? null,
      languages: JSON.stringify(input.languages ?? []),
      business_hours: v.hours ? JSON.stringify(v.hours) : null,
      closed_days: JSON.stringify(v.hours?.closedDates ?? []),
      created_at: now,
      updated_at: now,
    });
    await claimDomains(t, id, v.domains ?? []);
    await linkContacts(t, id, v.domains ?? [], now);
    return getCustomer(t, id);
  });
}

export async function updateCustomer(tdb: TenantDb, _actor: Actor, customerId: string, input: Partial<CustomerInput>): Promise<CustomerView> {
  if (input.name !== undefined && !input.name.trim()) throw badRequest('name must not be empty', [{ path: 'name', message: 'must not be empty' }]);
  const v = validated(input);
  return tdb.transaction(async (t) => {
    await getCustomer(t, customerId);
    const set: Partial<CustomerRow> = { updated_at: nowIso() };
    if (input.name !== undefined) set.name = input.name.trim();
    if (v.country !== undefined) set.country = v.country;
    if (v.timeZone !== undefined) set.time_zone = v.timeZone;
    if (input.languages !== undefined) set.languages = JSON.stringify(input.languages);
    if (v.hours !== undefined) {
      set.business_hours = v.hours ? JSON.stringify(v.hours) : null;
      set.closed_days = JSON.stringify(v.hours?.closedDates ?? []);
    }
    await t.updateTable('customers', set).where('id', '=', customerId).execute();
    if (v.domains !== undefined) {
      await claimDomains(t, customerId, v.domains);
      await linkContacts(t, customerId, v.domains, set.updated_at!);
    }
    return getCustomer(t, customerId);
  });
}

/** The company an address belongs to, by its domain; free-mail addresses belong to none. */
export async function customerOfEmail(tdb: TenantDb, email: string): Promise<CustomerRow | undefined> {
  const verdict = readEmailDomain(email);
  if (verdict.kind !== 'country' && verdict.kind !== 'generic') return undefined;
  return tdb
    .selectFrom('customer_domains')
    .innerJoin('customers', 'customers.id', 'customer_domains.customer_id')
    .selectAll('customers')
    .where('customer_domains.domain', '=', verdict.domain)
    .executeTakeFirst();
}

/** What the tenant knows about an address: its contact, and its company (the contact's, else by domain). */
export async function recipientOf(tdb: TenantDb, email: string): Promise<{ contact: ContactRow | undefined; customer: CustomerRow | undefined }> {
  const contact = await findContact(tdb, email);
  const customer = contact?.customer_id
    ? await tdb.selectFrom('customers').selectAll().where('id', '=', contact.customer_id).executeTakeFirst()
    : await customerOfEmail(tdb, email);
  return { contact, customer };
}

export async function findContact(tdb: TenantDb, email: string): Promise<ContactRow | undefined> {
  return tdb.selectFrom('contacts').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** Creates or updates the contact with this address; only the fields given change. */
export async function upsertContact(tdb: TenantDb, _actor: Actor, input: ContactInput): Promise<ContactView> {
  const email = normaliseEmail(input.email);
  const language = input.language === undefined || input.language === null ? input.language : validLanguage(input.language);
  const name = (value: string | null | undefined, path: string) => (value === undefined || value === null ? value : validName(value, path));
  input = { ...input, language, firstName: name(input.firstName, 'firstName'), lastName: name(input.lastName, 'lastName') };
  // null, or "" (the HTTP layer's type coercion turns a JSON null into "" for string-or-null fields), clears
  const country = input.country === undefined ? undefined : !input.country ? null : checked('country', () => normalizeCountry(input.country!));
  const timeZone = input.timeZone === undefined ? undefined : !input.timeZone ? null : checked('timeZone', () => normalizeTimeZone(input.timeZone!));
  return tdb.transaction(async (t) => {
    const now = nowIso();
    const existing = await findContact(t, email);
    const fields = {
      ...(input.firstName !== undefined ? { first_name: input.firstName } : {}),
      ...(input.lastName !== undefined ? { last_name: input.lastName } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.phone !== undefined ? { phone: input.phone || null } : {}),
      ...(country !== undefined ? { country } : {}),
      ...(timeZone !== undefined ? { time_zone: timeZone } : {}),
    };
    if (existing) {
      await t.updateTable('contacts', { ...fields, updated_at: now }).where('id', '=', existing.id).execute();
    } else {
      const customer = await customerOfEmail(t, email);
      await t.insert('contacts', {
        id: newId(),
        customer_id: customer?.id ?? null,
        email,
        first_name: null,
        last_name: null,
        language: null,
        country: null,
        time_zone: null,
        phone: null,
        last_utc_offset: null,
        last_date_header: null,
        last_seen_at: null,
        created_at: now,
        updated_at: now,
        ...fields,
      });
    }
    return contactView((await findContact(t, email))!);
  });
}

/**
 * Learns from an inbound mail: its Date: header's UTC offset is the sender's clock on that day.
 * Only a newer mail replaces what is known. Logging a mail (CRM) calls this for inbound mail.
 */
export async function learnFromInboundMail(tdb: TenantDb, actor: Actor, mail: { from: string; dateHeader: string }): Promise<ContactView> {
  checked('dateHeader', () => parseDateHeader(mail.dateHeader)); // an unreadable header teaches nothing and files no contact
  const contact = (await findContact(tdb, mail.from)) ?? (await upsertContact(tdb, actor, { email: mail.from }));
  await learnClockOf(tdb, (await findContact(tdb, contact.email))!, mail.dateHeader);
  return contactView((await findContact(tdb, contact.email))!);
}

/**
 * learnFromInboundMail's rule for a contact row in hand (the mail sync keeps its page's rows):
 * only a newer mail's Date: header replaces what is known, in one UPDATE. Returns the row as it
 * now is.
 */
export async function learnClockOf(tdb: TenantDb, row: ContactRow, dateHeader: string): Promise<ContactRow> {
  const header = checked('dateHeader', () => parseDateHeader(dateHeader));
  const sentAt = new Date(header.instantMs).toISOString();
  if (row.last_seen_at && row.last_seen_at >= sentAt) return row;
  const learned = { last_utc_offset: header.offsetMinutes === null ? null : formatOffset(header.offsetMinutes), last_date_header: dateHeader, last_seen_at: sentAt, updated_at: nowIso() };
  await tdb.updateTable('contacts', learned).where('id', '=', row.id).execute();
  return { ...row, ...learned };
}


/**
 * A display name from `Name <address>` fills a contact's empty name; a name the rep typed (or one
 * learned before) is never overwritten.
 */
export async function learnDisplayName(tdb: TenantDb, contact: ContactView, displayName: string): Promise<ContactView> {
  if (contact.firstName || contact.lastName) return contact;
  const { firstName, lastName } = splitDisplayName(displayName);
  await tdb.updateTable('contacts', { first_name: firstName, last_name: lastName, updated_at: nowIso() }).where('id', '=', contact.id).execute();
  return contactView((await findContact(tdb, contact.email))!);
}

/**
 * The company of a business address, created on first sight: named after the domain
 * ("alfanar-trading.sa" → "Alfanar Trading"), owning the domain, with the address's contact
 * (and any other contact at that domain) in it. Free-mail and unreadable domains, and the rep's
 * own domain (a colleague is not a customer), make none.
 */
export async function companyOfDomain(tdb: TenantDb, email: string, ownEmail: string | null): Promise<CustomerRow | undefined> {
  const verdict = readEmailDomain(email);
  if (verdict.kind !== 'country' && verdict.kind !== 'generic') return undefined;
  if (ownEmail?.toLowerCase().endsWith(`@${verdict.domain}`)) return undefined;
  const existing = await customerOfEmail(tdb, email);
  if (existing) return existing;
  const now = nowIso();
  const id = newId();
  await tdb.insert('customers', {
    id,
    name: companyNameOfDomain(verdict.domain, verdict.suffix),
    country: null,
    time_zone: null,
    languages: JSON.stringify([]),
    business_hours: null,
    closed_days: JSON.stringify([]),
    created_at: now,
    updated_at: now,
  });
  // a colleague logging another mail from the same domain at the same moment: one company wins
  if (!(await tdb.insertIfAbsent('customer_domains', { domain: verdict.domain, customer_id: id }, ['domain']))) {
    await tdb.deleteFrom('customers').where('id', '=', id).execute();
    return customerOfEmail(tdb, email);
  }
  await linkContacts(tdb, id, [verdict.domain], now);
  return tdb.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}
