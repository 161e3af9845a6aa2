import type { Kysely } from 'kysely';

/** The raw Date: header of a contact's latest inbound mail: its UTC offset on its date is evidence of their zone. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('last_date_header', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('last_date_header').execute();
}
