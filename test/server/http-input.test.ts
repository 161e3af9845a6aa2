import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const [sqlite] = storeKinds();

describe('bad input at the HTTP edge', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await sqlite!.open();
    t = await seedTenant(store, 'edge');
    app = await testApp(store, { bodyLimitBytes: 4096 });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (url: string, payload: string | object, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { ...bearer(t.admin.key), 'content-type': contentType }, payload });

  it('answers a body over the limit with 413 and stores nothing', async () => {
    const res = await post('/api/v1/packs', { source: 'x'.repeat(10_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'body_too_large', message: 'request body is larger than the limit of 4096 bytes' });
  });

  it("answers malformed JSON with 400 and the parser's position", async () => {
    const res = await post('/api/v1/users', '{"email": "a@edge.test", "name": }');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('malformed_json');
    expect(res.json().error.message).toBe('request body is not valid JSON: ValueExpected at line 1, column 34 (position 33)');
  });

  it('refuses prototype poisoning in JSON bodies', async () => {
    const res = await post('/api/v1/users', '{"email": "p@edge.test", "name": "P", "__proto__": {"role": "admin"}}');
    expect(res.statusCode).toBe(400);
    expect(await t.tdb.selectFrom('users').select('id').where('email', '=', 'p@edge.test').execute()).toEqual([]);
  });

  it('answers unknown fields with 400 naming each of them', async () => {
    const res = await post('/api/v1/users', { email: 'b@edge.test', name: 'B', nickname: 'bee', isAdmin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([
        { path: 'body.nickname', message: 'unknown field "nickname"' },
        { path: 'body.isAdmin', message: 'unknown field "isAdmin"' },
      ]),
    );
    expect(await t.tdb.selectFrom('users').select('id').where('email', '=', 'b@edge.test').execute()).toEqual([]);
  });

  it('answers wrong types and missing fields with 400 naming the field', async () => {
    const res = await post('/api/v1/users', { email: 'c@edge.test', role: 'superuser' });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.role']));
  });

  it('answers an unsupported content type with 415', async () => {
    expect((await post('/api/v1/users', '<user/>', 'application/xml')).statusCode).toBe(415);
  });

  it('stores hostile text as data and returns it only as JSON', async () => {
    const name = '<script>alert(1)</script>"onload="x';
    const res = await post('/api/v1/users', { email: 'evil@edge.test', name });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().name).toBe(name);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('reports health and publishes an OpenAPI document with every API route', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok', database: 'sqlite' });
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, object> };
    for (const path of ['/api/v1/me', '/api/v1/me/packs', '/api/v1/users', '/api/v1/packs', '/api/v1/packs/{pack}/export', '/api/v1/api-keys', '/api/v1/audit', '/healthz']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('serves the built add-in pages under /addin/, and says how to build them when missing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tp-addin-'));
    writeFileSync(join(dir, 'taskpane.html'), '<!doctype html><title>pane</title>');
    const withFiles = await testApp(store, {}, { addinDir: dir });
    const page = await withFiles.inject({ method: 'GET', url: '/addin/taskpane.html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>pane</title>');
    await withFiles.close();
    const without = await testApp(store, {}, { addinDir: join(dir, 'missing') });
    const missing = await without.inject({ method: 'GET', url: '/addin/taskpane.html' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('npm run build');
    await without.close();
  });

  it('serves a home page that links the API docs and health', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('href="http://localhost:0/docs"');
    expect(res.body).toContain('href="http://localhost:0/healthz"');
  });
});
