// A mailbox-sync worker process for the SIGKILL test (test/server/mail-sync-processes.test.ts):
// runs sync passes over one mailbox until it has caught up, printing one JSON line per page.
// Loads the server's modules as bin/tradepane.js does: the built JavaScript in dist-cli/ while it
// is current (`npm test` and jest's global set-up build it), else the TypeScript through tsx —
// compiling the sources at every start cost each of the test's eight processes seconds of CPU.
import { freshBuild } from '../../bin/cli-build.js';

const built = freshBuild();
let load;
if (built) {
  load = (module) => import(new URL(`../${module}.js`, built).href); // built is dist-cli/cli/main.js
} else {
  const { register } = await import('tsx/esm/api');
  register();
  load = (module) => import(new URL(`../../src/${module}.ts`, import.meta.url).href);
}
const { openStore } = await load('server/db/connect');
const { runSyncPass } = await load('server/mail/sync');
const { mailAdapterFactory } = await load('server/mail/adapters');
const { loadConfig } = await load('server/config');
const { SecretBox } = await load('server/secrets');

const env = process.env;
const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig(env).microsoftGraph, google: undefined });
const store = openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.TRADEPANE_DATA_DIR, poolSize: 2 });
const box = new SecretBox(Buffer.from(env.TRADEPANE_SECRET_KEY, 'base64'));
const pauseMs = Number(env.PAGE_PAUSE_MS || 0);
// A pause before each fetch widens the window in which the test's SIGKILL lands mid-backfill.
const adapterFor = (row, secrets) => {
  const real = createAdapter(row, secrets);
  return { provider: real.provider, test: () => real.test(), close: () => real.close(), nextPage: async (cursor, o) => {
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    return real.nextPage(cursor, o);
  } };
};
for (;;) {
  const [result] = await runSyncPass(store.db, store.dialect, {
    instanceId: env.INSTANCE_ID, adapterFor, box, pageSize: Number(env.PAGE_SIZE), backfillDays: 30, intervalMs: 60_000,
    leaseMs: Number(env.LEASE_MS), threadWindowDays: 30, backoffBaseMs: 50, backoffCapMs: 500, mailboxId: env.MAILBOX_ID, ignoreSchedule: true,
    onPage: (e) => process.stdout.write(`${JSON.stringify({ instance: env.INSTANCE_ID, stored: e.stored, done: e.done, remaining: e.remaining })}\n`),
  });
  if (result?.outcome === 'caught-up') break;
  // Another process holds the lease (or the pass failed): try again shortly.
  await new Promise((r) => setTimeout(r, 100));
}
await store.close();
process.stdout.write(`${JSON.stringify({ instance: env.INSTANCE_ID, finished: true })}\n`);
