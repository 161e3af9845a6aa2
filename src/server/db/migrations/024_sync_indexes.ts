import type { Kysely } from 'kysely';

/**
 * Questions the mail sync asks for every page or message read a tenant's whole table on
 * SQLite, which keeps no statistics here and, given an equality on tenant_id alone, takes any
 * index beginning with tenant_id as if a tenant held a handful of rows
 * (test/server/mail-sync-plans.test.ts holds every statement of the sync to narrower plans):
 *
 * - which of a page's provider ids the mailbox already holds (`tenant_id = ? AND mailbox_id = ?
 *   AND provider_id IN (…100)`): the only index for it began with mailbox_id, so SQLite preferred
 *   migration 023's sender-domain index and read all the tenant's mail per page — 3.5 ms per page
 *   at the start of a 50,000-message backfill, 54 ms at its end. Every index of mail_messages now
 *   begins with tenant_id, as every tenant query does: with only the provider one moved, SQLite
 *   answered the Message-ID and thread questions by its (tenant, mailbox) prefix, a mailbox's
 *   whole mail per message; and the conversations API's "which mailboxes hold these
 *   conversations" (`conversation_id IN (…)`) read the tenant's mail per page. Uniqueness is
 *   unchanged (a mailbox has one tenant).
 * - which open follow-ups an arriving mail answers (`status IN ('waiting','due') AND (conversation
 *   OR message key OR recipients LIKE …)`): the LIKE leaves only the tenant to narrow by, so every
 *   follow-up the tenant ever had was read per inbound mail. Indexed by status, it reads the open ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('mail_messages_tenant_provider_uq').on('mail_messages').columns(['tenant_id', 'mailbox_id', 'provider_id']).unique().execute();
  await db.schema.dropIndex('mail_messages_provider_uq').execute();
  await db.schema.createIndex('mail_messages_tenant_key_uq').on('mail_messages').columns(['tenant_id', 'mailbox_id', 'message_key']).unique().execute();
  await db.schema.dropIndex('mail_messages_key_uq').execute();
  await db.schema.createIndex('mail_messages_tenant_thread_ix').on('mail_messages').columns(['tenant_id', 'mailbox_id', 'provider_thread_id']).execute();
  await db.schema.dropIndex('mail_messages_thread_ix').execute();
  await db.schema.createIndex('mail_messages_tenant_conversation_ix').on('mail_messages').columns(['tenant_id', 'conversation_id', 'received_at']).execute();
  await db.schema.dropIndex('mail_messages_conversation_ix').execute();
  await db.schema.createIndex('followups_open_ix').on('followups').columns(['tenant_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('followups_open_ix').execute();
  await db.schema.createIndex('mail_messages_conversation_ix').on('mail_messages').columns(['conversation_id', 'received_at']).execute();
  await db.schema.dropIndex('mail_messages_tenant_conversation_ix').execute();
  await db.schema.createIndex('mail_messages_thread_ix').on('mail_messages').columns(['mailbox_id', 'provider_thread_id']).execute();
  await db.schema.dropIndex('mail_messages_tenant_thread_ix').execute();
  await db.schema.createIndex('mail_messages_key_uq').on('mail_messages').columns(['mailbox_id', 'message_key']).unique().execute();
  await db.schema.dropIndex('mail_messages_tenant_key_uq').execute();
  await db.schema.createIndex('mail_messages_provider_uq').on('mail_messages').columns(['mailbox_id', 'provider_id']).unique().execute();
  await db.schema.dropIndex('mail_messages_tenant_provider_uq').execute();
}
