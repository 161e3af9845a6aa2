import { sql } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { ActivityRow, TaskRow } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { businessCalendar, ClientTimeError, dueIn, type DueRule } from '../../core/clienttime/index.js';
import { parseDateHeader } from '../../core/clienttime/date-header.js';
import { formatOffset } from '../../core/clienttime/zones.js';
import { companyOfDomain, customerOfEmail, findContact, learnDisplayName, learnFromInboundMail, upsertContact } from './customers.js';
import { parseMailbox } from '../../core/crm/mailbox.js';
import { calendarOfRecipient } from './client-time.js';
import { normaliseEmail } from './people.js';
import { messageIdKey } from '../../core/crm/index.js';
import type { Activity as ActivityView, LogRequest, LogResult, Task as TaskView, Timeline } from '../../contract/crm.js';
import { enqueue } from './connectors.js';

export type { ActivityView, LogResult, TaskView };

/**
 * The built-in CRM log: mails logged once per tenant (idempotent on the Internet Message-ID,
 * whichever face or rep logs it), and follow-up tasks due in the client's business time.
 */

/** A mail to log, as POST /log takes it. */
export type LogMailInput = LogRequest;

const SNIPPET_MAX = 500;

/** The Message-ID as the log keys it; a clear 400 when it is not one. */
export function normaliseMessageId(raw: string): string {
  const id = messageIdKey(raw);
  if (!id) throw badRequest(`"${raw.slice(0, 80)}" is not an Internet Message-ID`, [{ path: 'messageId', message: 'not a Message-ID' }]);
  return id;
}

/** E-mails of users by id, in one query for a whole list (a timeline of 200 mails is one lookup). */
async function emailsOf(tdb: TenantDb, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = await tdb.selectFrom('users').select(['id', 'email']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

async function activityViews(tdb: TenantDb, rows: ActivityRow[]): Promise<ActivityView[]> {
  const emails = await emailsOf(tdb, rows.map((r) => r.logged_by));
  return rows.map((row) => activityView(row, emails.get(row.logged_by)));
}

async function taskViews(tdb: TenantDb, rows: TaskRow[]): Promise<TaskView[]> {
  const emails = await emailsOf(tdb, rows.map((r) => r.assignee_id));
  return rows.map((row) => taskView(row, emails.get(row.assignee_id)));
}

async function oneActivityView(tdb: TenantDb, row: ActivityRow): Promise<ActivityView> {
  return (await activityViews(tdb, [row]))[0]!;
}

async function oneTaskView(tdb: TenantDb, row: TaskRow): Promise<TaskView> {
  return (await taskViews(tdb, [row]))[0]!;
}

function activityView(row: ActivityRow, loggedBy: string | undefined): ActivityView {
  return {
    id: row.id,
    messageId: row.message_id,
    threadId: row.thread_id,
    direction: row.direction,
    occurredAt: row.occurred_at,
    utcOffset: row.utc_offset,
    from: row.from_address,
    to: JSON.parse(row.to_addresses) as string[],
    subject: row.subject,
    snippet: row.snippet,
    customerId: row.customer_id,
    contactId: row.contact_id,
    loggedBy: loggedBy ?? 'a former user',
    loggedVia: row.logged_via,
    loggedAt: row.created_at,
  };
}

export async function logMail(tdb: TenantDb, actor: Actor, input: LogMailInput): Promise<LogResult> {
  if (!actor.userId) throw forbidden('mails are logged by a user');
  const messageId = normaliseMessageId(input.messageId);
  // `Name <address>` or a bare address: the address is the key, the name is learned
  const mailbox = (raw: string, path: string) => {
    const parsed = parseMailbox(raw);
    return { address: normaliseEmail(parsed?.address ?? raw, path), name: parsed?.name ?? null };
  };
  const fromBox = mailbox(input.from, 'from');
  const toBoxes = input.to.map((t, i) => mailbox(t, `to[${i}]`));
  const from = fromBox.address;
  const to = toBoxes.map((b) => b.address);
  if (to.length === 0) throw badRequest('to: at least one recipient', [{ path: 'to', message: 'must not be empty' }]);
  let occurredAt = input.sentAt ? new Date(input.sentAt) : new Date();
  let utcOffset: string | null = null;
  if (input.dateHeader) {
    try {
      const header = parseDateHeader(input.dateHeader);
      occurredAt = new Date(header.instantMs);
      utcOffset = header.offsetMinutes === null ? null : formatOffset(header.offsetMinutes);
    } catch (error) {
      if (error instanceof ClientTimeError) throw badRequest(`dateHeader: ${error.message}`, [{ path: 'dateHeader', message: error.message }]);
      throw error;
    }
  }
  if (Number.isNaN(occurredAt.getTime())) throw badRequest('sentAt: not an ISO-8601 instant', [{ path: 'sentAt', message: 'not an instant' }]);

  return tdb.transaction(async (t) => {
    const existing = await t.selectFrom('activities').selectAll().where('message_id', '=', messageId).executeTakeFirst();
    if (existing) return { status: 'already-logged' as const, activity: await oneActivityView(t, existing) };

    // The client is the other side: the sender of an inbound mail, the first recipient of an outbound one.
    const clientBox = input.direction === 'inbound' ? fromBox : toBoxes[0]!;
    const client = clientBox.address;
    let contact = input.direction === 'inbound' && input.dateHeader
      ? await learnFromInboundMail(t, actor, { from: client, dateHeader: input.dateHeader })
      : await upsertContact(t, actor, { email: client });
    if (clientBox.name) contact = await learnDisplayName(t, contact, clientBox.name);
    // a business domain becomes its company (never a free-mail one, never our own)
    const customer = contact.customerId ? { id: contact.customerId } : ((await customerOfEmail(t, client)) ?? (await companyOfDomain(t, client, 'email' in actor && typeof actor.email === 'string' ? actor.email : null)));
    const id = newId();
    const inserted = await t.insertIfAbsent(
      'activities',
      {
        id,
        customer_id: customer?.id ?? null,
        contact_id: contact.id,
        kind: 'email',
        direction: input.direction,
        message_id: messageId,
        thread_id: input.threadId ?? null,
        occurred_at: occurredAt.toISOString(),
        utc_offset: utcOffset,
        from_address: from,
        to_addresses: JSON.stringify(to),
        subject: input.subject.slice(0, 998),
        snippet: (input.snippet ?? '').replace(/\s+/g, ' ').trim().slice(0, SNIPPET_MAX),
        logged_by: actor.userId!,
        logged_via: input.via,
        created_at: nowIso(),
      },
      ['message_id'],
    );
    const row = (await t.selectFrom('activities').selectAll().where('message_id', '=', messageId).executeTakeFirst())!;
    const activity = await oneActivityView(t, row);
    if (inserted) {
      // Owed to every connector, in the same transaction as our own log: nothing lost if a CRM is down.
      const company = customer ? await t.selectFrom('customers').select('name').where('id', '=', customer.id).executeTakeFirst() : undefined;
      const domains = customer ? (await t.selectFrom('customer_domains').select('domain').where('customer_id', '=', customer.id).execute()).map((d) => d.domain) : [];
      await enqueue(t, {
        type: 'email.logged',
        id: `email.logged:${row.id}`,
        occurredAt: row.created_at,
        activity: { messageId, threadId: row.thread_id, direction: row.direction, occurredAt: row.occurred_at, from, to, subject: row.subject, snippet: row.snippet, loggedBy: activity.loggedBy },
        contact: { email: contact.email, firstName: contact.firstName, lastName: contact.lastName },
        company: company ? { name: company.name, domains } : null,
      });
    }
    return { status: inserted ? ('logged' as const) : ('already-logged' as const), activity };
  });
}

export async function logStatus(tdb: TenantDb, messageId: string): Promise<ActivityView | null> {
  const row = await tdb.selectFrom('activities').selectAll().where('message_id', '=', normaliseMessageId(messageId)).executeTakeFirst();
  return row ? oneActivityView(tdb, row) : null;
}


function taskView(row: TaskRow, assignee: string | undefined): TaskView {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    status: row.status,
    dueAt: row.due_at,
    dueLocal: row.due_local,
    dueTimeZone: row.due_time_zone,
    assignee: assignee ?? 'a former user',
    customerId: row.customer_id,
    contactId: row.contact_id,
    activityId: row.activity_id,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export type DueInput = { rule: DueRule } | { at: string };

/** The due instant: an explicit one, or a rule counted in the client's business days (the rep's own when the client's zone is unknown). */
async function resolveDue(tdb: TenantDb, actor: Actor, clientEmail: string | null, due: DueInput | undefined, now: Date): Promise<{ at: string | null; local: string | null; zone: string | null; reason: string }> {
  if (!due) return { at: null, local: null, zone: null, reason: 'no due date' };
  if ('at' in due) {
    const at = new Date(due.at);
    if (Number.isNaN(at.getTime())) throw badRequest('due.at: not an ISO-8601 instant', [{ path: 'due.at', message: 'not an instant' }]);
    return { at: at.toISOString(), local: null, zone: null, reason: 'the date you gave' };
  }
  const client = clientEmail ? await calendarOfRecipient(tdb, clientEmail) : null;
  let calendar = client?.calendar;
  let reason = client ? `in ${due.rule.businessDays} of the client's business days (${client.calendar.timeZone}) at ${due.rule.at} their time` : '';
  if (!calendar) {
    const me = await tdb.selectFrom('users').select('time_zone').where('id', '=', actor.userId ?? '').executeTakeFirst();
    calendar = businessCalendar(null, me?.time_zone ?? 'UTC');
    reason = `the client's time zone is unknown: in ${due.rule.businessDays} of your business days at ${due.rule.at} your time`;
  }
  try {
    const d = dueIn(now, calendar, due.rule);
    return { at: d.at, local: d.local, zone: d.timeZone, reason };
  } catch (error) {
    if (error instanceof ClientTimeError) throw badRequest(`due: ${error.message}`, [{ path: 'due', message: error.message }]);
    throw error;
  }
}

export interface TaskInput {
  title?: string | undefined;
  notes?: string | undefined;
  /** Turn a logged mail into a task: title from its subject, notes linking back to it. */
  messageId?: string | undefined;
  /** A link the face can open (Outlook web link, Gmail thread URL) for the notes. */
  link?: string | undefined;
  contact?: string | undefined;
  due?: DueInput | undefined;
}

const ALREADY = 'you already have an open task for this mail';

/** The rep's open task made from this logged mail, if any (at most one: a partial unique index). */
async function openTaskForMail(tdb: TenantDb, activityId: string, userId: string): Promise<TaskRow | undefined> {
  return tdb.selectFrom('tasks').selectAll().where('activity_id', '=', activityId).where('assignee_id', '=', userId).where('status', '=', 'open').executeTakeFirst();
}

/**
 * A follow-up task. From a logged mail it is idempotent per mail and rep, like the log: while the
 * rep's task for that mail is open, asking again answers that task (`existing: true`) — from the
 * pane, the Gmail card or the API, and also when two requests race (the unique index decides).
 */
export async function createTask(tdb: TenantDb, actor: Actor, input: TaskInput, now = new Date()): Promise<TaskView & { dueReason: string; existing: boolean }> {
  const userId = actor.userId;
  if (!userId) throw forbidden('tasks are assigned to a user');
  const activity = input.messageId ? await tdb.selectFrom('activities').selectAll().where('message_id', '=', normaliseMessageId(input.messageId)).executeTakeFirst() : undefined;
  if (input.messageId && !activity) throw notFound('a logged mail with that Message-ID (log it first)');
  if (activity) {
    const open = await openTaskForMail(tdb, activity.id, userId);
    if (open) return { ...(await oneTaskView(tdb, open)), dueReason: ALREADY, existing: true };
  }
  if (input.link && !/^https:\/\//.test(input.link)) throw badRequest('link: must be an https URL', [{ path: 'link', message: 'must be https' }]);
  const title = (input.title ?? (activity ? `Follow up: ${activity.subject}` : '')).trim();
  if (!title) throw badRequest('title: give a title, or the messageId of a logged mail', [{ path: 'title', message: 'is required' }]);
  const clientEmail = input.contact ? normaliseEmail(input.contact, 'contact') : activity ? (activity.direction === 'inbound' ? activity.from_address : (JSON.parse(activity.to_addresses) as string[])[0] ?? null) : null;
  const contact = clientEmail ? await findContact(tdb, clientEmail) : undefined;
  const due = await resolveDue(tdb, actor, clientEmail, input.due, now);
  const notes = [input.notes?.trim(), activity ? `Mail: "${activity.subject}" from ${activity.from_address} on ${activity.occurred_at} (Message-ID <${activity.message_id}>)` : undefined, input.link]
    .filter(Boolean)
    .join('\n');
  const id = newId();
  const created = nowIso();
  return tdb.transaction(async (tx) => {
    const row = {
      id,
      tenant_id: tx.tenantId,
      customer_id: activity?.customer_id ?? contact?.customer_id ?? null,
      contact_id: contact?.id ?? activity?.contact_id ?? null,
      activity_id: activity?.id ?? null,
      title: title.slice(0, 300),
      notes: notes.slice(0, 5000),
      due_at: due.at,
      due_local: due.local,
      due_time_zone: due.zone,
      assignee_id: userId,
      status: 'open' as const,
      created_by: userId,
      created_at: created,
      updated_at: created,
      completed_at: null,
    };
    // The conflict target names the partial index (009_task_dedupe): a racing twin inserts nothing.
    const inserted = await tx.executor
      .insertInto('tasks')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'activity_id', 'assignee_id']).where(sql<boolean>`status = 'open' and activity_id is not null`).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const open = activity ? await openTaskForMail(tx, activity.id, userId) : undefined;
      if (!open) throw new Error('task insert did nothing and no open task exists');
      return { ...(await oneTaskView(tx, open)), dueReason: ALREADY, existing: true };
    }
    const view = await oneTaskView(tx, (await tx.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst())!);
    await enqueue(tx, {
      type: 'task.created',
      id: `task.created:${id}`,
      occurredAt: created,
      task: { id, title: view.title, notes: view.notes, dueAt: view.dueAt, dueLocal: view.dueLocal, dueTimeZone: view.dueTimeZone, assignee: view.assignee },
      contact: contact ? { email: contact.email, firstName: contact.first_name, lastName: contact.last_name } : clientEmail ? { email: clientEmail } : null,
      messageId: activity?.message_id ?? null,
    });
    return { ...view, dueReason: due.reason, existing: false };
  });
}

/** Reps see their own tasks; a manager (people:read) may see the whole team's. */
export async function listTasks(tdb: TenantDb, actor: Actor, options: { status?: 'open' | 'done'; everyone?: boolean } = {}): Promise<TaskView[]> {
  if (options.everyone && !actor.permissions.has('people:read')) throw forbidden("only admins see the whole team's tasks");
  let q = tdb.selectFrom('tasks').selectAll();
  if (!options.everyone) q = q.where('assignee_id', '=', actor.userId ?? '');
  if (options.status) q = q.where('status', '=', options.status);
  const rows = await q.orderBy('due_at').orderBy('created_at').limit(500).execute();
  return taskViews(tdb, rows);
}

async function ownTask(tdb: TenantDb, actor: Actor, taskId: string): Promise<TaskRow> {
  const row = await tdb.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!row || (row.assignee_id !== actor.userId && !actor.permissions.has('people:write'))) throw notFound('task');
  return row;
}

export async function completeTask(tdb: TenantDb, actor: Actor, taskId: string): Promise<TaskView> {
  const row = await ownTask(tdb, actor, taskId);
  if (row.status !== 'done') {
    const now = nowIso();
    await tdb.updateTable('tasks', { status: 'done', completed_at: now, updated_at: now }).where('id', '=', taskId).execute();
  }
  return oneTaskView(tdb, (await tdb.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst())!);
}

export async function rescheduleTask(tdb: TenantDb, actor: Actor, taskId: string, due: DueInput, now = new Date()): Promise<TaskView & { dueReason: string }> {
  const row = await ownTask(tdb, actor, taskId);
  const contact = row.contact_id ? await tdb.selectFrom('contacts').select('email').where('id', '=', row.contact_id).executeTakeFirst() : undefined;
  const resolved = await resolveDue(tdb, actor, contact?.email ?? null, due, now);
  await tdb.updateTable('tasks', { due_at: resolved.at, due_local: resolved.local, due_time_zone: resolved.zone, updated_at: nowIso() }).where('id', '=', taskId).execute();
  return { ...(await oneTaskView(tdb, (await tdb.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst())!)), dueReason: resolved.reason };
}

/** A customer's mails and tasks, newest first. */
export async function timeline(tdb: TenantDb, customerId: string): Promise<Timeline> {
  const customer = await tdb.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
  if (!customer) throw notFound('customer');
  const mails = await tdb.selectFrom('activities').selectAll().where('customer_id', '=', customerId).orderBy('occurred_at', 'desc').limit(200).execute();
  const tasks = await tdb.selectFrom('tasks').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(200).execute();
  return { mails: await activityViews(tdb, mails), tasks: await taskViews(tdb, tasks) };
}
