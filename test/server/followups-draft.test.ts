import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser, updateUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { pushPack } from '../../src/server/services/packs.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { followUpPackYaml } from '../support/followup-pack.js';

/** `GET /api/v1/me/followups/:id/draft`: the one-click "follow up" reply, in the buyer's language. */
describe.each(storeKinds())('the follow-up reply draft on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let otherKey: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'fudraft');
    await updateUser(t.tdb, operator(t.tenantId), t.rep.id, { timeZone: 'Asia/Shanghai' });
    const other = await addUser(t.tdb, operator(t.tenantId), { email: 'other@fudraft.test', name: 'Other Rep' });
    otherKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: other.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object, key = t.rep.key) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });
  // 2027-03-04T20:00Z is already 5 March in Shanghai: the date the rep saw when sending.
  const sent = (id: string, to: string, extra: object = {}) => call('POST', '/me/followups', { rule: { kind: 'business-days', days: 3 }, subject: `Quotation ${id}`, to: [to], messageId: `<${id}@fudraft.test>`, sentAt: '2027-03-04T20:00:00Z', templateKind: 'quote', ...extra });

  it('says plainly when no pack has a follow-up template', async () => {
    const f = (await sent('q-0', 'hans@buyer-of-fudraft.de')).json();
    const res = await call('GET', `/me/followups/${f.id}/draft`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'no_follow_up_template' });
  });

  it('writes the reply in the buyer’s language with what the reminder knows filled in', async () => {
    await pushPack(t.tdb, operator(t.tenantId), followUpPackYaml('fudraft-follow', t.groupSlug));
    // The customer's country (DE, seeded with the domain buyer-of-fudraft.de) picks German.
    const f = (await sent('q-1', 'hans@buyer-of-fudraft.de')).json();
    const res = await call('GET', `/me/followups/${f.id}/draft`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      followUpId: f.id,
      to: ['hans@buyer-of-fudraft.de'],
      subject: 'Re: Quotation q-1',
      language: 'de',
      inReplyTo: '<q-1@fudraft.test>',
      template: { pack: 'fudraft-follow', id: 'nudge' },
    });
    // about: the quote kind picks "quotation" over the field's default; sentOn: the rep's date, written the German way.
    expect(res.json().html).toBe('<p>Guten Tag, zu quotation vom 5. März 2027: gibt es Neuigkeiten?</p>');
  });

  it('keeps the language the rep chose for the unanswered mail when the template has it', async () => {
    const f = (await sent('q-2', 'li@buyer-of-fudraft.de', { language: 'zh-CN', templateKind: 'sample' })).json();
    const res = (await call('GET', `/me/followups/${f.id}/draft`)).json();
    expect(res.language).toBe('zh');
    expect(res.html).toBe('<p>您好，关于 2027年3月5日 发送的 samples，请问有进展吗？</p>');
  });

  it('refuses a reminder whose mail has not left, and another rep’s', async () => {
    const waiting = (await call('POST', '/me/followups', { rule: { kind: 'business-days', days: 3 }, subject: 'Draft', to: ['x@buyer-of-fudraft.de'], draftId: 'r-1' })).json();
    const res = await call('GET', `/me/followups/${waiting.id}/draft`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('not_sent');
    const mine = (await sent('q-3', 'hans@buyer-of-fudraft.de')).json();
    expect((await call('GET', `/me/followups/${mine.id}/draft`, undefined, otherKey)).statusCode).toBe(404);
    // Once the mail has left, the rep may follow up whatever the reminder says (here: turned off).
    await app.inject({ method: 'DELETE', url: `/api/v1/me/followups/${mine.id}`, headers: bearer(t.rep.key) });
    const off = await call('GET', `/me/followups/${mine.id}/draft`);
    expect(off.statusCode).toBe(200);
    expect(off.json().subject).toBe('Re: Quotation q-3');
  });
});
