import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { createGroup, setMembership, updateUser } from '../../src/server/services/people.js';
import { bearer, operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';

/**
 * `GET /me/packs` is answered from each store instance's memory (services/pack-views.ts). Two
 * instances over one database, each with its own connection: a change made through one must be
 * seen at once by the other, which had the old view cached, ETag and body.
 */
describe.each(storeKinds())('the packs view cached per instance on $name', (kind) => {
  let first: Store;
  let second: Store;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let acme: SeededTenant;

  beforeAll(async () => {
    if (kind.name === 'postgres') {
      first = await kind.open();
      second = openStore({ databaseUrl: process.env.TEST_DATABASE_URL, pgSchema: first.schema!, poolSize: 2 });
    } else {
      // Two connections to one file, as two processes would have.
      const file = join(mkdtempSync(join(tmpdir(), 'tp-pack-views-')), 'store.sqlite');
      first = openStore({ sqliteFile: file });
      await migrate(first);
      second = openStore({ sqliteFile: file });
    }
    acme = await seedTenant(first, 'acme');
    a = await testApp(first);
    // b signs dev tokens too: a rep signed in with a token revalidates with the version its sign-in read.
    b = await testApp(second, { devMode: true }, { devSigner: await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-pack-views-dev-'))) });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await first?.close();
  });

  const get = (app: FastifyInstance, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/api/v1/me/packs', headers: { ...bearer(acme.rep.key), ...headers } });
  const admin = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => a.inject({ method, url, headers: bearer(acme.admin.key), ...(payload ? { payload } : {}) });
  const repSends = (method: 'PUT' | 'DELETE', url: string, payload?: object) => a.inject({ method, url, headers: bearer(acme.rep.key), ...(payload ? { payload } : {}) });
  const titles = (res: { json(): unknown }) => (res.json() as { packs: { pack: string; title: string; version: number }[] }).packs.map((p) => `${p.pack}@${p.version}:${p.title}`);

  /** Instance b serves the view from its cache: asks twice (ETag, then body) and checks both agree with a's. */
  async function warm(): Promise<string> {
    const full = await get(b);
    expect(full.statusCode).toBe(200);
    const etag = full.headers.etag as string;
    expect((await get(b, { 'if-none-match': etag })).statusCode).toBe(304);
    // The cached body is what the route's schema serialises: the same bytes a fresh instance sends.
    const again = await get(b);
    const fresh = await get(a);
    expect(again.body).toBe(fresh.body);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(fresh.headers.etag).toBe(etag);
    return etag;
  }

  /** After a change through a: b answers 200 to the old ETag, with a's view. */
  async function seesChange(oldEtag: string): Promise<string> {
    const revalidated = await get(b, { 'if-none-match': oldEtag });
    expect(revalidated.statusCode).toBe(200);
    expect(revalidated.headers.etag).not.toBe(oldEtag);
    expect(revalidated.body).toBe((await get(a)).body);
    const plain = await get(b);
    expect(plain.body).toBe(revalidated.body);
    return revalidated.headers.etag as string;
  }

  it('a publish through another instance reaches this one at once (ETag and body)', async () => {
    const etag = await warm();
    expect(titles(await get(b))).toEqual(['acme-pack@1:Pack acme-pack']);
    expect((await admin('POST', '/api/v1/packs', { source: packYaml('acme-pack', [acme.groupSlug], 'Version two') })).statusCode).toBeLessThan(300);
    await seesChange(etag);
    expect(titles(await get(b))).toEqual(['acme-pack@2:Version two']);
  });

  it('a rep signed in with a token (not an API key) sees a publish through another instance at once', async () => {
    const signIn = await b.inject({ method: 'GET', url: `/dev/token?email=${encodeURIComponent(acme.rep.email)}`, headers: { host: 'localhost:3000' } });
    expect(signIn.statusCode).toBe(200);
    const token = (signIn.json() as { token: string }).token;
    const byToken = (headers: Record<string, string> = {}) => b.inject({ method: 'GET', url: '/api/v1/me/packs', headers: { ...bearer(token), ...headers } });
    const first = await byToken();
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect((await byToken({ 'if-none-match': etag })).statusCode).toBe(304);
    expect((await admin('POST', '/api/v1/packs', { source: packYaml('acme-pack', [acme.groupSlug], 'Token view') })).statusCode).toBeLessThan(300);
    const revalidated = await byToken({ 'if-none-match': etag });
    expect(revalidated.statusCode).toBe(200);
    expect(titles(revalidated)).toEqual([expect.stringMatching(/^acme-pack@\d+:Token view$/)]);
  });

  it('a rollback and an unpublish through another instance reach this one', async () => {
    let etag = await warm();
    expect((await admin('POST', '/api/v1/packs/acme-pack/rollback', { version: 1 })).statusCode).toBe(200);
    etag = await seesChange(etag);
    expect(titles(await get(b))).toEqual(['acme-pack@1:Pack acme-pack']);

    etag = await warm();
    expect((await admin('DELETE', `/api/v1/packs/acme-pack/publications/${acme.groupSlug}`)).statusCode).toBe(200);
    await seesChange(etag);
    expect(titles(await get(b))).toEqual([]);
    expect((await admin('POST', '/api/v1/packs/acme-pack/publish', { version: 2 })).statusCode).toBe(200);
    expect(titles(await get(b))).toEqual(['acme-pack@2:Version two']);
  });

  it('a group membership change reaches this one, either way', async () => {
    let etag = await warm();
    await setMembership(acme.tdb, operator(acme.tenantId), acme.groupSlug, acme.rep.id, false);
    etag = await seesChange(etag);
    expect(titles(await get(b))).toEqual([]);
    await warm();
    await setMembership(acme.tdb, operator(acme.tenantId), acme.groupSlug, acme.rep.id, true);
    await seesChange(etag);
    expect(titles(await get(b))).toEqual(['acme-pack@2:Version two']);
  });

  it('a publish to a new group the rep joins, a profile change and a personal template reach this one', async () => {
    const op = operator(acme.tenantId);
    await createGroup(acme.tdb, op, { slug: 'acme-export' });
    expect((await admin('POST', '/api/v1/packs', { source: packYaml('export-pack', ['acme-export']) })).statusCode).toBeLessThan(300);
    let etag = await warm();
    await setMembership(acme.tdb, op, 'acme-export', acme.rep.id, true);
    etag = await seesChange(etag);
    expect(titles(await get(b))).toEqual(['acme-pack@2:Version two', 'export-pack@1:Pack export-pack']);

    await warm();
    await updateUser(acme.tdb, op, acme.rep.id, { mobile: '+49 170 1234567' });
    etag = await seesChange(etag);

    await warm();
    const template = { id: 'mine', kind: 'inquiry', title: 'Mine', variants: { en: { subject: 'Hi', body: '<p>Hi</p>' } } };
    expect((await repSends('PUT', '/api/v1/me/templates/mine', { template })).statusCode).toBe(200);
    etag = await seesChange(etag);
    expect((await get(b)).json()).toMatchObject({ personal: [expect.objectContaining({ id: 'mine' })] });
    await warm();
    expect((await repSends('DELETE', '/api/v1/me/templates/mine')).statusCode).toBe(204);
    await seesChange(etag);
    expect((await get(b)).json()).toMatchObject({ personal: [] });
  });

  it('a change in another tenant leaves this tenant\'s cached view alone, and never shows it', async () => {
    const etag = await warm();
    const other = await seedTenant(first, 'globex');
    expect((await a.inject({ method: 'POST', url: '/api/v1/packs', headers: bearer(other.admin.key), payload: { source: packYaml('globex-pack', [other.groupSlug], 'Globex v2') } })).statusCode).toBeLessThan(300);
    expect((await get(b, { 'if-none-match': etag })).statusCode).toBe(304);
    const theirs = await b.inject({ method: 'GET', url: '/api/v1/me/packs', headers: bearer(other.rep.key) });
    expect(titles(theirs)).toEqual(['globex-pack@2:Globex v2']);
    expect(titles(await get(b))).not.toContain('globex-pack@2:Globex v2');
  });
});
