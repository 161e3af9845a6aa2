import type { Command } from 'commander';
import { PERMISSIONS } from '../../core/access/permissions.js';
import { CliError, cliConsole as console, withStore, actorFor, collect, step } from '../shared.js';

export function register(program: Command): void {
  const token = program.command('token').description('API keys for automation');
  token
    .command('create')
    .description('create an API key; it is printed once and only its hash is stored')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .requiredOption('-u, --user <email>', 'the user the key acts as (its permissions never exceed theirs)')
    .requiredOption('--name <name>', 'what uses the key, e.g. "ci pack push"')
    .option('-s, --scope <scope>', `permission the key carries (repeatable): ${PERMISSIONS.join(', ')}`, collect)
    .option('--expires-in-days <days>', 'expiry (default: never)', (v) => Number(v))
    .action(async (opts: { tenant: string; user: string; name: string; scope?: string[]; expiresInDays?: number }) => {
      const { createApiKey } = await import('../../server/services/api-keys.js');
      if (!opts.scope?.length) throw new CliError(`--scope: give at least one of ${PERMISSIONS.join(', ')}`);
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant);
        const key = await createApiKey(tdb, actor, { userEmail: opts.user, name: opts.name, scopes: opts.scope!, expiresInDays: opts.expiresInDays });
        step(`created API key "${key.name}" (${key.id}) for ${key.user} with ${key.scopes.join(', ')}${key.expiresAt ? `, expires ${key.expiresAt}` : ''}`);
        step('the key is shown once; store it now:');
        console.log(key.key);
      });
    });
  token
    .command('list')
    .description('list API keys')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .action(async (opts: { tenant: string }) => {
      const { listApiKeys } = await import('../../server/services/api-keys.js');
      await withStore(async (store) => {
        const { tdb } = await actorFor(store, opts.tenant);
        for (const k of await listApiKeys(tdb)) console.log(`${k.id}\t${k.name}\t${k.user}\t${k.scopes.join(',')}\t${k.revoked ? 'revoked' : 'active'}`);
      });
    });
  token
    .command('revoke <id>')
    .description('revoke an API key')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .action(async (id: string, opts: { tenant: string }) => {
      const { revokeApiKey } = await import('../../server/services/api-keys.js');
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant);
        await revokeApiKey(tdb, actor, id);
        console.log(`revoked ${id}`);
      });
    });
}
