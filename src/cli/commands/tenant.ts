import type { Command } from 'commander';
import { cliConsole as console, withStore } from '../shared.js';

export function register(program: Command): void {
  const tenant = program.command('tenant').description('tenants: one per company using the store');
  tenant
    .command('create <slug>')
    .description('create a tenant')
    .requiredOption('--name <name>', 'company name')
    .option('--entra-tenant-id <guid>', 'Microsoft Entra tenant id, for Outlook sign-in')
    .option('--google-domain <domain>', 'Google Workspace domain, for Gmail sign-in')
    .action(async (slug: string, opts: { name: string; entraTenantId?: string; googleDomain?: string }) => {
      const { createTenant } = await import('../../server/services/tenants.js');
      await withStore(async (store) => {
        const row = await createTenant(store.db, { slug, name: opts.name, entraTenantId: opts.entraTenantId, googleDomain: opts.googleDomain });
        console.log(`created tenant ${row.slug} (${row.id})`);
      });
    });
  tenant
    .command('list')
    .description('list tenants')
    .action(async () => {
      const { listTenants } = await import('../../server/services/tenants.js');
      await withStore(async (store) => {
        for (const t of await listTenants(store.db)) console.log(`${t.slug}\t${t.name}\t${t.id}`);
      });
    });
}
