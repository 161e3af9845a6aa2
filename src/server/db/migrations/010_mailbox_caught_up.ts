import { sql, type Kysely } from 'kysely';

/**
 * When a mailbox's backfill first caught up (null while it is (re)read from the start of its
 * window). The status cannot say it: a live mailbox whose pass failed shows `retrying`, and the
 * mail its next pass finds is still live mail (events, hooks with `live`). Mailboxes live today
 * caught up when they were last updated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mailboxes').addColumn('caught_up_at', 'text').execute();
  await sql`UPDATE mailboxes SET caught_up_at = updated_at WHERE status = 'live' AND cursor IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mailboxes').dropColumn('caught_up_at').execute();
}
