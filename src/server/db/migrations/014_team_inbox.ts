import type { Kysely } from 'kysely';

/**
 * The team inbox (docs/team-inbox.md): a connected mailbox marked as a team inbox (members by
 * group, a manager, a first-response target in business hours of a calendar, the round-robin
 * turn counter); on each conversation the inbox it belongs to, tags and the response clock;
 * internal notes; presence ("Linda is replying"); the owner of a buyer's company.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_inboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('manager_id', 'text')
    .addColumn('target_hours', 'integer', (c) => c.notNull().defaultTo(24))
    // {country, timeZone, start, end}: the company's calendar the clock counts in
    .addColumn('calendar', 'text', (c) => c.notNull())
    // Round robin: each routing decision takes the next turn in one UPDATE … RETURNING.
    .addColumn('turn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_inboxes_mailbox_uq').on('team_inboxes').columns(['tenant_id', 'mailbox_id']).unique().execute();

  const add = async (column: string, type: 'text' | 'integer', defaultText?: string) => {
    await db.schema
      .alterTable('conversations')
      .addColumn(column, type, (c) => (defaultText === undefined ? c : c.notNull().defaultTo(defaultText)))
      .execute();
  };
  await add('team_inbox_id', 'text');
  await add('tags', 'text', '[]');
  await add('clock_started_at', 'text');
  await add('warn_at', 'text');
  await add('due_at', 'text');
  await add('responded_at', 'text');
  await add('warned_at', 'text');
  await add('breached_at', 'text');
  await add('first_responder_id', 'text');
  await add('assigned_at', 'text');
  await add('closed_at', 'text');
  await db.schema.createIndex('conversations_team_ix').on('conversations').columns(['tenant_id', 'team_inbox_id', 'state', 'last_message_at']).execute();
  await db.schema.createIndex('conversations_assignee_ix').on('conversations').columns(['tenant_id', 'assignee_id', 'state']).execute();

  await db.schema.alterTable('customers').addColumn('owner_id', 'text').execute();

  await db.schema
    .createTable('team_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_notes_conversation_ix').on('team_notes').columns(['conversation_id', 'created_at']).execute();

  await db.schema
    .createTable('team_presence')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_presence_pk', ['tenant_id', 'conversation_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_presence').execute();
  await db.schema.dropTable('team_notes').execute();
  await db.schema.alterTable('customers').dropColumn('owner_id').execute();
  await db.schema.dropIndex('conversations_assignee_ix').execute();
  await db.schema.dropIndex('conversations_team_ix').execute();
  for (const column of ['closed_at', 'assigned_at', 'first_responder_id', 'breached_at', 'warned_at', 'responded_at', 'due_at', 'warn_at', 'clock_started_at', 'tags', 'team_inbox_id']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
  await db.schema.dropTable('team_inboxes').execute();
}
