// A mailbox-sync worker process for the SIGKILL test (test/server/mail-sync-processes.test.ts):
// runs sync passes over one mailbox until it has caught up, printing one JSON line per page.
// Runs the TypeScript sources through tsx, as bin/tradepane.js does.
import { register } from 'tsx/esm/api';

register();
const { openStore } = await import('../../src/server/db/connect.ts');
const { runSyncPass } = await import('../../src/server/mail/sync.ts');
const { mailAdapterFactory } = await import('../../src/server/mail/adapters.ts');
const { loadConfig } = await import('../../src/server/config.ts');
const { SecretBox } = await import('../../src/server/secrets.ts');

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
