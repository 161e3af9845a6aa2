import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds())('the built-in CRM on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let otherRepKey: string;
  let customerId: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'crm');
    const op = operator(t.tenantId);
    const other = await addUser(t.tdb, op, { email: 'second@crm.test', name: 'Second Rep' });
    otherRepKey = (await createApiKey(t.tdb, op, { userEmail: other.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    customerId = (await createCustomer(t.tdb, op, { name: 'Al Noor Trading', domains: ['al-noor.com.sa'], country: 'SA' })).id;
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const send = (method: 'GET' | 'POST', url: string, key: string, payload?: object) => app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
  const inbound = {
    messageId: '<CAF=quote-1234@mail.al-noor.com.sa>',
    threadId: 'thread-1',
    direction: 'inbound',
    dateHeader: 'Wed, 25 Nov 2026 12:00:00 +0300',
    from: 'Omar@al-noor.com.sa',
    to: ['rep@crm.test'],
    subject: 'Request for quotation: LED panels',
    snippet: 'Dear Li, please quote 2,000 pcs FOB Ningbo …',
    via: 'outlook',
  };

  it('logs a mail once; a second log, from another face or rep, answers already-logged with who and when', async () => {
    const first = await send('POST', '/api/v1/log', t.rep.key, inbound);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'logged', activity: { messageId: 'CAF=quote-1234@mail.al-noor.com.sa', customerId, utcOffset: '+03:00', occurredAt: '2026-11-25T09:00:00.000Z', loggedBy: 'rep@crm.test' } });
    const again = await send('POST', '/api/v1/log', otherRepKey, { ...inbound, messageId: 'CAF=quote-1234@mail.al-noor.com.sa', via: 'gmail' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'already-logged', activity: { loggedBy: 'rep@crm.test', loggedVia: 'outlook' } });
    expect(await t.tdb.selectFrom('activities').select('id').execute()).toHaveLength(1);
    expect((await send('GET', '/api/v1/log/status?messageId=%3CCAF%3Dquote-1234%40mail.al-noor.com.sa%3E', otherRepKey)).json()).toMatchObject({ logged: true, activity: { loggedBy: 'rep@crm.test' } });
  });

  it('logs concurrent clicks on the same mail exactly once', async () => {
    const mail = { ...inbound, messageId: '<race-1@al-noor.com.sa>' };
    const results = await Promise.all([t.rep.key, otherRepKey, t.rep.key, otherRepKey].map((key) => send('POST', '/api/v1/log', key, mail)));
    expect(results.every((r) => [200, 201, 409].includes(r.statusCode))).toBe(true);
    expect(await t.tdb.selectFrom('activities').select('id').where('message_id', '=', 'race-1@al-noor.com.sa').execute()).toHaveLength(1);
  });

  it("learns the sender's offset from an inbound mail's Date header", async () => {
    const contact = (await send('GET', '/api/v1/contacts/lookup?email=omar@al-noor.com.sa', t.rep.key)).json();
    expect(contact).toMatchObject({ customerId, lastUtcOffset: '+03:00' });
  });

  it('keeps free-mail senders as contacts of no company', async () => {
    const res = await send('POST', '/api/v1/log', t.rep.key, { ...inbound, messageId: '<free-1@gmail.com>', from: 'buyer.ivan@gmail.com' });
    expect(res.json().activity.customerId).toBeNull();
  });

  it("turns a logged mail into a task due in the client's business days, at their 10:00", async () => {
    // Wed 25 Nov 2026 12:00 in Riyadh; +3 working days skips Fri/Sat → Mon 30 Nov 10:00 +03:00.
    const { createTask } = await import('../../src/server/services/crm.js');
    const task = await createTask(t.tdb, { ...operator(t.tenantId), userId: t.rep.id }, { messageId: inbound.messageId, due: { rule: { businessDays: 3, at: '10:00' } } }, new Date('2026-11-25T09:00:00Z'));
    expect(task).toMatchObject({ title: 'Follow up: Request for quotation: LED panels', dueAt: '2026-11-30T07:00:00.000Z', dueLocal: '2026-11-30T10:00:00+03:00', dueTimeZone: 'Asia/Riyadh', customerId, status: 'open' });
    expect(task.notes).toContain('Message-ID <CAF=quote-1234@mail.al-noor.com.sa>');
    expect(task.dueReason).toContain("client's business days (Asia/Riyadh)");
    const timeline = (await send('GET', `/api/v1/customers/${customerId}/timeline`, t.rep.key)).json();
    expect(timeline.mails).toHaveLength(2);
    expect(timeline.tasks.map((x: { id: string }) => x.id)).toEqual([task.id]);
  });

  it('lists, completes and reschedules tasks; reps see their own, admins the team', async () => {
    const created = await send('POST', '/api/v1/tasks', t.rep.key, { title: 'Send samples', contact: 'omar@al-noor.com.sa', due: { rule: { businessDays: 1, at: '09:00' } } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await send('GET', '/api/v1/tasks?status=open', otherRepKey)).json().tasks).toEqual([]);
    expect((await send('GET', '/api/v1/tasks?all=true', otherRepKey)).statusCode).toBe(403);
    expect(((await send('GET', '/api/v1/tasks?all=true', t.admin.key)).json().tasks as { id: string }[]).map((x) => x.id)).toContain(id);
    expect((await send('POST', `/api/v1/tasks/${id}/complete`, otherRepKey)).statusCode).toBe(404);
    const moved = await send('POST', `/api/v1/tasks/${id}/reschedule`, t.rep.key, { due: { at: '2026-12-01T06:00:00Z' } });
    expect(moved.json()).toMatchObject({ dueAt: '2026-12-01T06:00:00.000Z' });
    expect((await send('POST', `/api/v1/tasks/${id}/complete`, t.rep.key)).json()).toMatchObject({ status: 'done' });
  });

  it('refuses what is not a Message-ID, and a task from a mail never logged', async () => {
    expect((await send('POST', '/api/v1/log', t.rep.key, { ...inbound, messageId: 'two words' })).statusCode).toBe(400);
    expect((await send('POST', '/api/v1/tasks', t.rep.key, { messageId: '<never@logged>' })).statusCode).toBe(404);
  });
});
