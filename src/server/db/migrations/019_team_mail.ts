import type { Kysely } from 'kysely';

/**
 * The team inbox's mail (docs/team-inbox.md): which template acknowledges an inquiry and which one
 * a rep hands off with (per inbox), and `team_mail`, the outbox of what the team inbox sends —
 * acknowledgements, warnings, escalations, routing notices — and the record of hand-offs. A row is
 * claimed by a unique key (`dedupe_key`: "ack:<conversation>", "warning:<conversation>:<clock>", …)
 * in the transaction that decides it, so it exists once whatever the number of instances; a job
 * sends it with retry and leases it while sending.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // JSON {pack, template}; null = no auto-acknowledgement / no hand-off template chosen
  await db.schema.alterTable('team_inboxes').addColumn('ack_template', 'text').execute();
  await db.schema.alterTable('team_inboxes').addColumn('handoff_template', 'text').execute();

  await db.schema
    .createTable('team_mail')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('team_inbox_id', 'text', (c) => c.notNull())
    // ack | warning | breach | notify | hand-off
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    // the user told (warning, breach, notify) or who handed off; null for the buyer's acknowledgement
    .addColumn('user_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    // pending | sending | sent | skipped | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    // the Message-ID given to the mail before it is sent (the sync recognises the sent copy by it)
    .addColumn('message_id', 'text', (c) => c.notNull())
    // what the mail needs beyond the conversation (JSON): the deadline, the rule, the language…
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('team_mail_dedupe_uq').on('team_mail').columns(['tenant_id', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('team_mail_due_ix').on('team_mail').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('team_mail_message_ix').on('team_mail').columns(['tenant_id', 'message_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_mail').execute();
  await db.schema.alterTable('team_inboxes').dropColumn('handoff_template').execute();
  await db.schema.alterTable('team_inboxes').dropColumn('ack_template').execute();
}
