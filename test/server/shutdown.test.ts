import { describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../src/server/db/connect.js';
import { newId, nowIso } from '../../src/server/db/tenant-db.js';
import { seedTenant, testApp } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

// Building and closing the app (two worker pools) takes seconds on a loaded 2-core machine.
jest.setTimeout(150_000);

describe.each(storeKinds())('graceful shutdown on $name', (kind) => {
  it('finishes in-flight requests, refuses new work, and hands back job leases', async () => {
    const store: Store = await kind.open();
    const t = await seedTenant(store, 'shut');
    const lease = { lease_owner: 'test-instance', lease_until: new Date(Date.now() + 60_000).toISOString() };
    const send = (status: 'pending' | 'sending', extra: object) => ({
      id: newId(), user_id: t.rep.id, provider: 'gmail' as const, draft_id: `d-${status}`, recipient: 'buyer@example.test', send_at: nowIso(), status,
      attempts: 0, next_attempt_at: nowIso(), last_error: null, sent_at: null, created_at: nowIso(), updated_at: nowIso(), lease_owner: null, lease_until: null, ...extra,
    });
    await t.tdb.insert('scheduled_sends', [send('pending', lease), send('sending', lease), { ...send('pending', { ...lease, lease_owner: 'other-instance' }), draft_id: 'd-other' }]);

    const app = await testApp(store);
    let releaseSlowRequest!: () => void;
    const slowStarted = new Promise<void>((resolve) => {
      app.addHook('onRequest', async (request) => {
        if (request.url === '/healthz?slow=1') {
          resolve();
          await new Promise<void>((r) => (releaseSlowRequest = r));
        }
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const inFlight = fetch(`${base}/healthz?slow=1`);
    await slowStarted;
    const closed = app.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${base}/healthz`)).rejects.toThrow(); // the listener is closed: no new work
    releaseSlowRequest();
    expect((await inFlight).status).toBeGreaterThanOrEqual(200); // the in-flight request got its answer
    await closed;

    const rows = await t.tdb.selectFrom('scheduled_sends').select(['draft_id', 'lease_owner']).orderBy('draft_id').execute();
    expect(rows).toEqual([
      { draft_id: 'd-other', lease_owner: 'other-instance' }, // not ours: untouched
      { draft_id: 'd-pending', lease_owner: null }, // ours, not started: handed back
      { draft_id: 'd-sending', lease_owner: 'test-instance' }, // mid-send: kept until it expires
    ]);
    await store.close();
  });
});
