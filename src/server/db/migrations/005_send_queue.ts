import { sql, type Kysely } from 'kysely';

/**
 * The scheduled-send queue grows what exactly-once sending needs: what the rep scheduled (thread,
 * subject, recipients), the draft's Message-ID recorded before each send, Gmail's id of the sent
 * message, a human reason, and a revision for event ids. Plus per-user Google grants.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scheduled_sends').addColumn('thread_id', 'text').execute();
  await db.schema.alterTable('scheduled_sends').addColumn('subject', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('scheduled_sends').addColumn('recipients', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('scheduled_sends').addColumn('rfc822_message_id', 'text').execute();
  await db.schema.alterTable('scheduled_sends').addColumn('provider_message_id', 'text').execute();
  await db.schema.alterTable('scheduled_sends').addColumn('reason', 'text').execute();
  await db.schema.alterTable('scheduled_sends').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('scheduled_sends_user_ix').on('scheduled_sends').columns(['tenant_id', 'user_id', 'send_at']).execute();
  await db.schema.createIndex('scheduled_sends_tenant_ix').on('scheduled_sends').columns(['tenant_id', 'status', 'send_at']).execute();
  // One live item per draft: two would send it twice. Partial unique indexes exist in both dialects.
  await sql`create unique index scheduled_sends_live_draft_uq on scheduled_sends (tenant_id, user_id, draft_id) where status in ('pending', 'sending')`.execute(db);

  await db.schema
    .createTable('google_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('refresh_token', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('revoked_reason', 'text')
    .addPrimaryKeyConstraint('google_grants_pk', ['tenant_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('google_grants').execute();
  await sql`drop index scheduled_sends_live_draft_uq`.execute(db);
  await db.schema.dropIndex('scheduled_sends_tenant_ix').execute();
  await db.schema.dropIndex('scheduled_sends_user_ix').execute();
  for (const column of ['revision', 'reason', 'provider_message_id', 'rfc822_message_id', 'recipients', 'subject', 'thread_id']) {
    await db.schema.alterTable('scheduled_sends').dropColumn(column).execute();
  }
}
