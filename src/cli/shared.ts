import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from '../server/config.js';
import type { Store } from '../server/db/connect.js';
import type { TenantDb } from '../server/db/tenant-db.js';
import { AppError } from '../server/errors.js';
import type { Actor } from '../server/auth/principal.js';
import { PERMISSIONS } from '../core/access/permissions.js';

// Only light modules are imported at the top of the CLI's files: `--help` and `slot` must not pay
// for the database drivers, the server or the Google/CRM clients (docs/performance.md, "CLI").
// What a command needs beyond that it imports inside its action.

/** A failure the CLI reports as one clear message and a non-zero exit, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Where one run of the CLI reads its environment and writes its output. */
export interface CliIo {
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
}

interface Run {
  program: Command;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
  console: Console;
  exitCode: number;
}

// Each run has its own command tree, environment, streams and exit code, so runs in one process
// (the tests) neither share parsed options nor interleave output.
const runs = new AsyncLocalStorage<Run>();

function current(): Run {
  const run = runs.getStore();
  if (!run) throw new Error('tradepane CLI: called outside runCli()');
  return run;
}

/** The root command with the global options; commands are registered on it by main.ts. */
export function createProgram(io: { stdout: Writable; stderr: Writable }): Command {
  return new Command('tradepane')
    .description('tradepane: the template store and its tools for Outlook and Gmail sales reps')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL, else SQLite in the data directory)')
    .option('--data-dir <dir>', 'data directory for the SQLite file (default: $TRADEPANE_DATA_DIR or ./data)')
    .showHelpAfterError('(run with --help for usage)')
    // Set before any command is added: subcommands copy these settings when they are created.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
}

/**
 * Runs `work` as one CLI run with `program`: commands' output goes to the run's streams, `config()`
 * reads the run's environment, `setExitCode()` sets the run's exit code. Answers the exit code:
 * the one `work` returns (a failure), else the one the command set (0 by default).
 */
export async function withRun(program: Command, io: Required<CliIo>, work: () => Promise<number | undefined>): Promise<number> {
  const run: Run = { program, ...io, console: new Console({ stdout: io.stdout, stderr: io.stderr }), exitCode: 0 };
  const failed = await runs.run(run, work);
  return failed ?? run.exitCode;
}

/**
 * The run's console. Command files import it as `console`, so `console.log` in an action writes to
 * the run's stdout (the process's, or a test's capture).
 */
export const cliConsole = {
  log: (...args: unknown[]) => current().console.log(...args),
  error: (...args: unknown[]) => current().console.error(...args),
};

export const stdout = (): Writable => current().stdout;
export const env = (): NodeJS.ProcessEnv => current().env;

/** The exit code of this run (0 unless set); the highest one set wins. */
export function setExitCode(code: number): void {
  const run = current();
  run.exitCode = Math.max(run.exitCode, code);
}

export function config(overrides: Partial<Config> = {}): Config {
  const run = current();
  const globals = run.program.opts<{ databaseUrl?: string; dataDir?: string }>();
  const vars = { ...run.env, ...(globals.dataDir ? { TRADEPANE_DATA_DIR: globals.dataDir } : {}) };
  return loadConfig(vars, { ...(globals.databaseUrl ? { databaseUrl: globals.databaseUrl } : {}), ...overrides });
}

/** Opens the store, brings its schema up to date, runs `work`, always closes. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const { migrate, openStore } = await import('../server/db/connect.js');
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
  const [{ findTenant }, { findUserByEmail }, { TenantDb }] = await Promise.all([
    import('../server/services/tenants.js'),
    import('../server/services/people.js'),
    import('../server/db/tenant-db.js'),
  ]);
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
export const step = (line: string) => current().stderr.write(`${line}\n`);

export function report(error: unknown): number {
  const console = current().console;
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
