import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { audit } from '../services/audit.js';
import { enqueue } from '../services/connectors.js';
import { claimTeamMail } from '../services/team-mail.js';
import type { Actor } from '../auth/principal.js';
import { startPeriodicJob } from './periodic.js';

/**
 * The response clock's pass (docs/team-inbox.md): conversations past 75 % of their first-response
 * target get a warning to the assignee, past 100 % an escalation to the manager — each an outbox
 * event (`team-inbox.warning` / `team-inbox.breached`, for the webhook), a mail to that person
 * (claimed in `team_mail`, sent by jobs/team-mail.ts) and an audit entry, once
 * per clock. "Once" holds across instances by the conditional UPDATE that stamps warned_at /
 * breached_at: of two instances passing at the same moment, one stamps and reports, the other
 * updates nothing. This job reads every tenant's queue; each write goes through that tenant's TenantDb.
 */

const CLOCK_EVERY_MS = 60_000;
const BATCH = 500;

export interface ClockPassResult {
  warned: number;
  breached: number;
}

export async function runClockPass(db: Kysely<Database>, now: Date): Promise<ClockPassResult> {
  const nowIso = now.toISOString();
  const result: ClockPassResult = { warned: 0, breached: 0 };
  for (const phase of ['breached', 'warning'] as const) {
    const mark = phase === 'breached' ? 'breached_at' : 'warned_at';
    const deadline = phase === 'breached' ? 'due_at' : 'warn_at';
    // Cross-tenant read on purpose (a job, like the outbox worker); the writes below are tenant-scoped.
    // Pages of BATCH in deadline order until a short page: bounded memory, and a burst of due
    // clocks (a Monday morning) is told in this pass, not BATCH a minute. The predicates are those
    // of the partial indexes of migration 020, word for word, so the database reads only due clocks.
    for (;;) {
      const due = await db
        .selectFrom('conversations')
        .innerJoin('team_inboxes', 'team_inboxes.id', 'conversations.team_inbox_id')
        .innerJoin('mailboxes', 'mailboxes.id', 'team_inboxes.mailbox_id')
        .select(['conversations.id', 'conversations.tenant_id', 'conversations.subject', 'conversations.participants', 'conversations.assignee_id', 'conversations.clock_started_at', 'conversations.due_at', 'team_inboxes.id as inbox_id', 'team_inboxes.manager_id', 'mailboxes.address'])
        .where('conversations.responded_at', 'is', null)
        .where(`conversations.${mark}`, 'is', null)
        .where(sql<boolean>`conversations.state in ('new', 'assigned')`)
        .where(`conversations.${deadline}`, '<=', nowIso)
        .orderBy(`conversations.${deadline}`)
        .limit(BATCH)
        .execute();
      for (const c of due) {
        const fired = await db.transaction().execute(async (trx) => {
          const tdb = new TenantDb(trx, c.tenant_id);
          const stamped = await tdb.updateTable('conversations', { [mark]: nowIso }).where('id', '=', c.id).where(mark, 'is', null).where('responded_at', 'is', null).executeTakeFirst();
          if (Number(stamped.numUpdatedRows) !== 1) return false;
          const people = await tdb.selectFrom('users').select(['id', 'email']).where('id', 'in', [c.assignee_id ?? '', c.manager_id ?? '']).execute();
          const emailOf = (id: string | null) => people.find((p) => p.id === id)?.email ?? null;
          const type = phase === 'breached' ? 'team-inbox.breached' : 'team-inbox.warning';
          await enqueue(tdb, {
            type,
            id: `${type}:${c.id}:${c.clock_started_at}`,
            occurredAt: nowIso,
            inbox: { id: c.inbox_id, address: c.address, managerEmail: emailOf(c.manager_id) },
            conversation: { id: c.id, subject: c.subject, buyer: (JSON.parse(c.participants) as string[])[0] ?? null, assigneeEmail: emailOf(c.assignee_id), clockStartedAt: c.clock_started_at!, dueAt: c.due_at! },
          });
          // The mail to the person (services/team-mail.ts sends it), claimed with the stamp: once per clock.
          const toId = phase === 'breached' ? c.manager_id : c.assignee_id;
          const toEmail = emailOf(toId);
          const kind = phase === 'breached' ? 'breach' : 'warning';
          const mailed = toId && toEmail ? await claimTeamMail(tdb, { conversationId: c.id, inboxId: c.inbox_id, kind, key: `${kind}:${c.id}:${c.clock_started_at}`, userId: toId, to: toEmail, from: c.address, payload: { dueAt: c.due_at }, now }) : false;
          const actor: Actor = { tenantId: c.tenant_id, userId: null, role: 'admin', permissions: new Set(), label: 'team-inbox clock' };
          await audit(tdb, actor, type, { type: 'conversation', id: c.id }, { notify: toEmail, mailed });
          return true;
        });
        if (fired) result[phase === 'breached' ? 'breached' : 'warned']++;
      }
      if (due.length < BATCH) break;
    }
  }
  return result;
}

/** Runs the pass once a minute across instances (job_runs lease). */
export function startTeamInboxClock(db: Kysely<Database>, instanceId: string, onError: (error: unknown) => void): () => Promise<void> {
  return startPeriodicJob(db, { name: 'team-inbox-clock', instanceId, everyMs: CLOCK_EVERY_MS }, async () => {
    await runClockPass(db, new Date());
  }, onError);
}
