import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** The console's audit filters: who (part of the label, literal, any case), action or area, date range. */
describe.each(storeKinds())('audit log filters on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  // Entries of November 2026; the seed's own entries are written now and fall outside every range below.
  const rows = [
    ['a1', '2026-11-01T10:00:00.000Z', 'Wang Fang <wang@e.test>', 'pack.published'],
    ['a2', '2026-11-02T10:00:00.000Z', 'Li_Lei', 'api_key.created'],
    ['a3', '2026-11-03T10:00:00.000Z', 'wang fang', 'pack.pushed'],
    ['a4', '2026-11-04T10:00:00.000Z', 'LiXLei', 'apiXkey.created'],
    ['a5', '2026-11-05T10:00:00.000Z', 'a%b', 'user.added'],
  ] as const;
  const november = 'since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z';

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'auditf');
    app = await testApp(store);
    for (const [id, at, label, action] of rows) {
      await t.tdb.insert('audit_log', { id, actor_id: null, actor_label: label, action, target_type: 'pack', target_id: null, details: '{}', at });
    }
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const ids = async (filter: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/audit?${november}&${filter}`, headers: bearer(t.admin.key) });
    expect(res.statusCode).toBe(200);
    return (res.json().entries as { id: string }[]).map((e) => e.id);
  };

  it('filters by who, any case, with LIKE wildcards taken literally', async () => {
    expect(await ids('actor=WANG')).toEqual(['a3', 'a1']);
    expect(await ids('actor=li_')).toEqual(['a2']);
    expect(await ids(`actor=${encodeURIComponent('%')}`)).toEqual(['a5']);
  });

  it('filters by an action or by its area, "_" being no wildcard', async () => {
    expect(await ids('action=pack')).toEqual(['a3', 'a1']);
    expect(await ids('action=pack.pushed')).toEqual(['a3']);
    expect(await ids('action=api_key')).toEqual(['a2']);
  });

  it('filters by a date range (since inclusive, until exclusive) and refuses a malformed action', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit?since=2026-11-02T10:00:00Z&until=2026-11-04T10:00:00Z', headers: bearer(t.admin.key) });
    expect((res.json().entries as { id: string }[]).map((e) => e.id)).toEqual(['a3', 'a2']);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/audit?action=DROP%20TABLE', headers: bearer(t.admin.key) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/action/);
  });
});
