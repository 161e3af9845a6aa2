import pg from 'pg';
import type { Row } from './measure.js';

/**
 * A throw-away PostgreSQL database for one bench section (the cluster `.ci/postgres.sh` sets up,
 * or TEST_DATABASE_URL): `work` gets its URL, the database is dropped afterwards. Unreachable →
 * one "not measured" row instead of a failure, so the other sections still report.
 */
export async function withScratchDatabase(section: string, name: string, work: (url: string) => Promise<Row[]>): Promise<Row[]> {
  const base = process.env.TEST_DATABASE_URL || 'postgres://tradepane:tradepane@127.0.0.1:5432/tradepane_test';
  const database = `${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return [{ section, name: 'PostgreSQL', value: NaN, unit: '', higherIsBetter: true, note: `not measured: PostgreSQL not reachable at ${base.replace(/:[^:@/]*@/, ':***@')} (run .ci/postgres.sh)` }];
  }
  await admin.query(`create database ${database}`);
  try {
    return await work(base.replace(/\/[^/]*$/, `/${database}`));
  } finally {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}
