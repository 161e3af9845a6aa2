import pg from 'pg';
import { ensureFacesBuilt } from './build-faces.mjs';
import { buildCli, freshBuild } from '../../bin/cli-build.js';

/**
 * Finds the PostgreSQL the integration tests run against: $TEST_DATABASE_URL, else the one
 * `.ci/postgres.sh` sets up. In CI an unreachable PostgreSQL fails the run; on a developer's
 * machine the PostgreSQL half is reported as NOT RUN in the summary (never silently).
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://tradepane:tradepane@127.0.0.1:5432/tradepane_test';

export default async function globalSetup(): Promise<void> {
  // The end-to-end suites serve the built faces; build them once for the whole run.
  await ensureFacesBuilt();
  // The binary tests run bin/tradepane.js as shipped: on the built CLI (dist-cli/), built when stale.
  if (!freshBuild()) await buildCli();
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
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
}
