import type { Command } from 'commander';
import { cliConsole as console, withStore, actorFor } from '../shared.js';

export function register(program: Command): void {
  const group = program.command('group').description('groups of reps that packs are published to');
  group
    .command('create <slug>')
    .description('create a group')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--name <name>', 'display name')
    .action(async (slug: string, opts: { tenant: string; name?: string }) => {
      const { createGroup } = await import('../../server/services/people.js');
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant);
        const g = await createGroup(tdb, actor, { slug, ...(opts.name ? { name: opts.name } : {}) });
        console.log(`created group ${g.slug} (${g.id})`);
      });
    });
}
