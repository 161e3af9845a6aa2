import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { CliError, cliConsole as console, config, withStore, actorFor, setExitCode, step } from '../shared.js';

export function register(program: Command): void {
  const gmailCommand = program.command('gmail').description('the Gmail add-on: deployment descriptor, signature push');
  gmailCommand
    .command('deployment')
    .description('write the Workspace add-on deployment descriptor with this store\'s URLs (then: gcloud workspace-add-ons deployments create|replace, see gmail-addon/README.md)')
    .requiredOption('--base-url <url>', 'public https URL of the add-on endpoints, e.g. https://store.example.com/gmail (= GMAIL_ADDON_ENDPOINT_BASE)')
    .option('--out <file>', 'where to write it', 'gmail-addon/deployment.json')
    .option('--logo-url <url>', 'https URL of the add-on logo (default: <origin>/addin/assets/icon-128.png)')
    .option('--name <name>', 'the add-on\'s name in Gmail', 'tradepane')
    .action(async (opts: { baseUrl: string; out: string; logoUrl?: string; name: string }) => {
      const { deploymentDescriptor } = await import('../../gmail/deployment.js');
      let descriptor;
      try {
        descriptor = deploymentDescriptor(opts.baseUrl, { name: opts.name, ...(opts.logoUrl ? { logoUrl: opts.logoUrl } : {}) });
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      writeFileSync(opts.out, `${JSON.stringify(descriptor, null, 2)}\n`);
      console.log(`wrote ${opts.out} (endpoints under ${opts.baseUrl.replace(/\/$/, '')})`);
      console.log(`next: gcloud workspace-add-ons deployments create tradepane --deployment-file=${opts.out}   (or "replace" to update)`);
      console.log('      gcloud workspace-add-ons deployments install tradepane   (installs it for you, to try it)');
      console.log('      set GMAIL_ADDON_ENDPOINT_BASE, GMAIL_ADDON_SERVICE_ACCOUNT and GMAIL_ADDON_OAUTH_CLIENT_ID (gcloud workspace-add-ons get-authorization)');
    });
  gmailCommand
    .command('push-signatures')
    .description('set every rep\'s enforced signature on their Gmail send-as addresses (service account with domain-wide delegation)')
    .requiredOption('--tenant <slug>', 'the company')
    .option('-g, --group <slug>', 'only the reps of this group')
    .option('--dry-run', 'report what would change; change nothing')
    .option('--service-account-file <file>', 'JSON key of the delegated service account (default: $GOOGLE_SERVICE_ACCOUNT_FILE)')
    .action(async (opts: { tenant: string; group?: string; dryRun?: boolean; serviceAccountFile?: string }) => {
      const { pushSignatures } = await import('../../server/services/gmail-signature-push.js');
      const { GoogleCredentials, readServiceAccountFile } = await import('../../server/google/credentials.js');
      // The same settings the server reads (GOOGLE_API_ROOT_URL, GOOGLE_TOKEN_URL), from config.ts.
      const googleApi = config().googleApi;
      const file = opts.serviceAccountFile ?? googleApi.serviceAccountFile;
      if (!file) throw new CliError('--service-account-file (or GOOGLE_SERVICE_ACCOUNT_FILE): the delegated service account\'s JSON key is needed; see gmail-addon/README.md');
      let serviceAccount;
      try {
        serviceAccount = readServiceAccountFile(file);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const failed = await withStore(async (store) => {
        const { tdb } = await actorFor(store, opts.tenant);
        if (opts.group && !(await tdb.selectFrom('groups').select('id').where('slug', '=', opts.group).executeTakeFirst())) throw new CliError(`--group ${opts.group}: no such group in tenant "${opts.tenant}"`);
        const credentials = new GoogleCredentials({ apiRootUrl: googleApi.apiRootUrl, tokenUrl: googleApi.tokenUrl, serviceAccount }, store.db, undefined);
        const result = await pushSignatures(tdb, credentials, {
          group: opts.group,
          dryRun: opts.dryRun,
          onProgress: (done, total, lines) => {
            for (const line of lines) step(`[${done}/${total}] ${line.email}${line.address && line.address !== line.email ? ` (${line.address})` : ''}: ${line.outcome}${line.reason ? `: ${line.reason}` : ''}`);
          },
        });
        console.log(`${opts.dryRun ? 'dry run: would change' : 'changed'} ${result.changed}, unchanged ${result.unchanged}, failed ${result.failed}, skipped ${result.skipped}`);
        for (const line of result.lines.filter((l) => l.outcome === 'failed')) console.log(`  failed ${line.address ?? line.email}: ${line.reason}`);
        return result.failed;
      });
      if (failed > 0) setExitCode(1);
    });
}
