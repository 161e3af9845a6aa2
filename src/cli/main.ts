import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, ConfigError, type Config } from '../server/config.js';
import { migrate, openStore, type Store } from '../server/db/connect.js';
import { TenantDb } from '../server/db/tenant-db.js';
import { AppError } from '../server/errors.js';
import type { Actor } from '../server/auth/principal.js';
import { serve } from '../server/serve.js';
import { createTenant, findTenant, listTenants } from '../server/services/tenants.js';
import { addUser, createGroup, findUserByEmail, listUsers } from '../server/services/people.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../server/services/api-keys.js';
import { exportPack, publishPack, pushPack, rollbackPack, type ExportFormat, type PackSummary } from '../server/services/packs.js';
import { PERMISSIONS, isRole, type Role } from '../core/access/permissions.js';
import { formatIssue, parsePackSource } from '../core/pack/source.js';
import { ClientTimeError, slotFor, type SlotAnswer } from '../core/clienttime/index.js';
import { clientTimeFor } from '../server/services/client-time.js';
import { chooseVariant, matchLanguage, renderTemplate } from '../core/template/index.js';
import { sanitizeRenderedHtml } from '../core/sanitize/index.js';
import { sanitizedPack } from '../server/services/packs.js';
import { SecretBox } from '../server/secrets.js';
import { googleCredentialsFromConfig } from '../server/google/credentials.js';
import { startSendWorker } from '../server/jobs/send-worker.js';
import { releaseLeases } from '../server/jobs/leases.js';

/** A failure the CLI reports as one clear message and a non-zero exit, without a stack trace. */
class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

const program = new Command('tradepane')
  .description('tradepane: the template store and its tools for Outlook and Gmail sales reps')
  .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else SQLite in the data directory)')
  .option('--data-dir <dir>', 'data directory for the SQLite file (default: $TRADEPANE_DATA_DIR or ./data)')
  .showHelpAfterError('(run with --help for usage)');

function config(overrides: Partial<Config> = {}): Config {
  const globals = program.opts<{ databaseUrl?: string; dataDir?: string }>();
  const env = { ...process.env, ...(globals.dataDir ? { TRADEPANE_DATA_DIR: globals.dataDir } : {}) };
  return loadConfig(env, { ...(globals.databaseUrl ? { databaseUrl: globals.databaseUrl } : {}), ...overrides });
}

/** Opens the store, brings its schema up to date, runs `work`, always closes. */
async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const c = config();
  const store = openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
  try {
    await migrate(store);
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The CLI acts for the operator of the store host, or as a named user of the tenant (--as). */
async function actorFor(store: Store, tenantSlug: string, asEmail?: string): Promise<{ tdb: TenantDb; actor: Actor }> {
  const tenant = await findTenant(store.db, tenantSlug);
  const tdb = new TenantDb(store.db, tenant.id);
  if (!asEmail) return { tdb, actor: { tenantId: tenant.id, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'cli operator' } };
  const user = await findUserByEmail(tdb, asEmail);
  if (!user) throw new CliError(`--as ${asEmail}: no such user in tenant "${tenantSlug}"`);
  if (user.role !== 'admin') throw new CliError(`--as ${asEmail}: is a ${user.role}; only admins push packs and manage people`);
  return { tdb, actor: { tenantId: tenant.id, userId: user.id, role: user.role, permissions: new Set(PERMISSIONS), label: `${user.email} (cli)` } };
}

function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: cannot read the file${code === 'ENOENT' ? ': it does not exist' : code ? ` (${code})` : ''}`);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const step = (line: string) => process.stderr.write(`${line}\n`);

program
  .command('serve')
  .description('run the template store (HTTP API, docs, add-in files)')
  .option('-p, --port <port>', 'port (default: $PORT or 3000)', (v) => Number(v))
  .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
  .option('--dev', 'dev mode: self-signed dev tokens and a demo tenant (refused with NODE_ENV=production)')
  .action(async (opts: { port?: number; host?: string; dev?: boolean }) => {
    if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw new CliError(`--port: expected 0–65535, got ${opts.port}`);
    const overrides: Partial<Config> = {};
    if (opts.dev) overrides.devMode = true;
    if (opts.port !== undefined) overrides.port = opts.port;
    if (opts.host) overrides.host = opts.host;
    const c = config(overrides);
    if (opts.port !== undefined && !process.env.PUBLIC_URL) c.publicUrl = `http://localhost:${opts.port}`;
    await serve(c);
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('bring the database schema up to date (the server also does this at start-up)')
  .action(async () => {
    const c = config();
    const store = openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
    try {
      step(`migrating ${store.where}`);
      const { applied } = await migrate(store, (name, status) => step(`  ${name}: ${status === 'Success' ? 'applied' : status.toLowerCase()}`));
      console.log(applied.length ? `applied ${applied.length} migration(s)` : 'already up to date');
    } finally {
      await store.close();
    }
  });

const tenant = program.command('tenant').description('tenants: one per company using the store');
tenant
  .command('create <slug>')
  .description('create a tenant')
  .requiredOption('--name <name>', 'company name')
  .option('--entra-tenant-id <guid>', 'Microsoft Entra tenant id, for Outlook sign-in')
  .option('--google-domain <domain>', 'Google Workspace domain, for Gmail sign-in')
  .action(async (slug: string, opts: { name: string; entraTenantId?: string; googleDomain?: string }) => {
    await withStore(async (store) => {
      const row = await createTenant(store.db, { slug, name: opts.name, entraTenantId: opts.entraTenantId, googleDomain: opts.googleDomain });
      console.log(`created tenant ${row.slug} (${row.id})`);
    });
  });
tenant
  .command('list')
  .description('list tenants')
  .action(async () => {
    await withStore(async (store) => {
      for (const t of await listTenants(store.db)) console.log(`${t.slug}\t${t.name}\t${t.id}`);
    });
  });

const group = program.command('group').description('groups of reps that packs are published to');
group
  .command('create <slug>')
  .description('create a group')
  .requiredOption('-t, --tenant <tenant>', 'tenant slug')
  .option('--name <name>', 'display name')
  .action(async (slug: string, opts: { tenant: string; name?: string }) => {
    await withStore(async (store) => {
      const { tdb, actor } = await actorFor(store, opts.tenant);
      const g = await createGroup(tdb, actor, { slug, ...(opts.name ? { name: opts.name } : {}) });
      console.log(`created group ${g.slug} (${g.id})`);
    });
  });

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
    await withStore(async (store) => {
      const { tdb } = await actorFor(store, opts.tenant);
      for (const u of await listUsers(tdb)) console.log(`${u.email}\t${u.role}\t${u.name}\t${u.groups.join(',')}${u.disabled ? '\tdisabled' : ''}`);
    });
  });

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
    await withStore(async (store) => {
      const { tdb, actor } = await actorFor(store, opts.tenant);
      await revokeApiKey(tdb, actor, id);
      console.log(`revoked ${id}`);
    });
  });

const pack = program.command('pack').description('packs of templates, signatures and policies');
pack
  .command('validate <file>')
  .description('check a pack file; errors name the line, the field and what is wrong')
  .option('--json', 'print the issues as JSON')
  .action((file: string, opts: { json?: boolean }) => {
    const parsed = parsePackSource(readSource(file), file);
    if (opts.json) console.log(JSON.stringify({ file, ok: parsed.ok, issues: parsed.issues }, null, 2));
    else {
      for (const issue of parsed.issues) console.log(formatIssue(issue, file));
      const errors = parsed.issues.filter((i) => i.severity === 'error').length;
      const warnings = parsed.issues.length - errors;
      console.log(parsed.ok ? `${file}: valid${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}` : `${file}: ${errors} error${errors > 1 ? 's' : ''}`);
    }
    if (!parsed.ok) process.exitCode = 1;
  });
pack
  .command('push <file>')
  .description('validate and store a pack as a new version, published to the groups it names')
  .requiredOption('-t, --tenant <tenant>', 'tenant slug')
  .option('--as <email>', 'the admin recorded as pushing it (default: cli operator)')
  .option('--no-publish', 'only store the new version; publish it later with `pack publish`')
  .action(async (file: string, opts: { tenant: string; as?: string; publish: boolean }) => {
    const source = readSource(file);
    step(`validating ${file}`);
    const parsed = parsePackSource(source, file);
    for (const issue of parsed.issues) step(formatIssue(issue, file));
    if (!parsed.ok) throw new CliError(`${file}: not pushed; fix the errors above`);
    await withStore(async (store) => {
      step(`storing in ${store.where}`);
      const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
      const result = await pushPack(tdb, actor, source, file, { publish: opts.publish });
      const where = opts.publish ? `published to ${result.publishedTo.join(', ')}` : 'not published';
      console.log(result.status === 'created' ? `pushed ${result.pack} version ${result.version}, ${where}` : `${result.pack} is unchanged (version ${result.version}), ${where}`);
    });
  });
const describePublications = (summary: PackSummary) =>
  summary.publications.map((p) => `${p.audience}: version ${p.version}`).join(', ') || 'published to nobody';

pack
  .command('publish <pack>')
  .description('publish a stored version to groups (default: the groups it names); other groups keep theirs')
  .requiredOption('-t, --tenant <tenant>', 'tenant slug')
  .requiredOption('--version <n>', 'version to publish', (v) => Number(v))
  .option('-g, --group <group>', 'group to publish to, or "*" for everyone (repeatable)', collect)
  .option('--as <email>', 'the admin recorded as publishing it')
  .action(async (slug: string, opts: { tenant: string; version: number; group?: string[]; as?: string }) => {
    if (!Number.isInteger(opts.version) || opts.version < 1) throw new CliError('--version: expected a version number ≥ 1');
    await withStore(async (store) => {
      const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
      const summary = await publishPack(tdb, actor, slug, { version: opts.version, ...(opts.group ? { groups: opts.group } : {}) });
      console.log(`${slug}: ${describePublications(summary)}`);
    });
  });

pack
  .command('rollback <pack>')
  .description('give every group that receives the pack an earlier version')
  .requiredOption('-t, --tenant <tenant>', 'tenant slug')
  .requiredOption('--version <n>', 'version to go back to', (v) => Number(v))
  .option('--as <email>', 'the admin recorded as rolling back')
  .action(async (slug: string, opts: { tenant: string; version: number; as?: string }) => {
    if (!Number.isInteger(opts.version) || opts.version < 1) throw new CliError('--version: expected a version number ≥ 1');
    await withStore(async (store) => {
      const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
      const summary = await rollbackPack(tdb, actor, slug, { version: opts.version });
      console.log(`${slug}: ${describePublications(summary)}`);
    });
  });

pack
  .command('export <pack>')
  .description('print (or write) a version of a pack')
  .requiredOption('-t, --tenant <tenant>', 'tenant slug')
  .option('--version <n>', 'version (default: latest)', (v) => Number(v))
  .addOption(new Option('--format <format>', 'the original source, or YAML/JSON of the stored document').choices(['source', 'yaml', 'json']).default('source'))
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action(async (slug: string, opts: { tenant: string; version?: number; format: ExportFormat; out?: string }) => {
    if (opts.version !== undefined && (!Number.isInteger(opts.version) || opts.version < 1)) throw new CliError(`--version: expected a version number ≥ 1`);
    await withStore(async (store) => {
      const { tdb } = await actorFor(store, opts.tenant);
      const out = await exportPack(tdb, slug, { format: opts.format, ...(opts.version !== undefined ? { version: opts.version } : {}) });
      if (opts.out) {
        writeFileSync(opts.out, out.text);
        step(`wrote ${slug} version ${out.version} to ${opts.out}`);
      } else process.stdout.write(out.text);
    });
  });

program
  .command('render')
  .description('render a template of a pack file with data, as reps will get it; missing values exit 2')
  .requiredOption('--pack <file>', 'pack file (YAML or JSON)')
  .requiredOption('--template <id>', 'template id')
  .option('--lang <language>', 'variant to render (default: chosen from the data, as in the add-ins)')
  .option('--data <file>', 'JSON with contact, customer, rep, company and fields')
  .addOption(new Option('--format <format>', 'what to print').choices(['html', 'text', 'json']).default('html'))
  .option('--now <instant>', 'ISO-8601 instant that "today" and date defaults count from')
  .action((opts: { pack: string; template: string; lang?: string; data?: string; format: 'html' | 'text' | 'json'; now?: string }) => {
    const parsed = parsePackSource(readSource(opts.pack), opts.pack);
    if (!parsed.ok) {
      for (const issue of parsed.issues) console.error(formatIssue(issue, opts.pack));
      throw new CliError(`${opts.pack}: the pack has errors; run \`tradepane pack validate ${opts.pack}\``);
    }
    const { pack } = sanitizedPack(parsed.pack);
    const template = pack.templates?.find((t) => t.id === opts.template);
    if (!template) throw new CliError(`--template: no template "${opts.template}" in ${opts.pack} (has: ${(pack.templates ?? []).map((t) => t.id).join(', ') || 'none'})`);
    let data: { contact?: Record<string, string>; customer?: Record<string, string>; rep?: Record<string, string>; company?: Record<string, string>; fields?: Record<string, unknown> } = {};
    if (opts.data) {
      try {
        data = JSON.parse(readSource(opts.data)) as typeof data;
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`${opts.data}: not valid JSON (${(error as Error).message})`);
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CliError(`${opts.data}: must be a JSON object with contact, customer, rep, company and fields`);
      const unknown = Object.keys(data).filter((k) => !['contact', 'customer', 'rep', 'company', 'fields'].includes(k));
      if (unknown.length) throw new CliError(`${opts.data}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: contact, customer, rep, company, fields`);
    }
    let now: Date | undefined;
    if (opts.now) {
      now = new Date(opts.now);
      if (Number.isNaN(now.getTime())) throw new CliError(`--now: "${opts.now}" is not an ISO-8601 instant`);
    }
    let language: string;
    let reason: string;
    if (opts.lang) {
      const picked = matchLanguage(opts.lang, Object.keys(template.variants));
      if (!picked) throw new CliError(`--lang: template "${template.id}" has no ${opts.lang} variant (has: ${Object.keys(template.variants).join(', ')})`);
      language = picked;
      reason = `--lang ${opts.lang}`;
    } else {
      ({ language, reason } = chooseVariant(template, { contactLanguage: data.contact?.language, customerCountry: data.customer?.country, packDefault: pack.defaultLanguage }));
    }
    const result = renderTemplate(template, language, data, now ? { now } : {});
    if (!result.ok) {
      if (opts.format === 'json') console.log(JSON.stringify({ ok: false, language, missing: result.missing }, null, 2));
      else {
        console.error(`cannot render ${template.id} (${language}): missing values`);
        for (const m of result.missing) console.error(`  ${m.name}${m.label ? ` (${m.label})` : ''} in the ${m.where}: ${m.reason}`);
      }
      process.exitCode = 2;
      return;
    }
    const html = sanitizeRenderedHtml(result.html, 'template').html;
    if (opts.format === 'json') console.log(JSON.stringify({ ok: true, language, reason, subject: result.subject, html, text: result.text }, null, 2));
    else if (opts.format === 'text') console.log(`Subject: ${result.subject}\n\n${result.text}`);
    else console.log(html);
  });

program
  .command('slot')
  .description("a client's time zone, local time, business hours and the next good moment to send")
  .requiredOption('--to <email>', "the client's e-mail address")
  .option('--country <cc>', 'ISO 3166 country code the rep knows, e.g. SA')
  .option('--tz <zone>', 'IANA time zone the rep knows, e.g. Asia/Riyadh')
  .option('--date-header <date>', 'Date: header of their latest mail, e.g. "Thu, 26 Nov 2026 10:15:00 +0300"')
  .option('--phone <number>', 'phone number from their signature, e.g. "+966 11 234 5678"')
  .option('--now <instant>', 'ISO-8601 instant to compute from (default: now)')
  .option('--start <HH:MM>', 'business hours start (default 09:00)')
  .option('--end <HH:MM>', 'business hours end (default 18:00)')
  .option('--rep-tz <zone>', 'your own IANA time zone, to show alternatives in both zones')
  .option('-t, --tenant <tenant>', "also use what this tenant's store knows about the client")
  .option('--json', 'print one JSON object')
  .action(async (opts: { to: string; country?: string; tz?: string; dateHeader?: string; phone?: string; now?: string; start?: string; end?: string; repTz?: string; tenant?: string; json?: boolean }) => {
    let now = new Date();
    if (opts.now !== undefined) {
      now = new Date(opts.now);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.now) || Number.isNaN(now.getTime())) throw new CliError(`--now: "${opts.now}" is not an ISO-8601 instant such as 2026-11-27T07:00:00Z`);
    }
    if ((opts.start === undefined) !== (opts.end === undefined)) throw new CliError('--start and --end go together');
    let answer: SlotAnswer;
    try {
      if (opts.tenant) {
        answer = await withStore(async (store) => {
          const { tdb } = await actorFor(store, opts.tenant!);
          return clientTimeFor(tdb, null, {
            email: opts.to,
            now,
            country: opts.country,
            timeZone: opts.tz,
            dateHeader: opts.dateHeader,
            phone: opts.phone,
            ...(opts.start && opts.end ? { defaults: { start: opts.start, end: opts.end } } : {}),
            repTimeZone: opts.repTz,
          });
        });
      } else {
        answer = slotFor({
          email: opts.to,
          now,
          storedTimeZone: opts.tz ?? null,
          ...(opts.tz ? { storedBy: 'contact' as const } : {}),
          country: opts.country ?? null,
          dateHeader: opts.dateHeader ?? null,
          phone: opts.phone ?? null,
          ...(opts.start && opts.end ? { defaults: { start: opts.start, end: opts.end } } : {}),
          ...(opts.repTz ? { repTimeZone: opts.repTz } : {}),
        });
      }
    } catch (error) {
      if (error instanceof ClientTimeError) throw new CliError(error.message);
      throw error;
    }
    if (opts.json) {
      const { timeZone, confidence, reasons, localTime, inBusinessHours, nextSlot, alternatives } = answer;
      console.log(JSON.stringify({ timeZone, confidence, reasons, localTime, inBusinessHours, nextSlot, alternatives }));
      return;
    }
    if (!answer.timeZone) {
      console.log(`${opts.to}: time zone unknown — ${answer.reasons.join('; ')}`);
      return;
    }
    console.log(`${opts.to}: ${answer.timeZone} (${answer.confidence}), local time ${answer.localTime}, ${answer.status}; send at ${answer.nextSlot}`);
    for (const reason of answer.reasons) console.log(`  because ${reason}`);
    for (const alt of answer.alternatives) console.log(`  or ${alt.label}: ${alt.clientLocal}${alt.repLocal ? ` (your ${alt.repLocal})` : ''}`);
  });

program
  .command('worker')
  .description('send scheduled Gmail drafts at their time (run as many as you like; leases keep each send to one)')
  .option('--interval-ms <ms>', 'pause between passes when nothing is due (default 1000)', (v) => Number(v))
  .option('--concurrency <n>', 'sends worked on at once (default: $SEND_WORKER_CONCURRENCY or 8)', (v) => Number(v))
  .option('--quiet', 'print only failures, not every send')
  .action(async (opts: { intervalMs?: number; concurrency?: number; quiet?: boolean }) => {
    for (const [name, value] of [['--interval-ms', opts.intervalMs], ['--concurrency', opts.concurrency]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new CliError(`${name}: expected a whole number ≥ 1, got ${value}`);
    }
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

const gmailCommand = program.command('gmail').description('the Gmail add-on: deployment descriptor, signature push');
gmailCommand
  .command('deployment')
  .description('write the Workspace add-on deployment descriptor with this store\'s URLs (then: gcloud workspace-add-ons deployments create|replace, see gmail-addon/README.md)')
  .requiredOption('--base-url <url>', 'public https URL of the add-on endpoints, e.g. https://store.example.com/gmail (= GMAIL_ADDON_ENDPOINT_BASE)')
  .option('--out <file>', 'where to write it', 'gmail-addon/deployment.json')
  .option('--logo-url <url>', 'https URL of the add-on logo (default: <origin>/addin/assets/icon-128.png)')
  .option('--name <name>', 'the add-on\'s name in Gmail', 'tradepane')
  .action(async (opts: { baseUrl: string; out: string; logoUrl?: string; name: string }) => {
    const { deploymentDescriptor } = await import('../server/gmail/deployment.js');
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
    const { pushSignatures } = await import('../server/gmail/signature-push.js');
    const { GoogleCredentials, readServiceAccountFile, GOOGLE_DEFAULT_TOKEN_URL } = await import('../server/google/credentials.js');
    const { GMAIL_DEFAULT_ROOT_URL } = await import('../server/google/gmail-api.js');
    const file = opts.serviceAccountFile ?? process.env.GOOGLE_SERVICE_ACCOUNT_FILE;
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
      const credentials = new GoogleCredentials({ apiRootUrl: process.env.GMAIL_API_ROOT_URL || GMAIL_DEFAULT_ROOT_URL, tokenUrl: process.env.GOOGLE_TOKEN_URL || GOOGLE_DEFAULT_TOKEN_URL, serviceAccount }, store.db, undefined);
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
    if (failed > 0) process.exitCode = 1;
  });

function report(error: unknown): number {
  if (error instanceof CliError) {
    console.error(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    console.error(`error: configuration: ${error.message}`);
    return 1;
  }
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    for (const d of error.details ?? []) {
      const at = typeof d.line === 'number' ? `:${d.line}:${String(d.column)}` : '';
      console.error(`  ${at ? `line${at} ` : ''}${d.path}: ${d.message}`);
    }
    return 1;
  }
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = report(error);
});
