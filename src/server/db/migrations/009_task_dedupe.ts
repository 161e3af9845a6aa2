import { sql, type Kysely } from 'kysely';

/**
 * "Turn into task" is idempotent per mail and rep, like the CRM log: at most one open task per
 * (tenant, logged mail, assignee). Duplicates made before this rule (identical copies from a
 * second click) are closed, the oldest kept open, so the unique index can be built; a task not
 * made from a mail, or one already done, is not constrained.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  await sql`
    UPDATE tasks SET status = 'done', completed_at = ${now}, updated_at = ${now}
    WHERE status = 'open' AND activity_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM tasks AS older
      WHERE older.tenant_id = tasks.tenant_id AND older.activity_id = tasks.activity_id AND older.assignee_id = tasks.assignee_id
        AND older.status = 'open' AND (older.created_at < tasks.created_at OR (older.created_at = tasks.created_at AND older.id < tasks.id))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX tasks_open_per_mail_uq ON tasks (tenant_id, activity_id, assignee_id) WHERE status = 'open' AND activity_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX tasks_open_per_mail_uq`.execute(db);
}
