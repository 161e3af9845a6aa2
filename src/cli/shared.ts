import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from '../server/config.js';
import { migrate, openStore, type Store } from '../server/db/connect.js';
import { TenantDb } from '../server/db/tenant-db.js';
import { AppError } from '../server/errors.js';
import type { Actor } from '../server/auth/principal.js';
import { findTenant } from '../server/services/tenants.js';
import { findUserByEmail } from '../server/services/people.js';
import { PERMISSIONS } from '../core/access/permissions.js';

/** A failure the CLI reports as one clear message and a non-zero exit, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export const program = new Command('tradepane')
  .description('tradepane: the template store and its tools for Outlook and Gmail sales reps')
  .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else SQLite in the data directory)')
  .option('--data-dir <dir>', 'data directory for the SQLite file (default: $TRADEPANE_DATA_DIR or ./data)')
  .showHelpAfterError('(run with --help for usage)');

export function config(overrides: Partial<Config> = {}): Config {
  const globals = program.opts<{ databaseUrl?: string; dataDir?: string }>();
  const env = { ...process.env, ...(globals.dataDir ? { TRADEPANE_DATA_DIR: globals.dataDir } : {}) };
  return loadConfig(env, { ...(globals.databaseUrl ? { databaseUrl: globals.databaseUrl } : {}), ...overrides });
}

/** Opens the store, brings its schema up to date, runs `work`, always closes. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
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
export async function actorFor(store: Store, tenantSlug: string, asEmail?: string): Promise<{ tdb: TenantDb; actor: Actor }> {
  const tenant = await findTenant(store.db, tenantSlug);
  const tdb = new TenantDb(store.db, tenant.id);
  if (!asEmail) return { tdb, actor: { tenantId: tenant.id, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'cli operator' } };
  const user = await findUserByEmail(tdb, asEmail);
  if (!user) throw new CliError(`--as ${asEmail}: no such user in tenant "${tenantSlug}"`);
  if (user.role !== 'admin') throw new CliError(`--as ${asEmail}: is a ${user.role}; only admins push packs and manage people`);
  return { tdb, actor: { tenantId: tenant.id, userId: user.id, role: user.role, permissions: new Set(PERMISSIONS), label: `${user.email} (cli)` } };
}

export function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: cannot read the file${code === 'ENOENT' ? ': it does not exist' : code ? ` (${code})` : ''}`);
  }
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
export const step = (line: string) => process.stderr.write(`${line}\n`);

export function report(error: unknown): number {
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
