import type { Kysely } from 'kysely';

/**
 * Trade documents (quotations, proforma invoices; docs/documents.md). `document_sequences` holds
 * the last number given per tenant, kind and year: the next one is taken by a single upsert that
 * returns it, in the same transaction as the document's row, so two requests never get the same
 * number and a failed insert gives its number back (no gaps). `documents` keeps each document
 * with the data it was drawn from and the layout version that drew it, so it can be drawn again
 * identically.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_sequences')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_sequences_pk', ['tenant_id', 'kind', 'year'])
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // The layout version that drew it (DOCUMENT_LAYOUT_VERSION), and the pack template it came from.
    .addColumn('layout_version', 'integer', (c) => c.notNull())
    .addColumn('pack', 'text')
    .addColumn('pack_version', 'integer')
    .addColumn('template_id', 'text')
    // The DocumentInput it was drawn from (JSON), bank accounts included as they were that day.
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // The PDF's digest and size once drawn (null while it is being drawn, or if drawing failed: draw it again from `data`).
    .addColumn('sha256', 'text')
    .addColumn('byte_size', 'integer')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_number_uq').on('documents').columns(['tenant_id', 'number']).unique().execute();
  await db.schema.createIndex('documents_created_ix').on('documents').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('documents').execute();
  await db.schema.dropTable('document_sequences').execute();
}
