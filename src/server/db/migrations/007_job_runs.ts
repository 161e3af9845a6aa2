import type { Kysely } from 'kysely';

/**
 * Periodic jobs that must run once per interval across all store instances (the Gmail signature
 * drift check), not once per instance: one row per job, holding who runs it now (a lease, so a
 * dead instance does not block it for ever) and when it last finished. A system table: no tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
}
