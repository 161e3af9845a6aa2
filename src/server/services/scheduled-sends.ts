import type { Actor } from '../auth/principal.js';
import type { Selectable } from 'kysely';
import type { ScheduledSendRow as ScheduledSendTable } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import type { SendEvent, SendEventItem } from '../connectors/types.js';
import { audit } from './audit.js';
import { enqueue } from './connectors.js';
import { MAX_RECIPIENTS, SEND_STATUSES, SUBJECT_MAX, type ScheduledSendView, type ScheduleResult, type SendStatus } from '../../contract/scheduled-sends.js';

/**
 * The durable queue of scheduled sends. Gmail has no scheduled send: the rep picks a moment in
 * the add-on, the store keeps `{user, draft, sendAt}` here, and the send worker
 * (jobs/send-worker.ts) sends the draft at that moment, exactly once (docs/scheduled-send.md).
 *
 * States:
 *   pending    waiting for its time (or for a retry after a passing failure: `reason` says which)
 *   sending    the worker has recorded the draft's Message-ID and asked Gmail to send it; a
 *              crash here is resolved by looking for that Message-ID among sent mail
 *   sent       Gmail sent it (`providerMessageId`, `sentAt`)
 *   failed     it cannot be sent: access revoked, invalid recipient, gave up after retries
 *   gone       the draft was no longer there: sent or deleted by hand — never sent again
 *   cancelled  the rep or an admin cancelled it; never sent
 *
 * Every change to a live item is a conditional update (on its status and, for the worker, its
 * lease), so a cancel and a send cannot both win. Each state change writes its `send.*` event to
 * the outbox in the same transaction.
 */

export { MAX_RECIPIENTS, SEND_STATUSES, SUBJECT_MAX, type ScheduledSendView, type ScheduleResult, type SendStatus };

/** How far ahead a send may be scheduled. */
export const MAX_SCHEDULE_DAYS = 366;
/** A sendAt this little in the past is "now" (clocks of the rep's machine and the store differ). */
export const PAST_TOLERANCE_MS = 60_000;

export interface ScheduleSendInput {
  provider: 'gmail';
  /** Gmail draft id (users.drafts), e.g. "r-1234567890123456789". */
  draftId: string;
  threadId?: string | undefined;
  /** The draft's recipients as the rep sees them (shown in lists; the draft itself is what is sent). */
  recipients: string[];
  subject: string;
  /** ISO-8601 instant with its offset. */
  sendAt: string;
}

/** A stored item as read back (defaults filled in). */
export type ScheduledSendRow = Selectable<ScheduledSendTable>;

const DRAFT_ID = /^[A-Za-z0-9_-]{1,256}$/;
const THREAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
const EMAIL = /^[^\s@<>,"]{1,64}@[^\s@<>,"]{1,253}$/;
// Control characters (other than tab) have no place in a subject line shown in lists.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

function parseInstant(value: string, field: string): Date {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`${field}: "${value.slice(0, 40)}" is not an ISO-8601 instant with an offset (e.g. 2026-03-02T09:00:00+04:00)`, [{ path: field, message: 'not an instant' }]);
  return new Date(ms);
}

/** A sendAt the queue accepts: not in the past (beyond clock tolerance), at most a year ahead. */
export function checkSendAt(value: string, now: Date = new Date(), field = 'sendAt'): Date {
  const at = parseInstant(value, field);
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw badRequest(`${field}: ${at.toISOString()} is in the past; pick a moment from now on`, [{ path: field, message: 'in the past' }]);
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) throw badRequest(`${field}: more than ${MAX_SCHEDULE_DAYS} days ahead`, [{ path: field, message: 'too far ahead' }]);
  return at.getTime() < now.getTime() ? now : at;
}

function checkInput(input: ScheduleSendInput): { recipients: string[]; subject: string } {
  if (input.provider !== 'gmail') throw badRequest(`provider: "${String(input.provider)}" cannot be scheduled by the store; Outlook schedules with its own delayed delivery`, [{ path: 'provider', message: 'not supported' }]);
  if (!DRAFT_ID.test(input.draftId)) throw badRequest('draftId: not a Gmail draft id', [{ path: 'draftId', message: 'not a draft id' }]);
  if (input.threadId !== undefined && !THREAD_ID.test(input.threadId)) throw badRequest('threadId: not a Gmail thread id', [{ path: 'threadId', message: 'not a thread id' }]);
  if (!Array.isArray(input.recipients) || input.recipients.length === 0) throw badRequest('recipients: the draft has no recipient; add one before scheduling', [{ path: 'recipients', message: 'empty' }]);
  if (input.recipients.length > MAX_RECIPIENTS) throw badRequest(`recipients: at most ${MAX_RECIPIENTS}`, [{ path: 'recipients', message: 'too many' }]);
  const recipients: string[] = [];
  input.recipients.forEach((raw, index) => {
    const address = raw.trim().toLowerCase();
    if (!EMAIL.test(address)) throw badRequest(`recipients/${index}: "${raw.slice(0, 80)}" is not an e-mail address`, [{ path: `recipients/${index}`, message: 'not an e-mail address' }]);
    if (!recipients.includes(address)) recipients.push(address);
  });
  const subject = input.subject.replace(CONTROL, ' ').trim();
  if (subject.length > SUBJECT_MAX) throw badRequest(`subject: at most ${SUBJECT_MAX} characters`, [{ path: 'subject', message: 'too long' }]);
  return { recipients, subject };
}

export function sendView(row: ScheduledSendRow, userEmail: string): ScheduledSendView {
  return {
    id: row.id,
    provider: row.provider,
    draftId: row.draft_id,
    threadId: row.thread_id,
    recipients: JSON.parse(row.recipients) as string[],
    subject: row.subject,
    sendAt: row.send_at,
    status: row.status,
    reason: row.reason ?? (row.status === 'pending' ? row.last_error : null),
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? row.next_attempt_at : null,
    sentAt: row.sent_at,
    messageId: row.status === 'sent' ? row.rfc822_message_id : null,
    providerMessageId: row.provider_message_id,
    user: userEmail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The item as events describe it. */
export function eventItem(row: ScheduledSendRow, userEmail: string): SendEventItem {
  return { id: row.id, provider: row.provider, draftId: row.draft_id, threadId: row.thread_id, user: userEmail, recipients: JSON.parse(row.recipients) as string[], subject: row.subject, sendAt: row.send_at };
}

async function emailOf(tdb: TenantDb, userId: string): Promise<string> {
  const user = await tdb.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return user?.email ?? '(removed user)';
}

async function emailsOf(tdb: TenantDb, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = await tdb.selectFrom('users').select(['id', 'email']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

async function load(tdb: TenantDb, sendId: string): Promise<ScheduledSendRow | undefined> {
  return tdb.selectFrom('scheduled_sends').selectAll().where('id', '=', sendId).executeTakeFirst();
}

/** Writes the event for a state change into the outbox (call inside the change's transaction). */
export async function emitSendEvent(tdb: TenantDb, event: SendEvent): Promise<void> {
  await enqueue(tdb, event);
}

/**
 * Queues a draft of the signed-in rep to be sent at `sendAt`. A draft has at most one live item:
 * scheduling it again moves the existing one (a double click never queues two sends).
 */
export async function scheduleSend(tdb: TenantDb, actor: Actor & { userId: string }, input: ScheduleSendInput, now: Date = new Date()): Promise<ScheduleResult> {
  const { recipients, subject } = checkInput(input);
  const sendAt = checkSendAt(input.sendAt, now).toISOString();
  const live = await tdb.selectFrom('scheduled_sends').select(['id']).where('user_id', '=', actor.userId).where('draft_id', '=', input.draftId).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
  if (live) {
    const send = await rescheduleSend(tdb, actor, live.id, input.sendAt, { now, own: true, recipients, subject, threadId: input.threadId });
    return { outcome: 'rescheduled', send };
  }
  const id = newId();
  try {
    return await tdb.transaction(async (t) => {
      const stamp = nowIso();
      await t.insert('scheduled_sends', {
        id,
        user_id: actor.userId,
        provider: 'gmail',
        draft_id: input.draftId,
        thread_id: input.threadId ?? null,
        recipient: recipients[0]!,
        recipients: JSON.stringify(recipients),
        subject,
        send_at: sendAt,
        status: 'pending',
        attempts: 0,
        next_attempt_at: sendAt,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        reason: null,
        sent_at: null,
        rfc822_message_id: null,
        provider_message_id: null,
        revision: 0,
        created_at: stamp,
        updated_at: stamp,
      });
      const row = (await load(t, id))!;
      const email = await emailOf(t, actor.userId);
      await emitSendEvent(t, { type: 'send.scheduled', id: `send.scheduled:${id}:0`, occurredAt: stamp, send: eventItem(row, email) });
      return { outcome: 'created' as const, send: sendView(row, email) };
    });
  } catch (error) {
    // Two requests for the same draft at once: the unique index let one in; the other moves it.
    if (!(error instanceof AppError) && /unique|duplicate/i.test((error as Error).message)) {
      const winner = await tdb.selectFrom('scheduled_sends').select(['id']).where('user_id', '=', actor.userId).where('draft_id', '=', input.draftId).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
      if (winner) return { outcome: 'rescheduled', send: await rescheduleSend(tdb, actor, winner.id, input.sendAt, { now, own: true }) };
    }
    throw error;
  }
}

export interface ListSendsFilter {
  status?: SendStatus | undefined;
  /** Admin lists: only this rep's (by e-mail). */
  user?: string | undefined;
  /** sendAt ≥ from, sendAt < to (ISO instants). */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
}

/** The rep's own scheduled sends, soonest first for live ones, then the rest newest first. */
export async function listMySends(tdb: TenantDb, userId: string, filter: ListSendsFilter = {}): Promise<ScheduledSendView[]> {
  return listSends(tdb, { ...filter, userId });
}

/** The tenant's scheduled sends (admin console), filtered by status, rep and sendAt range. */
export async function listTenantSends(tdb: TenantDb, filter: ListSendsFilter = {}): Promise<ScheduledSendView[]> {
  let userId: string | undefined;
  if (filter.user) {
    const user = await tdb.selectFrom('users').select('id').where('email', '=', filter.user.trim().toLowerCase()).executeTakeFirst();
    if (!user) return [];
    userId = user.id;
  }
  return listSends(tdb, { ...filter, userId });
}

async function listSends(tdb: TenantDb, filter: ListSendsFilter & { userId?: string | undefined }): Promise<ScheduledSendView[]> {
  let q = tdb.selectFrom('scheduled_sends').selectAll();
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.from) q = q.where('send_at', '>=', parseInstant(filter.from, 'from').toISOString());
  if (filter.to) q = q.where('send_at', '<', parseInstant(filter.to, 'to').toISOString());
  const rows = await q.orderBy('send_at', 'desc').orderBy('id').limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000)).execute();
  const emails = await emailsOf(tdb, rows.map((r) => r.user_id));
  return rows.map((r) => sendView(r, emails.get(r.user_id) ?? '(removed user)'));
}

/** One item; a rep sees only their own (others' are "not found", not "forbidden"). */
export async function getSend(tdb: TenantDb, sendId: string, onlyUserId?: string): Promise<ScheduledSendView> {
  const row = await load(tdb, sendId);
  if (!row || (onlyUserId && row.user_id !== onlyUserId)) throw notFound('scheduled send');
  return sendView(row, await emailOf(tdb, row.user_id));
}

export interface RescheduleOptions {
  now?: Date | undefined;
  /** Only the rep's own item (rep API); admins may move anyone's. */
  own?: boolean | undefined;
  recipients?: string[] | undefined;
  subject?: string | undefined;
  threadId?: string | undefined;
}

/** Moves a pending item to a new moment. An item being sent right now cannot be moved (409). */
export async function rescheduleSend(tdb: TenantDb, actor: Actor, sendId: string, sendAtRaw: string, options: RescheduleOptions = {}): Promise<ScheduledSendView> {
  return tdb.transaction(async (t) => {
    const row = await load(t, sendId);
    // Unknown (or someone else's) first: a bad time for a send you cannot see is still "not found".
    if (!row || (options.own && row.user_id !== actor.userId)) throw notFound('scheduled send');
    const sendAt = checkSendAt(sendAtRaw, options.now ?? new Date()).toISOString();
    if (row.status !== 'pending') throw conflict(row.status === 'sending' ? 'it is being sent right now and can no longer be moved' : `it is ${row.status}; only a pending send can be moved`);
    const stamp = nowIso();
    const revision = row.revision + 1;
    // Clearing the lease and moving next_attempt_at makes a worker holding a stale claim skip it.
    const changed = await t
      .updateTable('scheduled_sends', {
        send_at: sendAt,
        next_attempt_at: sendAt,
        lease_owner: null,
        lease_until: null,
        revision,
        updated_at: stamp,
        ...(options.recipients ? { recipients: JSON.stringify(options.recipients), recipient: options.recipients[0]! } : {}),
        ...(options.subject !== undefined ? { subject: options.subject } : {}),
        ...(options.threadId !== undefined ? { thread_id: options.threadId } : {}),
      })
      .where('id', '=', sendId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw conflict('it is being sent right now and can no longer be moved');
    const updated = (await load(t, sendId))!;
    const email = await emailOf(t, row.user_id);
    await emitSendEvent(t, { type: 'send.scheduled', id: `send.scheduled:${sendId}:${revision}`, occurredAt: stamp, send: eventItem(updated, email) });
    if (!options.own) await audit(t, actor, 'send.rescheduled', { type: 'scheduled_send', id: sendId }, { user: email, from: row.send_at, to: sendAt });
    return sendView(updated, email);
  });
}

/** Cancels a pending item: it will never be sent. Sent/failed/gone items answer 409. */
export async function cancelSend(tdb: TenantDb, actor: Actor, sendId: string, options: { own?: boolean } = {}): Promise<ScheduledSendView> {
  return tdb.transaction(async (t) => {
    const row = await load(t, sendId);
    if (!row || (options.own && row.user_id !== actor.userId)) throw notFound('scheduled send');
    if (row.status === 'cancelled') return sendView(row, await emailOf(t, row.user_id));
    if (row.status !== 'pending') throw conflict(row.status === 'sending' ? 'it is being sent right now and can no longer be cancelled' : `it is already ${row.status}`);
    const stamp = nowIso();
    const reason = options.own ? 'cancelled by you' : `cancelled by ${actor.label}`;
    const changed = await t
      .updateTable('scheduled_sends', { status: 'cancelled', reason, lease_owner: null, lease_until: null, updated_at: stamp })
      .where('id', '=', sendId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw conflict('it is being sent right now and can no longer be cancelled');
    if (!options.own) await audit(t, actor, 'send.cancelled', { type: 'scheduled_send', id: sendId }, { user: await emailOf(t, row.user_id) });
    return sendView((await load(t, sendId))!, await emailOf(t, row.user_id));
  });
}

/**
 * Queues a failed item again (an admin fixed the access, the rep fixed the recipient), due now or
 * at `sendAt`. Items that are gone stay gone: the draft may have been sent by hand.
 */
export async function retrySend(tdb: TenantDb, actor: Actor, sendId: string, sendAtRaw?: string, now: Date = new Date()): Promise<ScheduledSendView> {
  const sendAt = sendAtRaw ? checkSendAt(sendAtRaw, now).toISOString() : now.toISOString();
  try {
    return await tdb.transaction(async (t) => {
      const row = await load(t, sendId);
      if (!row) throw notFound('scheduled send');
      if (row.status !== 'failed') throw conflict(row.status === 'gone' ? 'the draft is gone (sent or deleted by hand); it is not sent again' : `only a failed send can be retried; it is ${row.status}`);
      const stamp = nowIso();
      const revision = row.revision + 1;
      await t
        .updateTable('scheduled_sends', { status: 'pending', send_at: sendAt, next_attempt_at: sendAt, attempts: 0, reason: null, last_error: null, lease_owner: null, lease_until: null, rfc822_message_id: null, revision, updated_at: stamp })
        .where('id', '=', sendId)
        .where('status', '=', 'failed')
        .execute();
      const updated = (await load(t, sendId))!;
      const email = await emailOf(t, row.user_id);
      await emitSendEvent(t, { type: 'send.scheduled', id: `send.scheduled:${sendId}:${revision}`, occurredAt: stamp, send: eventItem(updated, email) });
      await audit(t, actor, 'send.retried', { type: 'scheduled_send', id: sendId }, { user: email, previousReason: row.reason, sendAt });
      return sendView(updated, email);
    });
  } catch (error) {
    if (!(error instanceof AppError) && /unique|duplicate/i.test((error as Error).message)) throw conflict('the same draft is already scheduled again; cancel that one first');
    throw error;
  }
}

/** Counts per status for the admin console's summary. */
export async function sendCounts(tdb: TenantDb): Promise<Record<SendStatus, number>> {
  const rows = await tdb.selectFrom('scheduled_sends').select(['status']).select((eb) => eb.fn.countAll<string | number>().as('n')).groupBy('status').execute();
  const counts = Object.fromEntries(SEND_STATUSES.map((s) => [s, 0])) as Record<SendStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
