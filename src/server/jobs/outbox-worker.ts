import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';
import { ADAPTERS } from '../connectors/registry.js';
import type { CrmEvent, DeliveryResult } from '../connectors/types.js';
import { retryDelayMs } from '../../core/retry.js';

/**
 * Delivers queued CRM events. Several instances may run it at once: an item is claimed with a
 * lease (a conditional update only one claimant can win), so each attempt happens once; the
 * connector side is idempotent for the rare repeat after a crash mid-delivery. Failures retry
 * with exponential backoff and jitter (or the CRM's Retry-After); permanent failures and items
 * out of attempts become dead letters an admin can see and replay. A system job across tenants.
 */

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

/** 5 s, 10 s, 20 s … capped at an hour (±25 % jitter, core/retry.ts). */
const BACKOFF = { baseMs: 5_000, capMs: 3_600_000, random: Math.random };

export interface WorkResult {
  delivered: number;
  retried: number;
  dead: number;
}

export async function deliverDue(db: Kysely<Database>, box: SecretBox | undefined, instanceId: string, options: { now?: Date; batch?: number } = {}): Promise<WorkResult> {
  const result: WorkResult = { delivered: 0, retried: 0, dead: 0 };
  if (!box) return result;
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const candidates = await db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .orderBy('next_attempt_at')
    .limit(options.batch ?? 50)
    .execute();

  for (const { id } of candidates) {
    const claim = await db
      .updateTable('outbox')
      .set({ lease_owner: instanceId, lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue; // another worker has it

    const item = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const connector = await db.selectFrom('connectors').selectAll().where('id', '=', item.connector_id).where('tenant_id', '=', item.tenant_id).executeTakeFirst();
    let outcome: DeliveryResult;
    if (!connector || connector.enabled !== 1) outcome = { ok: false, retryable: true, reason: 'the connector is disabled; waiting until it is enabled again' };
    else {
      const adapter = ADAPTERS[connector.kind];
      try {
        if (!adapter) throw new Error(`no adapter for "${connector.kind}"`);
        const secrets = box.open(connector.secrets);
        outcome = await adapter.deliver(JSON.parse(item.event) as CrmEvent, adapter.validate(JSON.parse(connector.settings), secrets), secrets);
      } catch (error) {
        outcome = { ok: false, retryable: false, reason: `delivery failed: ${(error as Error).message}` };
      }
    }

    const attempts = item.attempts + 1;
    const stamp = new Date().toISOString();
    if (outcome.ok) {
      await db.updateTable('outbox').set({ status: 'delivered', attempts, external_id: outcome.externalId ?? null, delivered_at: stamp, last_error: null, lease_owner: null, lease_until: null, updated_at: stamp }).where('id', '=', id).execute();
      result.delivered++;
    } else if (outcome.retryable && attempts < MAX_ATTEMPTS) {
      const wait = retryDelayMs(attempts, outcome.retryAfterMs, BACKOFF);
      await db.updateTable('outbox').set({ attempts, last_error: outcome.reason, next_attempt_at: new Date(now.getTime() + wait).toISOString(), lease_owner: null, lease_until: null, updated_at: stamp }).where('id', '=', id).execute();
      result.retried++;
    } else {
      const reason = outcome.retryable ? `gave up after ${attempts} attempts: ${outcome.reason}` : outcome.reason;
      await db.updateTable('outbox').set({ status: 'dead', attempts, last_error: reason, lease_owner: null, lease_until: null, updated_at: stamp }).where('id', '=', id).execute();
      result.dead++;
    }
  }
  return result;
}

/** Runs the worker every `intervalMs` until stopped; one pass at a time. */
export function startOutboxWorker(db: Kysely<Database>, box: SecretBox | undefined, instanceId: string, onError: (error: unknown) => void, intervalMs = 2_000): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = deliverDue(db, box, instanceId)
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
