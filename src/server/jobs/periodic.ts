import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * A job that should run once every `everyMs` whichever instances are up (N instances must not
 * make N runs). Every instance wakes up a few times per interval and tries to claim the job's row
 * in `job_runs`: the claim succeeds only when the last run finished at least `everyMs` ago and no
 * live lease is held, in one conditional UPDATE, so exactly one instance wins. The lease lasts
 * `leaseMs`: an instance that dies mid-run blocks the job until then, not for ever.
 */

export interface PeriodicJob {
  name: string;
  instanceId: string;
  everyMs: number;
  /** How long a run may hold the job before another instance may take it (default: everyMs). */
  leaseMs?: number;
}

/** Takes the job for this instance when it is due and free; answers whether it did. */
export async function claimPeriodicRun(db: Kysely<Database>, job: PeriodicJob, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const dueIfFinishedBy = new Date(now.getTime() - job.everyMs).toISOString();
  await db.insertInto('job_runs').values({ name: job.name, lease_owner: null, lease_until: null, last_started_at: null, last_finished_at: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const claimed = await db
    .updateTable('job_runs')
    .set({ lease_owner: job.instanceId, lease_until: new Date(now.getTime() + (job.leaseMs ?? job.everyMs)).toISOString(), last_started_at: nowIso })
    .where('name', '=', job.name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .where((eb) => eb.or([eb('last_finished_at', 'is', null), eb('last_finished_at', '<=', dueIfFinishedBy)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Marks this instance's run finished (also after a failed run: the next try is an interval later). */
export async function finishPeriodicRun(db: Kysely<Database>, job: PeriodicJob, now: Date): Promise<void> {
  await db.updateTable('job_runs').set({ lease_owner: null, lease_until: null, last_finished_at: now.toISOString() }).where('name', '=', job.name).where('lease_owner', '=', job.instanceId).execute();
}

/**
 * Runs `work` once per interval across instances until stopped. Wakes every `everyMs / 4`
 * (at most a minute) to try; the timer does not keep the process alive.
 */
export function startPeriodicJob(db: Kysely<Database>, job: PeriodicJob, work: () => Promise<void>, onError: (error: unknown) => void, now: () => Date = () => new Date()): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      if (!(await claimPeriodicRun(db, job, now()))) return;
      try {
        await work();
      } finally {
        await finishPeriodicRun(db, job, now());
      }
    })()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, Math.max(10, Math.min(60_000, Math.floor(job.everyMs / 4))));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Runs `pass` every `everyMs` in this instance (no cross-instance claim: for passes whose items
 * are claimed one by one, like the follow-up and team-mail passes), never two at once; stopping
 * waits for the pass in hand. The timer does not keep the process alive.
 */
export function startRepeatingPass(pass: () => Promise<unknown>, everyMs: number, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
