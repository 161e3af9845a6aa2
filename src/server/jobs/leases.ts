import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * Job leases this instance holds are handed back on shutdown so another instance can pick the
 * work up at once instead of waiting for the lease to expire. Only items not yet being sent are
 * released; an item mid-send keeps its lease until it expires (the send worker decides then).
 * A system query across tenants, on purpose.
 */
export async function releaseLeases(db: Kysely<Database>, instanceId: string): Promise<number> {
  const result = await db
    .updateTable('scheduled_sends')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', instanceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const outbox = await db
    .updateTable('outbox')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', instanceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) + Number(outbox.numUpdatedRows);
}
