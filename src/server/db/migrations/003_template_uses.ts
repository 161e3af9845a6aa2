import type { Kysely } from 'kysely';

/** How often each rep inserts each template, per ISO week: ranks their search, feeds usage reports. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('template_uses')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('template_uses_pk', ['tenant_id', 'user_id', 'pack', 'template_id', 'week'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('template_uses').execute();
}
