import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { loadConfig, ConfigError } from '../../src/server/config.js';
import { bearer, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** Regressions for defects found in review: each test failed before its fix. */
describe.each(storeKinds())('review findings on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'rev');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, key: string, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...bearer(key), ...headers }, ...(payload ? { payload } : {}) });

  it('does not believe X-Forwarded-For from a client: the sign-in limiter cannot be dodged or aimed', async () => {
    const limited = await testApp(store, { authFailureLimit: 3 });
    const bad = 'tpk_0000000000000000_' + 'y'.repeat(43);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await limited.inject({ method: 'GET', url: '/api/v1/me', headers: { ...bearer(bad), 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    await limited.close();
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('refuses a send lease too short for a Gmail call to finish inside it', () => {
    expect(() => loadConfig({ SEND_LEASE_SECONDS: '5' })).toThrow(/SEND_LEASE_SECONDS: expected a whole number ≥ 15, got "5"/);
    expect(loadConfig({ SEND_LEASE_SECONDS: '15' }).sendWorker.leaseMs).toBe(15_000);
  });

  it('reads SEND_WORKER=false as off (it used to turn the worker on) and refuses a word it does not know', () => {
    expect(loadConfig({ SEND_WORKER: 'false' }).sendWorker.enabled).toBe(false);
    expect(loadConfig({ SEND_WORKER: 'OFF' }).sendWorker.enabled).toBe(false);
    expect(loadConfig({ SEND_WORKER: '0' }).sendWorker.enabled).toBe(false);
    expect(loadConfig({ SEND_WORKER: 'yes' }).sendWorker.enabled).toBe(true);
    expect(loadConfig({}).sendWorker.enabled).toBe(true);
    expect(() => loadConfig({ SEND_WORKER: 'disabled' })).toThrow(/SEND_WORKER: expected on or off .* got "disabled"/);
  });

  it('never lets an API key mint a key broader than itself', async () => {
    const { createApiKey } = await import('../../src/server/services/api-keys.js');
    const { operator } = await import('../support/fixtures.js');
    const narrow = await createApiKey(t.tdb, operator(t.tenantId), { userEmail: t.admin.email, name: 'keys only', scopes: ['keys:manage'] });
    const res = await send('POST', '/api/v1/api-keys', narrow.key, { name: 'wider', user: t.admin.email, scopes: ['packs:write', 'people:write'] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('you do not hold');
    expect((await send('POST', '/api/v1/api-keys', narrow.key, { name: 'same', user: t.admin.email, scopes: ['keys:manage'] })).statusCode).toBe(201);
  });

  it('counts concurrent uses of a template exactly', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => send('POST', '/api/v1/me/template-uses', t.rep.key, { pack: t.packSlug, template: 'hello' })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(204));
    const uses = (await send('GET', '/api/v1/me/template-uses', t.rep.key)).json().uses as { count: number }[];
    expect(uses).toEqual([{ pack: t.packSlug, template: 'hello', count: 20 }]);
  });

  it('answers concurrent pushes of one pack with 201/409, never 500, and stores consecutive versions', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => send('POST', '/api/v1/packs', t.admin.key, { source: packYaml('raced', [t.groupSlug], `Raced ${i}`) })));
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    expect(results.some((r) => r.statusCode === 201)).toBe(true);
    const versions = await t.tdb.selectFrom('pack_versions').innerJoin('packs', 'packs.id', 'pack_versions.pack_id').select('pack_versions.version').where('packs.slug', '=', 'raced').execute();
    expect(versions.map((v) => v.version).sort()).toEqual(versions.map((_, i) => i + 1));
  });

  it("never overwrites a rep's own template by copying again", async () => {
    const first = await send('POST', '/api/v1/me/templates/copy', t.rep.key, { pack: t.packSlug, template: 'hello' });
    expect(first.statusCode).toBe(201);
    const again = await send('POST', '/api/v1/me/templates/copy', t.rep.key, { pack: t.packSlug, template: 'hello' });
    expect(again.statusCode).toBe(409);
  });

  it("shows a rep the title of the version they receive, and honours If-None-Match: *", async () => {
    await send('POST', '/api/v1/packs', t.admin.key, { source: packYaml(t.packSlug, [t.groupSlug], 'Unpublished new title'), publish: false });
    const view = (await send('GET', '/api/v1/me/packs', t.rep.key)).json().packs as { pack: string; title: string }[];
    expect(view.find((p) => p.pack === t.packSlug)?.title).toBe(`Pack ${t.packSlug}`);
    expect((await send('GET', '/api/v1/me/packs', t.rep.key, undefined, { 'if-none-match': '*' })).statusCode).toBe(304);
  });

  it('reads the audit log before an instant written with any UTC offset', async () => {
    const later = new Date(Date.now() + 3_600_000);
    const withOffset = new Date(later.getTime() - 5 * 3_600_000).toISOString().replace('Z', '-05:00');
    const entries = (await send('GET', `/api/v1/audit?before=${encodeURIComponent(withOffset)}`, t.admin.key)).json().entries as unknown[];
    expect(entries.length).toBeGreaterThan(0);
  });
});

describe('dev endpoints', () => {
  it('refuse a request whose Host is not loopback (DNS rebinding)', async () => {
    const [sqlite] = storeKinds();
    const store = await sqlite!.open();
    await seedTenant(store, 'dev');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadDevSigner } = await import('../../src/server/auth/dev-keys.js');
    const app = await testApp(store, { devMode: true }, { devSigner: await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-dev-'))) });
    expect((await app.inject({ method: 'GET', url: '/dev/token?email=rep@dev.test', headers: { host: 'localhost:3000' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/dev/token?email=rep@dev.test', headers: { host: 'attacker.example' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('Database:');
    const prod = await testApp(store);
    expect((await prod.inject({ method: 'GET', url: '/' })).body).not.toContain('Database:');
    await app.close();
    await prod.close();
    await store.close();
  });
});
