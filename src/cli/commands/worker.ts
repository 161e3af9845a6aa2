import type { Command } from 'commander';
import { CliError, cliConsole as console, config, step } from '../shared.js';
import { SEND_CONCURRENCY } from '../../server/config.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('send scheduled Gmail drafts at their time (run as many as you like; leases keep each send to one)')
    .option('--interval-ms <ms>', 'pause between passes when nothing is due (default 1000)', (v) => Number(v))
    .option('--concurrency <n>', `sends in flight at once (default: $SEND_WORKER_CONCURRENCY or ${SEND_CONCURRENCY})`, (v) => Number(v))
    .option('--quiet', 'print only failures, not every send')
    .action(async (opts: { intervalMs?: number; concurrency?: number; quiet?: boolean }) => {
      for (const [name, value] of [['--interval-ms', opts.intervalMs], ['--concurrency', opts.concurrency]] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new CliError(`${name}: expected a whole number ≥ 1, got ${value}`);
      }
      const { migrate, openStore } = await import('../../server/db/connect.js');
      const { SecretBox } = await import('../../server/secrets.js');
      const { googleCredentialsFromConfig } = await import('../../server/google/credentials.js');
      const { startSendWorker } = await import('../../server/jobs/send-worker.js');
      const { releaseLeases } = await import('../../server/jobs/leases.js');
      const c = config();
      const store = openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
      await migrate(store);
      const box = SecretBox.fromConfig(c.secretKey, c.dataDir, c.devMode);
      const credentials = googleCredentialsFromConfig(c.googleApi, store.db, box);
      if (!credentials.delegated && !credentials.consentPossible) step('warning: neither GOOGLE_SERVICE_ACCOUNT_FILE nor GOOGLE_OAUTH_CLIENT_* is set; every due send will fail with "no access"');
      const stop = startSendWorker(store.db, store.dialect, {
        instanceId: c.instanceId,
        credentials,
        rootUrl: c.googleApi.apiRootUrl,
        leaseMs: c.sendWorker.leaseMs,
        concurrency: opts.concurrency ?? c.sendWorker.concurrency,
        intervalMs: opts.intervalMs ?? 1000,
        keepAlive: true,
        onError: (error) => step(`error: send worker pass failed: ${(error as Error).message}`),
        onOutcome: (outcome) => {
          if (!opts.quiet || outcome.result === 'failed' || outcome.result === 'gone') console.log(JSON.stringify({ at: new Date().toISOString(), instance: c.instanceId, ...outcome }));
        },
      });
      step(`send worker ${c.instanceId} running on ${store.where}; SIGTERM or Ctrl-C stops it`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await stop();
      await releaseLeases(store.db, c.instanceId);
      await store.close();
    });
}
