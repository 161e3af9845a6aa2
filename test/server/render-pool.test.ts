import { afterAll, describe, expect, it } from '@jest/globals';
import { RenderPool, ServiceBusy } from '../../src/server/render/pool.js';
import type { RenderTask } from '../../src/server/render/render-task.js';
import { untilCount } from '../support/atomics.js';

const BLOCKING = new URL('../support/blocking-render-worker.mjs', import.meta.url).href;

/** Resolves when `count` tasks have started in the workers (they bump flags[0]). */
const started = (flags: Int32Array, count: number) => untilCount(flags, 0, count);

const task = (gate: SharedArrayBuffer, forever = false) => ({ gate, forever }) as unknown as RenderTask;

describe('the render pool', () => {
  const pools: RenderPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('renders a template in a worker thread, sanitised, the same as in-line', async () => {
    const pool = new RenderPool({ threads: 1, queue: 1, timeoutMs: 60_000 });
    pools.push(pool);
    const result = await pool.render({
      template: { id: 't', kind: 'inquiry', title: 'T', variants: { en: { subject: 'Hi {{ contact.firstName }}', body: '<p style="position:fixed;color:red">Dear {{ contact.firstName }}</p>' } } } as RenderTask['template'],
      language: 'en',
      context: { contact: { firstName: 'Ana' } },
      options: { now: new Date('2026-01-05T10:00:00Z') },
    });
    expect(result).toEqual({ ok: true, language: 'en', subject: 'Hi Ana', html: '<p style="color:red">Dear Ana</p>', text: 'Dear Ana' });
  });

  it('answers 503 with Retry-After once threads and queue are taken, and serves again when they free up', async () => {
    const pool = new RenderPool({ threads: 1, queue: 1, timeoutMs: 60_000, filename: BLOCKING });
    pools.push(pool);
    const gate = new SharedArrayBuffer(8);
    const flags = new Int32Array(gate);
    const first = pool.render(task(gate));
    await started(flags, 1);
    const second = pool.render(task(gate)); // waits in the queue
    const third = pool.render(task(gate));
    await expect(third).rejects.toBeInstanceOf(ServiceBusy);
    await expect(third).rejects.toMatchObject({ status: 503, code: 'busy', retryAfterSeconds: 1 });
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    await expect(first).resolves.toMatchObject({ ok: true });
    await expect(second).resolves.toMatchObject({ ok: true });
    await expect(pool.render(task(gate))).resolves.toMatchObject({ ok: true });
  });

  it('stops a render past the time limit with 503 and keeps serving on a fresh thread', async () => {
    const pool = new RenderPool({ threads: 1, queue: 0, timeoutMs: 300, filename: BLOCKING });
    pools.push(pool);
    const stuck = new SharedArrayBuffer(8);
    await expect(pool.render(task(stuck, true))).rejects.toMatchObject({ status: 503, code: 'render_timeout', retryAfterSeconds: 1 });
    const free = new SharedArrayBuffer(8);
    Atomics.store(new Int32Array(free), 1, 1);
    // The stopped thread's replacement starting up is not a render's time: wait until it is ready.
    await (pool as unknown as { warm: undefined }).warm;
    (pool as unknown as { warm: undefined }).warm = undefined;
    await pool.ready();
    await expect(pool.render(task(free))).resolves.toMatchObject({ ok: true });
  });
});
