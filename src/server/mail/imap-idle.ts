import type { ImapFlow } from 'imapflow';
import { openImapClient, type ImapSettings } from './imap.js';
import { syncBackoffMs } from './sync.js';

/**
 * Watches one IMAP mailbox's INBOX with IDLE (RFC 2177) so new mail is synced within seconds
 * rather than at the next poll. It only *signals*: on an EXISTS that grows the INBOX it calls
 * `onNewMail`, and the sync engine does the fetching under its lease as always, so IDLE adds no
 * second path into the database and exactly-once is untouched. A server without IDLE is left to
 * polling. A dropped connection is reopened with exponential backoff (1 s … 5 min, jittered); the
 * IDLE is re-issued every `maxIdleMs` (servers drop idlers after ~30 min, NATs sooner).
 */
export type WatchState = 'watching' | 'unsupported' | 'failed' | 'closed';

export interface InboxWatcherOptions {
  onNewMail: () => void;
  onState?: (state: WatchState, detail?: string) => void;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  maxIdleMs?: number;
  random?: () => number;
}

export class ImapInboxWatcher {
  private client: ImapFlow | undefined;
  private stopped = false;
  private failures = 0;
  private loop: Promise<void> | undefined;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  constructor(
    private readonly address: string,
    private readonly settings: ImapSettings,
    private readonly password: string,
    private readonly options: InboxWatcherOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = await openImapClient(this.address, this.settings, this.password, { maxIdleMs: this.options.maxIdleMs ?? 240_000, socketMs: 330_000 });
        this.client = client;
        if (this.stopped) break;
        if (!client.capabilities.has('IDLE')) {
          this.options.onState?.('unsupported', 'the server does not offer IDLE; the mailbox is polled');
          await client.logout().catch(() => client.close());
          return;
        }
        client.on('exists', (event: { count: number; prevCount: number }) => {
          if (event.count > event.prevCount) this.options.onNewMail();
        });
        await client.mailboxOpen('INBOX', { readOnly: true });
        this.failures = 0;
        this.options.onState?.('watching');
        // idle() returns when an IDLE ends (re-issued after maxIdleMs) and fails or returns once the connection is gone.
        while (!this.stopped && client.usable) await client.idle();
        if (!this.stopped) this.options.onState?.('failed', 'the server closed the IDLE connection');
      } catch (error) {
        if (this.stopped) break;
        this.options.onState?.('failed', (error as Error).message);
      }
      this.client?.close();
      this.client = undefined;
      if (this.stopped) break;
      this.failures += 1;
      await this.sleep(syncBackoffMs(this.failures, this.options.backoffBaseMs ?? 1_000, this.options.backoffCapMs ?? 300_000, this.options.random));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.sleeping = { timer, wake: () => resolve() };
    }).then(() => {
      this.sleeping = undefined;
    });
  }

  /** Closes the connection (no LOGOUT round trip: shutdown must not wait on a slow server). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    this.client?.close();
    await this.loop;
    this.options.onState?.('closed');
  }
}
