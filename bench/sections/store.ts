import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { compare, type Row } from '../measure.js';
import { withScratchDatabase } from '../postgres.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DURATION_S = 5;
const CONNECTIONS = 64;
/** Load before each measured run, not counted: JIT, the statement caches and the in-memory views warm up. */
const WARMUP_S = 2;

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(port: number, env: Record<string, string>): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin/tradepane.js'), 'serve', '--dev', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'bench', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Home page')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`store did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function repAuth(url: string): Promise<{ token: string; etag: string }> {
  const { token } = (await (await fetch(`${url}/dev/token?email=rep@demo.tradepane.test`)).json()) as { token: string };
  const res = await fetch(`${url}/api/v1/me/packs`, { headers: { authorization: `Bearer ${token}` } });
  return { token, etag: res.headers.get('etag') ?? '' };
}

async function load(urls: string[], headers: Record<string, string>, expectStatus: number) {
  await Promise.all(urls.map((url) => autocannon({ url: `${url}/api/v1/me/packs`, connections: Math.round(CONNECTIONS / urls.length), duration: WARMUP_S, headers })));
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({ url: `${url}/api/v1/me/packs`, connections: Math.round(CONNECTIONS / urls.length), duration: DURATION_S, headers }),
    ),
  );
  const wrong = results.reduce((n, r) => n + r.non2xx, 0);
  if (expectStatus === 200 && wrong > 0) throw new Error(`${wrong} non-2xx answers under load`);
  return {
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

async function measure(label: string, servers: Server[]): Promise<{ label: string; cached: Awaited<ReturnType<typeof load>>; full: Awaited<ReturnType<typeof load>> }> {
  const { token, etag } = await repAuth(servers[0]!.url);
  const urls = servers.map((s) => s.url);
  const cached = await load(urls, { authorization: `Bearer ${token}`, 'if-none-match': etag }, 304);
  const full = await load(urls, { authorization: `Bearer ${token}` }, 200);
  return { label, cached, full };
}

function rows(m: Awaited<ReturnType<typeof measure>>, baseline?: Awaited<ReturnType<typeof measure>>): Row[] {
  return [
    compare({ section: 'store', name: `${m.label}: 304 (If-None-Match) req/s`, value: m.cached.rps, unit: 'req/s', higherIsBetter: true, ...(baseline ? { baseline: { name: baseline.label, value: baseline.cached.rps } } : { baseline: { name: '200 without If-None-Match', value: m.full.rps } }) }),
    { section: 'store', name: `${m.label}: 304 latency p50 / p99`, value: m.cached.p99, unit: 'ms p99', higherIsBetter: false, note: `p50 ${m.cached.p50} ms` },
    compare({ section: 'store', name: `${m.label}: 200 (full view) req/s`, value: m.full.rps, unit: 'req/s', higherIsBetter: true, ...(baseline ? { baseline: { name: baseline.label, value: baseline.full.rps } } : { note: `${CONNECTIONS} connections, ${DURATION_S} s after ${WARMUP_S} s warm-up` }) }),
    { section: 'store', name: `${m.label}: 200 latency p50 / p99`, value: m.full.p99, unit: 'ms p99', higherIsBetter: false, note: `p50 ${m.full.p50} ms` },
  ];
}

export async function storeSection(): Promise<Row[]> {
  const out: Row[] = [];
  const sqlite = await startServer(39101, { TRADEPANE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tp-bench-')), DATABASE_URL: '' });
  try {
    out.push(...rows(await measure('SQLite, 1 instance', [sqlite])));
  } finally {
    await sqlite.stop();
  }

  out.push(
    ...(await withScratchDatabase('store', 'tp_bench', async (url) => {
      const pgRows: Row[] = [];
      const env = { DATABASE_URL: url, TRADEPANE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tp-bench-')) };
      const one = await startServer(39102, env);
      let single;
      try {
        single = await measure('PostgreSQL, 1 instance', [one]);
        pgRows.push(...rows(single));
      } finally {
        await one.stop();
      }
      const a = await startServer(39103, env);
      const b = await startServer(39104, env);
      try {
        pgRows.push(...rows(await measure('PostgreSQL, 2 instances', [a, b]), single));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      return pgRows;
    })),
  );
  return out;
}
