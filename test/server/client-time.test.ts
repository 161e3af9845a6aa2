import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { learnFromInboundMail, upsertContact } from '../../src/server/services/customers.js';
import { pushPack } from '../../src/server/services/packs.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds())('client time in the store on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'ningbo');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const as = (key: string) => ({
    get: (url: string) => app.inject({ method: 'GET', url, headers: bearer(key) }),
    send: (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object) => app.inject({ method, url, headers: bearer(key), payload }),
  });
  const clientTime = async (query: string) => {
    const res = await as(t.rep.key).get(`/api/v1/client-time?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { timeZone: string | null; confidence: string; reasons: string[]; nextSlot: string | null; inBusinessHours: boolean; status: string; known: { contact: boolean; customer: string | null } };
  };

  it("keeps a customer's domains, country, zone and hours; refuses free-mail domains and taken ones", async () => {
    const created = await as(t.rep.key).send('POST', '/api/v1/customers', { name: 'Al Noor Trading', domains: ['Al-Noor.com.sa'], country: 'sa', hours: { start: '08:00', end: '16:00' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ domains: ['al-noor.com.sa'], country: 'SA', hours: { start: '08:00', end: '16:00' } });

    const freeMail = await as(t.rep.key).send('POST', '/api/v1/customers', { name: 'Someone', domains: ['gmail.com'] });
    expect(freeMail.statusCode).toBe(400);
    expect(freeMail.json().error.details).toEqual([{ path: 'domains[0]', message: 'free-mail domain' }]);

    const taken = await as(t.rep.key).send('POST', '/api/v1/customers', { name: 'Copycat', domains: ['al-noor.com.sa'] });
    expect(taken.statusCode).toBe(409);
    expect(await t.tdb.selectFrom('customers').select('id').where('name', '=', 'Copycat').execute()).toEqual([]);

    const badZone = await as(t.rep.key).send('POST', '/api/v1/customers', { name: 'Nowhere', timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.details[0].path).toBe('timeZone');
  });

  it("answers for a recipient from their company's record: zone, hours override, the Gulf work week", async () => {
    // Friday 27 Nov 2026, 10:00 in Riyadh: not a working day; next is Sunday at the customer's own 08:00 (+03:00) = 05:00Z.
    const answer = await clientTime('email=buyer@al-noor.com.sa&now=2026-11-27T07:00:00Z');
    expect(answer).toMatchObject({ timeZone: 'Asia/Riyadh', inBusinessHours: false, nextSlot: '2026-11-29T05:00:00.000Z', known: { contact: false, customer: 'Al Noor Trading' } });
    // the codes the faces word travel through the response schema too
    expect(answer).toMatchObject({ statusText: { code: 'ct.status.closedDay', params: {}, reason: { code: 'ct.day.notWorkingIn', params: { weekday: 5, country: 'SA' } } } });
    expect((answer as unknown as { reasonTexts: unknown[] }).reasonTexts.length).toBe(answer.reasons.length);
    expect((answer as unknown as { alternatives: Array<{ labelText: { code: string } }> }).alternatives[0]!.labelText.code).toBe('ct.slot.onDay');
  });

  it("prefers a contact's stored zone, and says it is explicit", async () => {
    await as(t.rep.key).send('PUT', '/api/v1/contacts', { email: 'omar@al-noor.com.sa', firstName: 'Omar', timeZone: 'Asia/Dubai' });
    const answer = await clientTime('email=omar@al-noor.com.sa&now=2026-11-27T07:00:00Z');
    expect(answer).toMatchObject({ timeZone: 'Asia/Dubai', confidence: 'explicit', known: { contact: true, customer: 'Al Noor Trading' } });
  });

  it("learns the offset of a contact's latest inbound mail, and never lets an older mail overwrite it", async () => {
    const op = operator(t.tenantId);
    await upsertContact(t.tdb, op, { email: 'ivan.petrov@gmail.com', country: 'RU' });
    expect((await clientTime('email=ivan.petrov@gmail.com&now=2026-11-23T01:00:00Z')).timeZone).toBe('Europe/Moscow');
    await learnFromInboundMail(t.tdb, op, { from: 'Ivan.Petrov@gmail.com', dateHeader: 'Mon, 23 Nov 2026 10:00:00 +0900' });
    await learnFromInboundMail(t.tdb, op, { from: 'ivan.petrov@gmail.com', dateHeader: 'Sun, 01 Nov 2026 12:00:00 +0300' });
    const lookup = (await as(t.rep.key).get('/api/v1/contacts/lookup?email=ivan.petrov@gmail.com')).json();
    expect(lookup).toMatchObject({ lastUtcOffset: '+09:00', lastSeenAt: '2026-11-23T01:00:00.000Z' });
    const answer = await clientTime('email=ivan.petrov@gmail.com&now=2026-11-23T01:00:00Z');
    expect(answer.timeZone).toBe('Asia/Yakutsk');
    expect(answer.confidence).toBe('high');
  });

  it('uses the business hours of the packs published to the rep', async () => {
    await pushPack(t.tdb, operator(t.tenantId), `pack: hours\ntitle: Hours\ngroups: ["${t.groupSlug}"]\ndefaultLanguage: en\npolicies:\n  clientHours: {start: "10:00", end: "17:00"}\n`);
    // Monday 30 Nov 2026, 09:30 in Berlin (08:30Z): closed until the policy's 10:00 = 09:00Z.
    const answer = await clientTime('email=einkauf@beispiel.de&now=2026-11-30T08:30:00Z');
    expect(answer).toMatchObject({ timeZone: 'Europe/Berlin', inBusinessHours: false, nextSlot: '2026-11-30T09:00:00.000Z' });
  });

  it('says "unknown" for a free-mail address it knows nothing about, and refuses a bad zone with 400', async () => {
    expect(await clientTime('email=someone@qq.com')).toMatchObject({ timeZone: null, confidence: 'none', nextSlot: null });
    const bad = await as(t.rep.key).get('/api/v1/client-time?email=x@example.de&tz=Not/AZone');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('Not/AZone');
  });
});
