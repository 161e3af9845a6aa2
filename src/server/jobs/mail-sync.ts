import type { Store } from '../db/connect.js';
import type { MailSyncConfig } from '../config.js';
import type { SecretBox } from '../secrets.js';
import { releaseMailboxLeases, runSyncPass, type AdapterFactory, type PageEvent } from '../mail/sync.js';
import { purgeExpiredBodies } from '../mail/bodies.js';
import { startPeriodicJob } from './periodic.js';

/** How often one instance (of all) deletes the kept bodies that have expired. */
export const BODY_PURGE_EVERY_MS = 15 * 60_000;

/**
 * Runs the mailbox sync in this process: every few seconds a pass claims due mailboxes (one
 * worker per mailbox across all instances, by lease) and syncs each until caught up. Stopping
 * waits for the pass in hand and hands this instance's mailbox leases back. Every quarter of an
 * hour one instance deletes the kept bodies that have expired (mail/bodies.ts).
 */
export function startMailSync(
  store: Store,
  options: { config: MailSyncConfig; instanceId: string; box: SecretBox | undefined; adapterFor: AdapterFactory; onError: (error: unknown) => void; onPage?: (event: PageEvent) => void; now?: () => Date; bodyPurge?: { everyMs?: number; onPurged?: (deleted: number) => void } },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = runSyncPass(store.db, store.dialect, {
      instanceId: options.instanceId,
      adapterFor: options.adapterFor,
      box: options.box,
      pageSize: options.config.pageSize,
      backfillDays: options.config.backfillDays,
      intervalMs: options.config.intervalMs,
      leaseMs: options.config.leaseMs,
      threadWindowDays: options.config.threadWindowDays,
      backoffCapMs: options.config.backoffCapMs,
      // Let other mailboxes have a turn during a long backfill; the next tick goes on.
      maxPages: 20,
      ...(options.onPage ? { onPage: options.onPage } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
      .then(() => undefined)
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, Math.max(250, Math.min(5_000, Math.floor(options.config.intervalMs / 4))));
  timer.unref();
  tick();
  const now = options.now ?? (() => new Date());
  const stopPurge = startPeriodicJob(
    store.db,
    { name: 'mail-bodies-purge', instanceId: options.instanceId, everyMs: options.bodyPurge?.everyMs ?? BODY_PURGE_EVERY_MS },
    async () => {
      const deleted = await purgeExpiredBodies(store.db, now());
      options.bodyPurge?.onPurged?.(deleted);
    },
    options.onError,
    now,
  );
  return async () => {
    stopped = true;
    clearInterval(timer);
    await stopPurge();
    await running;
    await releaseMailboxLeases(store.db, options.instanceId);
  };
}
