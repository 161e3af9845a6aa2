import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { ensureFacesBuilt } from './build-faces.mjs';
import { startBrowserServer } from './browser-server.mjs';
import { buildCli, freshBuild } from '../../bin/cli-build.js';

/**
 * Finds the PostgreSQL the integration tests run against: $TEST_DATABASE_URL, else the one
 * `.ci/postgres.sh` sets up. In CI an unreachable PostgreSQL fails the run; on a developer's
 * machine the PostgreSQL half is reported as NOT RUN in the summary (never silently).
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://tradepane:tradepane@127.0.0.1:5432/tradepane_test';

/** What global set-up reads of jest's configuration (a part of @jest/types' GlobalConfig). */
interface RunConfig {
  rootDir: string;
  testPathPatterns?: { isSet(): boolean; toExecutor(options: { rootDir: string }): { isMatch(absolutePath: string): boolean } };
}

export default async function globalSetup(globalConfig: RunConfig): Promise<void> {
  // The end-to-end suites serve the built faces; build them once for the whole run (`npm test`
  // built them already, before jest: test/support/run-tests.mjs).
  await ensureFacesBuilt();
  // The binary tests run bin/tradepane.js as shipped: on the built CLI (dist-cli/), built when stale.
  if (!freshBuild()) await buildCli();
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  // 10 s: on a busy 2-core machine the first connection can wait for a core (3 s failed a clean-clone run once).
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.TEST_DATABASE_URL = url;
    process.env.TP_POSTGRES = 'available';
  } catch (error) {
    const reason = `PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`;
    if (process.env.CI) throw new Error(`${reason}. CI must test PostgreSQL: run .ci/postgres.sh first (.ci/run does).`);
    process.env.TP_POSTGRES = `unavailable: ${reason}. Run "bash .ci/postgres.sh" (as root) or set TEST_DATABASE_URL.`;
  } finally {
    await client.end().catch(() => undefined);
  }
  await findDovecot();
  // One Chromium for every end-to-end file of the run (closed by global-teardown.ts).
  if (runsEndToEnd(globalConfig)) (globalThis as { tpBrowserServer?: unknown }).tpBrowserServer = await startBrowserServer();
}

/** Whether the run may include a test/e2e file (no path patterns, or one matching such a file). */
function runsEndToEnd(globalConfig: RunConfig): boolean {
  const patterns = globalConfig.testPathPatterns;
  if (!patterns?.isSet?.()) return true;
  try {
    const matches = patterns.toExecutor({ rootDir: globalConfig.rootDir });
    const dir = resolve(globalConfig.rootDir, 'test/e2e');
    return readdirSync(dir).some((name) => matches.isMatch(join(dir, name)));
  } catch {
    return true;
  }
}

/**
 * The IMAP server the mailbox-sync tests deliver mail into (`.ci/dovecot.sh`): $TEST_IMAP_HOST /
 * $TEST_IMAP_PORT, else 127.0.0.1:10143. Like PostgreSQL: unreachable fails a CI run, and on a
 * developer's machine those suites are reported as NOT RUN.
 */
async function findDovecot(): Promise<void> {
  const host = process.env.TEST_IMAP_HOST || '127.0.0.1';
  const port = Number(process.env.TEST_IMAP_PORT || 10143);
  const greeting = await new Promise<string>((resolve) => {
    const socket = connect({ host, port });
    const done = (text: string) => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(3000, () => done('timed out'));
    socket.once('data', (data) => done(data.toString('utf8')));
    socket.once('error', (error) => done(error.message));
  });
  if (greeting.startsWith('* OK')) {
    process.env.TEST_IMAP_HOST = host;
    process.env.TEST_IMAP_PORT = String(port);
    process.env.TP_IMAP = 'available';
    return;
  }
  const reason = `IMAP test server not reachable at ${host}:${port}: ${greeting.trim().slice(0, 200)}`;
  if (process.env.CI) throw new Error(`${reason}. CI must test mailbox sync against Dovecot: run .ci/dovecot.sh first (.ci/run does).`);
  process.env.TP_IMAP = `unavailable: ${reason}. Run "bash .ci/dovecot.sh" (as root) or set TEST_IMAP_HOST/TEST_IMAP_PORT.`;
}
