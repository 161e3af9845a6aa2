import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { LRUCache } from 'lru-cache';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './tables.js';
import * as m001 from './migrations/001_foundation.js';
import * as m002 from './migrations/002_contact_date_header.js';
import * as m003 from './migrations/003_template_uses.js';
import * as m004 from './migrations/004_connectors_outbox.js';
import * as m005 from './migrations/005_send_queue.js';
import * as m006 from './migrations/006_signature_states.js';
import * as m007 from './migrations/007_job_runs.js';
import * as m008 from './migrations/008_mail_sync.js';
import * as m009 from './migrations/009_task_dedupe.js';
import * as m010 from './migrations/010_mailbox_caught_up.js';
import * as m011 from './migrations/011_payment_guard.js';
import * as m012 from './migrations/012_documents.js';
import * as m013 from './migrations/013_followups.js';
import * as m014 from './migrations/014_team_inbox.js';
import * as m015 from './migrations/015_document_links.js';
import * as m017 from './migrations/017_directory_sync.js';
import * as m018 from './migrations/018_pack_view_version.js';
import * as m019 from './migrations/019_team_mail.js';
import * as m020 from './migrations/020_team_clock_index.js';
import * as m021 from './migrations/021_audit_target_index.js';
import * as m022 from './migrations/022_team_responses.js';
import * as m023 from './migrations/023_mail_sender_domain.js';
import * as m024 from './migrations/024_sync_indexes.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** A short description for logs: the file or the host/database, never the password. */
  where: string;
  /** PostgreSQL schema the store lives in, when not the default. */
  schema?: string | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** SQLite file; ':memory:' for a throwaway database. */
  sqliteFile?: string;
  dataDir?: string;
  /** PostgreSQL schema to work in (tests give each suite its own). */
  pgSchema?: string;
  poolSize?: number;
  /** PostgreSQL closed an idle pooled connection (default: a process warning). */
  onIdleConnectionError?: (error: Error) => void;
}

export function openStore(options: OpenOptions): Store {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    // A pooled connection the server closes while idle (restart, failover, a dropped database)
    // is an 'error' on the pool, which would end the process unhandled. The pool discards the
    // client and the next query opens a new one; queries in flight get their own error.
    pool.on('error', options.onIdleConnectionError ?? ((error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`)));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      where: `postgres ${url.hostname}:${url.port || 5432}${url.pathname}${options.pgSchema ? ` (schema ${options.pgSchema})` : ''}`,
      schema: options.pgSchema,
      close: () => db.destroy(),
    };
  }
  let file = options.sqliteFile;
  if (!file) {
    const dir = options.dataDir ?? './data';
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'tradepane.sqlite');
  }
  const sqlite = new SQLite(file);
  // WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite) }) });
  return { db, dialect: 'sqlite', where: `sqlite ${file}`, close: () => db.destroy() };
}

/** Statements kept prepared per SQL text; an in-list of another length is another text, so the cache is bounded. */
const PREPARED_STATEMENTS = 500;

/**
 * The database as Kysely's SqliteDialect sees it, with each statement prepared once: Kysely calls
 * `prepare` for every query it runs, and preparing took ~9 % of a request on the store's hot path
 * (issue #18). Reusing a better-sqlite3 statement is safe here: the dialect runs one query at a
 * time on its one connection, and SQLite re-prepares a statement itself after a schema change.
 */
function preparedOnce(sqlite: SQLite.Database): { prepare: (sql: string) => SQLite.Statement; close: () => void } {
  const statements = new LRUCache<string, SQLite.Statement>({ max: PREPARED_STATEMENTS });
  return {
    prepare: (text) => {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
    close: () => {
      statements.clear();
      sqlite.close();
    },
  };
}

const MIGRATIONS: Record<string, Migration> = {
  '001_foundation': m001,
  '002_contact_date_header': m002,
  '003_template_uses': m003,
  '004_connectors_outbox': m004,
  '005_send_queue': m005,
  '006_signature_states': m006,
  '007_job_runs': m007,
  '008_mail_sync': m008,
  '009_task_dedupe': m009,
  '010_mailbox_caught_up': m010,
  '011_payment_guard': m011,
  '012_documents': m012,
  '013_followups': m013,
  '014_team_inbox': m014,
  '015_document_links': m015,
  '017_directory_sync': m017,
  '018_pack_view_version': m018,
  '019_team_mail': m019,
  '020_team_clock_index': m020,
  '021_audit_target_index': m021,
  '022_team_responses': m022,
  '023_mail_sender_domain': m023,
  '024_sync_indexes': m024,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

// Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
const migratorFor = (store: Store) => new Migrator({ db: store.db, provider, ...(store.schema ? { migrationTableSchema: store.schema } : {}) });

/** Brings the schema to the latest version; safe to run from several instances at once. */
export async function migrate(store: Store, onStep?: (name: string, status: string) => void): Promise<{ applied: string[] }> {
  const migrator = migratorFor(store);
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) onStep?.(r.migrationName, r.status);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = migratorFor(store);
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/** True when the database answers a trivial query. */
export async function ping(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}
