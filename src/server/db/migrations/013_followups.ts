import type { Kysely } from 'kysely';

/**
 * Follow-ups (docs/followups.md): "remind me if no reply" on a sent mail. A reminder is made at
 * compose (awaiting-send until the sync sees the mail leave, or at once from Outlook's send event
 * with the Internet Message-ID), waits while the buyer is silent, and is fired into a task once
 * by the due pass; a counted reply closes it, an out-of-office with a return date moves it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('followups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // awaiting-send | waiting | due | replied | done | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text')
    .addColumn('draft_id', 'text')
    .addColumn('thread_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('template_kind', 'text')
    .addColumn('language', 'text')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('due_local', 'text')
    .addColumn('rep_time_zone', 'text')
    .addColumn('buyer_deadline', 'text')
    .addColumn('moved_until', 'text')
    .addColumn('snoozes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fired_at', 'text')
    .addColumn('fired_by', 'text')
    .addColumn('task_id', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('reply_message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One reminder per sent mail and rep (NULL keys — not yet sent — are distinct in both dialects).
  await db.schema.createIndex('followups_message_uq').on('followups').columns(['tenant_id', 'user_id', 'message_key']).unique().execute();
  await db.schema.createIndex('followups_due_ix').on('followups').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('followups_user_ix').on('followups').columns(['tenant_id', 'user_id', 'status']).execute();
  await db.schema.createIndex('followups_conversation_ix').on('followups').columns(['tenant_id', 'conversation_id']).execute();

  // The morning digest: one row per rep and local day, claimed before the mail goes out (once per day across instances).
  await db.schema
    .createTable('followup_digests')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('followup_digests_pk', ['tenant_id', 'user_id', 'local_date'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('followup_digests').execute();
  await db.schema.dropTable('followups').execute();
}
