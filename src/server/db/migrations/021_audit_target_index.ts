import type { Kysely } from 'kysely';

/**
 * Outlook's on-send check asks, on every send from a team conversation, when the rep last opened
 * it (services/team-inbox.ts, `lastOpenedQuery`). The audit log was indexed by tenant and time
 * only, so that question read the tenant's whole log back from now to the conversation's first
 * message: in a busy tenant, every entry of weeks for one send. Indexed by what an entry is about,
 * it reads the few entries of that one conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_target_ix').on('audit_log').columns(['tenant_id', 'target_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_target_ix').execute();
}
