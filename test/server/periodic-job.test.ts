import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import { claimPeriodicRun, finishPeriodicRun, startPeriodicJob, type PeriodicJob } from '../../src/server/jobs/periodic.js';
import { storeKinds } from '../support/stores.js';

/** A job every instance runs the timer for, but that must run once per interval across them. */
describe.each(storeKinds())('periodic jobs on $name', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(async () => {
    await store.close();
  });

  const HOUR = 3_600_000;
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 6, 0) + minutes * 60_000);
  const job = (name: string, instanceId: string): PeriodicJob => ({ name, instanceId, everyMs: HOUR, leaseMs: 10 * 60_000 });

  it('one instance wins the claim; the others do not run it again until an interval after it finished', async () => {
    expect(await claimPeriodicRun(store.db, job('drift', 'a'), at(0))).toBe(true);
    expect(await claimPeriodicRun(store.db, job('drift', 'b'), at(0))).toBe(false); // a holds it
    await finishPeriodicRun(store.db, job('drift', 'a'), at(5));
    expect(await claimPeriodicRun(store.db, job('drift', 'b'), at(30))).toBe(false); // ran 25 min ago
    expect(await claimPeriodicRun(store.db, job('drift', 'a'), at(64))).toBe(false); // still < 1 h after it finished
    expect(await claimPeriodicRun(store.db, job('drift', 'b'), at(65))).toBe(true);
    const row = await store.db.selectFrom('job_runs').selectAll().where('name', '=', 'drift').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lease_owner: 'b', last_started_at: at(65).toISOString(), last_finished_at: at(5).toISOString() });
  });

  it('an instance that died holding the job blocks it only until its lease ends', async () => {
    expect(await claimPeriodicRun(store.db, job('dead', 'gone'), at(0))).toBe(true);
    // "gone" never finishes.
    expect(await claimPeriodicRun(store.db, job('dead', 'b'), at(9))).toBe(false);
    expect(await claimPeriodicRun(store.db, job('dead', 'b'), at(11))).toBe(true);
    // The dead instance's late finish does not clear b's lease.
    await finishPeriodicRun(store.db, job('dead', 'gone'), at(12));
    expect((await store.db.selectFrom('job_runs').select('lease_owner').where('name', '=', 'dead').executeTakeFirstOrThrow()).lease_owner).toBe('b');
  });

  it('two running instances never run the job at the same time, and it does run', async () => {
    let active = 0;
    let overlaps = 0;
    let runs = 0;
    const work = async () => {
      active++;
      if (active > 1) overlaps++;
      runs++;
      await new Promise((r) => setTimeout(r, 30));
      active--;
    };
    const errors: unknown[] = [];
    const stops = ['x', 'y'].map((instanceId) => startPeriodicJob(store.db, { name: 'live', instanceId, everyMs: 200 }, work, (e) => errors.push(e)));
    for (let i = 0; i < 100 && runs < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await Promise.all(stops.map((stop) => stop()));
    expect(errors).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(overlaps).toBe(0);
  });
});
