import type { TenantDb } from '../db/tenant-db.js';
import { badRequest } from '../errors.js';
import { businessCalendar, ClientTimeError, inferTimeZone, slotFor, type BusinessCalendar, type HoursOverride, type SlotAnswer, type ZoneEvidence } from '../../core/clienttime/index.js';
import { recipientOf } from './customers.js';
import type { ContactRow, CustomerRow } from '../db/tables.js';
import { publishedPacks } from './packs.js';

export interface ClientTimeQuery {
  email: string;
  now?: Date;
  /** What the rep says now; beats what is stored. */
  country?: string | undefined;
  timeZone?: string | undefined;
  dateHeader?: string | undefined;
  phone?: string | undefined;
  /** Business hours to use instead of the packs' policy, and the rep's zone for the alternatives. */
  defaults?: { start: string; end: string } | undefined;
  repTimeZone?: string | undefined;
}

export interface ClientTimeAnswer extends SlotAnswer {
  known: { contact: boolean; customer: string | null };
}

/** The business hours the rep's packs set for clients (first pack with a clientHours policy), else the engine's default. */
async function policyHours(tdb: TenantDb, userId: string | null): Promise<{ start: string; end: string } | undefined> {
  if (!userId) return undefined;
  for (const pack of await publishedPacks(tdb, userId)) {
    const hours = pack.document.policies?.clientHours;
    if (hours) return hours;
  }
  return undefined;
}

/**
 * The zone evidence for a recipient: what the rep says now beats the contact's record, which
 * beats the company's.
 */
export function evidenceOf(email: string, contact: ContactRow | undefined, customer: CustomerRow | undefined, said: Partial<ClientTimeQuery> = {}): ZoneEvidence {
  const stored = said.timeZone ?? contact?.time_zone ?? customer?.time_zone ?? null;
  return {
    email,
    storedTimeZone: stored,
    ...(stored ? { storedBy: said.timeZone || contact?.time_zone ? ('contact' as const) : ('customer' as const) } : {}),
    country: said.country ?? contact?.country ?? customer?.country ?? null,
    phone: said.phone ?? contact?.phone ?? null,
    dateHeader: said.dateHeader ?? contact?.last_date_header ?? null,
  };
}

const hoursOverrideOf = (customer: CustomerRow | undefined): HoursOverride | undefined =>
  customer?.business_hours ? (JSON.parse(customer.business_hours) as HoursOverride) : undefined;

/** The business calendar of a recipient from what the tenant knows, or null when their zone is unknown. */
export async function calendarOfRecipient(tdb: TenantDb, email: string): Promise<{ calendar: BusinessCalendar; reasons: string[] } | null> {
  const { contact, customer } = await recipientOf(tdb, email);
  const inference = inferTimeZone(evidenceOf(email, contact, customer));
  if (!inference.timeZone) return null;
  return { calendar: businessCalendar(inference.country, inference.timeZone, hoursOverrideOf(customer)), reasons: inference.reasons };
}

/** Everything the tenant knows about a recipient, turned into their clock and the next good moment to send. */
export async function clientTimeFor(tdb: TenantDb, userId: string | null, query: ClientTimeQuery): Promise<ClientTimeAnswer> {
  const { contact, customer } = await recipientOf(tdb, query.email);
  const rep = userId ? await tdb.selectFrom('users').select('time_zone').where('id', '=', userId).executeTakeFirst() : undefined;
  const evidence = evidenceOf(query.email, contact, customer, query);
  const override = hoursOverrideOf(customer);
  const defaults = query.defaults ?? (await policyHours(tdb, userId));
  const repTimeZone = query.repTimeZone ?? rep?.time_zone ?? undefined;
  try {
    const answer = slotFor({
      ...evidence,
      now: query.now ?? new Date(),
      ...(override ? { override } : {}),
      ...(defaults ? { defaults } : {}),
      ...(repTimeZone ? { repTimeZone } : {}),
    });
    return { ...answer, known: { contact: Boolean(contact), customer: customer?.name ?? null } };
  } catch (error) {
    if (error instanceof ClientTimeError) throw badRequest(error.message, [{ path: 'query', message: error.message }]);
    throw error;
  }
}
