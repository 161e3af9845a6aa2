import type { Store } from '../db/connect.js';
import type { MailSyncConfig } from '../config.js';
import type { SecretBox } from '../secrets.js';
import { releaseMailboxLeases, runSyncPass, type AdapterFactory, type MailboxSyncResult, type PageEvent } from '../mail/sync.js';
import { purgeExpiredBodies } from '../mail/bodies.js';
import { imapSettingsFrom } from '../mail/imap.js';
import { ImapInboxWatcher, type WatchState } from '../mail/imap-idle.js';
import { startPeriodicJob } from './periodic.js';

/** How often one instance (of all) deletes the kept bodies that have expired. */
export const BODY_PURGE_EVERY_MS = 15 * 60_000;

export interface IdleEvent {
  mailboxId: string;
  state: WatchState | 'new-mail';
  detail?: string | undefined;
}

/**
 * Runs the mailbox sync in this process: every few seconds a pass claims due mailboxes (one
 * worker per mailbox across all instances, by lease) and syncs each until caught up. Stopping
 * waits for the pass in hand, closes the IDLE connections and hands this instance's mailbox
 * leases back. Every quarter of an hour one instance deletes the kept bodies that have expired
 * (mail/bodies.ts).
 *
 * IDLE (`idleMailboxes` > 0): the IMAP mailboxes this instance has just synced to the end are
 * watched, up to that many, each on one connection (mail/imap-idle.ts). New mail makes the
 * mailbox due now and wakes the loop; the pass itself runs under the lease like any other, so a
 * second instance watching the same mailbox only makes it due twice. Paused, removed or failing
 * mailboxes stop being watched at the next pass.
 */
export function startMailSync(
  store: Store,
  options: {
    config: MailSyncConfig;
    instanceId: string;
    box: SecretBox | undefined;
    adapterFor: AdapterFactory;
    onError: (error: unknown) => void;
    onPage?: (event: PageEvent) => void;
    onIdle?: (event: IdleEvent) => void;
    now?: () => Date;
    bodyPurge?: { everyMs?: number; onPurged?: (deleted: number) => void };
  },
): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const watchers = new Map<string, ImapInboxWatcher>();

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true; // new mail arrived during a pass: run one more right after
      return;
    }
    again = false;
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
      .then((results) => (options.config.idleMailboxes > 0 ? refreshWatchers(results) : undefined))
      .catch(options.onError)
      .finally(() => {
        running = null;
        if (again) tick();
      });
  };

  /** New mail in a watched INBOX: the mailbox is due now (if live and not paused), and the loop wakes. */
  const newMail = (mailboxId: string) => {
    options.onIdle?.({ mailboxId, state: 'new-mail' });
    const at = now().toISOString();
    void store.db
      .updateTable('mailboxes')
      .set({ next_sync_at: at })
      .where('id', '=', mailboxId)
      .where('status', '=', 'live')
      .where('paused', '=', 0)
      .execute()
      .then(tick, options.onError);
  };

  async function refreshWatchers(results: MailboxSyncResult[]): Promise<void> {
    if (stopped) return;
    const caughtUp = results.filter((r) => r.outcome === 'caught-up').map((r) => r.mailboxId);
    const ids = [...new Set([...watchers.keys(), ...caughtUp])];
    if (ids.length === 0) return;
    const rows = await store.db.selectFrom('mailboxes').select(['id', 'address', 'provider', 'settings', 'secrets', 'paused', 'status']).where('id', 'in', ids).execute();
    const usable = new Map(rows.filter((r) => r.provider === 'imap' && r.paused === 0 && r.status !== 'error').map((r) => [r.id, r]));
    for (const [id, watcher] of watchers) {
      if (usable.has(id)) continue;
      watchers.delete(id);
      await watcher.stop();
    }
    for (const id of caughtUp) {
      const row = usable.get(id);
      if (!row || watchers.has(id) || watchers.size >= options.config.idleMailboxes || stopped) continue;
      let password: string | undefined;
      try {
        password = row.secrets && options.box ? options.box.open(row.secrets).password : undefined;
      } catch {
        password = undefined;
      }
      if (!password) continue;
      const watcher = new ImapInboxWatcher(row.address, imapSettingsFrom(JSON.parse(row.settings) as Record<string, unknown>), password, {
        onNewMail: () => newMail(id),
        onState: (state, detail) => options.onIdle?.({ mailboxId: id, state, ...(detail ? { detail } : {}) }),
      });
      watchers.set(id, watcher);
      watcher.start();
    }
  }

  const timer = setInterval(tick, Math.max(250, Math.min(5_000, Math.floor(options.config.intervalMs / 4))));
  timer.unref();
  tick();
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
    await Promise.all([...watchers.values()].map((w) => w.stop()));
    watchers.clear();
    await releaseMailboxLeases(store.db, options.instanceId);
  };
}
