import type { Kysely } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { Database, FollowUpRow } from '../db/tables.js';
import { newId, TenantDb } from '../db/tenant-db.js';
import { badRequest, notFound } from '../errors.js';
import type { PageMemo, StoredMessage } from '../mail/hooks.js';
import { permissionsOfRole } from '../../core/access/permissions.js';
import { ClientTimeError } from '../../core/clienttime/index.js';
import { subjectKey } from '../../core/conversation/index.js';
import { messageIdKey } from '../../core/crm/index.js';
import { businessMinutesBetween, companyKey as companyOf, DEFAULT_FOLLOW_UP_HOUR, dueAfterReturn, looksLikeInquiry, median, replyTimesMs, followUpDefault, FollowUpError, followUpDue, isTemplateKind, judgeReply, returnDateOf, type FollowUpClock, type FollowUpDefault, type FollowUpRule } from '../../core/followup/index.js';
import type { CreateFollowUp, FollowUpView, SnoozeFollowUp, TeamFollowUps, UnansweredInquiry } from '../../contract/followups.js';
import { businessCalendar } from '../../core/clienttime/index.js';
import { calendarOfRecipient } from './client-time.js';
import { completeTask, createTask } from './crm.js';
import { publishedPacks } from './packs.js';
import { normaliseEmail } from './people.js';

/**
 * Follow-ups: "remind me if no reply" (docs/followups.md). The rules are core/followup's; this
 * file stores reminders, starts their clock when the mail leaves, closes or moves them as the
 * sync stores mail (a hook in the page's transaction), and fires due ones into tasks, once.
 */

const DAY_MS = 86_400_000;
/** A new thread from the same contact counts as the reply for this long after the send. */
export const NEW_THREAD_WINDOW_DAYS = 30;
/** A compose-time reminder whose mail never leaves is matched for this long, then ignored. */
const AWAIT_SEND_DAYS = 14;
const OPEN: FollowUpRow['status'][] = ['awaiting-send', 'waiting', 'due'];

function view(row: FollowUpRow): FollowUpView {
  const rule = JSON.parse(row.rule) as FollowUpRule;
  return {
    id: row.id,
    status: row.status,
    subject: row.subject,
    recipients: JSON.parse(row.recipients) as string[],
    messageId: row.message_key,
    conversationId: row.conversation_id,
    templateKind: row.template_kind,
    language: row.language,
    rule: rule.kind === 'business-days' ? { kind: rule.kind, days: rule.days, hour: rule.hour } : { kind: rule.kind, date: rule.date, hour: rule.hour },
    sentAt: row.sent_at,
    dueAt: row.due_at,
    dueLocal: row.due_local,
    repTimeZone: row.rep_time_zone,
    buyerDeadline: row.buyer_deadline,
    movedUntil: row.moved_until,
    snoozes: row.snoozes,
    firedAt: row.fired_at,
    taskId: row.task_id,
    repliedAt: row.replied_at,
    createdAt: row.created_at,
  };
}

function asBadRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof FollowUpError) throw badRequest(error.message, [{ path: `rule.${error.path}`, message: error.message }]);
    if (error instanceof ClientTimeError) throw badRequest(error.message, [{ path: 'rule', message: error.message }]);
    throw error;
  }
}

/** The clock a reminder is counted on: the first recipient's calendar and the rep's zone. */
async function clockOf(tdb: TenantDb, userId: string, recipients: string[]): Promise<FollowUpClock> {
  const rep = await tdb.selectFrom('users').select('time_zone').where('id', '=', userId).executeTakeFirst();
  const buyer = recipients[0] ? await calendarOfRecipient(tdb, recipients[0]) : null;
  return { buyer: buyer?.calendar ?? null, repTimeZone: rep?.time_zone ?? null };
}

async function scheduled(tdb: TenantDb, row: Pick<FollowUpRow, 'user_id' | 'recipients' | 'rule'>, sentAt: Date): Promise<Pick<FollowUpRow, 'due_at' | 'due_local' | 'rep_time_zone' | 'buyer_deadline'>> {
  const clock = await clockOf(tdb, row.user_id, JSON.parse(row.recipients) as string[]);
  const due = asBadRequest(() => followUpDue(sentAt, JSON.parse(row.rule) as FollowUpRule, clock));
  return { due_at: due.at, due_local: due.local, rep_time_zone: due.repTimeZone, buyer_deadline: due.buyerDeadline };
}

/** The default for a template kind from the rep's packs (quotation 3, sample notice 5 out of the box). */
export async function followUpDefaultFor(tdb: TenantDb, userId: string, kind: string | undefined): Promise<FollowUpDefault> {
  if (kind !== undefined && !isTemplateKind(kind)) throw badRequest(`kind: "${kind.slice(0, 40)}" is not a template kind`, [{ path: 'kind', message: 'not a template kind' }]);
  return followUpDefault(kind ?? null, await publishedPacks(tdb, userId));
}

/**
 * "Remind me if no reply" at compose. With the sent mail's Message-ID and send time (Outlook's
 * send event) the clock starts at once; otherwise (a Gmail draft) it starts when the sync sees
 * the mail leave. Asking twice for one Message-ID answers the first reminder, updated.
 */
export async function createFollowUp(tdb: TenantDb, actor: Actor, input: CreateFollowUp, now = new Date()): Promise<{ followUp: FollowUpView; created: boolean }> {
  const userId = actor.userId;
  if (!userId) throw badRequest('follow-ups belong to a user');
  const recipients = [...new Set([...input.to, ...(input.cc ?? [])].map((a, i) => normaliseEmail(a, i < input.to.length ? `to[${i}]` : `cc[${i - input.to.length}]`)))];
  const rule: FollowUpRule = input.rule.kind === 'business-days' ? { kind: 'business-days', days: input.rule.days, hour: input.rule.hour ?? DEFAULT_FOLLOW_UP_HOUR } : { kind: 'date', date: input.rule.date, hour: input.rule.hour ?? DEFAULT_FOLLOW_UP_HOUR };
  const messageKey = input.messageId ? messageIdKey(input.messageId) : null;
  if (input.messageId && !messageKey) throw badRequest(`messageId: "${input.messageId.slice(0, 80)}" is not an Internet Message-ID`, [{ path: 'messageId', message: 'not a Message-ID' }]);
  let sentAt: Date | null = null;
  if (input.sentAt !== undefined) {
    if (!messageKey) throw badRequest('sentAt: give it with the messageId of the sent mail', [{ path: 'sentAt', message: 'needs messageId' }]);
    sentAt = new Date(input.sentAt);
    if (Number.isNaN(sentAt.getTime())) throw badRequest('sentAt: not an ISO-8601 instant', [{ path: 'sentAt', message: 'not an instant' }]);
  } else if (messageKey) sentAt = now;
  const stamp = now.toISOString();
  const base = { user_id: userId, recipients: JSON.stringify(recipients), rule: JSON.stringify(rule) };
  const timing = sentAt ? await scheduled(tdb, base, sentAt) : (asBadRequest(() => followUpDue(now, rule, { buyer: null, repTimeZone: null })), { due_at: null, due_local: null, rep_time_zone: null, buyer_deadline: null });
  // The sync may have seen this mail leave already (the send event raced it).
  const sent = messageKey ? await tdb.selectFrom('mail_messages').select(['conversation_id', 'received_at']).where('message_key', '=', messageKey).where('direction', '=', 'outbound').executeTakeFirst() : undefined;
  const values = {
    status: (sentAt ? 'waiting' : 'awaiting-send') as FollowUpRow['status'],
    message_key: messageKey,
    draft_id: input.draftId ?? null,
    thread_id: input.threadId ?? null,
    conversation_id: sent?.conversation_id ?? null,
    subject: input.subject,
    subject_key: subjectKey(input.subject),
    template_kind: input.templateKind ?? null,
    language: input.language ?? null,
    sent_at: sentAt ? sentAt.toISOString() : null,
    ...timing,
    updated_at: stamp,
  };
  if (messageKey) {
    const existing = await tdb.selectFrom('followups').selectAll().where('user_id', '=', userId).where('message_key', '=', messageKey).executeTakeFirst();
    if (existing) {
      if (OPEN.includes(existing.status)) await tdb.updateTable('followups', { ...values, ...base, status: existing.status === 'due' ? 'due' : values.status }).where('id', '=', existing.id).execute();
      return { followUp: view((await tdb.selectFrom('followups').selectAll().where('id', '=', existing.id).executeTakeFirst())!), created: false };
    }
  }
  const id = newId();
  const inserted = await tdb.insertIfAbsent('followups', { id, ...base, ...values, moved_until: null, snoozes: 0, fired_at: null, fired_by: null, task_id: null, replied_at: null, reply_message_id: null, created_at: stamp }, ['user_id', 'message_key']);
  if (!inserted) return createFollowUp(tdb, actor, input, now); // a racing twin stored it: answer that one
  return { followUp: view((await tdb.selectFrom('followups').selectAll().where('id', '=', id).executeTakeFirst())!), created: true };
}

export async function listFollowUps(tdb: TenantDb, actor: Actor, filter: 'open' | 'due' | 'all' = 'open'): Promise<FollowUpView[]> {
  let q = tdb.selectFrom('followups').selectAll().where('user_id', '=', actor.userId ?? '');
  if (filter === 'open') q = q.where('status', 'in', OPEN);
  if (filter === 'due') q = q.where('status', '=', 'due');
  // Due first (oldest due on top), then the waiting by due time, then those not sent yet.
  const rows = await q.orderBy('due_at').orderBy('created_at').limit(500).execute();
  const rank = (s: FollowUpRow['status']) => (s === 'due' ? 0 : s === 'waiting' ? 1 : 2);
  return rows.sort((a, b) => rank(a.status) - rank(b.status)).map(view);
}

async function own(tdb: TenantDb, actor: Actor, id: string): Promise<FollowUpRow> {
  const row = await tdb.selectFrom('followups').selectAll().where('id', '=', id).where('user_id', '=', actor.userId ?? '').executeTakeFirst();
  if (!row) throw notFound('follow-up');
  return row;
}

async function reread(tdb: TenantDb, id: string): Promise<FollowUpView> {
  return view((await tdb.selectFrom('followups').selectAll().where('id', '=', id).executeTakeFirst())!);
}

/** Later: to an instant, or N more of the buyer's business days from now. A fired reminder waits again. */
export async function snoozeFollowUp(tdb: TenantDb, actor: Actor, id: string, input: SnoozeFollowUp, now = new Date()): Promise<FollowUpView> {
  const row = await own(tdb, actor, id);
  if (row.status !== 'waiting' && row.status !== 'due') throw badRequest(`this follow-up is ${row.status}: only a waiting or due one can be snoozed`, [{ path: 'id', message: row.status }]);
  let timing: Pick<FollowUpRow, 'due_at' | 'due_local' | 'rep_time_zone' | 'buyer_deadline'>;
  if ('until' in input) {
    const until = new Date(input.until);
    if (Number.isNaN(until.getTime())) throw badRequest('until: not an ISO-8601 instant', [{ path: 'until', message: 'not an instant' }]);
    if (until.getTime() <= now.getTime()) throw badRequest('until: must be in the future', [{ path: 'until', message: 'in the past' }]);
    timing = { due_at: until.toISOString(), due_local: null, rep_time_zone: row.rep_time_zone, buyer_deadline: null };
  } else {
    const rule = JSON.parse(row.rule) as FollowUpRule;
    timing = await scheduled(tdb, { ...row, rule: JSON.stringify({ kind: 'business-days', days: input.businessDays, hour: rule.hour }) }, now);
  }
  await tdb.transaction(async (tx) => {
    await tx.updateTable('followups', { ...timing, status: 'waiting', snoozes: row.snoozes + 1, updated_at: now.toISOString() }).where('id', '=', id).execute();
    if (row.task_id) await moveTask(tx, row.task_id, timing.due_at);
  });
  return reread(tdb, id);
}

async function moveTask(tdb: TenantDb, taskId: string, dueAt: string | null): Promise<void> {
  await tdb.updateTable('tasks', { due_at: dueAt, due_local: null, due_time_zone: null, updated_at: new Date().toISOString() }).where('id', '=', taskId).where('status', '=', 'open').execute();
}

/** Done: the rep followed up (or decided not to); its task is done too. */
export async function completeFollowUp(tdb: TenantDb, actor: Actor, id: string, now = new Date()): Promise<FollowUpView> {
  const row = await own(tdb, actor, id);
  if (OPEN.includes(row.status)) {
    await tdb.transaction(async (tx) => {
      await tx.updateTable('followups', { status: 'done', updated_at: now.toISOString() }).where('id', '=', id).execute();
      if (row.task_id) await completeTask(tx, actor, row.task_id);
    });
  }
  return reread(tdb, id);
}

/** Off: no reminder for this mail. */
export async function cancelFollowUp(tdb: TenantDb, actor: Actor, id: string, now = new Date()): Promise<FollowUpView> {
  const row = await own(tdb, actor, id);
  if (OPEN.includes(row.status)) await tdb.updateTable('followups', { status: 'cancelled', updated_at: now.toISOString() }).where('id', '=', id).execute();
  return reread(tdb, id);
}

/* ------------------------------------------------------------------ the sync's hook */

const addressesOf = (json: string): string[] => (JSON.parse(json) as { address: string }[]).map((a) => a.address.toLowerCase());

/**
 * Runs for every message the sync stores, inside its transaction: a mail the rep sent starts the
 * clock of the reminder asked for at compose; a mail from the buyer's side closes reminders it
 * answers; an out-of-office with a return date moves them after it.
 */
export async function followUpHook(stored: StoredMessage): Promise<void> {
  if (stored.message.direction === 'outbound') await startClocks(stored);
  else if (stored.message.direction === 'inbound') await judgeArrival(stored);
}

async function startClocks({ tdb, message, page }: StoredMessage): Promise<void> {
  const from = message.from_address?.toLowerCase();
  if (!from) return;
  // Which user sent it: asked once per address per page (the sync changes no user).
  const users = await page.once('followups:users-by-address', async () => new Map<string, Promise<{ id: string } | undefined>>());
  let sender = users.get(from);
  if (!sender) {
    sender = tdb.selectFrom('users').select('id').where('email', '=', from).executeTakeFirst();
    users.set(from, sender);
  }
  const user = await sender;
  if (!user) return;
  const sentAt = new Date(message.received_at);
  const candidates = await tdb
    .selectFrom('followups')
    .selectAll()
    .where('user_id', '=', user.id)
    .where((eb) => eb.or([eb('status', '=', 'awaiting-send'), eb.and([eb('status', 'in', ['waiting', 'due']), eb('message_key', '=', message.message_key ?? ''), eb('conversation_id', 'is', null)])]))
    .where('created_at', '>=', new Date(sentAt.getTime() - AWAIT_SEND_DAYS * DAY_MS).toISOString())
    .execute();
  const recipients = [...addressesOf(message.to_addresses), ...addressesOf(message.cc_addresses)];
  const key = subjectKey(message.subject);
  // The same Message-ID first; then the draft's thread; then the subject (or, from Gmail's compose
  // card, which never sees the subject: none) with a shared recipient, the oldest reminder first.
  const sentBy = new Date(sentAt.getTime() + 60_000).toISOString();
  const byRecipients = (c: FollowUpRow) => c.status === 'awaiting-send' && !c.message_key && c.created_at <= sentBy && (JSON.parse(c.recipients) as string[]).some((r) => recipients.includes(r));
  const match =
    candidates.find((c) => message.message_key && c.message_key === message.message_key) ??
    candidates.find((c) => c.status === 'awaiting-send' && c.thread_id && c.thread_id === message.provider_thread_id) ??
    candidates.find((c) => byRecipients(c) && c.subject_key === key) ??
    candidates.sort((a, b) => a.created_at.localeCompare(b.created_at)).find((c) => byRecipients(c) && c.subject === '');
  if (!match) return;
  if (match.status !== 'awaiting-send') {
    await tdb.updateTable('followups', { conversation_id: message.conversation_id, updated_at: new Date().toISOString() }).where('id', '=', match.id).execute();
    return;
  }
  const withRecipients = { ...match, recipients: JSON.stringify(recipients.length ? recipients : (JSON.parse(match.recipients) as string[])) };
  const timing = await scheduled(tdb, withRecipients, sentAt);
  await tdb
    .updateTable('followups', { status: 'waiting', message_key: message.message_key, conversation_id: message.conversation_id, recipients: withRecipients.recipients, subject: message.subject, subject_key: key, sent_at: sentAt.toISOString(), ...timing, updated_at: new Date().toISOString() })
    .where('id', '=', match.id)
    .where('status', '=', 'awaiting-send')
    .execute();
  (await anyWaiting(page, tdb)).value = true;
}

/**
 * Whether the tenant has any follow-up waiting for a reply, read once per sync page: most mail
 * arrives where none waits (a whole backfill before the first reminder is set), and the match
 * below costs more than this look-up. A sent mail of the page that starts a clock sets it.
 */
function anyWaiting(page: PageMemo, tdb: TenantDb): Promise<{ value: boolean }> {
  return page.once('followups:any-waiting', async () => ({ value: !!(await tdb.selectFrom('followups').select('id').where('status', 'in', ['waiting', 'due']).limit(1).executeTakeFirst()) }));
}

async function judgeArrival({ tdb, message, fetched, page }: StoredMessage): Promise<void> {
  const from = message.from_address?.toLowerCase();
  if (!from) return;
  if (!(await anyWaiting(page, tdb)).value) return;
  const references = [...(JSON.parse(message.reference_keys) as string[]), ...(message.in_reply_to ? [message.in_reply_to] : [])];
  const likeFrom = `%"${from.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;
  const open = await tdb
    .selectFrom('followups')
    .selectAll()
    .where('status', 'in', ['waiting', 'due'])
    .where((eb) =>
      eb.or([
        eb('conversation_id', '=', message.conversation_id),
        ...(references.length ? [eb('message_key', 'in', references.slice(0, 50))] : []),
        eb('recipients', 'like', likeFrom),
      ]),
    )
    .limit(200)
    .execute();
  for (const f of open) {
    if (!f.sent_at) continue;
    const sameConversation = f.conversation_id === message.conversation_id || (f.message_key !== null && references.includes(f.message_key));
    const verdict = judgeReply(
      { recipients: JSON.parse(f.recipients) as string[], sentAt: f.sent_at, newThreadWindowMs: NEW_THREAD_WINDOW_DAYS * DAY_MS },
      { from, direction: message.direction, verdict: message.auto_verdict, receivedAt: message.received_at, sameConversation },
    );
    const stamp = new Date().toISOString();
    if (verdict.kind === 'reply') {
      await tdb.updateTable('followups', { status: 'replied', replied_at: message.received_at, reply_message_id: message.id, updated_at: stamp }).where('id', '=', f.id).execute();
      // The buyer answered after the reminder fired: the task is moot.
      if (f.task_id) await tdb.updateTable('tasks', { status: 'done', completed_at: stamp, updated_at: stamp }).where('id', '=', f.task_id).where('status', '=', 'open').execute();
    } else if (verdict.kind === 'automatic' && verdict.verdict === 'auto-reply' && f.status === 'waiting' && f.due_at) {
      const back = returnDateOf(`${message.subject}\n${fetched.textBody ?? message.excerpt}`, message.received_at.slice(0, 10));
      if (!back) continue;
      const rule = JSON.parse(f.rule) as FollowUpRule;
      const clock = await clockOf(tdb, f.user_id, JSON.parse(f.recipients) as string[]);
      const moved = dueAfterReturn(back, f.due_at, rule.hour, clock);
      await tdb.updateTable('followups', { due_at: moved.at, due_local: moved.local, moved_until: back, updated_at: stamp }).where('id', '=', f.id).execute();
    }
  }
}

/* ------------------------------------------------------------------ the due pass */

/**
 * Fires every reminder due by `now` into a task (the store's, and through the connectors to To
 * Do / Google Tasks / CRMs by the task's outbox event). Each reminder is claimed by a conditional
 * update inside the transaction that makes its task, so across any number of instances a
 * reminder fires once: a racing instance's update finds it no longer waiting and does nothing.
 */
export async function fireDueFollowUps(db: Kysely<Database>, instanceId: string, now: Date, batch = 100): Promise<number> {
  const nowIso = now.toISOString();
  const due = await db.selectFrom('followups').select(['id', 'tenant_id']).where('status', '=', 'waiting').where('due_at', '<=', nowIso).orderBy('due_at').limit(batch).execute();
  let fired = 0;
  for (const { id, tenant_id } of due) {
    const won = await db.transaction().execute(async (trx) => {
      const tdb = new TenantDb(trx, tenant_id);
      const claimed = await tdb.updateTable('followups', { status: 'due', fired_at: nowIso, fired_by: instanceId, updated_at: nowIso }).where('id', '=', id).where('status', '=', 'waiting').where('due_at', '<=', nowIso).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      const f = (await tdb.selectFrom('followups').selectAll().where('id', '=', id).executeTakeFirst())!;
      const user = await tdb.selectFrom('users').select(['id', 'email', 'role']).where('id', '=', f.user_id).executeTakeFirst();
      if (!user) return true;
      const actor: Actor = { tenantId: tenant_id, userId: user.id, role: user.role, permissions: permissionsOfRole(user.role), label: `follow-ups (${user.email})` };
      const recipients = JSON.parse(f.recipients) as string[];
      const task = await createTask(
        tdb,
        actor,
        {
          title: `Follow up: ${f.subject}`.slice(0, 300),
          notes: `No reply since ${f.sent_at ?? f.created_at}${f.message_key ? ` (Message-ID <${f.message_key}>)` : ''}.`,
          ...(recipients[0] ? { contact: recipients[0] } : {}),
          due: { at: f.due_at ?? nowIso },
        },
        now,
      );
      await tdb.updateTable('followups', { task_id: task.id }).where('id', '=', id).execute();
      return true;
    });
    if (won) fired++;
  }
  return fired;
}

/* ------------------------------------------------------------------ the manager's view */

/**
 * Per rep of the tenant: open follow-ups (not yet sent, waiting, due), overdue ones (fired, not
 * done) and the median time to answer buyers over the last `days` days in the rep's own mailbox
 * (core/followup replyTimesMs). Reps without a connected mailbox have no reply time.
 */
export async function teamFollowUps(tdb: TenantDb, days: number, now = new Date()): Promise<TeamFollowUps> {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();
  const users = await tdb.selectFrom('users').select(['id', 'email', 'name']).where('disabled_at', 'is', null).orderBy('email').execute();
  const counts = await tdb.selectFrom('followups').select(['user_id', 'status']).where('status', 'in', OPEN).execute();
  const mailboxes = await tdb.selectFrom('mailboxes').select(['id', 'address']).execute();
  const reps = [];
  for (const user of users) {
    const mine = counts.filter((c) => c.user_id === user.id);
    const boxIds = mailboxes.filter((b) => b.address === user.email).map((b) => b.id);
    const mails = boxIds.length
      ? await tdb.selectFrom('mail_messages').select(['conversation_id', 'direction', 'auto_verdict', 'received_at']).where('mailbox_id', 'in', boxIds).where('received_at', '>=', since).limit(20_000).execute()
      : [];
    const times = replyTimesMs(mails.map((m) => ({ conversationId: m.conversation_id, direction: m.direction, verdict: m.auto_verdict, at: m.received_at })));
    const mid = median(times);
    reps.push({ userId: user.id, email: user.email, name: user.name, open: mine.length, overdue: mine.filter((c) => c.status === 'due').length, medianReplyMinutes: mid === null ? null : Math.round(mid / 60_000), replies: times.length });
  }
  return { since, reps };
}

/* ------------------------------------------------------------------ the inquiry reply rule */

const INQUIRY_WINDOW_DAYS = 21;

/**
 * Inbound inquiries (core/followup looksLikeInquiry with the pack's `policies.inquiries`) still
 * unanswered — the buyer wrote last in the conversation — after `replyWithinHours` (default 24)
 * of the company's business hours: the rep's Monday–Friday in their zone, the pack's client hours
 * (no public holidays yet). For the rep: theirs; for a manager: everyone's past
 * `escalateAfterHours` (default 48).
 */
export async function unansweredInquiries(tdb: TenantDb, actor: Actor, scope: 'mine' | 'escalated', now = new Date()): Promise<UnansweredInquiry[]> {
  const users = await tdb.selectFrom('users').select(['id', 'email', 'time_zone']).where('disabled_at', 'is', null).execute();
  const reps = scope === 'mine' ? users.filter((u) => u.id === actor.userId) : users;
  const out: UnansweredInquiry[] = [];
  for (const rep of reps) {
    const boxes = (await tdb.selectFrom('mailboxes').select('id').where('address', '=', rep.email).execute()).map((b) => b.id);
    if (boxes.length === 0) continue;
    const packs = await publishedPacks(tdb, rep.id);
    const policy = packs.map((p) => p.document.policies?.inquiries).find(Boolean) ?? {};
    const hours = packs.map((p) => p.document.policies?.clientHours).find(Boolean);
    const within = (scope === 'mine' ? policy.replyWithinHours ?? 24 : policy.escalateAfterHours ?? 48) * 60;
    const escalateAt = (policy.escalateAfterHours ?? 48) * 60;
    // The company's clock: its country's work week and public holidays and its own closed days, on the rep's zone.
    const calendar = businessCalendar(policy.country ?? null, rep.time_zone ?? 'UTC', policy.closedDates?.length ? { closedDates: policy.closedDates } : undefined, hours);
    const rows = await tdb
      .selectFrom('mail_messages')
      .innerJoin('conversations', 'conversations.id', 'mail_messages.conversation_id')
      .select(['mail_messages.message_key', 'mail_messages.conversation_id', 'mail_messages.from_address', 'mail_messages.subject', 'mail_messages.excerpt', 'mail_messages.attachments', 'mail_messages.received_at', 'conversations.last_outbound_at', 'conversations.last_writer'])
      .where('mail_messages.mailbox_id', 'in', boxes)
      .where('mail_messages.direction', '=', 'inbound')
      .where('mail_messages.auto_verdict', '=', 'none')
      .where('mail_messages.received_at', '>=', new Date(now.getTime() - INQUIRY_WINDOW_DAYS * DAY_MS).toISOString())
      .where('conversations.last_writer', '=', 'buyer')
      .orderBy('mail_messages.received_at')
      .limit(2000)
      .execute();
    const seen = new Set<string>();
    for (const m of rows) {
      // Only buyer mail after our last answer, the first of it per conversation.
      if (seen.has(m.conversation_id) || (m.last_outbound_at && m.received_at <= m.last_outbound_at)) continue;
      const company = m.from_address ? companyOf(m.from_address) : null;
      const earlier = company
        ? await tdb.selectFrom('mail_messages').select('id').where('direction', '=', 'inbound').where('received_at', '<', m.received_at).where((eb) => eb.or([eb('from_address', '=', company), eb('from_address', 'like', `%@${company}`), eb('from_address', 'like', `%.${company}`)])).executeTakeFirst()
        : undefined;
      const inquiry = looksLikeInquiry({ subject: m.subject, text: m.excerpt, attachments: (JSON.parse(m.attachments) as unknown[]).length, firstContact: !earlier }, policy);
      if (!inquiry) continue;
      seen.add(m.conversation_id);
      const waiting = businessMinutesBetween(Date.parse(m.received_at), now.getTime(), calendar);
      if (waiting < within) continue;
      out.push({ messageId: m.message_key, conversationId: m.conversation_id, rep: rep.email, from: m.from_address, subject: m.subject, receivedAt: m.received_at, businessHoursWaiting: Math.floor(waiting / 6) / 10, escalated: waiting >= escalateAt });
    }
  }
  return out;
}
