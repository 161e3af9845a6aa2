import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openStore, type OpenOptions, type Store } from '../../src/server/db/connect.js';

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty store of this kind; `store.close()` throws it away. */
  open(options?: Pick<OpenOptions, 'onIdleConnectionError'>): Promise<Store>;
}

const sqlite: StoreKind = {
  name: 'sqlite',
  async open() {
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    return store;
  },
};

/**
 * Schema drops wait for running migrations across jest workers, and migrations for a running drop:
 * Kysely's migrator lists the tables of every schema (`has_schema_privilege` by name), which fails
 * with 'schema "t_…" does not exist' when another suite drops its schema at that moment.
 * Migrations hold the session advisory lock shared (they run side by side), a drop holds it
 * exclusively; ending the client releases it.
 */
const SCHEMA_LOCK = 7_320_011;

/** Each PostgreSQL store is its own schema in the test database, dropped on close. */
const postgres: StoreKind = {
  name: 'postgres',
  async open(options = {}) {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let store: Store;
    try {
      await admin.query(`create schema ${schema}`);
      await admin.query('select pg_advisory_lock_shared($1)', [SCHEMA_LOCK]);
      store = openStore({ databaseUrl: url, pgSchema: schema, poolSize: 4, ...options });
      await migrate(store);
    } finally {
      await admin.end();
    }
    const close = store.close;
    store.close = async () => {
      await close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
        await c.query(`drop schema ${schema} cascade`);
      } finally {
        await c.end();
      }
    };
    return store;
  },
};

export const postgresAvailable = (): boolean => process.env.TP_POSTGRES === 'available';

/** The store kinds every integration test runs against: SQLite always, PostgreSQL when reachable. */
export function storeKinds(): StoreKind[] {
  return postgresAvailable() ? [sqlite, postgres] : [sqlite];
}
