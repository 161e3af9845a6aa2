import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * Kept bodies (`mail_bodies`, where a mailbox's keepBodiesDays > 0) go when they expire: the
 * promise made to the company is "N days", not "until someone cleans up". A system job across
 * tenants, in bounded batches (each one short statement, so it never holds the database long
 * and a crash midway loses nothing but the rest of the run).
 */
export async function purgeExpiredBodies(db: Kysely<Database>, now: Date, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 200;
  const nowIso = now.toISOString();
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const ids = (await db.selectFrom('mail_bodies').select('message_id').where('expires_at', '<=', nowIso).orderBy('expires_at').limit(batchSize).execute()).map((r) => r.message_id);
    if (ids.length === 0) break;
    const result = await db.deleteFrom('mail_bodies').where('message_id', 'in', ids).where('expires_at', '<=', nowIso).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (ids.length < batchSize) break;
  }
  return deleted;
}
