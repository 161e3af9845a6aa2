import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { directoryAccess } from '../../src/server/services/directory-sync.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { FakeGraph } from '../support/fake-graph.js';
import { DIRECTORY_CUSTOMER_ID, FakeGmail } from '../support/fake-gmail.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';

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
    app = await testApp(store, {}, { secretBox: new SecretBox(randomBytes(32)), directory: directoryAccess({ graph: { authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca } }) });
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
    expect((await call('GET', '/admin/directory')).json()).toEqual({ source: null, googleDelegation: false });
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

/** Issue #19 item 1 (Google Workspace part): the Directory API through googleapis, acting as an admin by the store's delegation. */
const SERVICE_ACCOUNT = 'tradepane@acme-project.iam.gserviceaccount.com';
const googleKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe.each(storeKinds())('directory sync from Google Workspace on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let undelegated: FastifyInstance;
  let t: SeededTenant;
  const gmail = new FakeGmail();
  const ADMIN = 'it-admin@gw.test';

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, googleKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    gmail.makeAdmin(ADMIN);
    gmail.addUser('clerk@gw.test');
    store = await kind.open();
    t = await seedTenant(store, `gw${kind.name}`);
    const box = new SecretBox(randomBytes(32));
    const google = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: googleKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, box);
    const graph = { authorityHost: 'https://127.0.0.1:9', graphBaseUrl: 'https://127.0.0.1:9' };
    app = await testApp(store, {}, { secretBox: box, directory: directoryAccess({ graph, google, googleAdminRootUrl: gmail.rootUrl() }) });
    undelegated = await testApp(store, {}, { secretBox: box, directory: directoryAccess({ graph, google: new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl }, store.db, box), googleAdminRootUrl: gmail.rootUrl() }) });
    // Two per page: the reader must follow nextPageToken.
    gmail.directoryPageSize = 2;
    gmail.addDirectoryUser({ primaryEmail: t.rep.email, name: { fullName: 'Chen Jing' }, organizations: [{ title: 'Old title', department: 'Old' }, { title: '外贸经理', department: 'Export', primary: true }], phones: [{ value: '+86 571 8888 0000', type: 'work' }, { value: '+86 139 1234 5678', type: 'mobile' }] });
    gmail.addDirectoryUser({ primaryEmail: t.admin.email, name: { givenName: 'Ada', familyName: 'Admin' } });
    gmail.addDirectoryUser({ primaryEmail: 'left@gw.test', name: { fullName: 'Left Already' }, suspended: true });
  });
  afterAll(async () => {
    await app.close();
    await undelegated.close();
    await store.close();
    await gmail.stop();
  });

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, on = app) => on.inject({ method, url: `/api/v1${url}`, headers: bearer(t.admin.key), ...(payload ? { payload } : {}) });

  it('needs the store delegation and names bad fields', async () => {
    expect((await call('GET', '/admin/directory', undefined, undelegated)).json()).toEqual({ source: null, googleDelegation: false });
    const none = await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN }, undelegated);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toContain('GOOGLE_SERVICE_ACCOUNT_FILE');
    expect((await call('GET', '/admin/directory')).json()).toEqual({ source: null, googleDelegation: true });
    const noAdmin = await call('PUT', '/admin/directory', { provider: 'google' });
    expect(noAdmin.statusCode).toBe(400);
    expect(noAdmin.json().error.details[0].path).toBe('adminEmail');
    const mixed = await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN, clientSecret: 'x' });
    expect(mixed.json().error.details[0].path).toBe('clientSecret');
    const badCustomer = await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN, customer: 'acme corp' });
    expect(badCustomer.json().error.details[0].path).toBe('customer');
  });

  it('says why Google refused: the scope not delegated, a non-admin, an unknown customer', async () => {
    expect((await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN })).json()).toMatchObject({ provider: 'google', adminEmail: ADMIN, customer: 'my_customer', tenantId: null, secretSet: false });
    const notDelegated = await call('POST', '/admin/directory/sync', { apply: false });
    expect(notDelegated.statusCode).toBe(502);
    expect(notDelegated.json().error.message).toMatch(/unauthorized_client.*admin\.directory\.user\.readonly/);
    gmail.authorizeDirectory(SERVICE_ACCOUNT);
    await call('PUT', '/admin/directory', { provider: 'google', adminEmail: 'clerk@gw.test' });
    const clerk = await call('POST', '/admin/directory/sync', { apply: false });
    expect(clerk.statusCode).toBe(502);
    expect(clerk.json().error.message).toMatch(/HTTP 403.*Not Authorized.*clerk@gw\.test must be an administrator/);
    await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN, customer: 'C99nothere' });
    expect((await call('POST', '/admin/directory/sync', { apply: false })).json().error.message).toMatch(/customer C99nothere: HTTP 400/);
  });

  it('a dry run reports the primary organization and typed phones; apply writes them', async () => {
    await call('PUT', '/admin/directory', { provider: 'google', adminEmail: ADMIN, customer: DIRECTORY_CUSTOMER_ID });
    const dry = await call('POST', '/admin/directory/sync', { apply: false });
    expect(dry.statusCode).toBe(200);
    const report = dry.json();
    expect(report.counts).toEqual({ update: 2, unchanged: 0, missing: 0, notHere: 1 });
    expect(report.notHere).toEqual(['left@gw.test']);
    expect(report.people.find((p: { email: string }) => p.email === t.rep.email).changes).toEqual([
      { field: 'name', from: `Rep gw${kind.name}`, to: 'Chen Jing' },
      { field: 'title', from: null, to: '外贸经理' },
      { field: 'department', from: null, to: 'Export' },
      { field: 'phone', from: null, to: '+86 571 8888 0000' },
      { field: 'mobile', from: null, to: '+86 139 1234 5678' },
    ]);
    expect(report.people.find((p: { email: string }) => p.email === t.admin.email).changes).toEqual([{ field: 'name', from: `Admin gw${kind.name}`, to: 'Ada Admin' }]);
    const lists = gmail.requests.filter((r) => r.path === '/admin/directory/v1/users' && r.query.customer === DIRECTORY_CUSTOMER_ID);
    expect(lists.map((r) => r.user)).toEqual([ADMIN, ADMIN]);
    const applied = (await call('POST', '/admin/directory/sync', { apply: true })).json();
    expect(applied).toMatchObject({ applied: true, counts: { update: 2 } });
    expect((await call('GET', `/users/${t.rep.id}`)).json()).toMatchObject({ name: 'Chen Jing', title: '外贸经理', phone: '+86 571 8888 0000', mobile: '+86 139 1234 5678' });
    // Back to Entra: the secret must be given again (a Google source holds none).
    const back = await call('PUT', '/admin/directory', { provider: 'entra', tenantId: TENANT, clientId: CLIENT });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.details[0].path).toBe('clientSecret');
  });
});
