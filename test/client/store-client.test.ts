import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { StoreClient } from '../../src/client/store-client.js';
import { ApiError } from '../../src/client/api-error.js';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** The typed client the faces use, against a real listening store (over HTTP, with fetch). */
describe('the store client', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let client: StoreClient;

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'cli-ent');
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, operator(t.tenantId), demo);
    await createCustomer(t.tdb, operator(t.tenantId), { name: 'Hamburg Import GmbH', domains: ['hamburg-import.de'], country: 'DE' });
    app = await testApp(store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    client = new StoreClient({ baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, token: () => t.rep.key });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('loads my packs and revalidates them with a 304 behind the scenes', async () => {
    const first = await client.myPacks();
    expect(first.map((p) => p.pack)).toContain('demo-export');
    expect(await client.myPacks()).toBe(first); // the cached list, after a 304
  });

  it('uses a /me/packs answer started before it existed (the task pane boot), once; a refused early token falls back to its own', async () => {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => (requests.push(String(input)), fetch(input, init));
    const early = StoreClient.startMyPacks(base, t.rep.key, counting);
    const adopted = new StoreClient({ baseUrl: base, token: () => t.rep.key, fetch: counting, earlyPacks: early });
    expect((await adopted.myPacks()).map((p) => p.pack)).toContain('demo-export');
    expect(requests).toEqual([`${base}/api/v1/me/packs`]);
    await adopted.myPacks(); // the next one is the client's own (a 304 with its ETag)
    expect(requests).toHaveLength(2);

    // An early answer refusing its token (expired in the cache), or none at all: the client asks with its own token.
    for (const earlyPacks of [StoreClient.startMyPacks(base, 'not-a-token'), Promise.resolve(null), Promise.reject(new TypeError('Failed to fetch'))]) {
      requests.length = 0;
      const client = new StoreClient({ baseUrl: base, token: () => t.rep.key, fetch: counting, earlyPacks });
      expect((await client.myPacks()).map((p) => p.pack)).toContain('demo-export');
      expect(requests).toEqual([`${base}/api/v1/me/packs`]);
    }
    // Any other refusal is the answer, as the client's own request's would be.
    const forbidden = Promise.resolve(new Response(JSON.stringify({ error: 'forbidden', message: 'no' }), { status: 403, headers: { 'content-type': 'application/json' } }));
    await expect(new StoreClient({ baseUrl: base, token: () => t.rep.key, earlyPacks: forbidden }).myPacks()).rejects.toMatchObject({ status: 403 });
  });

  it('renders, and turns missing values into a ApiError with the list', async () => {
    const mail = await client.render({ pack: 'demo-export', template: 'inquiry-reply', to: 'anna@hamburg-import.de', language: 'en', fields: { product: 'LED panels', moq: 100 } });
    expect(mail.subject).toContain('LED panels');
    await expect(client.render({ pack: 'demo-export', template: 'quotation', fields: {} })).rejects.toMatchObject({ status: 422, code: 'missing_values', details: expect.arrayContaining([expect.objectContaining({ path: 'product' })]) });
    await client.recordUse('demo-export', 'inquiry-reply');
  });

  it('logs once, reports the status, makes a task due in the client business time, and completes it', async () => {
    const mail = { messageId: '<m1@hamburg-import.de>', direction: 'inbound' as const, dateHeader: 'Mon, 30 Nov 2026 09:15:00 +0100', from: 'anna@hamburg-import.de', to: [t.rep.email], subject: 'Anfrage', via: 'outlook' as const };
    expect((await client.logMail(mail)).status).toBe('logged');
    expect((await client.logMail(mail)).status).toBe('already-logged');
    expect((await client.logStatus('<m1@hamburg-import.de>')).logged).toBe(true);
    const task = await client.createTask({ messageId: mail.messageId, due: { rule: { businessDays: 2, at: '10:00' } } });
    expect(task.dueTimeZone).toBe('Europe/Berlin');
    expect((await client.myTasks('open')).map((x) => x.id)).toContain(task.id);
    expect((await client.completeTask(task.id)).status).toBe('done');
    const contact = await client.lookupContact('anna@hamburg-import.de');
    expect(contact?.customerId).toBeTruthy();
    expect((await client.timeline(contact!.customerId!)).mails.map((m) => m.messageId)).toEqual(['m1@hamburg-import.de']);
    expect(await client.lookupContact('nobody@nowhere.example')).toBeNull();
    const time = await client.clientTime('anna@hamburg-import.de', new Date('2026-11-30T08:30:00Z'));
    expect(time).toMatchObject({ timeZone: 'Europe/Berlin', inBusinessHours: true });
  });

  it('says plainly when the store refuses', async () => {
    const stranger = new StoreClient({ baseUrl: client['options'].baseUrl, token: () => 'nonsense' });
    await expect(stranger.myPacks()).rejects.toBeInstanceOf(ApiError);
  });

  it("fetches the rep's enforced signature with its hash and policy", async () => {
    const signature = await client.mySignature();
    expect(signature).toMatchObject({ signature: 'standard', policy: { signatureOnSend: 'block' } });
    // The fixture rep has no title: their name must still be there (the title part is conditional).
    expect(signature.html).toContain('Rep cli-ent');
    expect(signature.html).toContain('rep@cli-ent.test');
    expect(signature.hash).toMatch(/\S+/);
  });
});
