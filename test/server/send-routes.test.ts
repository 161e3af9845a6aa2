import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const REP_SCOPES = ['packs:read', 'crm:read', 'sends:write'] as const;

describe.each(storeKinds())('scheduled-send routes on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let noAccessApp: FastifyInstance;
  let a: SeededTenant;
  let b: SeededTenant;
  const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
  const body = (draftId: string, extra: object = {}) => ({ provider: 'gmail', draftId, recipients: ['buyer@example.de'], subject: 'Quotation', sendAt: inAnHour(), ...extra });

  beforeAll(async () => {
    store = await kind.open();
    a = await seedTenant(store, `ra${kind.name}`, [...REP_SCOPES]);
    b = await seedTenant(store, `rb${kind.name}`, [...REP_SCOPES]);
    const box = new SecretBox(randomBytes(32));
    const credentials = new GoogleCredentials({ apiRootUrl: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token', serviceAccount: { clientEmail: 'sa@x.iam.gserviceaccount.com', privateKey: keys.privateKey } }, store.db, box);
    app = await testApp(store, {}, { secretBox: box, gmailAddon: { credentials } });
    noAccessApp = await testApp(store, {}, { secretBox: box, gmailAddon: { credentials: new GoogleCredentials({ apiRootUrl: 'http://127.0.0.1:9/', tokenUrl: 'http://127.0.0.1:9/token' }, store.db, box) } });
  });
  afterAll(async () => {
    await app.close();
    await noAccessApp.close();
    await store.close();
  });

  it('a rep schedules, lists, reschedules and cancels their own sends; scheduling the same draft again moves it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(a.rep.key), payload: body('r-111', { threadId: '18c0abc' }) });
    expect(created.statusCode).toBe(201);
    const send = created.json().send as { id: string; status: string; sendAt: string };
    expect(send.status).toBe('pending');
    const again = await app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(a.rep.key), payload: body('r-111', { sendAt: new Date(Date.now() + 7200_000).toISOString() }) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'rescheduled', send: { id: send.id } });

    const later = new Date(Date.now() + 86_400_000).toISOString();
    const moved = await app.inject({ method: 'PATCH', url: `/api/v1/me/scheduled-sends/${send.id}`, headers: bearer(a.rep.key), payload: { sendAt: later } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().sendAt).toBe(later);

    const list = await app.inject({ method: 'GET', url: '/api/v1/me/scheduled-sends?status=pending', headers: bearer(a.rep.key) });
    expect(list.json().sends.map((s: { id: string }) => s.id)).toEqual([send.id]);

    const cancelled = await app.inject({ method: 'POST', url: `/api/v1/me/scheduled-sends/${send.id}/cancel`, headers: bearer(a.rep.key) });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', reason: 'cancelled by you' });
    const movedAfter = await app.inject({ method: 'PATCH', url: `/api/v1/me/scheduled-sends/${send.id}`, headers: bearer(a.rep.key), payload: { sendAt: later } });
    expect(movedAfter.statusCode).toBe(409);
  });

  it('refuses bad input with the field named: past, too far, not an instant, no recipient, unknown field, Outlook', async () => {
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(a.rep.key), payload });
    const past = await post(body('r-2', { sendAt: new Date(Date.now() - 3600_000).toISOString() }));
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/^sendAt: .*in the past/);
    expect((await post(body('r-2', { sendAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }))).json().error.message).toMatch(/^sendAt: more than 366 days/);
    expect((await post(body('r-2', { sendAt: 'tomorrow 9am' }))).json().error.message).toMatch(/^sendAt: /);
    expect((await post(body('r-2', { recipients: ['not an address'] }))).json().error.message).toMatch(/^recipients\/0: /);
    expect((await post(body('r-2', { draftId: '<script>' }))).json().error.message).toMatch(/^draftId: /);
    const unknown = await post(body('r-2', { html: '<b>x</b>' }));
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toMatch(/html/);
    expect((await post(body('r-2', { provider: 'outlook' }))).statusCode).toBe(400);
  });

  it('without delegation or a grant: capability says so and scheduling answers 422', async () => {
    const capability = await noAccessApp.inject({ method: 'GET', url: '/api/v1/me/scheduled-sends/capability', headers: bearer(a.rep.key) });
    expect(capability.json()).toEqual({ available: false, via: null, canConnect: false });
    const refused = await noAccessApp.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(a.rep.key), payload: body('r-3') });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('no_google_access');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/scheduled-sends/capability', headers: bearer(a.rep.key) })).json()).toMatchObject({ available: true, via: 'service-account' });
  });

  it('admins see and act on their own tenant only; reps cannot use the admin API; no token → 401', async () => {
    const created = (await app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(a.rep.key), payload: body('r-4') })).json().send as { id: string };
    const adminList = await app.inject({ method: 'GET', url: `/api/v1/admin/scheduled-sends?status=pending&user=${encodeURIComponent(a.rep.email)}`, headers: bearer(a.admin.key) });
    expect(adminList.statusCode).toBe(200);
    expect(adminList.json().sends.map((s: { id: string }) => s.id)).toContain(created.id);
    expect(adminList.json().counts.pending).toBeGreaterThanOrEqual(1);

    // Tenant b's admin and rep see nothing of tenant a.
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/scheduled-sends', headers: bearer(b.admin.key) })).json().sends).toEqual([]);
    expect((await app.inject({ method: 'POST', url: `/api/v1/admin/scheduled-sends/${created.id}/cancel`, headers: bearer(b.admin.key) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/me/scheduled-sends/${created.id}`, headers: bearer(b.rep.key) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/me/scheduled-sends/${created.id}`, headers: bearer(b.rep.key), payload: { sendAt: inAnHour() } })).statusCode).toBe(404);
    // A rep of the same tenant cannot reach the admin API, nor another rep's send via /me.
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/scheduled-sends', headers: bearer(a.rep.key) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/me/scheduled-sends/${created.id}`, headers: bearer(a.admin.key) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/scheduled-sends' })).statusCode).toBe(401);

    // Retry only failed items; an admin cancel is audited.
    expect((await app.inject({ method: 'POST', url: `/api/v1/admin/scheduled-sends/${created.id}/retry`, headers: bearer(a.admin.key), payload: {} })).statusCode).toBe(409);
    await store.db.updateTable('scheduled_sends').set({ status: 'failed', reason: 'Google refused access' }).where('id', '=', created.id).execute();
    const retried = await app.inject({ method: 'POST', url: `/api/v1/admin/scheduled-sends/${created.id}/retry`, headers: bearer(a.admin.key), payload: {} });
    expect(retried.json()).toMatchObject({ status: 'pending', reason: null, attempts: 0 });
    const cancelled = await app.inject({ method: 'POST', url: `/api/v1/admin/scheduled-sends/${created.id}/cancel`, headers: bearer(a.admin.key) });
    expect(cancelled.json().status).toBe('cancelled');
    expect(cancelled.json().reason).toContain(`cancelled by api-key admin key (${a.admin.email})`);
    const audit = await a.tdb.selectFrom('audit_log').select('action').where('target_id', '=', created.id).execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['send.cancelled', 'send.retried']);
  });
});
