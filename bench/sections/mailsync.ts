import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { dovecotSettings, imapClient, rawMail, sandboxAddress, SANDBOX_PASSWORD } from '../../test/support/dovecot.js';
import { operator, seedTenant, type SeededTenant } from '../../test/support/fixtures.js';
import type { Row } from '../measure.js';
import { withScratchDatabase } from '../postgres.js';

/**
 * Mailbox sync (issue #14) through the real engine — `runSyncPass` with the store's own adapter
 * factory, production defaults (100 per page, 30 days back) — on SQLite:
 *
 * - **Backfill, Graph stand-in**: one mailbox holding N messages (inbox, two thirds, and sent
 *   items) read from scratch: messages stored per second, and the process's peak RSS meanwhile.
 *   The stand-in runs in a child process (bench/fake-graph-process.ts), so the RSS is the sync's.
 * - **Backfill, Dovecot (IMAP)**: the same for a sandbox mailbox filled with APPEND beforehand
 *   (the filling is not timed). Skipped with a 'not measured' row when Dovecot does not answer.
 * - **1,000 idle mailboxes**: 1,000 connected Graph mailboxes, already caught up, one pass with
 *   nothing new: seconds for the whole pass (a token exchange and two delta calls per mailbox);
 *   on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
 *
 * Sizes are flags through the environment (BENCH_MAILSYNC_GRAPH, _IMAP, _IDLE); the rows name them.
 */
const GRAPH_N = Number(process.env.BENCH_MAILSYNC_GRAPH ?? 50_000);
const IMAP_N = Number(process.env.BENCH_MAILSYNC_IMAP ?? 5_000);
const IDLE_N = Number(process.env.BENCH_MAILSYNC_IDLE ?? 1_000);
const ENTRA_TENANT = 'bench.onmicrosoft.com';
const CLIENT_ID = '00000000-0000-0000-0000-00000000b001';
const SECRET = 'bench~secret';
const DAY_MS = 86_400_000;
const MiB = 2 ** 20;

const count = (n: number) => n.toLocaleString('en-US');

/** The stand-in in its child process, called over IPC. */
class RemoteGraph {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  url = '';
  ca = '';
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(`fake Graph: ${m.error}`));
      else w?.resolve(m.result);
    });
  }

  static async start(): Promise<RemoteGraph> {
    const script = fileURLToPath(new URL('../fake-graph-process.ts', import.meta.url));
    const remote = new RemoteGraph(fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    Object.assign(remote, await remote.call<{ url: string; ca: string }>('start'));
    return remote;
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, method, args });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call('stop').catch(() => this.child.kill());
    await exited;
  }
}

/** SQLite folders made for the runs; removed when the bench process ends (each holds ~100 MB of mail). */
const scratchDirs: string[] = [];
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function freshStore(databaseUrl?: string): Promise<{ store: Store; t: SeededTenant }> {
  const scratch = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'tp-bench-mailsync-'));
  if (scratch) scratchDirs.push(scratch);
  const store = databaseUrl ? openStore({ databaseUrl, poolSize: 4 }) : openStore({ databaseUrl: undefined, dataDir: scratch! });
  await migrate(store);
  const t = await seedTenant(store, `mailsync${randomBytes(3).toString('hex')}`);
  return { store, t };
}

// ignoreSchedule claims a caught-up mailbox again, so maxMailboxes is exactly the mailboxes there are
// (claims go in next_sync_at order: each is claimed once).
function options(graph: { url: string; ca: string }, box: SecretBox, peak: { rss: number }, maxMailboxes: number): SyncOptions & { ignoreSchedule: boolean; maxMailboxes: number } {
  return {
    instanceId: 'bench',
    adapterFor: mailAdapterFactory({ microsoftGraph: { authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca }, google: undefined }),
    box,
    pageSize: 100,
    backfillDays: 30,
    intervalMs: 60_000,
    leaseMs: 120_000,
    threadWindowDays: 30,
    backoffCapMs: 1_800_000,
    ignoreSchedule: true,
    maxMailboxes,
    // RSS sampled after every stored page: the engine's memory is highest while a page is in hand.
    onPage: () => {
      peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
    },
  };
}

/** Senders for the IMAP mailbox: 40 buyers (the Graph stand-in's process makes its own). */
function buyer(i: number) {
  return { name: `Buyer ${i % 40}`, address: `buyer${i % 40}@customer${i % 40}.example` };
}

async function backfillRow(section: string, name: string, n: number, run: () => Promise<number>, peak: { rss: number }): Promise<Row[]> {
  const before = process.memoryUsage.rss();
  peak.rss = before;
  const t0 = performance.now();
  const stored = await run();
  const seconds = (performance.now() - t0) / 1000;
  if (stored !== n) throw new Error(`${name}: stored ${stored} of ${n} messages`);
  return [
    { section, name: `${name}: messages/s`, value: n / seconds, unit: 'msg/s', higherIsBetter: true, note: `${count(n)} messages in ${seconds.toFixed(1)} s` },
    { section, name: `${name}: peak RSS`, value: peak.rss / MiB, unit: 'MB', higherIsBetter: false, note: `the syncing process (tsx included; the Graph stand-in runs in its own), sampled after each page; ${(before / MiB).toFixed(0)} MB before the pass` },
  ];
}

/** 1,000 connected Graph mailboxes caught up, then one timed pass with nothing new. */
async function idlePass(section: string, label: string, graph: RemoteGraph, box: SecretBox, peak: { rss: number }, databaseUrl?: string): Promise<Row> {
  const { store, t } = await freshStore(databaseUrl);
  try {
    const addresses = Array.from({ length: IDLE_N }, (_, i) => `rep${i}@bench.example`);
    await graph.call('addMailboxes', addresses);
    for (const address of addresses) await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: SECRET } }, { backfillDays: 30 });
    const opts = options(graph, box, peak, IDLE_N);
    const first = await runSyncPass(store.db, store.dialect, opts); // the (empty) backfill: delta links stored
    if (first.length !== IDLE_N || new Set(first.map((r) => r.mailboxId)).size !== IDLE_N || first.some((r) => r.outcome !== 'caught-up')) throw new Error(`idle mailboxes: the first pass did not catch all ${IDLE_N} up: ${JSON.stringify(first.slice(0, 3))} (${first.length})`);
    const t0 = performance.now();
    const second = await runSyncPass(store.db, store.dialect, opts);
    const seconds = (performance.now() - t0) / 1000;
    if (second.length !== IDLE_N || new Set(second.map((r) => r.mailboxId)).size !== IDLE_N || second.some((r) => r.outcome !== 'caught-up' || r.stored !== 0)) throw new Error(`idle mailboxes: the measured pass was not ${IDLE_N} caught-up mailboxes with nothing new`);
    return { section, name: `${count(IDLE_N)} idle mailboxes, Graph stand-in${label}: one pass`, value: seconds, unit: 's', higherIsBetter: false, note: 'nothing new; token + delta calls per mailbox, one instance' };
  } finally {
    await store.close();
  }
}

export async function mailSyncSection(): Promise<Row[]> {
  const section = 'mailsync';
  const rows: Row[] = [];
  const box = new SecretBox(randomBytes(32));
  const graph = await RemoteGraph.start();
  await graph.call('addApp', { tenant: ENTRA_TENANT, clientId: CLIENT_ID, secret: SECRET });
  const peak = { rss: 0 };
  const now = Date.now();
  try {
    // --- Graph backfill ---
    {
      const { store, t } = await freshStore();
      try {
        const address = 'shared@bench.example';
        await graph.call('fillMailbox', address, GRAPH_N, now);
        await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: SECRET } }, { backfillDays: 30 });
        rows.push(...(await backfillRow(section, `backfill ${count(GRAPH_N)}, Graph stand-in`, GRAPH_N, async () => {
          const results = await runSyncPass(store.db, store.dialect, options(graph, box, peak, 1));
          if (results[0]?.outcome !== 'caught-up') throw new Error(`Graph backfill ended ${JSON.stringify(results[0])}`);
          return results.reduce((s, r) => s + r.stored, 0);
        }, peak)));
      } finally {
        await store.close();
      }
    }

    // --- IMAP backfill (Dovecot) ---
    {
      const address = sandboxAddress('bench');
      let client;
      try {
        client = await imapClient(address);
      } catch (error) {
        // Named apart from the measures, so run.ts reports their budgets as 'not measured', not broken.
        rows.push({ section, name: 'Dovecot (IMAP) backfill', value: NaN, unit: 'msg/s', higherIsBetter: true, note: `not measured: Dovecot at ${dovecotSettings().imap.host}:${dovecotSettings().imap.port} did not answer (${(error as Error).message}); .ci/dovecot.sh starts it` });
      }
      if (client) {
        try {
          for (let i = 0; i < IMAP_N; i++) {
            const date = new Date(now - 29 * DAY_MS + Math.floor((i * 29 * DAY_MS) / IMAP_N));
            const sent = i % 3 === 2;
            const b = buyer(i).address;
            await client.append(sent ? 'Sent' : 'INBOX', rawMail({ id: `i${i}@bench.example`, from: sent ? address : b, to: [sent ? b : address], subject: `RFQ ${Math.floor(i / 3)}`, date, body: `Please quote item ${i}.\r\n` }), [], date);
          }
        } finally {
          await client.logout();
        }
        const { store, t } = await freshStore();
        try {
          await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
          rows.push(...(await backfillRow(section, `backfill ${count(IMAP_N)}, Dovecot (IMAP)`, IMAP_N, async () => {
            const results = await runSyncPass(store.db, store.dialect, options(graph, box, peak, 1));
            if (results[0]?.outcome !== 'caught-up') throw new Error(`IMAP backfill ended ${JSON.stringify(results[0])}`);
            return results.reduce((s, r) => s + r.stored, 0);
          }, peak)));
        } finally {
          await store.close();
        }
      }
    }

    // --- 1,000 idle mailboxes: SQLite, and PostgreSQL where the tests' database is set ---
    rows.push(await idlePass(section, '', graph, box, peak));
    if (process.env.TEST_DATABASE_URL) rows.push(...(await withScratchDatabase(section, 'mailsync_idle', async (url) => [await idlePass(section, ', PostgreSQL', graph, box, peak, url)])));
  } finally {
    await graph.stop();
  }
  return rows;
}
