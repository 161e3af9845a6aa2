import type { Kysely } from 'kysely';

/**
 * Links to trade documents (docs/documents.md, "A link instead of an attachment"): a rep whose
 * Gmail the store cannot write to, or whose pack prefers links, sends the buyer a link to the
 * store. The link carries an unguessable token; only its SHA-256 is kept (a copy of the database
 * does not hand out working links). Opening it is counted: first and last opened, how often.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('first_opened_at', 'text')
    .addColumn('last_opened_at', 'text')
    .addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('document_links_document_ix').on('document_links').columns(['tenant_id', 'document_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('document_links').execute();
}
