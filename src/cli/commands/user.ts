import type { Command } from 'commander';
import { isRole, type Role } from '../../core/access/permissions.js';
import { CliError, cliConsole as console, withStore, actorFor, collect } from '../shared.js';

export function register(program: Command): void {
  const user = program.command('user').description('users: reps and admins');
  user
    .command('add <email>')
    .description('add a user')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .requiredOption('--name <name>', 'full name as it appears in the signature')
    .option('--role <role>', 'rep or admin', 'rep')
    .option('-g, --group <group>', 'group to join (repeatable)', collect)
    .option('--title <title>', 'job title')
    .option('--phone <phone>', 'office phone')
    .option('--mobile <mobile>', 'mobile phone')
    .option('--department <department>', 'department')
    .option('--locale <locale>', 'language of the add-in, e.g. en or zh-CN')
    .option('--time-zone <zone>', 'own IANA time zone, e.g. Asia/Shanghai')
    .action(async (email: string, opts: { tenant: string; name: string; role: string; group?: string[]; title?: string; phone?: string; mobile?: string; department?: string; locale?: string; timeZone?: string }) => {
      if (!isRole(opts.role)) throw new CliError(`--role: must be rep or admin, got "${opts.role}"`);
      const { addUser } = await import('../../server/services/people.js');
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant);
        const u = await addUser(tdb, actor, {
          email,
          name: opts.name,
          role: opts.role as Role,
          groups: opts.group ?? [],
          title: opts.title ?? null,
          phone: opts.phone ?? null,
          mobile: opts.mobile ?? null,
          department: opts.department ?? null,
          locale: opts.locale ?? null,
          timeZone: opts.timeZone ?? null,
        });
        console.log(`added ${u.role} ${u.email} (${u.id})${u.groups.length ? ` to ${u.groups.join(', ')}` : ''}`);
      });
    });
  user
    .command('list')
    .description('list users')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .action(async (opts: { tenant: string }) => {
      const { listUsers } = await import('../../server/services/people.js');
      await withStore(async (store) => {
        const { tdb } = await actorFor(store, opts.tenant);
        for (const u of await listUsers(tdb)) console.log(`${u.email}\t${u.role}\t${u.name}\t${u.groups.join(',')}${u.disabled ? '\tdisabled' : ''}`);
      });
    });
}
