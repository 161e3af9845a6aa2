// The syncing process of the mail-sync bench (bench/sections/mailsync.ts): one sync pass in a
// process shaped like production — the built JavaScript in dist-cli/ that `tradepane serve` runs
// (node, no tsx), with the modules `serve` loads — so the peak RSS and the CPU time it reports are
// the engine's own, not the bench's (tsx, the test fixtures, the seeding).
// Plain JavaScript, forked with an IPC channel, no tsx and serve's V8 flags (bin/node-flags.js,
// which bin/tradepane.js starts `serve` with): it loads, sends 'ready', waits for
// 'go' (so two instances start their passes together), runs one pass over the due mailboxes and
// sends what it measured.
//   job ($MAILSYNC_JOB, JSON): { databaseUrl?, dataDir?, secretKey (base64), graph: { url, ca },
//     google?: { rootUrl, tokenUrl, clientEmail, privateKey } (a service account with delegation), instanceId }
const job = JSON.parse(process.env.MAILSYNC_JOB);
const dist = new URL('../dist-cli/server/', import.meta.url);
await import(new URL('serve.js', dist).href); // what a `serve` process holds before any mail is read
const { openStore } = await import(new URL('db/connect.js', dist).href);
const { runSyncPass } = await import(new URL('mail/sync.js', dist).href);
const { mailAdapterFactory } = await import(new URL('mail/adapters.js', dist).href);
const { SecretBox } = await import(new URL('secrets.js', dist).href);
const { GoogleCredentials } = await import(new URL('google/credentials.js', dist).href);

const store = openStore({ databaseUrl: job.databaseUrl || undefined, dataDir: job.dataDir, poolSize: 4 });
const box = new SecretBox(Buffer.from(job.secretKey, 'base64'));
const google = job.google
  ? new GoogleCredentials({ apiRootUrl: job.google.rootUrl, tokenUrl: job.google.tokenUrl, serviceAccount: { clientEmail: job.google.clientEmail, privateKey: job.google.privateKey } }, store.db, box)
  : undefined;
await new Promise((resolve) => {
  process.once('message', resolve);
  process.send('ready');
});
const rssBefore = process.memoryUsage.rss();
const startedAt = performance.timeOrigin + performance.now();
let peakRss = rssBefore;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const results = await runSyncPass(store.db, store.dialect, {
  instanceId: job.instanceId,
  adapterFor: mailAdapterFactory({ microsoftGraph: { authorityHost: job.graph.url, graphBaseUrl: job.graph.url, ca: job.graph.ca }, google }),
  box,
  pageSize: 100,
  backfillDays: 30,
  intervalMs: 60_000,
  leaseMs: 120_000,
  threadWindowDays: 30,
  backoffCapMs: 1_800_000,
  // Every due mailbox (the bench makes them all due); each is handed back scheduled a minute on.
  maxMailboxes: Number.MAX_SAFE_INTEGER,
  // RSS sampled after every stored page: the engine's memory is highest while a page is in hand.
  onPage: () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  },
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await store.close();
process.send({
  startedAt,
  endedAt: startedAt + seconds * 1000,
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  rssBefore,
  peakRss: Math.max(peakRss, process.memoryUsage.rss()),
  results: results.map((r) => ({ mailboxId: r.mailboxId, outcome: r.outcome, stored: r.stored, ...(r.error ? { error: r.error } : {}) })),
});
process.disconnect();
