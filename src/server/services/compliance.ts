import { sql } from 'kysely';
import { newId, type TenantDb } from '../db/tenant-db.js';
import type { SignatureStateRow } from '../db/tables.js';
import { badRequest, notFound } from '../errors.js';
import { normaliseEmail } from './people.js';
import { SIGNATURE_CHANNELS, SIGNATURE_STATES, type GmailSignatureState, type OutlookSignatureState, type SignatureChannel, type SignatureState, type SignatureStateView, type UserCompliance, type Verdict, type ComplianceOverview } from '../../contract/signatures.js';

export type { SignatureStateView, UserCompliance };

/**
 * Signature compliance: the last signature state seen per rep, channel and sending address.
 * Outlook reports what its on-send check saw; the Gmail push records what it found and did.
 * Only the current state is kept (one row per user, channel and address), written in one upsert
 * statement so an add-in may report on every send without read-then-write races.
 */

export { SIGNATURE_CHANNELS, SIGNATURE_STATES, type SignatureChannel, type OutlookSignatureState, type GmailSignatureState, type SignatureState };

const COMPLIANT: ReadonlySet<string> = new Set<SignatureState>(['ok', 'pushed', 'unchanged']);

/** Outlook states older than this say little about today's mail. */
export const STALE_AFTER_DAYS = 30;

export interface SignatureStateInput {
  userId: string;
  channel: SignatureChannel;
  /** The sending address (the rep's own, an alias, or a send-as address). */
  address: string;
  state: SignatureState;
  /** Why: the on-send check's finding, or the Gmail API's error. */
  detail?: string | null | undefined;
  pack?: string | null | undefined;
  signatureId?: string | null | undefined;
  /** The signature hash seen (Outlook) or pushed (Gmail). */
  hash?: string | null | undefined;
  /** What reported it: the Outlook host and platform, or "gmail-push". */
  client?: string | null | undefined;
  at?: Date | undefined;
}

const MAX_DETAIL = 500;
const HASH = /^[0-9a-f]{1,64}$/i;

function clip(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  // Reports come from clients; keep them printable and short whatever they send.
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean ? clean.slice(0, max) : null;
}

export function isSignatureState(channel: SignatureChannel, state: string): state is SignatureState {
  return (SIGNATURE_STATES[channel] as readonly string[]).includes(state);
}

/** Stores the current signature state of one rep's sending address on one channel. */
export async function recordSignatureState(tdb: TenantDb, input: SignatureStateInput): Promise<void> {
  if (!(SIGNATURE_CHANNELS as readonly string[]).includes(input.channel)) {
    throw badRequest(`channel must be one of ${SIGNATURE_CHANNELS.join(', ')}`, [{ path: 'channel', message: `unknown channel "${input.channel}"` }]);
  }
  if (!isSignatureState(input.channel, input.state)) {
    const allowed = SIGNATURE_STATES[input.channel].join(', ');
    throw badRequest(`state of a ${input.channel} signature must be one of ${allowed}`, [{ path: 'state', message: `"${input.state}" is not one of ${allowed}` }]);
  }
  if (input.hash && !HASH.test(input.hash)) throw badRequest('hash must be hexadecimal', [{ path: 'hash', message: 'not a hexadecimal hash' }]);
  const address = normaliseEmail(input.address, 'address');
  const user = await tdb.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw notFound('user');
  const at = (input.at ?? new Date()).toISOString();
  const values = {
    state: input.state,
    detail: clip(input.detail, MAX_DETAIL),
    pack: clip(input.pack, 63),
    signature_id: clip(input.signatureId, 63),
    hash: input.hash ? input.hash.toLowerCase() : null,
    client: clip(input.client, 100),
    seen_at: at,
  };
  await tdb.upsert(
    'signature_states',
    { id: newId(), user_id: input.userId, channel: input.channel, address, ...values, state_since: at },
    ['user_id', 'channel', 'address'],
    {
      ...values,
      // A repeated report keeps the moment the state began: "missing since Monday".
      state_since: sql`case when signature_states.state = ${input.state} then signature_states.state_since else ${at} end`,
    },
  );
}

function toView(row: SignatureStateRow & { email: string; name: string }, now: Date): SignatureStateView {
  const ageDays = (now.getTime() - Date.parse(row.seen_at)) / 86_400_000;
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    channel: row.channel,
    address: row.address,
    state: row.state as SignatureState,
    compliant: COMPLIANT.has(row.state),
    stale: row.channel === 'outlook' && ageDays > STALE_AFTER_DAYS,
    detail: row.detail,
    pack: row.pack,
    signatureId: row.signature_id,
    hash: row.hash,
    client: row.client,
    seenAt: row.seen_at,
    stateSince: row.state_since,
  };
}

export interface SignatureStateFilter {
  channel?: SignatureChannel | undefined;
  state?: string | undefined;
  userId?: string | undefined;
  /** Only states that need attention (missing, altered, drifted, failed). */
  nonCompliant?: boolean | undefined;
}

/** Every stored state, worst first within each user, for the compliance view. */
export async function listSignatureStates(tdb: TenantDb, filter: SignatureStateFilter = {}, now = new Date()): Promise<SignatureStateView[]> {
  let q = tdb
    .selectFrom('signature_states')
    .innerJoin('users', (j) => j.onRef('users.id', '=', 'signature_states.user_id').onRef('users.tenant_id', '=', 'signature_states.tenant_id'))
    .selectAll('signature_states')
    .select(['users.email', 'users.name']);
  if (filter.channel) q = q.where('signature_states.channel', '=', filter.channel);
  if (filter.state) q = q.where('signature_states.state', '=', filter.state);
  if (filter.userId) q = q.where('signature_states.user_id', '=', filter.userId);
  if (filter.nonCompliant) q = q.where('signature_states.state', 'not in', [...COMPLIANT]);
  const rows = await q.orderBy('users.email').orderBy('signature_states.channel').orderBy('signature_states.address').execute();
  return rows.map((r) => toView(r, now));
}

export type ComplianceVerdict = Verdict;

/**
 * One line per enabled user: every state seen for them and a verdict — "attention" when any
 * address is missing, altered, drifted or failed; "unknown" when nothing was ever reported (or
 * only stale Outlook reports); otherwise "compliant".
 */
export async function complianceOverview(tdb: TenantDb, now = new Date()): Promise<ComplianceOverview> {
  const users = await tdb.selectFrom('users').select(['id', 'email', 'name']).where('disabled_at', 'is', null).orderBy('email').execute();
  const memberships = await tdb
    .selectFrom('group_members')
    .innerJoin('groups', (j) => j.onRef('groups.id', '=', 'group_members.group_id').onRef('groups.tenant_id', '=', 'group_members.tenant_id'))
    .select(['group_members.user_id', 'groups.slug'])
    .orderBy('groups.slug')
    .execute();
  const groupsOf = new Map<string, string[]>();
  for (const m of memberships) groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) ?? []), m.slug]);
  const statesOf = new Map<string, SignatureStateView[]>();
  for (const s of await listSignatureStates(tdb, {}, now)) statesOf.set(s.userId, [...(statesOf.get(s.userId) ?? []), s]);
  const counts: Record<ComplianceVerdict, number> = { compliant: 0, attention: 0, unknown: 0 };
  const lines = users.map((u): UserCompliance => {
    const states = statesOf.get(u.id) ?? [];
    const verdict: ComplianceVerdict = states.some((s) => !s.compliant) ? 'attention' : states.some((s) => !s.stale) ? 'compliant' : 'unknown';
    counts[verdict] += 1;
    return { userId: u.id, email: u.email, name: u.name, groups: groupsOf.get(u.id) ?? [], verdict, states };
  });
  return { users: lines, counts, at: now.toISOString() };
}
