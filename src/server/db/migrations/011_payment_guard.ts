import type { Kysely } from 'kysely';

/**
 * Payment safety (docs/payments.md): the company's official profile with its bank accounts (one
 * row per tenant, the document as JSON: it is read whole and written whole), and the payment
 * guard's verdict on each synced message, found again by the message's Message-ID when a rep
 * opens it in the read pane or the Gmail card.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('company_profiles')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payment_verdicts')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('mail_messages.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('message_key', 'text')
    // ok | notice | suspicious (core/payment checkIncoming)
    .addColumn('verdict', 'text', (c) => c.notNull())
    // JSON [{code, params}] (core/payment findings; the faces word them)
    .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
    // JSON list of the canonical IBANs and account numbers the mail carried: a clean mail teaches
    // the guard which accounts a company uses, so a later mail with another one stands out.
    .addColumn('accounts', 'text', (c) => c.notNull().defaultTo('[]'))
    // The company the mail speaks for: the one a look-alike imitates, else the sender's.
    .addColumn('customer_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_verdicts_customer_ix').on('payment_verdicts').columns(['tenant_id', 'customer_id', 'verdict']).execute();
  await db.schema.createIndex('payment_verdicts_key_ix').on('payment_verdicts').columns(['tenant_id', 'message_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_verdicts').execute();
  await db.schema.dropTable('company_profiles').execute();
}
