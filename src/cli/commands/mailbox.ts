import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../../server/config.js';
import type { Store } from '../../server/db/connect.js';
import type { TenantDb } from '../../server/db/tenant-db.js';
import type { Actor } from '../../server/auth/principal.js';
import type { SecretBox } from '../../server/secrets.js';
import type { MailboxView } from '../../server/services/mailboxes.js';
import type { AdapterFactory, PageEvent } from '../../server/mail/sync.js';
import { IMAP_PRESET_NAMES } from '../../server/mail/imap-presets.js';
import { CliError, actorFor, cliConsole as console, config, env, setExitCode, withStore } from '../shared.js';

/**
 * `tradepane mailbox add|list|test|resync|remove|sync`: connect and operate the mailboxes a
 * company syncs, as the operator of the store host. Passwords never go on the command line
 * (other users see it in `ps`): from an environment variable or standard input.
 */

interface Deps {
  adapterFor?: AdapterFactory;
  /** Where progress bars go (a TTY shows bars; anything else gets one line per page). */
  progressStream?: NodeJS.WritableStream;
  readStdin?: () => string;
}

type Services = typeof import('../../server/services/mailboxes.js') & { createAdapter: AdapterFactory };
type TenantContext = { store: Store; tdb: TenantDb; actor: Actor; config: Config; box: SecretBox | undefined; svc: Services };

/** Opens the store as the operator of `tenantSlug`; the mail libraries load only here, not for --help. */
async function withTenant<T>(tenantSlug: string, work: (ctx: TenantContext) => Promise<T>): Promise<T> {
  // One after another: jest's ESM loader fails on concurrent imports that share modules.
  const { SecretBox } = await import('../../server/secrets.js');
  const mailboxes = await import('../../server/services/mailboxes.js');
  const { mailAdapterFactory } = await import('../../server/mail/adapters.js');
  const { googleCredentialsFromConfig } = await import('../../server/google/credentials.js');
  const c = config();
  return withStore(async (store) => {
    const { tdb, actor } = await actorFor(store, tenantSlug);
    const box = SecretBox.fromConfig(c.secretKey, c.dataDir, c.devMode);
    const svc: Services = { ...mailboxes, createAdapter: mailAdapterFactory({ microsoftGraph: c.microsoftGraph, google: googleCredentialsFromConfig(c.googleApi, store.db, box) }) };
    return work({ store, tdb, actor, config: c, box, svc });
  });
}

async function byAddress(ctx: TenantContext, address: string): Promise<MailboxView> {
  const found = (await ctx.svc.listMailboxes(ctx.tdb, ctx.box)).find((m) => m.address === address.trim().toLowerCase());
  if (!found) throw new CliError(`${address}: no such mailbox in this tenant (tradepane mailbox list <tenant>)`);
  return found;
}

const wholeNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${name}: expected a whole number ≥ 0, got "${value}"`);
  return n;
};

/** Runs passes over one mailbox until it has caught up, with a progress bar fed by each page. */
async function syncWithProgress(ctx: TenantContext, mailbox: MailboxView, deps: Deps): Promise<{ stored: number; outcome: string; error?: string }> {
  const stream = deps.progressStream ?? process.stderr;
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  const bar = tty ? new cliProgress.SingleBar({ format: `${mailbox.address} [{bar}] {value}/{total} messages`, stream: stream as NodeJS.WriteStream }, cliProgress.Presets.shades_classic) : undefined;
  let started = false;
  const onPage = (e: PageEvent) => {
    const total = e.done + (e.remaining ?? 0);
    if (bar) {
      if (!started) bar.start(total, e.done);
      else bar.setTotal(total);
      bar.update(e.done);
      started = true;
    } else {
      stream.write(`${mailbox.address}: ${e.done} stored${e.remaining !== null ? `, ${e.remaining} to go` : ''}${e.caughtUp ? ' — caught up' : ''}\n`);
    }
  };
  const { runSyncPass } = await import('../../server/mail/sync.js');
  let stored = 0;
  try {
    for (let pass = 0; pass < 10_000; pass++) {
      const [result] = await runSyncPass(ctx.store.db, ctx.store.dialect, {
        instanceId: ctx.config.instanceId,
        adapterFor: deps.adapterFor ?? ctx.svc.createAdapter,
        box: ctx.box,
        pageSize: ctx.config.mailSync.pageSize,
        backfillDays: ctx.config.mailSync.backfillDays,
        intervalMs: ctx.config.mailSync.intervalMs,
        leaseMs: ctx.config.mailSync.leaseMs,
        threadWindowDays: ctx.config.mailSync.threadWindowDays,
        backoffCapMs: ctx.config.mailSync.backoffCapMs,
        maxPages: 50,
        mailboxId: mailbox.id,
        ignoreSchedule: true,
        onPage,
      });
      if (!result) return { stored, outcome: 'busy', error: 'another worker holds this mailbox right now; its progress shows in `tradepane mailbox list`' };
      stored += result.stored;
      if (result.outcome !== 'more') return { stored, outcome: result.outcome, ...(result.error ? { error: result.error.message } : {}) };
    }
    return { stored, outcome: 'more' };
  } finally {
    bar?.stop();
  }
}

export function register(program: Command, deps: Deps = {}): void {
  // A password never comes on the command line (shell history, ps): from an environment variable or stdin.
  const secretFrom = (opts: { passwordEnv?: unknown; passwordStdin?: unknown }) => (opts.passwordStdin ? (deps.readStdin ?? (() => readFileSync(0, 'utf8')))().replace(/\r?\n$/, '') : env()[String(opts.passwordEnv)]);
  const mailbox = program.command('mailbox').description('mailboxes the store syncs (IMAP/SMTP, Microsoft 365, Gmail): add, list, test, resync, set-password, remove');

  mailbox
    .command('add <tenant> <address>')
    .description(`connect a mailbox; IMAP presets: ${IMAP_PRESET_NAMES.join(', ')}`)
    .option('--provider <provider>', 'imap | graph | gmail', 'imap')
    .option('--preset <preset>', 'IMAP host preset', 'custom')
    .option('--imap-host <host>')
    .option('--imap-port <port>', 'IMAP port', wholeNumber('--imap-port'))
    .option('--imap-security <mode>', 'tls | starttls | none (none: this machine only)')
    .option('--smtp-host <host>')
    .option('--smtp-port <port>', 'SMTP port', wholeNumber('--smtp-port'))
    .option('--smtp-security <mode>', 'tls | starttls | none (none: this machine only)')
    .option('--username <login>', 'login name when it is not the address')
    .option('--entra-tenant <id>', 'graph: the company\'s Entra tenant id (or verified domain)')
    .option('--client-id <id>', 'graph: the app registration\'s client id; its secret comes like a password')
    .option('--google-user <email>', 'gmail: read through this store user\'s own Google grant (default: domain-wide delegation)')
    .option('--password-env <name>', 'environment variable holding the password, app password or (graph) client secret', 'MAILBOX_PASSWORD')
    .option('--password-stdin', 'read the password from standard input instead')
    .option('--display-name <name>')
    .option('--keep-bodies-days <days>', 'keep message bodies this many days (default: never)', wholeNumber('--keep-bodies-days'))
    .option('--backfill-days <days>', 'read this many days back (default: $MAIL_SYNC_BACKFILL_DAYS or 30)', wholeNumber('--backfill-days'))
    .option('--sync', 'run the backfill now, with a progress bar')
    .action(async (tenant: string, address: string, opts: Record<string, string | number | boolean | undefined>) => {
      const password = secretFrom(opts);
      const endpoint = (kind: 'imap' | 'smtp') => {
        const e = { host: opts[`${kind}Host`], port: opts[`${kind}Port`], security: opts[`${kind}Security`] };
        return Object.values(e).some((v) => v !== undefined) ? Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) : undefined;
      };
      const provider = String(opts.provider);
      if (!['imap', 'graph', 'gmail'].includes(provider)) throw new CliError(`--provider: imap, graph or gmail, got "${provider}"`);
      let settings: Record<string, unknown> = {};
      let secrets: Record<string, string> = {};
      if (provider === 'imap') {
        settings = { preset: opts.preset, ...(endpoint('imap') ? { imap: endpoint('imap') } : {}), ...(endpoint('smtp') ? { smtp: endpoint('smtp') } : {}), ...(opts.username ? { username: opts.username } : {}) };
        if (!password) throw new CliError(`no password: set $${String(opts.passwordEnv)} or use --password-stdin`);
        secrets = { password };
      } else if (provider === 'graph') {
        if (!opts.entraTenant || !opts.clientId) throw new CliError('--entra-tenant and --client-id: a Microsoft 365 mailbox is read by the app registration an admin consented to (docs/mailboxes.md)');
        if (!password) throw new CliError(`no client secret: set $${String(opts.passwordEnv)} or use --password-stdin`);
        settings = { tenantId: opts.entraTenant, clientId: opts.clientId };
        secrets = { clientSecret: password };
      } else if (opts.googleUser) {
        await withTenant(tenant, async (ctx) => {
          const user = await ctx.tdb.selectFrom('users').select('id').where('email', '=', String(opts.googleUser).trim().toLowerCase()).executeTakeFirst();
          if (!user) throw new CliError(`--google-user ${String(opts.googleUser)}: no such user in tenant "${tenant}"`);
          settings = { userId: user.id };
        });
      }
      await withTenant(tenant, async (ctx) => {
        const added = await ctx.svc.addMailbox(ctx.tdb, ctx.actor, ctx.box, {
          provider: provider as 'imap' | 'graph' | 'gmail',
          address,
          displayName: opts.displayName as string | undefined,
          settings,
          secrets,
          keepBodiesDays: opts.keepBodiesDays as number | undefined,
          backfillDays: opts.backfillDays as number | undefined,
        }, { backfillDays: ctx.config.mailSync.backfillDays });
        console.log(`added ${added.address} (${added.provider}) id ${added.id}`);
        const tested = await ctx.svc.testMailbox(ctx.tdb, ctx.actor, ctx.box, added.id, deps.adapterFor ?? ctx.svc.createAdapter);
        console.log(tested.ok ? `test: connected; folders ${tested.folders.join(', ')}` : `test: FAILED — ${tested.error!.message}`);
        if (!tested.ok) setExitCode(1);
        if (opts.sync && tested.ok) {
          const result = await syncWithProgress(ctx, added, deps);
          console.log(`sync: ${result.stored} messages stored (${result.outcome}${result.error ? `: ${result.error}` : ''})`);
        }
      });
    });

  mailbox
    .command('list <tenant>')
    .description('connected mailboxes with status, lag, backfill progress and the last error')
    .option('--json', 'print JSON')
    .action(async (tenant: string, opts: { json?: boolean }) => {
      await withTenant(tenant, async (ctx) => {
        const boxes = await ctx.svc.listMailboxes(ctx.tdb, ctx.box);
        if (opts.json) return console.log(JSON.stringify(boxes, null, 2));
        if (!boxes.length) return console.log('no mailboxes; add one with `tradepane mailbox add`');
        for (const m of boxes) {
          const progress = m.backfill.remaining ? `, backfill ${m.backfill.done}/${m.backfill.done + m.backfill.remaining}` : `, ${m.backfill.done} stored`;
          const lag = m.lagSeconds === null ? 'never synced' : `synced ${m.lagSeconds}s ago`;
          console.log(`${m.address}  ${m.provider}  ${m.paused ? 'paused' : m.status}  ${lag}${progress}${m.lastError ? `\n  last error: ${m.lastError.message}` : ''}`);
        }
      });
    });

  mailbox
    .command('test <tenant> <address>')
    .description('connect and list the folders; says in words what is wrong')
    .action(async (tenant: string, address: string, _opts: unknown) => {
      await withTenant(tenant, async (ctx) => {
        const m = await byAddress(ctx, address);
        const tested = await ctx.svc.testMailbox(ctx.tdb, ctx.actor, ctx.box, m.id, deps.adapterFor ?? ctx.svc.createAdapter);
        console.log(tested.ok ? `${m.address}: connected; folders ${tested.folders.join(', ')}` : `${m.address}: FAILED — ${tested.error!.message}`);
        if (!tested.ok) setExitCode(1);
      });
    });

  mailbox
    .command('resync <tenant> <address>')
    .description('read the mailbox again from the start of its backfill window (nothing is stored twice)')
    .option('--now', 'run it now with a progress bar instead of leaving it to the store\'s workers')
    .action(async (tenant: string, address: string, opts: { now?: boolean }) => {
      await withTenant(tenant, async (ctx) => {
        const m = await ctx.svc.resyncMailbox(ctx.tdb, ctx.actor, ctx.box, (await byAddress(ctx, address)).id, { backfillDays: ctx.config.mailSync.backfillDays });
        console.log(`${m.address}: resync from ${m.backfill.since}`);
        if (opts.now) {
          const result = await syncWithProgress(ctx, m, deps);
          console.log(`sync: ${result.stored} new messages stored (${result.outcome}${result.error ? `: ${result.error}` : ''})`);
          if (result.outcome === 'error' || result.outcome === 'retry') setExitCode(1);
        }
      });
    });

  mailbox
    .command('sync <tenant> <address>')
    .description('sync one mailbox now until it has caught up, with a progress bar')
    .action(async (tenant: string, address: string, _opts: unknown) => {
      await withTenant(tenant, async (ctx) => {
        const result = await syncWithProgress(ctx, await byAddress(ctx, address), deps);
        console.log(`sync: ${result.stored} new messages stored (${result.outcome}${result.error ? `: ${result.error}` : ''})`);
        if (result.outcome === 'error' || result.outcome === 'retry' || result.outcome === 'busy') setExitCode(1);
      });
    });

  mailbox
    .command('set-password <tenant> <address>')
    .description('replace the password or app password (IMAP) or client secret (Microsoft 365) in place; what was stored stays')
    .option('--password-env <name>', 'environment variable holding it', 'MAILBOX_PASSWORD')
    .option('--password-stdin', 'read it from standard input instead')
    .action(async (tenant: string, address: string, opts: { passwordEnv: string; passwordStdin?: boolean }) => {
      const secret = secretFrom(opts);
      if (!secret) throw new CliError(`no password: set $${opts.passwordEnv} or use --password-stdin`);
      await withTenant(tenant, async (ctx) => {
        const m = await ctx.svc.replaceMailboxSecret(ctx.tdb, ctx.actor, ctx.box, (await byAddress(ctx, address)).id, secret);
        console.log(`${m.address}: ${m.provider === 'graph' ? 'client secret' : 'password'} replaced; the next sync uses it`);
      });
    });

  mailbox
    .command('remove <tenant> <address>')
    .description('disconnect a mailbox and delete everything stored from it')
    .action(async (tenant: string, address: string, _opts: unknown) => {
      await withTenant(tenant, async (ctx) => {
        const m = await byAddress(ctx, address);
        const removed = await ctx.svc.removeMailbox(ctx.tdb, ctx.actor, m.id);
        console.log(`removed ${m.address}: ${removed.messages} messages and ${removed.conversations} conversations deleted`);
      });
    });
}
