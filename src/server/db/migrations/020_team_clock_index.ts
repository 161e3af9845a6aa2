import { sql, type Kysely } from 'kysely';

/**
 * The response clock's pass (jobs/team-inbox-clock.ts) asks every minute, on every instance, for
 * the running clocks whose 75 % mark or target has passed and was not told yet. Without an index
 * that was a scan of every conversation (100,000 open ones: docs/performance.md, "Team inbox").
 * Two partial indexes hold only the clocks still to tell, ordered by the moment they fall due, so
 * the pass reads the due ones and stops. The pass's query repeats these predicates word for word
 * (SQLite uses a partial index only when the query's WHERE names its terms).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index conversations_clock_warn_ix on conversations (warn_at) where responded_at is null and warned_at is null and state in ('new', 'assigned')`.execute(db);
  await sql`create index conversations_clock_due_ix on conversations (due_at) where responded_at is null and breached_at is null and state in ('new', 'assigned')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index conversations_clock_due_ix`.execute(db);
  await sql`drop index conversations_clock_warn_ix`.execute(db);
}
