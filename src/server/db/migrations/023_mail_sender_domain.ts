import type { Kysely } from 'kysely';
import { registrableDomain } from '../../../core/payment/lookalike.js';

/**
 * The payment guard asks, for every inbound mail, whether any earlier mail came from the sender's
 * domain (a first mail that claims an existing relationship is an alarm). It asked with
 * `from_address LIKE '%@domain' OR LIKE '%.domain'`, which no index serves: a domain never seen
 * before cost a scan of every stored message, and a backfill asks it for each mail. Each message
 * now carries its sender's registrable domain (core/payment's registrableDomain: mail.acme.com.sa
 * → acme.com.sa, the same answer the LIKE gave for the domain and its subdomains), indexed per
 * tenant, so the question is an indexed equality. Stored messages are filled in here, a batch at a
 * time, one UPDATE per domain in the batch.
 */
const BATCH = 1000;

type Row = { id: string; tenant_id: string; from_address: string | null };
type Db = Kysely<{ mail_messages: Row & { from_domain: string | null } }>;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('from_domain', 'text').execute();
  const d = db as unknown as Db;
  let after = '';
  for (;;) {
    const rows = await d.selectFrom('mail_messages').select(['id', 'tenant_id', 'from_address']).where('id', '>', after).where('from_address', 'is not', null).orderBy('id').limit(BATCH).execute();
    if (rows.length === 0) break;
    const byDomain = new Map<string, string[]>();
    for (const r of rows) {
      const domain = registrableDomain(r.from_address!);
      if (domain) byDomain.set(domain, [...(byDomain.get(domain) ?? []), r.id]);
    }
    for (const [domain, ids] of byDomain) await d.updateTable('mail_messages').set({ from_domain: domain }).where('id', 'in', ids).execute();
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.createIndex('mail_messages_from_domain_ix').on('mail_messages').columns(['tenant_id', 'from_domain']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mail_messages_from_domain_ix').execute();
  await db.schema.alterTable('mail_messages').dropColumn('from_domain').execute();
}
