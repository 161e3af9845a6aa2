import type { Store } from '../db/connect.js';
import type { MailSyncConfig } from '../config.js';
import type { SecretBox } from '../secrets.js';
import { releaseMailboxLeases, runSyncPass, type AdapterFactory, type PageEvent } from '../mail/sync.js';

/**
 * Runs the mailbox sync in this process: every few seconds a pass claims due mailboxes (one
 * worker per mailbox across all instances, by lease) and syncs each until caught up. Stopping
 * waits for the pass in hand and hands this instance's mailbox leases back.
 */
export function startMailSync(
  store: Store,
  options: { config: MailSyncConfig; instanceId: string; box: SecretBox | undefined; adapterFor: AdapterFactory; onError: (error: unknown) => void; onPage?: (event: PageEvent) => void; now?: () => Date },
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
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await releaseMailboxLeases(store.db, options.instanceId);
  };
}
