import type { Kysely } from 'kysely';

/**
 * Directory sync (docs/admin.md): the profile fields signatures use, read from Microsoft Entra ID.
 * `users.pinned_fields` names the fields an admin set by hand and keeps (JSON array); the
 * directory source holds the app registration (its secret sealed) and the last run's summary.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('pinned_fields', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema
    .createTable('directory_sources')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    // entra
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .addColumn('last_summary', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('directory_sources').execute();
  await db.schema.alterTable('users').dropColumn('pinned_fields').execute();
}
