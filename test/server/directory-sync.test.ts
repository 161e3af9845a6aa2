import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { entraReader } from '../../src/server/services/directory-sync.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { FakeGraph } from '../support/fake-graph.js';

/** Issue #19 item 3 (Entra ID part): directory sync driven by the real Graph client against the local Graph stand-in. */

const TENANT = '7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'dir~secret~value';

describe.each(storeKinds())('directory sync from Entra ID on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  const graph = new FakeGraph();

  beforeAll(async () => {
    await graph.start();
    graph.addApp({ tenant: TENANT, clientId: CLIENT, secret: SECRET, roles: ['User.Read.All'] });
    graph.addApp({ tenant: TENANT, clientId: '11111111-2222-4333-8444-555555555555', secret: 'mail-only', roles: ['Mail.Read'] });
    store = await kind.open();
    t = await seedTenant(store, `ds${kind.name}`);
    app = await testApp(store, {}, { secretBox: new SecretBox(randomBytes(32)), directoryRead: entraReader({ authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca }) });
    // Three pages of two: the reader must follow @odata.nextLink.
    graph.directoryPageSize = 2;
    graph.addDirectoryUser({ displayName: 'Rep From Entra', jobTitle: 'Export Manager', department: 'Export', businessPhones: ['+49 40 1234 0'], mobilePhone: '+49 170 000 0000', mail: t.rep.email.toUpperCase(), userPrincipalName: 'rep@contoso.onmicrosoft.com', accountEnabled: true });
    graph.addDirectoryUser({ displayName: 'Someone Else', jobTitle: 'Buyer', mail: null, userPrincipalName: 'ghost@elsewhere.test', accountEnabled: true });
    graph.addDirectoryUser({ displayName: 'Li Lei', jobTitle: '   ', department: null, businessPhones: [], mobilePhone: null, mail: `li@ds${kind.name}.test`, accountEnabled: true });
    graph.addDirectoryUser({ displayName: 'Wang Fang', jobTitle: 'Sales', mail: `wang@ds${kind.name}.test`, accountEnabled: true });
    graph.addDirectoryUser({ displayName: 'Zhao', mail: 'zhao@elsewhere.test', accountEnabled: false });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await graph.stop();
  });

  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: object, key = t.admin.key) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });

  it('stores the source with its secret sealed; names a bad client id', async () => {
    expect((await call('GET', '/admin/directory')).json()).toEqual({ source: null });
    const noSource = await call('POST', '/admin/directory/sync', { apply: false });
    expect(noSource.statusCode).toBe(404);
    expect(noSource.json().error.message).toContain('set one up first');
    const bad = await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: 'my-app', clientSecret: SECRET });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('clientId');
    const set = await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
    expect(set.statusCode).toBe(200);
    expect(set.body).not.toContain(SECRET);
    expect(set.json()).toMatchObject({ provider: 'entra', tenantId: TENANT, clientId: CLIENT, secretSet: true, lastRunAt: null });
    expect((await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: 'x', clientSecret: SECRET }, t.rep.key)).statusCode).toBe(403);
  });

  it('a dry run reports per person without writing; apply writes all but pinned fields; blanks never erase', async () => {
    await call('POST', '/users', { email: `li@ds${kind.name}.test`, name: 'Li', title: 'Sales assistant', mobile: '+86 139 0000 0000' });
    await call('POST', '/users', { email: `wang@ds${kind.name}.test`, name: 'Wang', title: 'Director' });
    const wang = (await call('GET', '/users')).json().users.find((u: { email: string }) => u.email === `wang@ds${kind.name}.test`) as { id: string };
    const pinned = await call('PATCH', `/users/${wang.id}`, { pinned: ['title'] });
    expect(pinned.json().pinned).toEqual(['title']);
    expect((await call('PATCH', `/users/${wang.id}`, { pinned: ['email'] })).statusCode).toBe(400);

    const dry = await call('POST', '/admin/directory/sync', { apply: false });
    expect(dry.statusCode).toBe(200);
    const report = dry.json();
    expect(report.applied).toBe(false);
    expect(report.counts).toEqual({ update: 3, unchanged: 0, missing: 1, notHere: 2 });
    expect(report.notHere).toEqual(['ghost@elsewhere.test', 'zhao@elsewhere.test']);
    const of = (email: string) => report.people.find((p: { email: string }) => p.email === email);
    expect(of(t.rep.email)).toEqual({
      email: t.rep.email,
      action: 'update',
      changes: [
        { field: 'name', from: `Rep ds${kind.name}`, to: 'Rep From Entra' },
        { field: 'title', from: null, to: 'Export Manager' },
        { field: 'department', from: null, to: 'Export' },
        { field: 'phone', from: null, to: '+49 40 1234 0' },
        { field: 'mobile', from: null, to: '+49 170 000 0000' },
      ],
      kept: [],
    });
    // The blank job title and the missing mobile do not erase what the admin typed.
    expect(of(`li@ds${kind.name}.test`)).toEqual({ email: `li@ds${kind.name}.test`, action: 'update', changes: [{ field: 'name', from: 'Li', to: 'Li Lei' }], kept: [] });
    expect(of(`wang@ds${kind.name}.test`)).toEqual({ email: `wang@ds${kind.name}.test`, action: 'update', changes: [{ field: 'name', from: 'Wang', to: 'Wang Fang' }], kept: [{ field: 'title', from: 'Director', to: 'Sales' }] });
    expect(of(t.admin.email)).toMatchObject({ action: 'missing' });
    expect((await call('GET', `/users/${t.rep.id}`)).json().name).toBe(`Rep ds${kind.name}`);
    // Paged: the reader followed nextLink to the third page.
    expect(graph.requests.filter((r) => r.path === '/v1.0/users').length).toBe(3);

    const applied = (await call('POST', '/admin/directory/sync', { apply: true })).json();
    expect(applied).toMatchObject({ applied: true, counts: { update: 3 } });
    expect((await call('GET', `/users/${t.rep.id}`)).json()).toMatchObject({ name: 'Rep From Entra', title: 'Export Manager', department: 'Export', phone: '+49 40 1234 0', mobile: '+49 170 000 0000' });
    expect((await call('GET', `/users/${wang.id}`)).json()).toMatchObject({ name: 'Wang Fang', title: 'Director' });
    const again = (await call('POST', '/admin/directory/sync', { apply: false })).json();
    expect(again.counts).toEqual({ update: 0, unchanged: 3, missing: 1, notHere: 2 });
    expect((await call('GET', '/admin/directory')).json().source).toMatchObject({ lastSummary: { update: 0, unchanged: 3, applied: false } });
    const actions = ((await call('GET', '/audit?limit=20')).json().entries as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'directory.synced')).toHaveLength(1);
  });

  it('says why Entra refused: a wrong secret, an app without User.Read.All', async () => {
    await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: CLIENT, clientSecret: 'wrong' });
    const wrong = await call('POST', '/admin/directory/sync', { apply: false });
    expect(wrong.statusCode).toBe(502);
    expect(wrong.json().error.message).toMatch(/sign-in refused.*AADSTS7000215/);
    await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'mail-only' });
    const denied = await call('POST', '/admin/directory/sync', { apply: true });
    expect(denied.statusCode).toBe(502);
    expect(denied.json().error.message).toMatch(/HTTP 403 Authorization_RequestDenied.*User\.Read\.All/);
  });
});
