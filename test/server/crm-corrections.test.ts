import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** Issue #13, build item 8: the rep corrects what the engine inferred; a logged mail teaches the store. */
describe.each(storeKinds())('the rep corrects the engine, on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'corr');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => app.inject({ method, url, headers: bearer(t.rep.key), ...(payload ? { payload } : {}) });
  const mail = (over: object) => ({ direction: 'inbound', to: ['rep@corr.test'], subject: 'RFQ', via: 'gmail', ...over });

  it('a logged mail from a business domain creates its company, named after the domain, and learns the display name', async () => {
    const res = await send('POST', '/api/v1/log', mail({ messageId: '<rfq-1@alfanar-trading.sa>', from: '"Al-Harbi, Faisal" <Faisal@Alfanar-Trading.sa>' }));
    expect(res.statusCode).toBe(201);
    const customerId = res.json().activity.customerId as string;
    expect(customerId).toEqual(expect.any(String));
    expect((await send('GET', `/api/v1/customers/${customerId}`)).json()).toMatchObject({ name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: null });
    expect((await send('GET', '/api/v1/contacts/lookup?email=faisal@alfanar-trading.sa')).json()).toMatchObject({ customerId, firstName: 'Faisal', lastName: 'Al-Harbi' });
    // a second mail from a colleague of theirs joins the same company
    const second = await send('POST', '/api/v1/log', mail({ messageId: '<rfq-2@alfanar-trading.sa>', from: 'Noura Saleh <noura@alfanar-trading.sa>' }));
    expect(second.json().activity.customerId).toBe(customerId);
    expect(await t.tdb.selectFrom('customers').select('id').where('name', '=', 'Alfanar Trading').execute()).toHaveLength(1);
  });

  it('an outbound mail creates the recipient company; free-mail and our own domain create none', async () => {
    const out = await send('POST', '/api/v1/log', mail({ direction: 'outbound', messageId: '<q-1@corr.test>', from: 'rep@corr.test', to: ['Hans Müller <einkauf@mittelstand-gmbh.de>'] }));
    expect((await send('GET', `/api/v1/customers/${out.json().activity.customerId}`)).json()).toMatchObject({ name: 'Mittelstand Gmbh', domains: ['mittelstand-gmbh.de'] });
    expect((await send('GET', '/api/v1/contacts/lookup?email=einkauf@mittelstand-gmbh.de')).json()).toMatchObject({ firstName: 'Hans', lastName: 'Müller' });
    const free = await send('POST', '/api/v1/log', mail({ messageId: '<f-1@vip.163.com>', from: '王伟 <wangwei@vip.163.com>' }));
    expect(free.json().activity.customerId).toBeNull();
    expect((await send('GET', '/api/v1/contacts/lookup?email=wangwei@vip.163.com')).json()).toMatchObject({ firstName: '王伟', lastName: null, customerId: null });
    const colleague = await send('POST', '/api/v1/log', mail({ messageId: '<c-1@corr.test>', from: 'Boss <boss@corr.test>' }));
    expect(colleague.json().activity.customerId).toBeNull();
    const domains = (await t.tdb.selectFrom('customer_domains').select('domain').execute()).map((d) => d.domain);
    expect(domains).toEqual(expect.arrayContaining(['alfanar-trading.sa', 'mittelstand-gmbh.de']));
    expect(domains).not.toContain('vip.163.com');
    expect(domains).not.toContain('corr.test');
  });

  it("a name the rep typed is never overwritten by a display name; a junk display name teaches nothing", async () => {
    await send('PUT', '/api/v1/contacts', { email: 'li@ningbo-valves.cn', firstName: 'Li', lastName: 'Na' });
    await send('POST', '/api/v1/log', mail({ messageId: '<n-1@ningbo-valves.cn>', from: 'Purchasing Dept <li@ningbo-valves.cn>' }));
    expect((await send('GET', '/api/v1/contacts/lookup?email=li@ningbo-valves.cn')).json()).toMatchObject({ firstName: 'Li', lastName: 'Na' });
    await send('POST', '/api/v1/log', mail({ messageId: '<n-2@acme-tools.com>', from: '"sales@acme-tools.com" <sales@acme-tools.com>' }));
    expect((await send('GET', '/api/v1/contacts/lookup?email=sales@acme-tools.com')).json()).toMatchObject({ firstName: null, lastName: null });
  });

  it("sets a contact's name, language, country and time zone, and the customer's country — and the clock follows", async () => {
    const before = (await send('GET', '/api/v1/client-time?email=ivan@gmail.com&now=2026-11-30T07:00:00Z')).json();
    expect(before).toMatchObject({ timeZone: null, confidence: 'none' });
    const put = await send('PUT', '/api/v1/contacts', { email: 'Ivan@gmail.com', firstName: 'Ivan', lastName: 'Petrov', language: 'ru', country: 'kz', timeZone: 'Asia/Almaty' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ email: 'ivan@gmail.com', firstName: 'Ivan', lastName: 'Petrov', language: 'ru', country: 'KZ', timeZone: 'Asia/Almaty' });
    expect((await send('GET', '/api/v1/client-time?email=ivan@gmail.com&now=2026-11-30T07:00:00Z')).json()).toMatchObject({ timeZone: 'Asia/Almaty', confidence: 'explicit' });

    const customerId = (await send('GET', '/api/v1/contacts/lookup?email=faisal@alfanar-trading.sa')).json().customerId as string;
    const patched = await send('PATCH', `/api/v1/customers/${customerId}`, { country: 'AE' });
    expect(patched.json()).toMatchObject({ country: 'AE' });
    // null clears (over HTTP too, where the schema's coercion hands the service "")
    const cleared = await send('PUT', '/api/v1/contacts', { email: 'ivan@gmail.com', language: null, country: null, timeZone: null });
    expect([cleared.statusCode, cleared.json()]).toEqual([200, expect.objectContaining({ language: null, country: null, timeZone: null, firstName: 'Ivan' })]);
    // the rep's word beats the .sa domain: Dubai's clock, not Riyadh's
    expect((await send('GET', '/api/v1/client-time?email=faisal@alfanar-trading.sa&now=2026-11-30T07:00:00Z')).json()).toMatchObject({ timeZone: 'Asia/Dubai' });
  });

  it('refuses bad corrections with the field named, and neutralises control characters', async () => {
    const bad = async (payload: object, path: string) => {
      const res = await send('PUT', '/api/v1/contacts', { email: 'x@acme-tools.com', ...payload });
      expect([res.statusCode, res.json().error?.details?.[0]?.path ?? res.json().error?.message]).toEqual([400, expect.stringContaining(path)]);
    };
    await bad({ language: 'not a language!' }, 'language');
    await bad({ country: 'XX' }, 'country');
    await bad({ timeZone: 'Mars/Olympus' }, 'timeZone');
    // Markup in a name is data: kept as typed, escaped wherever it is shown (the cards' and panes' tests).
    const marked = await send('PUT', '/api/v1/contacts', { email: 'y@acme-tools.com', firstName: '<script>alert(1)</script>' });
    expect([marked.statusCode, marked.json().firstName]).toEqual([200, '<script>alert(1)</script>']);
    // A NUL is refused at the HTTP edge for every field; bidi overrides are removed from names.
    const nul = await send('PUT', '/api/v1/contacts', { email: 'x@acme-tools.com', firstName: 'Ju\u0000an' });
    expect([nul.statusCode, nul.json().error.details[0].path]).toEqual([400, 'body.firstName']);
    const cleaned = await send('PUT', '/api/v1/contacts', { email: 'x@acme-tools.com', firstName: 'Ju\u202ean', language: 'pt-br' });
    expect(cleaned.json()).toMatchObject({ firstName: 'Juan', language: 'pt-BR' });
  });
});
