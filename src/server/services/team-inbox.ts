import { businessCalendar, ClientTimeError, inferTimeZone, type BusinessCalendar } from '../../core/clienttime/index.js';
import { formatLocalIso } from '../../core/clienttime/zones.js';
import { readEmailDomain } from '../../core/clienttime/countries.js';
import { companyNameOfDomain } from '../../core/crm/mailbox.js';
import { messageIdKey } from '../../core/crm/index.js';
import { subjectKey } from '../../core/conversation/subject.js';
import { businessMinutesBetween, clockReader, deadlines, DEFAULT_TARGET_BUSINESS_HOURS, repFigures, isTeamState, mentionsIn, pickFromPool, routeInquiry, type ClockReading, type ClockTimes, transition, isoWeek, regionOf, REGION_CODES, type RegionCode, type Inquiry, type RoutingDecision, type RoutingRule, type TeamEvent, type TeamState } from '../../core/teaminbox/index.js';
import type { PackDocument } from '../../core/pack/schema.js';
import type { ClockView, PresenceView, TeamFiguresView, TeamItemKeys, TeamLookupView, TeamSendCheckView, StateAction, TeamCalendar, TeamConversationSummary, TeamConversationView, TeamInboxInput, TeamInboxView, TeamList, TeamNoteView, TeamMemberList } from '../../contract/team-inbox.js';
import type { Actor, Principal } from '../auth/principal.js';
import { sql, type Selectable } from 'kysely';
import type { ConversationRow as ConversationTable, TeamInboxRow, UserRow } from '../db/tables.js';

type ConversationRow = Selectable<ConversationTable>;
import { newId, type TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { audit } from './audit.js';
import { evidenceOf } from './client-time.js';
import { recipientOf } from './customers.js';
import { normaliseEmail } from './people.js';
import { acknowledgementSkip } from '../../core/teaminbox/index.js';
import { buyerZoneOf, checkTemplateRef, claimNotifyNotices, claimTeamMail, teamMailOfMessage, templateRefOf } from './team-mail.js';

/**
 * The team inbox (docs/team-inbox.md): a connected role mailbox (info@, sales@) run as a queue by
 * its members, each acting through their own sign-in. Every rep action is audited; claim is one
 * conditional UPDATE, so two reps clicking "I'll take it" at once get one winner and one answer
 * naming who has it. The sync hook (`teamInboxHook`) moves conversations on mail as it is stored.
 */

export const PRESENCE_TTL_MS = 30_000;
type TeamMatch = NonNullable<TeamLookupView['matchedBy']>;
export const DEFAULT_CALENDAR: TeamCalendar = { country: null, timeZone: 'UTC', start: '09:00', end: '18:00' };

export const calendarOf = (row: TeamInboxRow): BusinessCalendar => {
  const c = JSON.parse(row.calendar) as TeamCalendar;
  return businessCalendar(c.country, c.timeZone, undefined, { start: c.start, end: c.end });
};

export async function usersById(tdb: TenantDb, ids: (string | null | undefined)[]): Promise<Map<string, UserRow>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await tdb.selectFrom('users').selectAll().where('id', 'in', wanted).execute();
  return new Map(rows.map((u) => [u.id, u]));
}
export const person = (u: UserRow | undefined) => (u ? { id: u.id, name: u.name, email: u.email } : null);

async function inboxView(tdb: TenantDb, row: TeamInboxRow): Promise<TeamInboxView> {
  const groupIds = JSON.parse(row.group_ids) as string[];
  const groups = groupIds.length ? await tdb.selectFrom('groups').select(['id', 'slug']).where('id', 'in', groupIds).execute() : [];
  const mailbox = await tdb.selectFrom('mailboxes').select('address').where('id', '=', row.mailbox_id).executeTakeFirstOrThrow();
  const manager = (await usersById(tdb, [row.manager_id])).get(row.manager_id ?? '');
  return {
    id: row.id,
    mailboxId: row.mailbox_id,
    address: mailbox.address,
    name: row.name,
    groups: groups.map((g) => g.slug).sort(),
    manager: person(manager),
    targetBusinessHours: row.target_hours,
    calendar: JSON.parse(row.calendar) as TeamCalendar,
    acknowledgement: templateRefOf(row.ack_template),
    handOff: templateRefOf(row.handoff_template),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function inboxRow(tdb: TenantDb, id: string): Promise<TeamInboxRow> {
  const row = await tdb.selectFrom('team_inboxes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('team inbox');
  return row;
}

function checkCalendar(calendar: TeamCalendar): void {
  try {
    businessCalendar(calendar.country, calendar.timeZone, undefined, { start: calendar.start, end: calendar.end });
  } catch (error) {
    if (error instanceof ClientTimeError) throw badRequest(`calendar: ${error.message}`, [{ path: 'calendar', message: error.message }]);
    throw error;
  }
}

/** Marks a connected mailbox as a team inbox, or changes its members, manager, target or calendar. */
export async function configureTeamInbox(tdb: TenantDb, actor: Actor, mailboxId: string, input: TeamInboxInput, now = new Date()): Promise<TeamInboxView> {
  return tdb.transaction(async (t) => {
    const mailbox = await t.selectFrom('mailboxes').select(['id', 'address', 'display_name']).where('id', '=', mailboxId).executeTakeFirst();
    if (!mailbox) throw notFound('mailbox');
    const groups = await t.selectFrom('groups').select(['id', 'slug']).where('slug', 'in', input.groups).execute();
    input.groups.forEach((slug, i) => {
      if (!groups.some((g) => g.slug === slug)) throw badRequest(`groups[${i}]: no group "${slug}"`, [{ path: `groups[${i}]`, message: `no group "${slug}"` }]);
    });
    let managerId: string | null | undefined;
    if (input.manager !== undefined) {
      if (input.manager === null) managerId = null;
      else {
        const email = normaliseEmail(input.manager, 'manager');
        const manager = await t.selectFrom('users').select(['id', 'disabled_at']).where('email', '=', email).executeTakeFirst();
        if (!manager || manager.disabled_at) throw badRequest(`manager: no active user ${email}`, [{ path: 'manager', message: `no active user ${email}` }]);
        managerId = manager.id;
      }
    }
    if (input.calendar) checkCalendar(input.calendar);
    if (input.acknowledgement) await checkTemplateRef(t, input.acknowledgement, 'acknowledgement');
    if (input.handOff) await checkTemplateRef(t, input.handOff, 'handOff');
    const existing = await t.selectFrom('team_inboxes').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
    const at = now.toISOString();
    const values = {
      name: input.name ?? existing?.name ?? (mailbox.display_name || mailbox.address),
      group_ids: JSON.stringify(groups.map((g) => g.id).sort()),
      manager_id: managerId === undefined ? (existing?.manager_id ?? null) : managerId,
      target_hours: input.targetBusinessHours ?? existing?.target_hours ?? DEFAULT_TARGET_BUSINESS_HOURS,
      calendar: input.calendar ? JSON.stringify(input.calendar) : (existing?.calendar ?? JSON.stringify(DEFAULT_CALENDAR)),
      ack_template: input.acknowledgement === undefined ? (existing?.ack_template ?? null) : input.acknowledgement && JSON.stringify(input.acknowledgement),
      handoff_template: input.handOff === undefined ? (existing?.handoff_template ?? null) : input.handOff && JSON.stringify(input.handOff),
      updated_at: at,
    };
    let id: string;
    if (existing) {
      id = existing.id;
      await t.updateTable('team_inboxes', values).where('id', '=', id).execute();
    } else {
      id = newId();
      await t.insert('team_inboxes', { id, mailbox_id: mailboxId, turn: 0, created_at: at, ...values });
    }
    await audit(t, actor, existing ? 'team-inbox.update' : 'team-inbox.create', { type: 'team-inbox', id }, { mailbox: mailbox.address, groups: input.groups, managerId: values.manager_id, targetBusinessHours: values.target_hours, acknowledgement: templateRefOf(values.ack_template), handOff: templateRefOf(values.handoff_template) });
    return inboxView(t, await inboxRow(t, id));
  });
}

export async function listTeamInboxes(tdb: TenantDb, principal?: Principal): Promise<TeamInboxView[]> {
  const rows = await tdb.selectFrom('team_inboxes').selectAll().orderBy('name').execute();
  const views: TeamInboxView[] = [];
  for (const row of rows) if (!principal || (await mayWork(tdb, principal, row))) views.push(await inboxView(tdb, row));
  return views;
}

export async function removeTeamInbox(tdb: TenantDb, actor: Actor, inboxId: string): Promise<void> {
  await tdb.transaction(async (t) => {
    const row = await inboxRow(t, inboxId);
    // The conversations stay (they are the mailbox's); they leave the queue.
    await t.updateTable('conversations', { team_inbox_id: null }).where('team_inbox_id', '=', inboxId).execute();
    await t.deleteFrom('team_inboxes').where('id', '=', inboxId).execute();
    await audit(t, actor, 'team-inbox.remove', { type: 'team-inbox', id: inboxId }, { mailboxId: row.mailbox_id });
  });
}

/** The inbox's members: every enabled user in one of its groups, ordered by e-mail (the round-robin order). */
export async function membersOf(tdb: TenantDb, row: TeamInboxRow, groupSlug?: string | null): Promise<UserRow[]> {
  let groupIds = JSON.parse(row.group_ids) as string[];
  if (groupSlug) {
    const group = await tdb.selectFrom('groups').select('id').where('slug', '=', groupSlug).executeTakeFirst();
    groupIds = group ? [group.id] : [];
  }
  if (!groupIds.length) return [];
  const ids = (await tdb.selectFrom('group_members').select('user_id').where('group_id', 'in', groupIds).execute()).map((r) => r.user_id);
  if (!ids.length) return [];
  return tdb.selectFrom('users').selectAll().where('id', 'in', [...new Set(ids)]).where('disabled_at', 'is', null).orderBy('email').execute();
}

/** Who works an inbox, for a member choosing whom to assign to (404 for anyone who does not work it). */
export async function inboxMembers(tdb: TenantDb, principal: Principal, inboxId: string): Promise<TeamMemberList> {
  const row = await tdb.selectFrom('team_inboxes').selectAll().where('id', '=', inboxId).executeTakeFirst();
  if (!row || !(await mayWork(tdb, principal, row))) throw notFound('team inbox');
  return { members: (await membersOf(tdb, row)).map((u) => ({ id: u.id, name: u.name, email: u.email })) };
}

async function mayWork(tdb: TenantDb, principal: Principal, row: TeamInboxRow): Promise<boolean> {
  if (principal.role === 'admin' || row.manager_id === principal.userId) return true;
  return (await membersOf(tdb, row)).some((m) => m.id === principal.userId);
}

/** A team conversation the principal may work, or 404 (not 403: others' queues are not disclosed). */
export async function workable(tdb: TenantDb, principal: Principal, conversationId: string): Promise<{ conversation: ConversationRow; inbox: TeamInboxRow }> {
  const conversation = await tdb.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
  if (!conversation?.team_inbox_id) throw notFound('team conversation');
  const inbox = await inboxRow(tdb, conversation.team_inbox_id);
  if (!(await mayWork(tdb, principal, inbox))) throw notFound('team conversation');
  return { conversation, inbox };
}

type ReadClock = (clock: ClockTimes, now: Date) => ClockReading;

function clockOf(row: ConversationRow, read: ReadClock, now: Date): ClockView {
  const reading = read({ startedAt: row.clock_started_at, warnAt: row.warn_at, dueAt: row.due_at, stoppedAt: row.responded_at ?? (row.state === 'closed' ? row.closed_at : null) }, now);
  return { phase: reading.phase, startedAt: row.clock_started_at, dueAt: reading.dueAt, businessMinutesLeft: reading.businessMinutesLeft };
}

/** A conversation's line in a list; `read` is the inbox's clock reader (one per request: see `clockReader`). */
function summaryOf(row: ConversationRow, users: Map<string, UserRow>, read: ReadClock, now: Date): TeamConversationSummary {
  const participants = JSON.parse(row.participants) as string[];
  return {
    id: row.id,
    teamInboxId: row.team_inbox_id!,
    subject: row.subject,
    buyer: participants[0] ?? null,
    state: (isTeamState(row.state) ? row.state : 'new') as TeamState,
    assignee: person(users.get(row.assignee_id ?? '')),
    tags: JSON.parse(row.tags) as string[],
    lastMessageAt: row.last_message_at,
    lastWriter: row.last_writer,
    firstResponseAt: row.first_response_at,
    clock: clockOf(row, read, now),
  };
}

export const TEAM_LIST_PAGE = 100;

/**
 * A list's position after a row, opaque to the client: the list it belongs to and the row's sort
 * key (its deadline in `overdue`, its last message elsewhere) with its id for ties.
 */
function encodeListCursor(list: TeamList, key: string, id: string): string {
  return Buffer.from(JSON.stringify([list, key, id])).toString('base64url');
}

function decodeListCursor(list: TeamList, cursor: string): { key: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) throw badRequest('cursor: not a cursor this API gave', [{ path: 'cursor', message: 'not a cursor this API gave: pass the nextCursor of the previous page' }]);
  const [of, key, id] = parsed as [string, string, string];
  if (of !== list) throw badRequest(`cursor: it belongs to the list "${of}", not "${list}"`, [{ path: 'cursor', message: `it belongs to the list "${of}", not "${list}"` }]);
  return { key, id };
}

/**
 * The lists reps work from: unassigned, mine, overdue (clock breached), waiting on the buyer, all
 * open, closed. A page at a time (keyset: the rows after the cursor's in the list's order), so a
 * queue of 50,000 costs the same per request as one of 50.
 */
export async function listTeamConversations(tdb: TenantDb, principal: Principal, query: { inbox?: string | undefined; list?: TeamList | undefined; limit?: number | undefined; cursor?: string | undefined }, now = new Date()): Promise<{ conversations: TeamConversationSummary[]; nextCursor: string | null }> {
  const list = query.list ?? 'open';
  const after = query.cursor ? decodeListCursor(list, query.cursor) : null;
  const inboxes = (await tdb.selectFrom('team_inboxes').selectAll().execute()).filter((r) => !query.inbox || r.id === query.inbox);
  const mine: TeamInboxRow[] = [];
  for (const r of inboxes) if (await mayWork(tdb, principal, r)) mine.push(r);
  if (query.inbox && !mine.length) throw notFound('team inbox');
  if (!mine.length) return { conversations: [], nextCursor: null };
  let q = tdb.selectFrom('conversations').selectAll().where('team_inbox_id', 'in', mine.map((r) => r.id));
  const nowIso = now.toISOString();
  if (list === 'unassigned') q = q.where('assignee_id', 'is', null).where('state', '=', 'new');
  else if (list === 'mine') q = q.where('assignee_id', '=', principal.userId).where('state', '!=', 'closed');
  else if (list === 'overdue') q = q.where('state', 'in', ['new', 'assigned']).where('responded_at', 'is', null).where('due_at', '<=', nowIso);
  else if (list === 'waiting') q = q.where('state', 'in', ['answered', 'waiting']);
  else if (list === 'closed') q = q.where('state', '=', 'closed');
  else q = q.where('state', '!=', 'closed');
  // Overdue first by how late; the others newest first; the id breaks ties in the same direction.
  const overdue = list === 'overdue';
  if (after) q = q.where(overdue ? sql<boolean>`(due_at, id) > (${after.key}, ${after.id})` : sql<boolean>`(last_message_at, id) < (${after.key}, ${after.id})`);
  q = overdue ? q.orderBy('due_at', 'asc').orderBy('id', 'asc') : q.orderBy('last_message_at', 'desc').orderBy('id', 'desc');
  const limit = query.limit ?? TEAM_LIST_PAGE;
  const rows = await q.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeListCursor(list, overdue ? last.due_at! : last.last_message_at, last.id) : null;
  const users = await usersById(tdb, page.map((r) => r.assignee_id));
  // One clock reader per inbox: the page's clocks share their calendar's days.
  const readers = new Map(mine.map((r) => [r.id, clockReader(calendarOf(r))]));
  return { conversations: page.map((r) => summaryOf(r, users, readers.get(r.team_inbox_id!)!, now)), nextCursor };
}

async function presenceOf(tdb: TenantDb, conversationId: string, except: string | null, now: Date): Promise<PresenceView[]> {
  const since = new Date(now.getTime() - PRESENCE_TTL_MS).toISOString();
  const rows = await tdb.selectFrom('team_presence').selectAll().where('conversation_id', '=', conversationId).where('seen_at', '>=', since).orderBy('seen_at', 'desc').execute();
  const users = await usersById(tdb, rows.map((r) => r.user_id));
  return rows.filter((r) => r.user_id !== except && users.has(r.user_id)).map((r) => ({ user: person(users.get(r.user_id))!, activity: r.activity, seenAt: r.seen_at }));
}

async function notesOf(tdb: TenantDb, conversationId: string): Promise<TeamNoteView[]> {
  const rows = await tdb.selectFrom('team_notes').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').limit(500).execute();
  const users = await usersById(tdb, rows.flatMap((r) => JSON.parse(r.mentions) as string[]));
  return rows.map((r) => ({ id: r.id, author: r.author_label, body: r.body, mentions: (JSON.parse(r.mentions) as string[]).map((id) => person(users.get(id))).filter((p): p is NonNullable<typeof p> => p !== null), createdAt: r.created_at }));
}

/** One conversation as a rep opens it (audited: who opened what is part of the record). */
export async function openTeamConversation(tdb: TenantDb, principal: Principal, conversationId: string, now = new Date()): Promise<TeamConversationView> {
  const { conversation, inbox } = await workable(tdb, principal, conversationId);
  const mailbox = await tdb.selectFrom('mailboxes').select('address').where('id', '=', inbox.mailbox_id).executeTakeFirstOrThrow();
  const messages = await tdb.selectFrom('mail_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('received_at').limit(200).execute();
  const bodies = messages.length ? await tdb.selectFrom('mail_bodies').select(['message_id', 'text_body', 'expires_at']).where('message_id', 'in', messages.map((m) => m.id)).execute() : [];
  const bodyOf = new Map(bodies.filter((b) => b.expires_at > now.toISOString()).map((b) => [b.message_id, b.text_body]));
  const users = await usersById(tdb, [conversation.assignee_id]);
  const buyerMail = [...messages].reverse().find((m) => m.direction === 'inbound' && m.auto_verdict === 'none');
  let buyerTime: TeamConversationView['buyerTime'] = null;
  if (buyerMail?.from_address) {
    const zone = await buyerZoneOf(tdb, buyerMail.from_address, buyerMail.date_header);
    if (zone.timeZone) buyerTime = { timeZone: zone.timeZone, country: zone.country, localTime: formatLocalIso(zone.timeZone, now.getTime()), confidence: zone.confidence };
  }
  await audit(tdb, principal, 'team-conversation.open', { type: 'conversation', id: conversationId });
  return {
    ...summaryOf(conversation, users, clockReader(calendarOf(inbox)), now),
    inbox: { id: inbox.id, address: mailbox.address, name: inbox.name },
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      from: m.from_address ? { address: m.from_address, ...(m.from_name ? { name: m.from_name } : {}) } : null,
      subject: m.subject,
      receivedAt: m.received_at,
      autoVerdict: m.auto_verdict,
      language: m.language,
      body: bodyOf.get(m.id) ?? null,
      excerpt: m.excerpt,
      attachments: JSON.parse(m.attachments) as Array<{ name: string; contentType: string }>,
    })),
    notes: await notesOf(tdb, conversationId),
    presence: await presenceOf(tdb, conversationId, principal.userId, now),
    buyerTime,
  };
}

/** The team inboxes the principal works (all for an admin). */
async function workedInboxes(tdb: TenantDb, principal: Principal): Promise<TeamInboxRow[]> {
  const rows = await tdb.selectFrom('team_inboxes').selectAll().execute();
  const mine: TeamInboxRow[] = [];
  for (const r of rows) if (await mayWork(tdb, principal, r)) mine.push(r);
  return mine;
}

/**
 * The team conversation of the item a face has open (docs/team-inbox.md, "The faces"): by its
 * Internet Message-ID (either key the sync kept), else the provider's thread in a team mailbox,
 * else the subject with one of the buyer's addresses — newest first. Only conversations of inboxes
 * the caller works are found; anything else is "not a team conversation", never an error.
 */
export async function findTeamConversation(tdb: TenantDb, principal: Principal, keys: TeamItemKeys): Promise<{ conversation: ConversationRow; inbox: TeamInboxRow; matchedBy: TeamMatch } | null> {
  const inboxes = await workedInboxes(tdb, principal);
  if (!inboxes.length) return null;
  const inboxIds = inboxes.map((r) => r.id);
  const found = async (ids: string[], matchedBy: TeamMatch) => {
    if (!ids.length) return null;
    const conversation = await tdb.selectFrom('conversations').selectAll().where('id', 'in', [...new Set(ids)]).where('team_inbox_id', 'in', inboxIds).orderBy('last_message_at', 'desc').executeTakeFirst();
    return conversation ? { conversation, inbox: inboxes.find((r) => r.id === conversation.team_inbox_id)!, matchedBy } : null;
  };
  const key = keys.internetMessageId ? messageIdKey(keys.internetMessageId) : null;
  if (key) {
    const rows = await tdb.selectFrom('mail_messages').select('conversation_id').where((eb) => eb.or([eb('message_key', '=', key), eb('second_key', '=', key)])).limit(50).execute();
    const hit = await found(rows.map((r) => r.conversation_id), 'message-id');
    if (hit) return hit;
  }
  if (keys.threadId) {
    const rows = await tdb.selectFrom('mail_messages').select('conversation_id').where('mailbox_id', 'in', inboxes.map((r) => r.mailbox_id)).where('provider_thread_id', '=', keys.threadId).limit(50).execute();
    const hit = await found(rows.map((r) => r.conversation_id), 'thread');
    if (hit) return hit;
  }
  const subject = keys.subject ? subjectKey(keys.subject) : '';
  const addresses = new Set((keys.addresses ?? []).map((a) => a.trim().toLowerCase()));
  if (subject && addresses.size) {
    const rows = await tdb.selectFrom('conversations').select(['id', 'participants']).where('subject_key', '=', subject).where('team_inbox_id', 'in', inboxIds).orderBy('last_message_at', 'desc').limit(20).execute();
    const hit = rows.find((r) => (JSON.parse(r.participants) as string[]).some((p) => addresses.has(p.toLowerCase())));
    if (hit) return found([hit.id], 'subject-and-address');
  }
  return null;
}

/** The pane's and the card's "open": the conversation of the item, opened (audited) like /inbox opens it, or null. */
export async function lookupTeamConversation(tdb: TenantDb, principal: Principal, keys: TeamItemKeys, now = new Date()): Promise<TeamLookupView> {
  const hit = await findTeamConversation(tdb, principal, keys);
  if (!hit) return { conversation: null, matchedBy: null };
  return { conversation: await openTeamConversation(tdb, principal, hit.conversation.id, now), matchedBy: hit.matchedBy };
}

/** When this rep last opened the conversation in a face (its audit entries since its first message; migration 021 indexes them by target). */
export function lastOpenedQuery(tdb: TenantDb, conversationId: string, userId: string, since: string) {
  return tdb
    .selectFrom('audit_log')
    .select('at')
    .where('action', '=', 'team-conversation.open')
    .where('target_id', '=', conversationId)
    .where('actor_id', '=', userId)
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .limit(1);
}

/**
 * Before a rep's reply leaves (Outlook's on-send check): has a colleague answered the conversation
 * since the rep last opened it? "Since" is when the sync saw the answer, so an answer sent before
 * the rep looked but synced after is still news to them. A rep who never opened it in a face is
 * compared with the buyer's last mail instead: an answer after that is one the rep may not know.
 */
export async function teamSendCheck(tdb: TenantDb, principal: Principal, keys: TeamItemKeys): Promise<Pick<TeamSendCheckView, 'collision'>> {
  const hit = await findTeamConversation(tdb, principal, keys);
  if (!hit) return { collision: null };
  const { conversation } = hit;
  const opened = await lastOpenedQuery(tdb, conversation.id, principal.userId, conversation.first_message_at).executeTakeFirst();
  let q = tdb
    .selectFrom('mail_messages')
    .select(['from_address', 'from_name', 'received_at', 'created_at'])
    .where('conversation_id', '=', conversation.id)
    .where('direction', '=', 'outbound')
    .where('auto_verdict', '=', 'none')
    .where('from_address', '!=', principal.email.toLowerCase());
  if (opened) q = q.where('created_at', '>', opened.at);
  else if (conversation.last_inbound_at) q = q.where('received_at', '>=', conversation.last_inbound_at);
  else return { collision: null };
  const answer = await q.orderBy('received_at', 'desc').limit(1).executeTakeFirst();
  if (!answer?.from_address) return { collision: null };
  return {
    collision: { conversationId: conversation.id, subject: conversation.subject, by: { address: answer.from_address, name: answer.from_name }, answeredAt: answer.received_at, seenAt: answer.created_at, openedAt: opened?.at ?? null },
  };
}

async function summaryAfter(tdb: TenantDb, conversationId: string, inbox: TeamInboxRow, now: Date): Promise<TeamConversationSummary> {
  const row = await tdb.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  return summaryOf(row, await usersById(tdb, [row.assignee_id]), clockReader(calendarOf(inbox)), now);
}

/**
 * "I'll take it": one conditional UPDATE (only while nobody has it and it is not closed), so of two
 * reps clicking at once exactly one wins; the other gets 409 naming who has it.
 */
export async function claimConversation(tdb: TenantDb, principal: Principal, conversationId: string, now = new Date()): Promise<TeamConversationSummary> {
  return tdb.transaction(async (t) => {
    const { conversation, inbox } = await workable(t, principal, conversationId);
    const at = now.toISOString();
    const result = await t
      .updateTable('conversations', { assignee_id: principal.userId, state: 'assigned', assigned_at: at, updated_at: at })
      .where('id', '=', conversationId)
      .where('assignee_id', 'is', null)
      .where('state', '=', 'new')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const now2 = await t.selectFrom('conversations').select(['assignee_id', 'state']).where('id', '=', conversationId).executeTakeFirstOrThrow();
      if (now2.assignee_id === principal.userId) return summaryAfter(t, conversationId, inbox, now);
      const holder = now2.assignee_id ? (await usersById(t, [now2.assignee_id])).get(now2.assignee_id) : undefined;
      if (holder) throw new AppError(409, 'taken', `${holder.name} (${holder.email}) already has this conversation`, [{ path: 'assignee', message: holder.email, assignee: { id: holder.id, name: holder.name, email: holder.email } }]);
      throw conflict(`the conversation is ${now2.state}: nothing to claim`);
    }
    await audit(t, principal, 'team-conversation.claim', { type: 'conversation', id: conversationId }, { previousState: conversation.state });
    return summaryAfter(t, conversationId, inbox, now);
  });
}

/** Hands a conversation to a member (by e-mail or id), or back to the queue (null). */
export async function assignConversation(tdb: TenantDb, principal: Principal, conversationId: string, assignee: string | null, now = new Date()): Promise<TeamConversationSummary> {
  return tdb.transaction(async (t) => {
    const { conversation, inbox } = await workable(t, principal, conversationId);
    let target: UserRow | undefined;
    if (assignee !== null) {
      const members = await membersOf(t, inbox);
      target = members.find((m) => m.id === assignee || m.email === assignee.trim().toLowerCase());
      if (!target) throw badRequest(`assignee: ${assignee} does not work this team inbox`, [{ path: 'assignee', message: 'not a member of the team inbox' }]);
    }
    const event: TeamEvent = target ? { type: 'assign', assigneeId: target.id } : { type: 'unassign' };
    const next = transition({ state: conversation.state as TeamState, assigneeId: conversation.assignee_id }, event);
    if (!next.ok) throw conflict(next.reason);
    const at = now.toISOString();
    await t.updateTable('conversations', { assignee_id: next.status.assigneeId, state: next.status.state, assigned_at: target ? at : null, updated_at: at }).where('id', '=', conversationId).execute();
    await audit(t, principal, target ? 'team-conversation.assign' : 'team-conversation.unassign', { type: 'conversation', id: conversationId }, { from: conversation.assignee_id, to: target?.id ?? null });
    return summaryAfter(t, conversationId, inbox, now);
  });
}

/** Close, reopen, or mark "waiting on the buyer". */
export async function changeState(tdb: TenantDb, principal: Principal, conversationId: string, action: StateAction, now = new Date()): Promise<TeamConversationSummary> {
  return tdb.transaction(async (t) => {
    const { conversation, inbox } = await workable(t, principal, conversationId);
    const next = transition({ state: conversation.state as TeamState, assigneeId: conversation.assignee_id }, { type: action });
    if (!next.ok) throw conflict(next.reason);
    const at = now.toISOString();
    await t
      .updateTable('conversations', { state: next.status.state, ...(action === 'close' ? { closed_at: at } : action === 'reopen' ? { closed_at: null } : {}), updated_at: at })
      .where('id', '=', conversationId)
      .where('state', '=', conversation.state)
      .execute();
    await audit(t, principal, `team-conversation.${action}`, { type: 'conversation', id: conversationId }, { from: conversation.state, to: next.status.state });
    if (action === 'close' || action === 'wait') await endReplying(t, conversationId, principal.userId, at);
    return summaryAfter(t, conversationId, inbox, now);
  });
}

/** An internal note: stored and shown to the team, never sent. @mentions name colleagues. */
export async function addNote(tdb: TenantDb, principal: Principal, conversationId: string, body: string, now = new Date()): Promise<TeamNoteView> {
  return tdb.transaction(async (t) => {
    const { inbox } = await workable(t, principal, conversationId);
    const text = body.trim();
    if (!text) throw badRequest('body: the note is empty', [{ path: 'body', message: 'empty' }]);
    const members = await membersOf(t, inbox);
    const everyone = await usersById(t, [inbox.manager_id]);
    const people = [...members, ...everyone.values()].map((u) => ({ id: u.id, email: u.email }));
    const mentions = mentionsIn(text, people);
    const id = newId();
    await t.insert('team_notes', { id, conversation_id: conversationId, author_id: principal.userId, author_label: principal.email, body: text, mentions: JSON.stringify(mentions), created_at: now.toISOString() });
    await audit(t, principal, 'team-conversation.note', { type: 'conversation', id: conversationId }, { noteId: id, mentions });
    return (await notesOf(t, conversationId)).find((n) => n.id === id)!;
  });
}

/**
 * A rep's "replying" ends when the sync sees her answer, or when she closes the conversation or
 * marks it waiting: she may still be looking at it, so she stays "viewing" until that runs out.
 * Only a presence refreshed no later than `upTo` ends: a new reply begun since keeps showing.
 */
async function endReplying(tdb: TenantDb, conversationId: string, userId: string, upTo: string): Promise<void> {
  await tdb.updateTable('team_presence', { activity: 'viewing' }).where('conversation_id', '=', conversationId).where('user_id', '=', userId).where('activity', '=', 'replying').where('seen_at', '<=', upTo).execute();
}

/** "I am viewing / replying": refreshed by the faces every ~10 s; others see it for 30 s. */
export async function touchPresence(tdb: TenantDb, principal: Principal, conversationId: string, activity: 'viewing' | 'replying', now = new Date()): Promise<PresenceView[]> {
  await workable(tdb, principal, conversationId);
  await tdb.upsert('team_presence', { conversation_id: conversationId, user_id: principal.userId, activity, seen_at: now.toISOString() }, ['conversation_id', 'user_id'], { activity, seen_at: now.toISOString() });
  return presenceOf(tdb, conversationId, principal.userId, now);
}

/**
 * The manager's figures for a period (default the last 28 days): per rep, the conversations whose
 * clock started in the period and that they answered first, with p50/p90 of the business minutes
 * to that answer and how many came after the target; the queue as it stands now. Manager or admin.
 */
export async function teamFigures(tdb: TenantDb, principal: Principal, inboxId: string, period: { since?: string | undefined; until?: string | undefined }, now = new Date()): Promise<TeamFiguresView> {
  const inbox = await inboxRow(tdb, inboxId);
  if (principal.role !== 'admin' && inbox.manager_id !== principal.userId) throw notFound('team inbox');
  const instantOf = (value: string | undefined, fallback: Date, path: string): string => {
    if (value === undefined) return fallback.toISOString();
    const ms = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw badRequest(`${path}: a date or ISO-8601 instant such as 2026-11-01`, [{ path, message: 'not a date' }]);
    return new Date(ms).toISOString();
  };
  const until = instantOf(period.until, now, 'until');
  const since = instantOf(period.since, new Date(Date.parse(until) - 28 * 86_400_000), 'since');
  const calendar = calendarOf(inbox);
  const zone = (JSON.parse(inbox.calendar) as TeamCalendar).timeZone;
  // Every clock stopped in the period (a conversation the buyer reopened has one per question).
  const answered = await tdb
    .selectFrom('team_responses')
    .innerJoin('conversations', 'conversations.id', 'team_responses.conversation_id')
    .select(['team_responses.conversation_id as id', 'conversations.customer_id', 'team_responses.responder_id', 'team_responses.clock_started_at', 'team_responses.responded_at', 'team_responses.due_at'])
    .where('team_responses.team_inbox_id', '=', inboxId)
    .where('team_responses.clock_started_at', '>=', since)
    .where('team_responses.clock_started_at', '<', until)
    .limit(FIGURES_MAX_CONVERSATIONS + 1)
    .execute();
  if (answered.length > FIGURES_MAX_CONVERSATIONS) throw badRequest(`since: more than ${FIGURES_MAX_CONVERSATIONS} answered conversations between ${since} and ${until}; ask for a shorter period`, [{ path: 'since', message: 'period too long' }]);
  const open = await tdb.selectFrom('conversations').select(['assignee_id', 'state', 'due_at', 'responded_at']).where('team_inbox_id', '=', inboxId).where('state', '!=', 'closed').execute();
  const countries = await buyerCountries(tdb, [...new Map(answered.map((a) => [a.id, a])).values()]);
  const byRep = new Map<string, FirstResponse[]>();
  const byRegion = new Map<RegionCode, FirstResponse[]>();
  const byWeek = new Map<string, { monday: string; responses: FirstResponse[] }>();
  for (const a of answered) {
    const response = { businessMinutes: businessMinutesBetween(calendar, new Date(a.clock_started_at), new Date(a.responded_at)), breached: a.due_at !== null && a.responded_at > a.due_at };
    // An answer nobody can put a name to still counts for the team's region and week.
    if (a.responder_id) push(byRep, a.responder_id, response);
    push(byRegion, regionOf(countries.get(a.id)), response);
    const { week, monday } = isoWeek(formatLocalIso(zone, Date.parse(a.clock_started_at)));
    const w = byWeek.get(week) ?? { monday, responses: [] };
    w.responses.push(response);
    byWeek.set(week, w);
  }
  const members = await membersOf(tdb, inbox);
  const users = await usersById(tdb, [...members.map((m) => m.id), ...byRep.keys()]);
  const repIds = [...new Set([...members.map((m) => m.id), ...byRep.keys()])].filter((id) => users.has(id));
  const nowIso = now.toISOString();
  return {
    inboxId,
    since,
    until,
    reps: repIds
      .map((id) => ({ rep: person(users.get(id))!, ...repFigures(byRep.get(id) ?? []), openNow: open.filter((o) => o.assignee_id === id).length }))
      .sort((a, b) => a.rep.email.localeCompare(b.rep.email)),
    regions: REGION_CODES.filter((r) => byRegion.has(r)).map((region) => ({ region, ...repFigures(byRegion.get(region)!) })),
    weeks: [...byWeek.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, w]) => ({ week, monday: w.monday, ...repFigures(w.responses) })),
    unassignedNow: open.filter((o) => o.assignee_id === null && o.state === 'new').length,
    overdueNow: open.filter((o) => o.responded_at === null && o.due_at !== null && o.due_at <= nowIso && (o.state === 'new' || o.state === 'assigned')).length,
  };
}

/** At most this many answered conversations count in one figures request (bounded work); a longer period is refused. */
export const FIGURES_MAX_CONVERSATIONS = 50_000;

type FirstResponse = { businessMinutes: number; breached: boolean };
function push<K>(map: Map<K, FirstResponse[]>, key: K, value: FirstResponse): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/**
 * Each conversation's buyer country: the company's recorded country, else the client-time
 * inference from the first buyer mail (its address's ccTLD and Date: header), as routing reads it.
 */
async function buyerCountries(tdb: TenantDb, conversations: ReadonlyArray<{ id: string; customer_id: string | null }>): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  const chunk = 500;
  for (let i = 0; i < conversations.length; i += chunk) {
    const part = conversations.slice(i, i + chunk);
    const customerIds = [...new Set(part.map((c) => c.customer_id).filter((id): id is string => id !== null))];
    const known = customerIds.length ? new Map((await tdb.selectFrom('customers').select(['id', 'country']).where('id', 'in', customerIds).execute()).map((c) => [c.id, c.country])) : new Map<string, string | null>();
    const firstMail = new Map<string, { from_address: string | null; date_header: string | null }>();
    const mails = await tdb.selectFrom('mail_messages').select(['conversation_id', 'from_address', 'date_header', 'received_at']).where('conversation_id', 'in', part.map((c) => c.id)).where('direction', '=', 'inbound').where('auto_verdict', '=', 'none').orderBy('received_at').execute();
    for (const m of mails) if (!firstMail.has(m.conversation_id)) firstMail.set(m.conversation_id, m);
    for (const c of part) {
      const recorded = c.customer_id ? known.get(c.customer_id) : null;
      const mail = firstMail.get(c.id);
      result.set(c.id, recorded ?? (mail?.from_address ? inferTimeZone({ email: mail.from_address, ...(mail.date_header ? { dateHeader: mail.date_header } : {}) }).country : null));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Routing and the sync hook

/**
 * Routing rules per pack version. A version is never changed once stored (a push makes a new
 * one), so its parsed rules can be kept for the life of the process; bounded, oldest out first.
 * Parsing a pack's whole document for every arriving inquiry was a third of routing's time
 * (docs/performance.md, "Team inbox").
 */
const RULES_OF_VERSION = new Map<string, readonly RoutingRule[]>();
const RULES_CACHE_MAX = 1_000;

/** Every routing rule in the tenant's published packs (each version once, pack order by slug). */
export async function routingRules(tdb: TenantDb): Promise<RoutingRule[]> {
  const rows = await tdb
    .selectFrom('pack_publications')
    .innerJoin('pack_versions', 'pack_versions.id', 'pack_publications.version_id')
    .innerJoin('packs', 'packs.id', 'pack_publications.pack_id')
    .select(['pack_versions.id', 'packs.slug'])
    .distinct()
    .orderBy('packs.slug')
    .execute();
  const missing = [...new Set(rows.map((r) => r.id).filter((id) => !RULES_OF_VERSION.has(id)))];
  if (missing.length) {
    const documents = await tdb.selectFrom('pack_versions').select(['id', 'document']).where('id', 'in', missing).execute();
    for (const d of documents) {
      if (RULES_OF_VERSION.size >= RULES_CACHE_MAX) RULES_OF_VERSION.delete(RULES_OF_VERSION.keys().next().value!);
      RULES_OF_VERSION.set(d.id, (JSON.parse(d.document) as PackDocument).routing?.rules ?? []);
    }
  }
  const seen = new Set<string>();
  const rules: RoutingRule[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    rules.push(...(RULES_OF_VERSION.get(r.id) ?? []));
  }
  return rules;
}

export interface Routed {
  decision: RoutingDecision;
  assigneeId: string | null;
  /** Why nobody was assigned when a rule asked for someone (an unknown rep, an empty group). */
  unresolved: string | null;
}

/**
 * Applies a routing decision to a conversation entering the queue. Takes the inbox's next turn
 * first (UPDATE … RETURNING): on PostgreSQL that row lock orders concurrent arrivals, so round
 * robin hands out consecutive turns (none twice, none skipped) and least-open counts see the
 * previous arrival's assignment.
 */
export async function routeArrival(tdb: TenantDb, inbox: TeamInboxRow, conversationId: string, inquiry: Inquiry, rules: readonly RoutingRule[], now: Date): Promise<Routed> {
  const decision = routeInquiry(rules, inquiry);
  const turnRow = await tdb.executor
    .updateTable('team_inboxes')
    .set((eb) => ({ turn: eb('turn', '+', 1) }))
    .where('tenant_id', '=', tdb.tenantId)
    .where('id', '=', inbox.id)
    .returning('turn')
    .executeTakeFirstOrThrow();
  const turn = Number(turnRow.turn) - 1;
  let assigneeId: string | null = null;
  let unresolved: string | null = null;
  const a = decision.assign;
  if (a?.kind === 'owner') {
    const owner = (await usersById(tdb, [a.userId])).get(a.userId);
    if (owner && !owner.disabled_at) assigneeId = owner.id;
    else unresolved = 'the buyer\'s owner is no longer active';
  } else if (a?.kind === 'rep') {
    const rep = await tdb.selectFrom('users').select(['id', 'disabled_at']).where('email', '=', a.email).executeTakeFirst();
    if (rep && !rep.disabled_at) assigneeId = rep.id;
    else unresolved = `rule "${a.rule}": no active user ${a.email}`;
  } else if (a?.kind === 'pool') {
    const members = (await membersOf(tdb, inbox, a.group)).map((m) => m.id);
    let openCounts: Map<string, number> | undefined;
    if (a.by === 'least-open' && members.length) {
      const counts = await tdb.selectFrom('conversations').select(['assignee_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('assignee_id', 'in', members).where('state', 'in', ['assigned', 'answered', 'waiting']).groupBy('assignee_id').execute();
      openCounts = new Map(counts.map((c) => [c.assignee_id!, Number(c.n)]));
    }
    assigneeId = pickFromPool(members, a.by, { turn, ...(openCounts ? { openCounts } : {}) });
    if (!assigneeId) unresolved = `rule "${a.rule}": nobody in ${a.group ? `group ${a.group}` : 'the inbox'}`;
  }
  const row = await tdb.selectFrom('conversations').select(['tags', 'state']).where('id', '=', conversationId).executeTakeFirstOrThrow();
  const tags = [...new Set([...(JSON.parse(row.tags) as string[]), ...decision.tags])];
  const at = now.toISOString();
  await tdb
    .updateTable('conversations', { tags: JSON.stringify(tags), ...(assigneeId ? { assignee_id: assigneeId, state: row.state === 'new' ? 'assigned' : row.state, assigned_at: at } : {}), updated_at: at })
    .where('id', '=', conversationId)
    .execute();
  return { decision, assigneeId, unresolved };
}

const ROUTER: Actor = { tenantId: '', userId: null, role: 'admin', permissions: new Set(), label: 'team-inbox routing' };

export interface TeamArrival {
  tdb: TenantDb;
  mailboxId: string;
  conversationId: string;
  /** The conversation's row as the sync has just written it (StoredMessage.conversation.row); read when not given. */
  conversation?: ConversationRow;
  message: { direction: string; auto_verdict: string; received_at: string; from_address: string | null; subject: string; language: string | null; attachments: string; date_header: string | null; message_key?: string | null; reference_keys?: string };
  body: string;
  customerIds: string[];
  live: boolean;
  at: Date;
  /**
   * What holds for a whole sync page, read once (mail/hooks.ts PageMemo.once): the team inbox
   * settings, which nothing in a page changes (routing moves the turn in its own UPDATE … RETURNING).
   * Without it each arrival reads them.
   */
  once?: <T>(key: string, read: () => Promise<T>) => Promise<T>;
}

/**
 * What the sync does for each stored message (mail/hooks.ts): a buyer's mail to a team inbox
 * queues the conversation (routing it on the way in) or reopens it and starts the response clock;
 * our reply — from the role address or a rep's own synced mailbox — stops the clock and records
 * who answered first. Automatic mail (out-of-office, bounces, lists) moves nothing.
 */
export async function teamInboxArrival(arrival: TeamArrival): Promise<void> {
  const { tdb, message, at } = arrival;
  if (message.auto_verdict !== 'none' || message.direction === 'internal') return;
  const conv = arrival.conversation ?? (await tdb.selectFrom('conversations').selectAll().where('id', '=', arrival.conversationId).executeTakeFirst());
  if (!conv) return;
  let inbox: TeamInboxRow | undefined;
  const once = arrival.once ?? (<T>(_key: string, read: () => Promise<T>) => read());
  const inboxId = conv.team_inbox_id;
  if (inboxId) inbox = await once(`team-inbox:inbox:${inboxId}`, () => tdb.selectFrom('team_inboxes').selectAll().where('id', '=', inboxId).executeTakeFirst());
  else if (message.direction === 'inbound') inbox = await once(`team-inbox:of-mailbox:${arrival.mailboxId}`, () => tdb.selectFrom('team_inboxes').selectAll().where('mailbox_id', '=', arrival.mailboxId).executeTakeFirst());
  if (!inbox) return;
  const actor = { ...ROUTER, tenantId: tdb.tenantId };
  const iso = at.toISOString();
  if (message.direction === 'inbound') {
    const entering = !conv.team_inbox_id;
    const status = entering ? { state: 'new' as TeamState, assigneeId: null } : { state: conv.state as TeamState, assigneeId: conv.assignee_id };
    const next = transition(status, { type: 'buyer-wrote' });
    if (!next.ok) return;
    // A clock runs from the first unanswered buyer mail; a second mail before our answer does not restart it.
    const clockRunning = !entering && conv.clock_started_at !== null && conv.responded_at === null && conv.state !== 'closed';
    const due = deadlines(calendarOf(inbox), new Date(message.received_at), inbox.target_hours);
    // Backfilled mail (last month's, read when the mailbox is connected) is queued with its clock,
    // but a warning or breach already past is marked as told: no burst of escalations for old mail.
    const told = (deadline: string) => (!arrival.live && deadline <= iso ? iso : null);
    const clock = clockRunning ? {} : { clock_started_at: message.received_at, ...toDeadlines(due), responded_at: null, warned_at: told(due.warnAt), breached_at: told(due.dueAt) };
    await tdb
      .updateTable('conversations', { team_inbox_id: inbox.id, state: next.status.state, ...clock, ...(next.reopened ? { closed_at: null } : {}), updated_at: iso })
      .where('id', '=', conv.id)
      .execute();
    if (entering) {
      const customer = arrival.customerIds[0] ? await tdb.selectFrom('customers').select(['id', 'owner_id', 'name']).where('id', '=', arrival.customerIds[0]).executeTakeFirst() : undefined;
      const mailbox = await tdb.selectFrom('mailboxes').select('address').where('id', '=', inbox.mailbox_id).executeTakeFirstOrThrow();
      let senderCountry: string | null = null;
      if (message.from_address) senderCountry = inferTimeZone({ email: message.from_address, ...(message.date_header ? { dateHeader: message.date_header } : {}) }).country;
      const inquiry: Inquiry = {
        inbox: mailbox.address,
        subject: message.subject,
        body: arrival.body,
        senderCountry,
        language: message.language,
        knownCustomer: arrival.customerIds.length > 0 && customer !== undefined,
        attachments: (JSON.parse(message.attachments) as unknown[]).length,
        ownerId: customer?.owner_id ?? null,
        company: customer?.name ?? (message.from_address ? companyOfAddress(message.from_address) : null),
      };
      const routed = await routeArrival(tdb, inbox, conv.id, inquiry, await routingRules(tdb), at);
      // Team mail, claimed in this transaction (services/team-mail.ts sends it): routing notices
      // (live mail only) and the buyer's acknowledgement — once per conversation across instances.
      const notified = arrival.live && routed.decision.notify.length ? await claimNotifyNotices(tdb, inbox, mailbox.address, conv.id, routed.decision.notify, routed.decision.matched, due.dueAt, at) : [];
      const ackSkip = acknowledgementSkip({ enabled: inbox.ack_template !== null, autoVerdict: message.auto_verdict, live: arrival.live, entering, sender: message.from_address });
      let acknowledged = false;
      if (!ackSkip && message.from_address) {
        const buyerKey = message.message_key ? `<${message.message_key}>` : null;
        const references = [...(JSON.parse(message.reference_keys ?? '[]') as string[]).map((k) => `<${k}>`), ...(buyerKey ? [buyerKey] : [])].slice(-20);
        acknowledged = await claimTeamMail(tdb, { conversationId: conv.id, inboxId: inbox.id, kind: 'ack', key: `ack:${conv.id}`, userId: null, to: message.from_address, from: mailbox.address, payload: { dueAt: due.dueAt, language: message.language, inReplyTo: buyerKey, references, dateHeader: message.date_header, subject: message.subject }, now: at });
      }
      await audit(tdb, actor, 'team-conversation.route', { type: 'conversation', id: conv.id }, { inbox: inbox.id, matched: routed.decision.matched, assigneeId: routed.assigneeId, tags: routed.decision.tags, notify: routed.decision.notify, notified, acknowledgement: acknowledged ? 'queued' : (ackSkip ?? 'claimed-already'), unresolved: routed.unresolved, live: arrival.live });
    } else if (next.reopened) {
      await audit(tdb, actor, 'team-conversation.reopen', { type: 'conversation', id: conv.id }, { by: 'buyer' });
    }
    return;
  }
  // Our reply (outbound). Our own acknowledgement is not an answer (the clock keeps running); a
  // hand-off sent as the role address is the rep's answer (team_mail says who).
  const ours = await teamMailOfMessage(tdb, message.message_key ?? null);
  if (ours && ours.kind !== 'hand-off') return;
  const next = transition({ state: conv.state as TeamState, assigneeId: conv.assignee_id }, { type: 'we-replied' });
  if (!next.ok) return;
  const sender = ours?.user_id ? { id: ours.user_id } : message.from_address ? await tdb.selectFrom('users').select(['id']).where('email', '=', message.from_address.toLowerCase()).executeTakeFirst() : undefined;
  // Sent from the role address's own mailbox by no rep of ours (Outlook cannot set a reply's From,
  // so a rep answering in the shared mailbox sends as info@): the assignee is taken to have answered.
  const responderId = sender?.id ?? (arrival.mailboxId === inbox.mailbox_id ? conv.assignee_id : null);
  const stopping = conv.clock_started_at !== null && conv.responded_at === null && message.received_at >= conv.clock_started_at;
  if (sender) await endReplying(tdb, conv.id, sender.id, message.received_at);
  if (stopping) {
    await tdb.insertIfAbsent('team_responses', { conversation_id: conv.id, team_inbox_id: inbox.id, clock_started_at: conv.clock_started_at!, responded_at: message.received_at, due_at: conv.due_at, responder_id: responderId }, ['conversation_id', 'clock_started_at']);
  }
  await tdb
    .updateTable('conversations', {
      state: next.status.state,
      ...(stopping ? { responded_at: message.received_at } : {}),
      // Whoever answers an unassigned conversation has it from now on.
      ...(conv.assignee_id === null && sender ? { assignee_id: sender.id, assigned_at: iso } : {}),
      updated_at: iso,
    })
    .where('id', '=', conv.id)
    .execute();
  // Hand-off: the buyer's company is owned by the rep who answered, unless it already has an owner.
  if (responderId && conv.customer_id) await tdb.updateTable('customers', { owner_id: responderId }).where('id', '=', conv.customer_id).where('owner_id', 'is', null).execute();
}

/** A business address's company name as the CRM would name it ("alfanar-trading.sa" → "Alfanar Trading"); null for free mail. */
function companyOfAddress(address: string): string | null {
  const verdict = readEmailDomain(address);
  return verdict.kind === 'country' || verdict.kind === 'generic' ? companyNameOfDomain(verdict.domain, verdict.suffix) : null;
}

const toDeadlines = (d: { warnAt: string; dueAt: string }) => ({ warn_at: d.warnAt, due_at: d.dueAt });
