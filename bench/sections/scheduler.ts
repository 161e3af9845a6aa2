import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScratchDatabase } from '../postgres.js';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { startSendWorker } from '../../src/server/jobs/send-worker.js';
import { SecretBox } from '../../src/server/secrets.js';
import { SEND_CONCURRENCY } from '../../src/server/config.js';
import { scheduleSend } from '../../src/server/services/scheduled-sends.js';
import { operator, seedTenant } from '../../test/support/fixtures.js';
import { compare, percentile, sortedCopy, type Row } from '../measure.js';
import { StandIn } from '../stand-in.js';

/**
 * The scheduled-send worker through the local Gmail stand-in (real googleapis client, real
 * JWT-bearer token exchange), answering every call after 300 ms as Gmail does from a data centre
 * away. The stand-in runs in a process of its own, as Gmail would be elsewhere; the two workers run
 * as `serve` runs them (production defaults: 64 in flight, claiming as slots free up, a claim a
 * second once the queue is drained), two instances over one database.
 *
 * - **Burst**: 10,000 items due at one instant: time until all are sent. Lateness of a burst is
 *   its queueing by construction (the last item waits for the 9,999 before it), so its p99 is
 *   reported, not budgeted.
 * - **Steady**: items falling due one after another at a steady rate well under capacity, the
 *   everyday case ("send at their 09:00" spread over reps and time zones): lateness p50/p99, the
 *   figure the ≤ 2 s budget is about.
 *
 * Lateness is sent_at − send_at per item (sent_at is written after Gmail answered). Duplicates
 * are sends beyond the first per draft, counted by the stand-in. docs/performance.md explains.
 */
// Smaller runs for profiling; the budgets are stated for the defaults.
const BURST = Number(process.env.BENCH_SCHEDULER_ITEMS ?? 10_000);
const STEADY_RATE = 100; // items falling due per second
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 20);
/** How long the stand-in takes to answer every call, as Gmail does from a data centre away (issue #18: 300 ms). */
const GMAIL_LATENCY_MS = Number(process.env.BENCH_GMAIL_LATENCY_MS ?? 300);
const SERVICE_ACCOUNT = 'bench-sender@tradepane-bench.iam.gserviceaccount.com';

interface Scenario {
  /** Seconds after the start at which item i falls due. */
  dueAfter: (i: number) => number;
  items: number;
}

interface Outcome {
  totalS: number;
  lateness: number[];
  notSent: number;
  duplicates: number;
}

async function run(store: Store, scenario: Scenario): Promise<Outcome> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const gmail = StandIn.fork('./fake-gmail-process.ts', 'fake Gmail');
  try {
    const { rootUrl, tokenUrl } = await gmail.call<{ rootUrl: string; tokenUrl: string }>('start', GMAIL_LATENCY_MS);
    await gmail.call('addServiceAccount', SERVICE_ACCOUNT, keys.publicKey);
    await migrate(store);
    const t = await seedTenant(store, `bench-sched-${randomBytes(3).toString('hex')}`);
    await gmail.call('addUser', t.rep.email);
    const rep = { ...operator(t.tenantId), userId: t.rep.id, role: 'rep' as const, label: t.rep.email };
    const credentials = new GoogleCredentials({ apiRootUrl: rootUrl, tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey } }, store.db, new SecretBox(randomBytes(32)));

    // Scheduled through the service (the real path) for later, then given the scenario's times.
    const drafts = await gmail.call<string[]>('addDrafts', t.rep.email, scenario.items);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < drafts.length; i++) {
      const { send } = await scheduleSend(t.tdb, rep, { provider: 'gmail', draftId: drafts[i]!, recipients: [`buyer${i}@example.de`], subject: `Quotation ${i}`, sendAt: later });
      ids.push(send.id);
    }
    const start = Date.now() + 1_000;
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < ids.length; i++) {
        const at = new Date(start + scenario.dueAfter(i) * 1000).toISOString();
        await trx.updateTable('scheduled_sends').set({ send_at: at, next_attempt_at: at }).where('id', '=', ids[i]!).execute();
      }
    });

    const workers = ['bench-w1', 'bench-w2'].map((instanceId) => startSendWorker(store.db, store.dialect, { instanceId, credentials, rootUrl, onError: (error) => console.error('send worker:', error) }));
    let totalS: number;
    try {
      let pending = scenario.items;
      while (pending > 0) {
        await new Promise((r) => setTimeout(r, 200));
        const row = await store.db.selectFrom('scheduled_sends').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', t.tenantId).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
        pending = Number(row.n);
        if (Date.now() - start > 600_000) throw new Error(`the worker did not drain the queue in 10 minutes (${pending} left)`);
      }
      totalS = (Date.now() - start) / 1000;
    } finally {
      await Promise.all(workers.map((stop) => stop()));
    }

    const rows = await store.db.selectFrom('scheduled_sends').select(['status', 'send_at', 'sent_at']).where('tenant_id', '=', t.tenantId).execute();
    const counts = await gmail.call<number[]>('sendCounts', drafts);
    return {
      totalS,
      lateness: sortedCopy(rows.filter((r) => r.sent_at).map((r) => (Date.parse(r.sent_at!) - Date.parse(r.send_at)) / 1000)),
      notSent: rows.filter((r) => r.status !== 'sent').length,
      duplicates: counts.reduce((n, c) => n + Math.max(0, c - 1), 0),
    };
  } finally {
    await gmail.stop();
  }
}

const WORKERS = `2 instances × ${SEND_CONCURRENCY} in flight, Gmail answering in ${GMAIL_LATENCY_MS} ms`;

function burstRows(where: string, o: Outcome): Row[] {
  const prefix = where === 'SQLite' ? '' : `${where}: `;
  return [
    // The floor: every item needs two Gmail round trips (drafts.get, drafts.send), so with 2 × SEND_CONCURRENCY in flight no worker can beat this.
    compare({ section: 'scheduler', name: `${prefix}${BURST.toLocaleString('en')} due at once: time to send all`, value: o.totalS, unit: 's', higherIsBetter: false, baseline: { name: `two Gmail round trips per item at ${2 * SEND_CONCURRENCY} in flight`, value: (BURST * 2 * GMAIL_LATENCY_MS) / 1000 / (2 * SEND_CONCURRENCY) }, note: `${(BURST / o.totalS).toFixed(0)} sends/s, ${WORKERS}, ${where}` }),
    { section: 'scheduler', name: `${prefix}send rate`, value: BURST / o.totalS, unit: 'sends/s', higherIsBetter: true, note: `${WORKERS}, ${where}` },
    { section: 'scheduler', name: `${prefix}burst lateness p50 / p99`, value: percentile(o.lateness, 99), unit: 's', higherIsBetter: false, note: `p50 ${percentile(o.lateness, 50).toFixed(1)} s; all due at one instant: p99 ≈ the drain time` },
    { section: 'scheduler', name: `${prefix}duplicate sends`, value: o.duplicates, unit: 'sends', higherIsBetter: false },
    { section: 'scheduler', name: `${prefix}items not sent`, value: o.notSent, unit: 'items', higherIsBetter: false },
  ];
}

export async function schedulerSection(): Promise<Row[]> {
  const out: Row[] = [];
  const sqlite = () => openStore({ databaseUrl: undefined, dataDir: mkdtempSync(join(tmpdir(), 'tp-bench-sched-')) });

  let store = sqlite();
  try {
    out.push(...burstRows('SQLite', await run(store, { items: BURST, dueAfter: () => 0 })));
  } finally {
    await store.close();
  }

  store = sqlite();
  try {
    const o = await run(store, { items: STEADY_RATE * STEADY_SECONDS, dueAfter: (i) => i / STEADY_RATE });
    out.push(
      { section: 'scheduler', name: 'steady stream: lateness p99', value: percentile(o.lateness, 99), unit: 's', higherIsBetter: false, note: `p50 ${percentile(o.lateness, 50).toFixed(2)} s; ${STEADY_RATE} due per second for ${STEADY_SECONDS} s, ${WORKERS}, SQLite; a pass a second` },
      { section: 'scheduler', name: 'steady stream: duplicates + not sent', value: o.duplicates + o.notSent, unit: 'items', higherIsBetter: false },
    );
  } finally {
    await store.close();
  }

  // PostgreSQL: the scale-out database, where SKIP LOCKED lets the two instances claim in parallel.
  out.push(
    ...(await withScratchDatabase('scheduler', 'tp_bench_sched', async (url) => {
      const pgStore = openStore({ databaseUrl: url, dataDir: mkdtempSync(join(tmpdir(), 'tp-bench-sched-')) });
      try {
        return burstRows('PostgreSQL', await run(pgStore, { items: BURST, dueAfter: () => 0 }));
      } finally {
        await pgStore.close();
      }
    })),
  );
  return out;
}
