import type { Command } from 'commander';
import { cliConsole as console, CliError, readSource, withStore, actorFor } from '../shared.js';

/** `tradepane company show|set`: the official company profile and bank accounts (docs/payments.md). */
export function register(program: Command): void {
  const company = program.command('company').description("the company's official profile and bank accounts");
  company
    .command('show')
    .description('print the profile as JSON (the shape `company set` reads)')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .action(async (opts: { tenant: string }) => {
      const { getCompanyProfileView } = await import('../../server/services/company-profile.js');
      await withStore(async (store) => {
        const { tdb } = await actorFor(store, opts.tenant);
        console.log(JSON.stringify(await getCompanyProfileView(tdb), null, 2));
      });
    });
  company
    .command('set <file>')
    .description('replace the profile from a JSON file; IBANs and SWIFT/BIC codes are checked, each error names its field')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--as <email>', 'the admin recorded in the audit log')
    .action(async (file: string, opts: { tenant: string; as?: string }) => {
      const [{ setCompanyProfile }, { CompanyProfileInput }, { Errors }] = await Promise.all([import('../../server/services/company-profile.js'), import('../../contract/company.js'), import('typebox/value')]);
      let input: unknown;
      try {
        input = JSON.parse(readSource(file));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`${file}: not JSON: ${(error as Error).message}`);
      }
      // The same closed shape the API accepts: `updatedAt`/`updatedBy` from `company show` are left out first.
      if (input && typeof input === 'object') for (const key of ['updatedAt', 'updatedBy']) delete (input as Record<string, unknown>)[key];
      const problems = Errors(CompanyProfileInput, input);
      if (problems.length) throw new CliError(`${file}: ${problems.slice(0, 10).map((p) => `${p.instancePath || '(document)'} ${p.message}`).join('; ')}`);
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
        const saved = await setCompanyProfile(tdb, actor, input as Parameters<typeof setCompanyProfile>[2]);
        console.log(`saved the profile of ${saved.legalName} with ${saved.bankAccounts.length} bank account${saved.bankAccounts.length === 1 ? '' : 's'}`);
      });
    });
}
