import { sql, type Kysely } from 'kysely';

/**
 * The manager's first-response figures read each conversation's clock columns, and those are
 * reset when the buyer writes again (a new clock for the new question): the earlier answer then
 * vanished from every figure — per rep, region and week. Each stopped clock is now kept as a row
 * of its own, written when the sync sees the answer; existing answered clocks are copied in, and
 * the conversation's `first_responder_id`, which these rows now say better, goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_responses')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('team_inbox_id', 'text', (c) => c.notNull())
    .addColumn('clock_started_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('responder_id', 'text')
    .addPrimaryKeyConstraint('team_responses_pk', ['tenant_id', 'conversation_id', 'clock_started_at'])
    .execute();
  await db.schema.createIndex('team_responses_inbox_ix').on('team_responses').columns(['tenant_id', 'team_inbox_id', 'clock_started_at']).execute();
  await sql`insert into team_responses (tenant_id, conversation_id, team_inbox_id, clock_started_at, responded_at, due_at, responder_id)
    select tenant_id, id, team_inbox_id, clock_started_at, responded_at, due_at, first_responder_id from conversations
    where team_inbox_id is not null and clock_started_at is not null and responded_at is not null`.execute(db);
  await db.schema.alterTable('conversations').dropColumn('first_responder_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('first_responder_id', 'text').execute();
  await db.schema.dropTable('team_responses').execute();
}
