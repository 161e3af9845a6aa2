import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { sql } from 'kysely';
import { storeKinds } from '../support/stores.js';

/**
 * PostgreSQL may close a pooled connection while it sits idle (server restart, failover, an
 * admin's pg_terminate_backend). That must not take the store down: the pool drops the client
 * and the next query gets a fresh one.
 */
const postgres = storeKinds().find((k) => k.name === 'postgres');

describe('the PostgreSQL pool', () => {
  // Without PostgreSQL this shows as skipped on a developer's machine; CI fails earlier (global set-up).
  (postgres ? it : it.skip)('survives the server closing an idle connection, and the next query works', async () => {
    const warnings: string[] = [];
    const store = await postgres!.open({ onIdleConnectionError: (error) => warnings.push(error.message) });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        const killed = await admin.query('select pg_terminate_backend($1) as ok', [rows[0]!.pid]);
        expect(killed.rows[0].ok).toBe(true);
      } finally {
        await admin.end();
      }
      for (let i = 0; i < 50 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(warnings.join('\n')).toMatch(/terminating connection due to administrator command/);

      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows[0]!.one).toBe(1);
    } finally {
      await store.close();
    }
  });
});
