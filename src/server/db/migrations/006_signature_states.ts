import type { Kysely } from 'kysely';

/**
 * The last signature state seen per rep, channel and sending address: what the Outlook add-in saw
 * on send (ok / missing / altered) and what the Gmail push found (pushed / unchanged / drifted /
 * failed). One current row per (tenant, user, channel, address), upserted in one statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signature_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('pack', 'text')
    .addColumn('signature_id', 'text')
    .addColumn('hash', 'text')
    .addColumn('client', 'text')
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('state_since', 'text', (c) => c.notNull())
    .addUniqueConstraint('signature_states_current_uq', ['tenant_id', 'user_id', 'channel', 'address'])
    .execute();
  await db.schema.createIndex('signature_states_state_ix').on('signature_states').columns(['tenant_id', 'state']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('signature_states').execute();
}
