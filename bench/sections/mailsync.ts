import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, freshBuild } from '../../bin/cli-build.js';
import { SERVER_NODE_FLAGS } from '../../bin/node-flags.js';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { dovecotSettings, imapClient, rawMail, sandboxAddress, SANDBOX_PASSWORD } from '../../test/support/dovecot.js';
import { operator, seedTenant, type SeededTenant } from '../../test/support/fixtures.js';
import type { Row } from '../measure.js';
import { withScratchDatabase } from '../postgres.js';
import { StandIn } from '../stand-in.js';

/**
 * Mailbox sync (issue #14) through the real engine — `runSyncPass` with the store's own adapter
 * factory, production defaults (100 per page, 30 days back) — on SQLite. Every pass runs in a
 * process shaped like production (bench/mailsync-worker.mjs: the built JavaScript in dist-cli/,
 * node without tsx, the modules `serve` loads), so the RSS and CPU time are the engine's; this
 * process only seeds the stores and checks the outcome.
 *
 * - **Backfill, Graph stand-in**: one mailbox holding N messages (inbox, two thirds, and sent
 *   items) read from scratch: messages stored per second, the syncing process's CPU time per
 *   message and its peak RSS. The stand-in runs in a process of its own (bench/fake-graph-process.ts).
 * - **Backfill, Gmail stand-in**: the same for a Workspace mailbox read through domain-wide
 *   delegation (a service account's token, messages.list pages and a messages.get per message,
 *   as the Gmail adapter reads) from bench/fake-gmail-process.ts.
 * - **Backfill, Dovecot (IMAP)**: the same for a sandbox mailbox filled with APPEND beforehand
 *   (the filling is not timed). Skipped with a 'not measured' row when Dovecot does not answer.
 * - **1,000 idle mailboxes**: 1,000 connected Graph mailboxes, already caught up, one pass with
 *   nothing new: seconds for the whole pass (a token exchange and two delta calls per mailbox);
 *   on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set, there with one instance and with
 *   two sharing the mailboxes by lease.
 *
 * Sizes are flags through the environment (BENCH_MAILSYNC_GRAPH, _GMAIL, _IMAP, _IDLE); the rows name them.
 * BENCH_MAILSYNC_NODE_FLAGS adds Node flags to the syncing worker (a CPU profile, a heap trial).
 */
const GRAPH_N = Number(process.env.BENCH_MAILSYNC_GRAPH ?? 50_000);
const GMAIL_N = Number(process.env.BENCH_MAILSYNC_GMAIL ?? 50_000);
const IMAP_N = Number(process.env.BENCH_MAILSYNC_IMAP ?? 50_000);
const APPEND_CONNECTIONS = 4;
const IDLE_N = Number(process.env.BENCH_MAILSYNC_IDLE ?? 1_000);
/** V8/Node flags added to the syncing worker's (a profile: `--cpu-prof --cpu-prof-dir=DIR`; a trial of other heap settings). */
const WORKER_EXTRA_FLAGS = (process.env.BENCH_MAILSYNC_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const ENTRA_TENANT = 'bench.onmicrosoft.com';
const GOOGLE_SERVICE_ACCOUNT = 'bench-sync@tradepane-bench.iam.gserviceaccount.com';
const CLIENT_ID = '00000000-0000-0000-0000-00000000b001';
const SECRET = 'bench~secret';
const DAY_MS = 86_400_000;
const MiB = 2 ** 20;

const count = (n: number) => n.toLocaleString('en-US');

/** Builds dist-cli/ when it is not a build of the current sources (the worker runs it). */
async function builtCli(): Promise<void> {
  if (!freshBuild()) await buildCli();
}

/** Where the syncing worker finds the stand-ins: Graph always, Google (a service account with delegation) for Gmail mailboxes. */
interface Services {
  graph: { url: string; ca: string };
  google?: { rootUrl: string; tokenUrl: string; clientEmail: string; privateKey: string };
}

interface WorkerReport {
  startedAt: number;
  endedAt: number;
  seconds: number;
  cpuSeconds: number;
  rssBefore: number;
  peakRss: number;
  results: { mailboxId: string; outcome: string; stored: number; error?: unknown }[];
}

/**
 * One pass over every due mailbox in `instances` worker processes started together (each loads
 * first, then all are told to go): the span from the first start to the last end, and each one's
 * report.
 */
async function passInWorkers(store: { databaseUrl?: string; dataDir?: string }, services: Services, secretKey: Buffer, instances = 1): Promise<{ seconds: number; reports: WorkerReport[] }> {
  const script = fileURLToPath(new URL('../mailsync-worker.mjs', import.meta.url));
  const children = Array.from({ length: instances }, (_, i) =>
    // The job through the environment (not argv, which `ps` shows): the sealed-secrets key is in it.
    // With the V8 flags `tradepane serve` runs with (bin/node-flags.js), as bin/tradepane.js starts it,
    // and any the person measuring adds (BENCH_MAILSYNC_NODE_FLAGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
    fork(script, [], { execArgv: [...SERVER_NODE_FLAGS, ...WORKER_EXTRA_FLAGS], env: { ...process.env, MAILSYNC_JOB: JSON.stringify({ ...store, secretKey: secretKey.toString('base64'), graph: { url: services.graph.url, ca: services.graph.ca }, google: services.google, instanceId: `bench-${i + 1}` }) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const reports = children.map(
    (child) =>
      new Promise<WorkerReport>((resolve, reject) => {
        let report: WorkerReport | undefined;
        child.on('message', (m: WorkerReport | 'ready') => {
          if (m !== 'ready') report = m;
        });
        child.once('exit', (code) => (report ? resolve(report) : reject(new Error(`mail-sync worker exited with ${code} before reporting`))));
      }),
  );
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  for (const child of children) child.send('go');
  const done = await Promise.all(reports);
  return { seconds: (Math.max(...done.map((r) => r.endedAt)) - Math.min(...done.map((r) => r.startedAt))) / 1000, reports: done };
}

/** Every mailbox due now, so a worker's pass takes each once. */
async function allDue(store: Store): Promise<void> {
  await store.db.updateTable('mailboxes').set({ next_sync_at: new Date(Date.now() - 1000).toISOString() }).execute();
}

/** SQLite folders made for the runs; removed when the bench process ends (each holds ~100 MB of mail). */
const scratchDirs: string[] = [];
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function freshStore(databaseUrl?: string): Promise<{ store: Store; t: SeededTenant; where: { databaseUrl?: string; dataDir?: string } }> {
  const scratch = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'tp-bench-mailsync-'));
  if (scratch) scratchDirs.push(scratch);
  const store = databaseUrl ? openStore({ databaseUrl, poolSize: 4 }) : openStore({ databaseUrl: undefined, dataDir: scratch! });
  await migrate(store);
  const t = await seedTenant(store, `mailsync${randomBytes(3).toString('hex')}`);
  return { store, t, where: databaseUrl ? { databaseUrl } : { dataDir: scratch! } };
}

/** Senders for the IMAP mailbox: 40 buyers (the Graph stand-in's process makes its own). */
function buyer(i: number) {
  return { name: `Buyer ${i % 40}`, address: `buyer${i % 40}@customer${i % 40}.example` };
}

async function backfillRow(section: string, name: string, n: number, store: Store, where: { databaseUrl?: string; dataDir?: string }, services: Services, secretKey: Buffer): Promise<Row[]> {
  await allDue(store);
  const { seconds, reports } = await passInWorkers(where, services, secretKey);
  const report = reports[0]!;
  const result = report.results[0];
  if (report.results.length !== 1 || result?.outcome !== 'caught-up') throw new Error(`${name}: the backfill ended ${JSON.stringify(report.results.slice(0, 2))}`);
  if (result.stored !== n) throw new Error(`${name}: stored ${result.stored} of ${n} messages`);
  return [
    { section, name: `${name}: messages/s`, value: n / seconds, unit: 'msg/s', higherIsBetter: true, note: `${count(n)} messages in ${seconds.toFixed(1)} s` },
    { section, name: `${name}: CPU time per 1,000 messages`, value: (report.cpuSeconds / n) * 1000, unit: 's', higherIsBetter: false, note: 'the syncing process (user + system; SQLite is in it, the stand-in is not): steadier than the rate on a shared machine' },
    { section, name: `${name}: peak RSS`, value: report.peakRss / MiB, unit: 'MB', higherIsBetter: false, note: `the syncing process (built JavaScript, serve's modules loaded, no tsx), sampled after each page; ${(report.rssBefore / MiB).toFixed(0)} MB before the pass` },
  ];
}

/** 1,000 connected Graph mailboxes caught up, then one timed pass with nothing new (in `instances` workers). */
async function idlePass(section: string, label: string, graph: StandIn & Services['graph'], box: SecretBox, secretKey: Buffer, databaseUrl?: string, instances: number[] = [1]): Promise<Row[]> {
  const { store, t, where } = await freshStore(databaseUrl);
  try {
    const addresses = Array.from({ length: IDLE_N }, (_, i) => `rep${i}@bench.example`);
    await graph.call('addMailboxes', addresses);
    for (const address of addresses) await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: SECRET } }, { backfillDays: 30 });
    const check = (reports: WorkerReport[], what: string, stored: boolean) => {
      const results = reports.flatMap((r) => r.results);
      if (results.length !== IDLE_N || new Set(results.map((r) => r.mailboxId)).size !== IDLE_N || results.some((r) => r.outcome !== 'caught-up' || (!stored && r.stored !== 0))) {
        throw new Error(`idle mailboxes: ${what} was not ${IDLE_N} caught-up mailboxes, each once${stored ? '' : ' with nothing new'}: ${results.length} results, e.g. ${JSON.stringify(results.find((r) => r.outcome !== 'caught-up') ?? results[0])}`);
      }
    };
    await allDue(store);
    check((await passInWorkers(where, { graph }, secretKey)).reports, 'the first pass', true); // the (empty) backfill: delta links stored
    const rows: Row[] = [];
    for (const n of instances) {
      await allDue(store);
      const { seconds, reports } = await passInWorkers(where, { graph }, secretKey, n);
      check(reports, 'the measured pass', false);
      const cpu = reports.reduce((s, r) => s + r.cpuSeconds, 0);
      const many = n > 1 ? `, ${n} instances` : '';
      rows.push({ section, name: `${count(IDLE_N)} idle mailboxes, Graph stand-in${label}${many}: one pass`, value: seconds, unit: 's', higherIsBetter: false, note: `nothing new; per mailbox a claim, a token, two delta calls and one cursor write; ${n === 1 ? 'one instance' : `${n} instances sharing the mailboxes by lease (${reports.map((r) => r.results.length).join(' + ')})`}; syncing CPU ${cpu.toFixed(1)} s` });
    }
    return rows;
  } finally {
    await store.close();
  }
}

export async function mailSyncSection(): Promise<Row[]> {
  const section = 'mailsync';
  const rows: Row[] = [];
  const secretKey = randomBytes(32);
  const box = new SecretBox(secretKey);
  await builtCli();
  const graphProcess = StandIn.fork('./fake-graph-process.ts', 'fake Graph');
  const graph = Object.assign(graphProcess, await graphProcess.call<{ url: string; ca: string }>('start'));
  await graph.call('addApp', { tenant: ENTRA_TENANT, clientId: CLIENT_ID, secret: SECRET });
  const now = Date.now();
  try {
    // --- Graph backfill ---
    {
      const { store, t, where } = await freshStore();
      try {
        const address = 'shared@bench.example';
        await graph.call('fillMailbox', address, GRAPH_N, now);
        await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: SECRET } }, { backfillDays: 30 });
        rows.push(...(await backfillRow(section, `backfill ${count(GRAPH_N)}, Graph stand-in`, GRAPH_N, store, where, { graph }, secretKey)));
      } finally {
        await store.close();
      }
    }

    // --- Gmail backfill: a Workspace mailbox through domain-wide delegation ---
    if (GMAIL_N > 0) {
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const gmail = StandIn.fork('./fake-gmail-process.ts', 'fake Gmail');
      const { store, t, where } = await freshStore();
      try {
        const { rootUrl, tokenUrl } = await gmail.call<{ rootUrl: string; tokenUrl: string }>('start');
        await gmail.call('addServiceAccount', GOOGLE_SERVICE_ACCOUNT, keys.publicKey);
        const address = 'sales@bench.example';
        await gmail.call('fillMailbox', address, GMAIL_N, now);
        await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'gmail', address, settings: {} }, { backfillDays: 30 });
        const google = { rootUrl, tokenUrl, clientEmail: GOOGLE_SERVICE_ACCOUNT, privateKey: keys.privateKey };
        rows.push(...(await backfillRow(section, `backfill ${count(GMAIL_N)}, Gmail stand-in`, GMAIL_N, store, where, { graph, google }, secretKey)));
      } finally {
        await store.close();
        await gmail.stop();
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
        // Four connections append side by side (one at a time took ~7 minutes for 50,000).
        const writers = [client, ...(await Promise.all(Array.from({ length: APPEND_CONNECTIONS - 1 }, () => imapClient(address))))];
        try {
          await Promise.all(
            writers.map(async (writer, k) => {
              for (let i = k; i < IMAP_N; i += writers.length) {
                const date = new Date(now - 29 * DAY_MS + Math.floor((i * 29 * DAY_MS) / IMAP_N));
                const sent = i % 3 === 2;
                const b = buyer(i).address;
                await writer.append(sent ? 'Sent' : 'INBOX', rawMail({ id: `i${i}@bench.example`, from: sent ? address : b, to: [sent ? b : address], subject: `RFQ ${Math.floor(i / 3)}`, date, body: `Please quote item ${i}.\r\n` }), [], date);
              }
            }),
          );
        } finally {
          await Promise.all(writers.map((writer) => writer.logout()));
        }
        const { store, t, where } = await freshStore();
        try {
          await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
          rows.push(...(await backfillRow(section, `backfill ${count(IMAP_N)}, Dovecot (IMAP)`, IMAP_N, store, where, { graph }, secretKey)));
        } finally {
          await store.close();
        }
      }
    }

    // --- 1,000 idle mailboxes: SQLite, and PostgreSQL where the tests' database is set ---
    rows.push(...(await idlePass(section, '', graph, box, secretKey)));
    if (process.env.TEST_DATABASE_URL) rows.push(...(await withScratchDatabase(section, 'mailsync_idle', (url) => idlePass(section, ', PostgreSQL', graph, box, secretKey, url, [1, 2]))));
  } finally {
    await graph.stop();
  }
  return rows;
}
