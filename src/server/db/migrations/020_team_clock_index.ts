import { sql, type Kysely } from 'kysely';

/**
 * The response clock's pass (jobs/team-inbox-clock.ts) asks every minute, on every instance, for
 * the running clocks whose 75 % mark or target has passed and was not told yet. Without an index
 * that was a scan of every conversation (100,000 open ones: docs/performance.md, "Team inbox").
 * Two partial indexes hold only the clocks still to tell, ordered by the moment they fall due, so
 * the pass reads the due ones and stops. The pass's query repeats these predicates word for word
 * (SQLite uses a partial index only when the query's WHERE names its terms).
 *
 * The lists of `/inbox` page by (last_message_at, id) (services/team-inbox.ts): the team index
 * of migration 014 gains the id, so a page is read in order from the index instead of sorting
 * every conversation of the inbox (50,000 in a backlog) for each page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index conversations_clock_warn_ix on conversations (warn_at) where responded_at is null and warned_at is null and state in ('new', 'assigned')`.execute(db);
  await sql`create index conversations_clock_due_ix on conversations (due_at) where responded_at is null and breached_at is null and state in ('new', 'assigned')`.execute(db);
  await db.schema.createIndex('conversations_team_list_ix').on('conversations').columns(['tenant_id', 'team_inbox_id', 'state', 'last_message_at', 'id']).execute();
  await db.schema.dropIndex('conversations_team_ix').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('conversations_team_ix').on('conversations').columns(['tenant_id', 'team_inbox_id', 'state', 'last_message_at']).execute();
  await db.schema.dropIndex('conversations_team_list_ix').execute();
  await sql`drop index conversations_clock_due_ix`.execute(db);
  await sql`drop index conversations_clock_warn_ix`.execute(db);
}
