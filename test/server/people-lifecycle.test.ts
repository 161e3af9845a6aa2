import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { scheduleSend } from '../../src/server/services/scheduled-sends.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** Issue #19 item 1: add, edit, disable and re-enable a person through the API the console uses. */
describe.each(storeKinds())('people: add, edit, disable, enable on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let a: SeededTenant;
  let b: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    a = await seedTenant(store, `pl${kind.name}`);
    b = await seedTenant(store, `pm${kind.name}`);
    app = await testApp(store, {}, { secretBox: new SecretBox(randomBytes(32)) });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const as = (key: string) => bearer(key);
  const auditActions = async () => (await app.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: as(a.admin.key) })).json().entries.map((e: { action: string }) => e.action) as string[];

  it('adds a person, then edits name, title, phones, language, groups and role; an empty field clears it', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/groups', headers: as(a.admin.key), payload: { slug: 'export-eu' } });
    const added = await app.inject({ method: 'POST', url: '/api/v1/users', headers: as(a.admin.key), payload: { email: 'Wang.Fang@PL.test', name: 'Wang Fang', title: 'Sales', groups: [a.groupSlug] } });
    expect(added.statusCode).toBe(201);
    const id = added.json().id as string;
    expect(added.json()).toMatchObject({ email: 'wang.fang@pl.test', role: 'rep', groups: [a.groupSlug], disabled: false });

    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: as(a.admin.key),
      payload: { name: 'Wang Fang (方)', title: '', phone: '+86 574 8888 0000', mobile: '+86 138 0000 0000', locale: 'zh-CN', groups: ['export-eu'], role: 'admin' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Wang Fang (方)', title: null, phone: '+86 574 8888 0000', mobile: '+86 138 0000 0000', locale: 'zh-CN', groups: ['export-eu'], role: 'admin' });

    const badGroup = await app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: as(a.admin.key), payload: { groups: ['export-ue'] } });
    expect(badGroup.statusCode).toBe(422);
    expect(badGroup.json().error.details[0]).toMatchObject({ path: 'groups[0]' });
    expect(badGroup.json().error.details[0].message).toContain('did you mean "export-eu"');
    expect((await app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: as(a.admin.key) })).json().groups).toEqual(['export-eu']);
    expect(await auditActions()).toEqual(expect.arrayContaining(['user.added', 'user.updated']));
  });

  it('disabling refuses sign-in and the API key, revokes keys, stops pending sends with the reason; enabling lets them sign in again', async () => {
    const added = (await app.inject({ method: 'POST', url: '/api/v1/users', headers: as(a.admin.key), payload: { email: 'leaver@pl.test', name: 'Leaver' } })).json() as { id: string };
    const key = await createApiKey(a.tdb, operator(a.tenantId), { userEmail: 'leaver@pl.test', name: 'ci', scopes: ['packs:read'] });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: as(key.key) })).statusCode).toBe(200);
    const actor = { ...operator(a.tenantId), userId: added.id };
    const inADay = new Date(Date.now() + 86_400_000).toISOString();
    await scheduleSend(a.tdb, actor, { provider: 'gmail', draftId: 'r-1', recipients: ['buyer@x.de'], subject: 'Offer', sendAt: inADay });
    await scheduleSend(a.tdb, actor, { provider: 'gmail', draftId: 'r-2', recipients: ['buyer@x.de'], subject: 'Offer 2', sendAt: inADay });
    // Someone else's send is not touched.
    await scheduleSend(a.tdb, { ...operator(a.tenantId), userId: a.rep.id }, { provider: 'gmail', draftId: 'r-3', recipients: ['buyer@x.de'], subject: 'Other', sendAt: inADay });

    const disabled = await app.inject({ method: 'POST', url: `/api/v1/users/${added.id}/disable`, headers: as(a.admin.key), payload: { reason: 'left the company' } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ user: { disabled: true }, revokedKeys: 1, stoppedSends: 2 });

    const refused = await app.inject({ method: 'GET', url: '/api/v1/me', headers: as(key.key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(/disabled|revoked/);

    const sends = (await app.inject({ method: 'GET', url: `/api/v1/admin/scheduled-sends?user=leaver%40pl.test`, headers: as(a.admin.key) })).json().sends as { status: string; reason: string }[];
    expect(sends).toHaveLength(2);
    for (const s of sends) {
      expect(s.status).toBe('cancelled');
      expect(s.reason).toMatch(new RegExp(`^stopped: leaver@pl\\.test was disabled by .*admin@pl${kind.name}\\.test.* \\(left the company\\)$`));
    }
    const other = (await app.inject({ method: 'GET', url: `/api/v1/admin/scheduled-sends?user=${encodeURIComponent(a.rep.email)}`, headers: as(a.admin.key) })).json().sends as { status: string }[];
    expect(other.map((s) => s.status)).toEqual(['pending']);

    const keys = (await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: as(a.admin.key) })).json().keys as { name: string; user: string; revoked: boolean }[];
    expect(keys.find((k) => k.user === 'leaver@pl.test')).toMatchObject({ revoked: true });
    expect(keys.find((k) => k.user === a.rep.email)).toMatchObject({ revoked: false });

    // Disabling twice does nothing more; no new key for a disabled person.
    expect((await app.inject({ method: 'POST', url: `/api/v1/users/${added.id}/disable`, headers: as(a.admin.key), payload: {} })).json()).toMatchObject({ revokedKeys: 0, stoppedSends: 0 });
    expect((await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: as(a.admin.key), payload: { name: 'x', user: 'leaver@pl.test', scopes: ['packs:read'] } })).statusCode).toBe(400);

    const enabled = await app.inject({ method: 'POST', url: `/api/v1/users/${added.id}/enable`, headers: as(a.admin.key) });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().disabled).toBe(false);
    // Re-enabling does not bring revoked keys back: the admin hands out a new one.
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: as(key.key) })).statusCode).toBe(401);
    const fresh = await createApiKey(a.tdb, operator(a.tenantId), { userEmail: 'leaver@pl.test', name: 'ci2', scopes: ['packs:read'] });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: as(fresh.key) })).statusCode).toBe(200);

    const actions = await auditActions();
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
  });

  it('PATCH disabled:true has the same effect as /disable', async () => {
    const added = (await app.inject({ method: 'POST', url: '/api/v1/users', headers: as(a.admin.key), payload: { email: 'patch@pl.test', name: 'Patch' } })).json() as { id: string };
    const key = await createApiKey(a.tdb, operator(a.tenantId), { userEmail: 'patch@pl.test', name: 'ci', scopes: ['packs:read'] });
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${added.id}`, headers: as(a.admin.key), payload: { disabled: true } })).json().disabled).toBe(true);
    const keys = (await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: as(a.admin.key) })).json().keys as { id: string; revoked: boolean }[];
    expect(keys.find((k) => k.id === key.id)?.revoked).toBe(true);
  });

  it('never leaves the tenant without an active admin, and an admin cannot disable themselves', async () => {
    // Tenant b has one admin.
    const self = await app.inject({ method: 'POST', url: `/api/v1/users/${b.admin.id}/disable`, headers: as(b.admin.key), payload: {} });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.message).toMatch(/yourself/);
    const viaKeyOfOther = await app.inject({ method: 'PATCH', url: `/api/v1/users/${b.admin.id}`, headers: as(b.admin.key), payload: { role: 'rep' } });
    expect(viaKeyOfOther.statusCode).toBe(409);
    expect(viaKeyOfOther.json().error.message).toMatch(/last active admin/);
    expect((await app.inject({ method: 'GET', url: `/api/v1/users/${b.admin.id}`, headers: as(b.admin.key) })).json()).toMatchObject({ role: 'admin', disabled: false });
  });

  it('refuses a rep, another tenant, and a reason with control characters', async () => {
    expect((await app.inject({ method: 'POST', url: `/api/v1/users/${a.rep.id}/disable`, headers: as(a.rep.key), payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/v1/users/${a.rep.id}/disable`, headers: as(b.admin.key), payload: {} })).statusCode).toBe(404);
    const nul = await app.inject({ method: 'POST', url: `/api/v1/users/${a.rep.id}/disable`, headers: as(a.admin.key), payload: { reason: 'bye\u0000' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details[0].path).toMatch(/reason$/);
    expect((await app.inject({ method: 'GET', url: `/api/v1/users/${a.rep.id}`, headers: as(a.admin.key) })).json().disabled).toBe(false);
  });
});
