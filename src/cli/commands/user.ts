import type { Command } from 'commander';
import { isRole, type Role } from '../../core/access/permissions.js';
import { CliError, cliConsole as console, withStore, actorFor, collect, config } from '../shared.js';
import type { UserChanges } from '../../server/services/people.js';

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
  user
    .command('edit <email>')
    .description('change a user: profile fields (an empty value clears one), role, groups')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--name <name>', 'full name as it appears in the signature')
    .option('--role <role>', 'rep or admin')
    .option('-g, --group <group>', 'group the user is in afterwards (repeatable; replaces the list)', collect)
    .option('--no-groups', 'take the user out of every group')
    .option('--title <title>', 'job title')
    .option('--phone <phone>', 'office phone')
    .option('--mobile <mobile>', 'mobile phone')
    .option('--whatsapp <number>', 'WhatsApp number')
    .option('--wechat <id>', 'WeChat ID')
    .option('--department <department>', 'department')
    .option('--locale <locale>', 'language of the add-in, e.g. en or zh-CN')
    .option('--time-zone <zone>', 'own IANA time zone, e.g. Asia/Shanghai')
    .action(async (email: string, opts: EditOptions) => {
      if (opts.role !== undefined && !isRole(opts.role)) throw new CliError(`--role: must be rep or admin, got "${opts.role}"`);
      const changes: UserChanges = {};
      for (const key of ['name', 'title', 'phone', 'mobile', 'whatsapp', 'wechat', 'department', 'locale', 'timeZone'] as const) if (opts[key] !== undefined) changes[key] = opts[key];
      if (opts.role !== undefined) changes.role = opts.role as Role;
      // commander turns --no-groups into groups: false; a -g list replaces the groups.
      if (opts.group) changes.groups = opts.group;
      else if (opts.groups === false) changes.groups = [];
      if (Object.keys(changes).length === 0) throw new CliError('nothing to change: give at least one of --name, --role, -g/--no-groups, --title, --phone, --mobile, --whatsapp, --wechat, --department, --locale, --time-zone');
      await withUser(opts.tenant, email, async ({ tdb, actor, userId, changeUser }) => {
        const { user: u } = await changeUser(tdb, actor, userId, changes);
        console.log(`changed ${u.email}: ${Object.keys(changes).join(', ')}`);
      });
    });
  user
    .command('disable <email>')
    .description('disable a user: sign-in refused, API keys revoked, pending scheduled sends stopped')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--reason <reason>', 'why (kept in the audit log and on each stopped send)')
    .action(async (email: string, opts: { tenant: string; reason?: string }) => {
      await withUser(opts.tenant, email, async ({ tdb, actor, userId, changeUser }) => {
        const r = await changeUser(tdb, actor, userId, { disabled: true, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) });
        console.log(`disabled ${r.user.email}: ${r.revokedKeys} API key(s) revoked, ${r.stoppedSends} scheduled send(s) stopped`);
      });
    });
  user
    .command('enable <email>')
    .description('enable a disabled user again (revoked keys and stopped sends stay so)')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .action(async (email: string, opts: { tenant: string }) => {
      await withUser(opts.tenant, email, async ({ tdb, actor, userId, changeUser }) => {
        const r = await changeUser(tdb, actor, userId, { disabled: false });
        console.log(`enabled ${r.user.email}`);
      });
    });
  user
    .command('sync-directory')
    .description('read name, title, department and phones from the directory source (Entra ID or Google Workspace); a dry run unless --apply')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--apply', 'write the changes (pinned fields are kept)')
    .action(async (opts: { tenant: string; apply?: boolean }) => {
      const [{ syncDirectory, directoryAccess }, { SecretBox }, { googleCredentialsFromConfig }] = await Promise.all([import('../../server/services/directory-sync.js'), import('../../server/secrets.js'), import('../../server/google/credentials.js')]);
      const c = config();
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant);
        const box = SecretBox.fromConfig(c.secretKey, c.dataDir, c.devMode);
        const google = googleCredentialsFromConfig(c.googleApi, store.db, box);
        const report = await syncDirectory(tdb, actor, box, directoryAccess({ graph: c.microsoftGraph, google, googleAdminRootUrl: c.googleApi.adminApiRootUrl }), { apply: opts.apply === true });
        for (const p of report.people) {
          if (p.action === 'unchanged') continue;
          if (p.action === 'missing') console.log(`${p.email}\tnot in the directory`);
          for (const ch of p.changes) console.log(`${p.email}\t${ch.field}: "${ch.from ?? ''}" → "${ch.to}"`);
          for (const k of p.kept) console.log(`${p.email}\t${k.field}: pinned, kept "${k.from ?? ''}" (directory: "${k.to}")`);
        }
        const n = report.counts;
        console.log(`${report.applied ? 'applied' : 'dry run'}: ${n.update} to update, ${n.unchanged} unchanged, ${n.missing} not in the directory, ${n.notHere} directory user(s) not here${report.applied ? '' : ' (nothing written; --apply writes)'}`);
      });
    });
}

interface EditOptions {
  tenant: string;
  name?: string;
  role?: string;
  group?: string[];
  groups?: boolean;
  title?: string;
  phone?: string;
  mobile?: string;
  whatsapp?: string;
  wechat?: string;
  department?: string;
  locale?: string;
  timeZone?: string;
}

type PeopleService = typeof import('../../server/services/people.js');

/** Runs work on one user of a tenant, found by e-mail (a clear error when there is none). */
async function withUser(tenant: string, email: string, work: (ctx: Awaited<ReturnType<typeof actorFor>> & { userId: string; changeUser: PeopleService['changeUser'] }) => Promise<void>): Promise<void> {
  const { changeUser, findUserByEmail } = await import('../../server/services/people.js');
  await withStore(async (store) => {
    const ctx = await actorFor(store, tenant);
    const found = await findUserByEmail(ctx.tdb, email);
    if (!found) throw new CliError(`${email}: no such user in tenant "${tenant}"`);
    await work({ ...ctx, userId: found.id, changeUser });
  });
}
