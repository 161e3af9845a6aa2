import type { AddressInfo } from 'node:net';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { migrate, openStore } from './db/connect.js';
import { loadDevSigner } from './auth/dev-keys.js';
import { DEMO_ADMIN, DEMO_REP, seedDemo } from './demo/seed.js';
import { SecretBox } from './secrets.js';
import { startOutboxWorker } from './jobs/outbox-worker.js';
import { startSendWorker } from './jobs/send-worker.js';
import { startMailSync } from './jobs/mail-sync.js';
import { startDigestPass, startFollowUpPass } from './jobs/followups.js';
import { startTeamInboxClock } from './jobs/team-inbox-clock.js';
import { startTeamMailPass } from './jobs/team-mail.js';
import { mailAdapterFactory } from './mail/adapters.js';
import { googleCredentialsFromConfig } from './google/credentials.js';
import { startSignatureDriftCheck } from './services/gmail-signature-push.js';
import { startDirectorySync } from './jobs/directory-sync.js';
import { directoryAccess } from './services/directory-sync.js';

/**
 * Runs the store until SIGINT/SIGTERM. Shutdown: stop taking new requests (health answers 503),
 * let in-flight ones finish, hand back job leases, close the database. A second signal, or 10 s,
 * forces the exit.
 */
export async function serve(config: Config, print: (line: string) => void = console.log): Promise<void> {
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(store);
  const devSigner = config.devMode ? await loadDevSigner(config.dataDir) : undefined;
  const seeded = config.devMode ? await seedDemo(store.db) : false;
  const secretBox = SecretBox.fromConfig(config.secretKey, config.dataDir, config.devMode);
  // One set of Google credentials (and their token cache) for the app, the send worker and the drift check.
  const googleCredentials = googleCredentialsFromConfig(config.googleApi, store.db, secretBox);
  const app = await buildApp({ config, store, devSigner, secretBox, gmailAddon: { credentials: googleCredentials } });
  // CRM deliveries: every instance runs the worker; leases keep each attempt to one instance.
  const stopWorker = startOutboxWorker(store.db, secretBox, config.instanceId, (err) => app.log.error({ err }, 'outbox worker pass failed'));
  app.addHook('preClose', async () => {
    await stopWorker();
  });
  // Scheduled Gmail sends: every instance may run the worker; leases keep each send to one of them.
  if (config.sendWorker.enabled) {
    const stopSendWorker = startSendWorker(store.db, store.dialect, {
      instanceId: config.instanceId,
      credentials: googleCredentials,
      rootUrl: config.googleApi.apiRootUrl,
      leaseMs: config.sendWorker.leaseMs,
      concurrency: config.sendWorker.concurrency,
      onError: (err) => app.log.error({ err }, 'send worker pass failed'),
      onOutcome: (outcome) => {
        if (outcome.result !== 'sent') app.log.info({ send: outcome }, 'scheduled send not sent');
      },
    });
    app.addHook('preClose', async () => {
      await stopSendWorker();
    });
  }

  // Mailbox sync: every instance may run it; a lease keeps each mailbox to one worker at a time.
  if (config.mailSync.enabled) {
    const stopMailSync = startMailSync(store, { config: config.mailSync, instanceId: config.instanceId, box: secretBox, adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }), onError: (err) => app.log.error({ err }, 'mailbox sync pass failed') });
    app.addHook('preClose', async () => {
      await stopMailSync();
    });
  }

  // Follow-ups: every instance runs the due pass; each reminder is claimed in its task's transaction, so it fires once.
  const stopFollowUps = startFollowUpPass(store.db, config.instanceId, (err) => app.log.error({ err }, 'follow-up due pass failed'));
  // The 08:30 digest goes out through each rep's connected mailbox, once per rep and day.
  const stopDigests = startDigestPass(store.db, { adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }), box: secretBox, publicUrl: config.publicUrl, onError: (err) => app.log.error({ err }, 'follow-up digest failed') });
  app.addHook('preClose', async () => {
    await stopFollowUps();
    await stopDigests();
  });

  // Gmail signatures: re-applies the enforced signature where a rep changed it (needs delegation; 0 minutes = off).
  const stopDriftCheck = startSignatureDriftCheck(store.db, googleCredentials, config.gmailSignatureCheckMinutes, config.instanceId, (err) => app.log.error({ err }, 'Gmail signature drift check failed'));
  app.addHook('preClose', async () => {
    await stopDriftCheck();
  });

  // Directory sync: profile fields from Entra ID or Google Workspace once a day for every tenant that set up a source.
  const stopDirectorySync = startDirectorySync(store.db, secretBox, directoryAccess({ graph: config.microsoftGraph, google: googleCredentials, googleAdminRootUrl: config.googleApi.adminApiRootUrl }), config.instanceId, (err) => app.log.error({ err }, 'directory sync failed'));
  app.addHook('preClose', async () => {
    await stopDirectorySync();
  });

  // Team inbox: warnings at 75 % of the first-response target and escalations on breach, once per clock.
  const stopTeamClock = startTeamInboxClock(store.db, config.instanceId, (err) => app.log.error({ err }, 'team inbox clock pass failed'));
  // …and its mail (acknowledgements, warnings, escalations, notices): claimed once, sent with retry by any instance.
  const stopTeamMail = startTeamMailPass(store.db, { adapterFor: mailAdapterFactory({ microsoftGraph: config.microsoftGraph, google: googleCredentials }), box: secretBox, instanceId: config.instanceId, publicUrl: config.publicUrl, onError: (err) => app.log.error({ err }, 'team inbox mail pass failed') });
  app.addHook('preClose', async () => {
    await stopTeamClock();
    await stopTeamMail();
  });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
  });

  const address = await app.listen({ port: config.port, host: config.host });
  // PORT=0 picks a free port: the links must name the one the system gave, not ":0".
  const base = publicBase(config.publicUrl, app.server.address());
  print('');
  print(`tradepane store is running (${store.where}${config.devMode ? ', dev mode' : ''}), listening on ${address}`);
  print(`  Home page   ${base}/`);
  print(`  API docs    ${base}/docs`);
  print(`  Health      ${base}/healthz`);
  if (config.devMode) {
    print(`  Dev tokens  ${base}/dev/token?email=${DEMO_ADMIN}   (demo admin)`);
    print(`              ${base}/dev/token?email=${DEMO_REP}     (demo rep)`);
    print(`  Playground  ${base}/dev/playground?email=${DEMO_REP}  (the Outlook task pane and event handlers beside a simulated message)`);
    print(`  Console     ${base}/dev/admin?email=${DEMO_ADMIN}  (the admin console, signed in as the demo admin)`);
    print(`  Task pane   ${base}/dev/taskpane?email=${DEMO_REP}  (opens the task pane page as the demo rep)`);
    if (seeded) print('  Created the demo tenant "demo" with its admin, rep, groups sales-eu/sales-me and pack demo-export.');
  }
  print('');
}

/** The URL to print: PUBLIC_URL (or localhost on PORT) — with the port the system gave when PORT=0. */
export function publicBase(publicUrl: string, bound: string | AddressInfo | null): string {
  const url = new URL(publicUrl);
  if (url.port !== '0' || !bound || typeof bound === 'string') return publicUrl.replace(/\/$/, '');
  url.port = String(bound.port);
  return url.origin;
}
