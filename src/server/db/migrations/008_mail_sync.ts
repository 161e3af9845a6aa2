import type { Kysely } from 'kysely';

/**
 * Mailbox sync (docs/mailboxes.md): the mailboxes a company connects, the headers of the mail
 * the sync reads from them, the conversations those messages thread into, and (only where a
 * mailbox keeps them) bodies with an expiry. Team-inbox columns on conversations (state,
 * assignee, first response) are here so the team inbox can build on them without a rewrite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secrets', 'text')
    // new | backfilling | live | retrying | error (an admin must act)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error_code', 'text')
    .addColumn('last_error', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('next_sync_at', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('backfill_since', 'text')
    .addColumn('backfill_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backfill_remaining', 'integer')
    .addColumn('last_synced_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mailboxes_address_uq').on('mailboxes').columns(['tenant_id', 'address']).unique().execute();
  await db.schema.createIndex('mailboxes_due_ix').on('mailboxes').columns(['next_sync_at']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('customer_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('customer_id', 'text')
    .addColumn('first_message_at', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'text')
    .addColumn('last_outbound_at', 'text')
    .addColumn('last_writer', 'text')
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inbound_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outbound_count', 'integer', (c) => c.notNull().defaultTo(0))
    // For the team inbox and follow-ups (not used by the sync itself yet).
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('assignee_id', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversations_subject_ix').on('conversations').columns(['tenant_id', 'subject_key', 'last_message_at']).execute();
  await db.schema.createIndex('conversations_waiting_ix').on('conversations').columns(['tenant_id', 'last_writer', 'last_inbound_at']).execute();
  await db.schema.createIndex('conversations_customer_ix').on('conversations').columns(['tenant_id', 'customer_id']).execute();

  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text')
    .addColumn('second_key', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('reference_keys', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('provider_thread_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('to_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cc_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('date_header', 'text')
    .addColumn('utc_offset_minutes', 'integer')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('auto_verdict', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('excerpt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_messages_provider_uq').on('mail_messages').columns(['mailbox_id', 'provider_id']).unique().execute();
  await db.schema.createIndex('mail_messages_key_uq').on('mail_messages').columns(['mailbox_id', 'message_key']).unique().execute();
  await db.schema.createIndex('mail_messages_key_ix').on('mail_messages').columns(['tenant_id', 'message_key']).execute();
  await db.schema.createIndex('mail_messages_second_ix').on('mail_messages').columns(['tenant_id', 'second_key']).execute();
  await db.schema.createIndex('mail_messages_reply_ix').on('mail_messages').columns(['tenant_id', 'in_reply_to']).execute();
  await db.schema.createIndex('mail_messages_thread_ix').on('mail_messages').columns(['mailbox_id', 'provider_thread_id']).execute();
  await db.schema.createIndex('mail_messages_conversation_ix').on('mail_messages').columns(['conversation_id', 'received_at']).execute();

  // Bodies only for mailboxes whose settings keep them (keepBodiesDays > 0); deleted at expires_at.
  await db.schema
    .createTable('mail_bodies')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('mail_messages.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_bodies_expiry_ix').on('mail_bodies').columns(['expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_bodies').execute();
  await db.schema.dropTable('mail_messages').execute();
  await db.schema.dropTable('conversations').execute();
  await db.schema.dropTable('mailboxes').execute();
}
