import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser, updateUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** `/api/v1/me/followups`: "remind me if no reply" from the faces, and what a rep does with it. */
describe.each(storeKinds())('follow-up routes on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let otherKey: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'fuapi');
    await updateUser(t.tdb, operator(t.tenantId), t.rep.id, { timeZone: 'Asia/Shanghai' });
    const other = await addUser(t.tdb, operator(t.tenantId), { email: 'other@fuapi.test', name: 'Other Rep' });
    otherKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: other.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, key = t.rep.key) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });
  const quote = (id: string, extra: object = {}) => ({ rule: { kind: 'business-days', days: 3 }, subject: `Quotation ${id}`, to: ['ahmed@alfaisal-trading.com.sa'], messageId: `<${id}@fuapi.test>`, sentAt: '2027-03-04T08:00:00Z', templateKind: 'quote', ...extra });

  it('starts the clock at once from Outlook’s send event: 3 Saudi business days, Eid skipped, at the rep’s 09:00', async () => {
    const res = await call('POST', '/me/followups', quote('qt-1'));
    expect(res.statusCode).toBe(201);
    // Worked out in test/core/followup/due.test.ts: Sun 14 Mar closes 15:00Z → Mon 15 Mar 09:00 Shanghai.
    expect(res.json()).toMatchObject({ status: 'waiting', messageId: 'qt-1@fuapi.test', sentAt: '2027-03-04T08:00:00.000Z', dueAt: '2027-03-15T01:00:00.000Z', dueLocal: '2027-03-15T09:00:00+08:00', buyerDeadline: '2027-03-14T15:00:00.000Z', rule: { kind: 'business-days', days: 3, hour: '09:00' }, recipients: ['ahmed@alfaisal-trading.com.sa'] });
    const again = await call('POST', '/me/followups', quote('qt-1', { rule: { kind: 'business-days', days: 5, hour: '10:00' } }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: res.json().id, rule: { days: 5, hour: '10:00' } });
    expect((await store.db.selectFrom('followups').select('id').where('tenant_id', '=', t.tenantId).where('message_key', '=', 'qt-1@fuapi.test').execute()).length).toBe(1);
  });

  it('waits for the sync when made from a Gmail draft', async () => {
    const res = await call('POST', '/me/followups', { rule: { kind: 'date', date: '2027-03-20', hour: '08:30' }, subject: 'Sample notice', to: ['buyer@firma.de'], draftId: 'r-123', threadId: 't-9', templateKind: 'sample' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'awaiting-send', dueAt: null, sentAt: null, messageId: null });
  });

  it('lists my open follow-ups, snoozes, marks done and turns off; another rep sees none of it', async () => {
    const a = (await call('POST', '/me/followups', quote('qt-2'))).json();
    const b = (await call('POST', '/me/followups', quote('qt-3'))).json();
    const list = (await call('GET', '/me/followups')).json().followUps as { id: string; status: string }[];
    expect(list.map((f) => f.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(list.at(-1)!.status).toBe('awaiting-send'); // not yet sent comes last

    const snoozed = await call('POST', `/me/followups/${a.id}/snooze`, { until: '2027-04-01T00:00:00Z' });
    expect(snoozed.statusCode).toBe(200);
    expect(snoozed.json()).toMatchObject({ status: 'waiting', dueAt: '2027-04-01T00:00:00.000Z', snoozes: 1 });
    expect((await call('POST', `/me/followups/${a.id}/snooze`, { until: '2020-01-01T00:00:00Z' })).json().error.details[0].path).toBe('until');

    expect((await call('POST', `/me/followups/${a.id}/done`)).json()).toMatchObject({ status: 'done' });
    expect((await call('DELETE', `/me/followups/${b.id}`)).json()).toMatchObject({ status: 'cancelled' });
    const open = (await call('GET', '/me/followups')).json().followUps as { id: string }[];
    expect(open.map((f) => f.id)).not.toContain(a.id);
    expect(open.map((f) => f.id)).not.toContain(b.id);
    expect((await call('GET', '/me/followups?filter=all')).json().followUps.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([a.id, b.id]));

    expect((await call('POST', `/me/followups/${b.id}/done`, undefined, otherKey)).statusCode).toBe(404);
    expect((await call('GET', '/me/followups?filter=all', undefined, otherKey)).json().followUps).toEqual([]);
  });

  it('answers the default for a template kind from the packs', async () => {
    expect((await call('GET', '/me/followups/default?kind=quote')).json()).toEqual({ days: 3, hour: '09:00', source: 'built-in' });
    expect((await call('GET', '/me/followups/default?kind=sample')).json()).toMatchObject({ days: 5 });
    expect((await call('GET', '/me/followups/default?kind=payment')).json()).toMatchObject({ days: null });
  });

  it('refuses bad input with the field it is about', async () => {
    const zero = await call('POST', '/me/followups', quote('qt-4', { rule: { kind: 'business-days', days: 0 } }));
    expect(zero.statusCode).toBe(400);
    expect(JSON.stringify(zero.json())).toContain('rule');
    const badId = await call('POST', '/me/followups', quote('x', { messageId: 'not an id' }));
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details[0].path).toBe('messageId');
    const badDate = await call('POST', '/me/followups', quote('qt-5', { rule: { kind: 'date', date: '2027-02-30' } }));
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.details[0].path).toBe('rule.date');
    const badTo = await call('POST', '/me/followups', quote('qt-6', { to: ['<b>hi</b>'] }));
    expect(badTo.statusCode).toBe(400);
  });
});
