import type { Kysely, Selectable } from 'kysely';
import pLimit from 'p-limit';
import type { Database, ScheduledSendRow as ScheduledSendTable } from '../db/tables.js';
import type { Dialect } from '../db/connect.js';
import { TenantDb } from '../db/tenant-db.js';
import { GoogleCredentials, SEND_SCOPES, type CredentialSource, type GoogleAuth } from '../google/credentials.js';
import { findSentByMessageId, getDraft, GMAIL_REQUEST_TIMEOUT_MS, gmailClient, GmailError, sendDraft, type Gmail } from '../google/gmail-api.js';
import { eventItem } from '../services/scheduled-sends.js';
import { enabledConnectors, enqueueFor } from '../services/connectors.js';
import type { SendEvent } from '../connectors/types.js';
import { retryDelayMs } from '../../core/retry.js';
import { SEND_CONCURRENCY } from '../config.js';

/**
 * Sends due scheduled Gmail drafts, each exactly once, from any number of worker processes and
 * store instances over one database (docs/scheduled-send.md has the whole argument):
 *
 * - **Claim** due items in one statement that sets a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`
 *   in the sub-select, so concurrent workers take disjoint rows without waiting; SQLite: the
 *   single writer makes the one UPDATE … RETURNING atomic).
 * - **Before sending**, read the draft (gone → "deleted or sent by hand", never sent) and record
 *   its RFC 822 Message-ID with status `sending`, renewing the lease — conditional on still
 *   holding the lease and the item still being due and pending, so a cancel or reschedule that
 *   came in meanwhile wins. Then `drafts.send`.
 * - **A `sending` item found again** (the worker crashed, or the send call failed) is reconciled
 *   before anything else: a sent message with that Message-ID → `sent`; the draft still there →
 *   it was not sent, send it; neither → `gone` ("sent or deleted by hand"). Never a second send.
 * - 429/5xx/network → retry with exponential backoff and jitter, at least Google's Retry-After;
 *   401/403/invalid_grant, 400 → `failed` with the reason; out of attempts → `failed`.
 *
 * Every final state writes its `send.*` event into the outbox in the same transaction.
 * A system job across tenants (like the outbox worker); each item's writes go through its
 * tenant's TenantDb.
 */

type ScheduledSendRow = Selectable<ScheduledSendTable>;

export const SEND_MAX_ATTEMPTS = 12;
export const SEND_LEASE_MS = 120_000;

export interface SendWorkerOptions {
  instanceId: string;
  credentials: GoogleCredentials;
  /** Gmail API root (tests point it at a local stand-in). */
  rootUrl?: string | undefined;
  /** How long a claim is held; each Gmail call times out at a third of it (at most 30 s). */
  leaseMs?: number | undefined;
  /** Items claimed at most at once (a pass of `sendDue`; the pipeline claims only as many as it has free slots). */
  batch?: number | undefined;
  /** Items in flight at once (default SEND_CONCURRENCY). */
  concurrency?: number | undefined;
  /** First retry delay; doubles per attempt up to `backoffCapMs`. */
  backoffBaseMs?: number | undefined;
  backoffCapMs?: number | undefined;
  maxAttempts?: number | undefined;
  random?: () => number;
  now?: () => Date;
  /** Called once per item outcome (tests and logs). */
  onOutcome?: (outcome: ItemOutcome) => void;
}

export interface ItemOutcome {
  id: string;
  tenantId: string;
  result: 'sent' | 'gone' | 'failed' | 'retry' | 'skipped';
  reason?: string | undefined;
}

export interface SendPassResult {
  claimed: number;
  sent: number;
  gone: number;
  failed: number;
  retried: number;
  skipped: number;
}

/** Claims up to `batch` due items for this instance in one statement; answers them. */
export async function claimDueSends(db: Kysely<Database>, dialect: Dialect, instanceId: string, options: { now: Date; batch: number; leaseMs: number }): Promise<ScheduledSendRow[]> {
  const nowIso = options.now.toISOString();
  let due = db
    .selectFrom('scheduled_sends')
    .select('id')
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .orderBy('next_attempt_at')
    .limit(options.batch);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  // The due rows chosen once, as a materialized CTE: PostgreSQL may rescan an `id IN (sub-select)`
  // per row of a small table, each rescan skipping the rows just locked, and so lease every due send.
  return db
    .with((cte) => cte('due').materialized(), () => due)
    .updateTable('scheduled_sends')
    .set({ lease_owner: instanceId, lease_until: new Date(options.now.getTime() + options.leaseMs).toISOString() })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    // Repeated outside the sub-select: a row another worker claimed meanwhile no longer matches.
    .where('status', 'in', ['pending', 'sending'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .returningAll()
    .execute();
}

class LeaseLost extends Error {}

/** An item's final state, written with its `send.*` event if this instance still holds the lease. */
interface Finish {
  item: ScheduledSendRow;
  status: 'sent' | 'failed' | 'gone';
  set: Record<string, unknown>;
  event: SendEvent;
}

/**
 * Writes final states in batches: while one transaction commits, the finishes that arrive
 * meanwhile wait and go into the next one together (group commit, no timer). Each finish is still
 * conditional on its lease, so one item that changed hands does not hold back the others; it
 * answers false and its event is not written. A failed transaction fails every finish in it:
 * those items stay leased and are reconciled when the lease runs out (never sent twice).
 * The tenant's connectors are looked up once per tenant per transaction.
 */
class Committer {
  private queue: { finish: Finish; resolve: (written: boolean) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly instanceId: string,
    private readonly maxBatch = 64,
  ) {}

  /** True when written, false when the item is no longer this instance's (nothing written). */
  submit(finish: Finish): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ finish, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const written = await this.write(batch.map((b) => b.finish));
          batch.forEach((b, i) => b.resolve(written[i]!));
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private write(finishes: Finish[]): Promise<boolean[]> {
    return this.db.transaction().execute(async (trx) => {
      const written: boolean[] = [];
      const events = new Map<string, SendEvent[]>();
      for (const f of finishes) {
        let update = trx
          .updateTable('scheduled_sends')
          .set(f.set)
          .where('id', '=', f.item.id)
          .where('tenant_id', '=', f.item.tenant_id)
          .where('lease_owner', '=', this.instanceId);
        if (f.status !== 'sent') update = update.where('status', 'in', ['pending', 'sending']);
        const done = await update.executeTakeFirst();
        const ok = Number(done.numUpdatedRows) === 1;
        written.push(ok);
        if (ok) events.set(f.item.tenant_id, [...(events.get(f.item.tenant_id) ?? []), f.event]);
      }
      for (const [tenantId, list] of events) {
        const tdb = new TenantDb(trx, tenantId);
        await enqueueFor(tdb, await enabledConnectors(tdb), list);
      }
      return written;
    });
  }
}

/** What the items of one worker share: the batched commits and one Gmail client per rep's credentials. */
class WorkerContext {
  readonly committer: Committer;
  private readonly clients = new WeakMap<GoogleAuth, Gmail>();

  constructor(
    db: Kysely<Database>,
    private readonly o: ResolvedOptions,
  ) {
    this.committer = new Committer(db, o.instanceId);
  }

  /**
   * The Gmail client for a rep's credentials, built once: GoogleCredentials keeps one auth client
   * per rep (it caches and refreshes the access token), so this is one Gmail client per rep until
   * the credentials are dropped (a 401 or a revoked grant), which builds a fresh one.
   */
  gmailFor(auth: GoogleAuth): Gmail {
    let gmail = this.clients.get(auth);
    if (!gmail) {
      // A call may never outlast the lease: if it did, another worker could take the item over,
      // find the draft still there (the send not yet done) and send it a second time.
      gmail = gmailClient(auth, { rootUrl: this.o.rootUrl, timeoutMs: Math.min(GMAIL_REQUEST_TIMEOUT_MS, Math.floor(this.o.leaseMs / 3)) });
      this.clients.set(auth, gmail);
    }
    return gmail;
  }
}

/** One item, start to end. Every write is conditional on this instance still holding the lease. */
class ItemRun {
  private gmail: Gmail | undefined;
  private source: CredentialSource | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private item: ScheduledSendRow,
    private readonly userEmail: string | null,
    private readonly o: ResolvedOptions,
    private readonly context: WorkerContext,
  ) {}

  async run(): Promise<ItemOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.work();
      } catch (error) {
        if (error instanceof LeaseLost) return this.outcome('skipped', 'the item changed hands or was cancelled/rescheduled meanwhile');
        // A cached access token Gmail no longer takes: one fresh grant decides whether access is really gone.
        if (error instanceof GmailError && error.kind === 'auth' && error.status === 401 && attempt === 0) {
          this.o.credentials.forgetTokens();
          this.item = (await this.db.selectFrom('scheduled_sends').selectAll().where('id', '=', this.item.id).where('tenant_id', '=', this.item.tenant_id).executeTakeFirst()) ?? this.item;
          if (this.item.lease_owner !== this.o.instanceId) return this.outcome('skipped', 'the item changed hands meanwhile');
          continue;
        }
        if (error instanceof GmailError) return this.onGmailError(error);
        throw error;
      }
    }
  }

  private outcome(result: ItemOutcome['result'], reason?: string): ItemOutcome {
    return { id: this.item.id, tenantId: this.item.tenant_id, result, ...(reason ? { reason } : {}) };
  }

  private async work(): Promise<ItemOutcome> {
    const item = this.item;
    if (!this.userEmail) return this.finishFailed('failed', 'the rep\'s account no longer exists in the store');
    const creds = await this.o.credentials.forUser({ tenantId: item.tenant_id, userId: item.user_id, email: this.userEmail }, SEND_SCOPES);
    if (!creds) {
      return this.finishFailed('failed', `the store has no access to ${this.userEmail}'s Gmail: ask your admin to set up domain-wide delegation, or connect your Google account in the add-on, then retry`);
    }
    this.source = creds.source;
    this.gmail = this.context.gmailFor(creds.auth);

    if (item.status === 'sending') {
      // A send may have happened: find out before anything else.
      const settled = await this.reconcile();
      if (settled) return settled;
      // The draft is still there, so Gmail did not send it.
      if (item.attempts >= this.o.maxAttempts) return this.finishFailed('failed', `gave up after ${item.attempts} attempts: ${item.last_error ?? 'Gmail kept failing'}; the draft is still in Drafts`);
    }

    const draft = await getDraft(this.gmail, item.draft_id);
    if (!draft) return this.finishFailed('gone', 'the draft was no longer in Gmail at send time: it was sent or deleted by hand');

    // The point of no return: record the Message-ID and renew the lease, or step back.
    const now = this.o.now();
    const marked = await this.db
      .updateTable('scheduled_sends')
      .set({ status: 'sending', rfc822_message_id: draft.rfc822MessageId, lease_until: new Date(now.getTime() + this.o.leaseMs).toISOString(), updated_at: now.toISOString() })
      .where('id', '=', item.id)
      .where('tenant_id', '=', item.tenant_id)
      .where('lease_owner', '=', this.o.instanceId)
      .where('status', '=', item.status)
      .where('next_attempt_at', '<=', now.toISOString())
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw new LeaseLost();

    try {
      const sent = await sendDraft(this.gmail, item.draft_id);
      return this.finishSent(sent.id, draft.rfc822MessageId);
    } catch (error) {
      if (error instanceof GmailError && error.kind === 'not-found') {
        // Gone between our read and the send: maybe the rep sent it by hand just now.
        const settled = await this.reconcile(draft.rfc822MessageId);
        if (settled) return settled;
        return this.finishFailed('gone', 'the draft disappeared at send time: it was sent or deleted by hand');
      }
      throw error;
    }
  }

  /** For an item that may have been sent: sent → done; draft gone → gone; else undefined (not sent). */
  private async reconcile(messageId: string | null = this.item.rfc822_message_id): Promise<ItemOutcome | undefined> {
    const gmail = this.gmail!;
    if (messageId) {
      const sent = await findSentByMessageId(gmail, messageId);
      if (sent) return this.finishSent(sent.id, messageId);
    }
    const draft = await getDraft(gmail, this.item.draft_id);
    if (draft) return undefined;
    return this.finishFailed('gone', 'sent or deleted by hand: the draft is no longer in Drafts and no sent mail carries its Message-ID; it was not sent again');
  }

  private async finishSent(providerMessageId: string, messageId: string | null): Promise<ItemOutcome> {
    const stamp = this.o.now().toISOString();
    await this.finish({
      item: this.item,
      status: 'sent',
      set: { status: 'sent', sent_at: stamp, provider_message_id: providerMessageId || null, rfc822_message_id: messageId, reason: null, last_error: null, attempts: this.item.attempts + 1, lease_owner: null, lease_until: null, updated_at: stamp },
      event: { type: 'send.sent', id: `send.sent:${this.item.id}`, occurredAt: stamp, send: eventItem(this.item, this.userEmail ?? ''), sentAt: stamp, messageId: messageId ? messageId.replace(/^<|>$/g, '') : null, providerMessageId: providerMessageId || null },
    });
    return this.outcome('sent');
  }

  private async finishFailed(status: 'failed' | 'gone', reason: string): Promise<ItemOutcome> {
    const stamp = this.o.now().toISOString();
    await this.finish({
      item: this.item,
      status,
      set: { status, reason, last_error: reason, attempts: this.item.attempts + 1, lease_owner: null, lease_until: null, updated_at: stamp },
      event: { type: 'send.failed', id: `send.failed:${this.item.id}:${this.item.revision}`, occurredAt: stamp, send: eventItem(this.item, this.userEmail ?? ''), status, reason },
    });
    return this.outcome(status, reason);
  }

  /** The final write and its event, in the worker's next batched transaction. */
  private async finish(finish: Finish): Promise<void> {
    if (!(await this.context.committer.submit(finish))) throw new LeaseLost();
  }

  private async onGmailError(error: GmailError): Promise<ItemOutcome> {
    try {
      if (error.kind === 'auth') {
        await this.o.credentials.accessRefused({ tenantId: this.item.tenant_id, userId: this.item.user_id }, this.source ?? 'service-account', error.message);
        return await this.finishFailed('failed', `Google refused access to ${this.userEmail}'s mailbox (access revoked, or delegation not granted for the Gmail scopes): ${error.message}`);
      }
      if (error.kind === 'invalid') return await this.finishFailed('failed', `Gmail refused the draft (check its recipients): ${error.message}`);
      if (error.kind === 'not-found') return await this.finishFailed('gone', `the draft was no longer in Gmail: sent or deleted by hand (${error.message})`);
      return await this.retryLater(error);
    } catch (inner) {
      if (inner instanceof LeaseLost) return this.outcome('skipped', 'the item changed hands meanwhile');
      throw inner;
    }
  }

  private async retryLater(error: GmailError): Promise<ItemOutcome> {
    const attempts = this.item.attempts + 1;
    const stamp = this.o.now();
    // Read the status as it is now: the failure may have come after we marked the item `sending`.
    const current = await this.db.selectFrom('scheduled_sends').select(['status']).where('id', '=', this.item.id).where('tenant_id', '=', this.item.tenant_id).executeTakeFirst();
    if (current?.status === 'pending' && attempts >= this.o.maxAttempts) {
      return this.finishFailed('failed', `gave up after ${attempts} attempts: ${error.message}`);
    }
    // A `sending` item is never given up here: the next attempt first finds out whether it went.
    const wait = retryDelayMs(attempts, error.retryAfterMs, { baseMs: this.o.backoffBaseMs, capMs: this.o.backoffCapMs, random: this.o.random });
    const done = await this.db
      .updateTable('scheduled_sends')
      .set({ attempts, last_error: `attempt ${attempts} failed, retrying: ${error.message}`, next_attempt_at: new Date(stamp.getTime() + wait).toISOString(), lease_owner: null, lease_until: null, updated_at: stamp.toISOString() })
      .where('id', '=', this.item.id)
      .where('tenant_id', '=', this.item.tenant_id)
      .where('lease_owner', '=', this.o.instanceId)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return this.outcome('skipped', 'the item changed hands meanwhile');
    return this.outcome('retry', error.message);
  }
}

type ResolvedOptions = ReturnType<typeof resolved>;

function resolved(options: SendWorkerOptions) {
  return {
    instanceId: options.instanceId,
    credentials: options.credentials,
    rootUrl: options.rootUrl,
    leaseMs: options.leaseMs ?? SEND_LEASE_MS,
    batch: options.batch ?? 100,
    concurrency: options.concurrency ?? SEND_CONCURRENCY,
    backoffBaseMs: options.backoffBaseMs ?? 2_000,
    backoffCapMs: options.backoffCapMs ?? 900_000,
    maxAttempts: options.maxAttempts ?? SEND_MAX_ATTEMPTS,
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
  };
}

/** The rep's addresses for claimed items, in one query per claim. */
async function emailsFor(db: Kysely<Database>, claimed: ScheduledSendRow[]): Promise<Map<string, string>> {
  const userIds = [...new Set(claimed.map((c) => c.user_id))];
  if (userIds.length === 0) return new Map();
  const users = await db.selectFrom('users').select(['id', 'tenant_id', 'email']).where('id', 'in', userIds).execute();
  return new Map(users.map((u) => [`${u.tenant_id}/${u.id}`, u.email]));
}

/** One item start to end; a database hiccup leaves it leased (picked up again when the lease runs out). */
async function runItem(db: Kysely<Database>, item: ScheduledSendRow, email: string | null, o: ResolvedOptions, context: WorkerContext): Promise<ItemOutcome> {
  try {
    return await new ItemRun(db, item, email, o, context).run();
  } catch (error) {
    return { id: item.id, tenantId: item.tenant_id, result: 'skipped', reason: `internal error: ${(error as Error).message}` };
  }
}

function tally(result: SendPassResult, outcome: ItemOutcome): void {
  if (outcome.result === 'sent') result.sent++;
  else if (outcome.result === 'gone') result.gone++;
  else if (outcome.result === 'failed') result.failed++;
  else if (outcome.result === 'retry') result.retried++;
  else result.skipped++;
}

/** One pass: claim what is due (up to `batch`), work it off `concurrency` at a time, answer the tally. */
export async function sendDue(db: Kysely<Database>, dialect: Dialect, options: SendWorkerOptions): Promise<SendPassResult> {
  const o = resolved(options);
  const context = new WorkerContext(db, o);
  const result: SendPassResult = { claimed: 0, sent: 0, gone: 0, failed: 0, retried: 0, skipped: 0 };
  const claimed = await claimDueSends(db, dialect, o.instanceId, { now: o.now(), batch: o.batch, leaseMs: o.leaseMs });
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;
  const emailOf = await emailsFor(db, claimed);
  const limit = pLimit(o.concurrency);
  await limit.map(claimed, async (item) => {
    const outcome = await runItem(db, item, emailOf.get(`${item.tenant_id}/${item.user_id}`) ?? null, o, context);
    tally(result, outcome);
    options.onOutcome?.(outcome);
  });
  return result;
}

/**
 * A continuous pipeline until stopped: up to `concurrency` items in flight, claiming more as slots
 * free up (a quarter of the slots at a time, so claims stay few) instead of waiting for the slowest
 * item of a batch; an item is claimed only when a slot is free for it, so its lease starts when its
 * work does. When a claim finds less than it asked for, the queue is drained: the next claim comes
 * after `intervalMs` (items falling due meanwhile wait at most that long). Final states are
 * committed in batches (Committer). Stopping waits for the items in flight; leases of items not
 * yet being sent are handed back by releaseLeases (jobs/leases.ts) when the app closes.
 */
export function startSendWorker(
  db: Kysely<Database>,
  dialect: Dialect,
  options: SendWorkerOptions & {
    intervalMs?: number;
    onError?: (error: unknown) => void;
    /**
     * Keep the process alive between passes. A standalone `tradepane worker` needs it: with
     * nothing due and no socket open (SQLite) Node would otherwise exit. Inside `serve` the HTTP
     * server keeps the process alive and the timer must not hold up its shutdown.
     */
    keepAlive?: boolean;
  },
): () => Promise<void> {
  const o = resolved(options);
  const context = new WorkerContext(db, o);
  const intervalMs = options.intervalMs ?? 1_000;
  const claimStep = Math.max(1, Math.ceil(o.concurrency / 4));
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let wakeOnSlot = false;
  let timer: NodeJS.Timeout | undefined;

  const start = (item: ScheduledSendRow, email: string | null) => {
    const run = runItem(db, item, email, o, context).then((outcome) => {
      inFlight.delete(run);
      options.onOutcome?.(outcome);
      if (wakeOnSlot && o.concurrency - inFlight.size >= claimStep) wake?.();
    });
    inFlight.add(run);
  };

  const loop = async () => {
    while (!stopped) {
      let drained = false;
      const free = o.concurrency - inFlight.size;
      if (free >= claimStep || inFlight.size === 0) {
        const want = Math.min(free, o.batch);
        try {
          const claimed = await claimDueSends(db, dialect, o.instanceId, { now: o.now(), batch: want, leaseMs: o.leaseMs });
          const emailOf = await emailsFor(db, claimed);
          for (const item of claimed) start(item, emailOf.get(`${item.tenant_id}/${item.user_id}`) ?? null);
          drained = claimed.length < want;
        } catch (error) {
          options.onError?.(error);
          drained = true;
        }
      }
      if (stopped) break;
      // Drained: wait for the interval (finishing items do not trigger empty claims). Otherwise:
      // wait until enough slots are free for the next claim.
      await new Promise<void>((resolve) => {
        wake = resolve;
        wakeOnSlot = !drained;
        if (drained) {
          timer = setTimeout(resolve, intervalMs);
          if (!options.keepAlive) timer.unref();
        }
      });
      wake = undefined;
      wakeOnSlot = false;
      if (timer) clearTimeout(timer);
    }
  };
  const running = loop();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    wake?.();
    await running;
    await Promise.all(inFlight);
  };
}
