import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { upsertContact } from '../../src/server/services/customers.js';
import { setCompanyProfile } from '../../src/server/services/company-profile.js';
import { pushPack } from '../../src/server/services/packs.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { loadConfig } from '../../src/server/config.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { bearer, operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD, type TestMail } from '../support/dovecot.js';
import { storeKinds } from '../support/stores.js';

const HOUR = 3_600_000;
const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
const OFFICIAL_IBAN = 'DE89 3704 0044 0532 0130 00';

async function officialProfile(t: SeededTenant) {
  await setCompanyProfile(t.tdb, operator(t.tenantId), { legalName: 'Exporter Co.', bankAccounts: [{ label: 'EUR', beneficiary: 'Exporter Co.', bankName: 'Deutsche Bank', iban: OFFICIAL_IBAN, swift: 'DEUTDEFF' }] });
}

describe.each(storeKinds())('outbound payment check on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'payout');
    await officialProfile(t);
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const check = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/me/payment-check', headers: bearer(t.rep.key), payload });

  it('allows the official account, warns by default about any other', async () => {
    expect((await check({ format: 'html', body: `<p>Please pay to IBAN <b>${OFFICIAL_IBAN}</b>, SWIFT DEUTDEFF</p>` })).json()).toEqual({ action: 'allow', policy: 'warn', findings: [], official: 2 });
    const res = await check({ format: 'text', body: 'Please pay to GB82 WEST 1234 5698 7654 32' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ action: 'warn', policy: 'warn', findings: [{ code: 'account.unofficial', severity: 'alert', params: { kind: 'iban', account: 'GB82…5432' } }], official: 0 });
  });

  it('blocks when a pack published to the rep says so; the strictest pack wins', async () => {
    const op = operator(t.tenantId);
    await pushPack(t.tdb, op, `${packYaml('payout-strict', [t.groupSlug])}policies:\n  payments: block\n`);
    await pushPack(t.tdb, op, `${packYaml('payout-lax', [t.groupSlug])}policies:\n  payments: off\n`);
    expect((await check({ format: 'text', body: 'Account No.: 1234 5678 9012' })).json()).toMatchObject({ action: 'block', policy: 'block', findings: [{ code: 'account.unofficial', params: { kind: 'account', account: '1234…9012' } }] });
  });

  it('refuses an unknown format and a body past its limit, naming them', async () => {
    const bad = await check({ format: 'rtf', body: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('format');
    const huge = await check({ format: 'text', body: 'x'.repeat(1_048_577) });
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('body');
  });

  it('answers a verdict query for an unknown message with null', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me/payment-verdict?messageId=%3Cnope%40x.test%3E', headers: bearer(t.rep.key) });
    expect(res.json()).toEqual({ verdict: null });
  });
});

(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('inbound payment guard on the Dovecot sync on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const T = new Date(Math.floor(Date.now() / 1000) * 1000);

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `payin${kind.name}`);
    await officialProfile(t);
    const op = operator(t.tenantId);
    const { createCustomer } = await import('../../src/server/services/customers.js');
    await createCustomer(t.tdb, op, { name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: 'SA' });
    await upsertContact(t.tdb, op, { email: 'ahmed@alfanar-trading.sa', firstName: 'Ahmed', phone: '+966 11 555 0100' });
    await createConnector(t.tdb, op, box, { kind: 'webhook', name: 'alerts', settings: { url: 'https://hooks.example.test/alerts' }, secrets: { signingSecret: 'a-signing-secret-of-length' }, events: ['payment.suspicious'] });
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const options = (): SyncOptions => ({ instanceId: 'w1', adapterFor: createAdapter, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => T });
  const sync = (mailboxId: string) => runSyncPass(store.db, store.dialect, { ...options(), mailboxId, ignoreSchedule: true });
  const mail = (id: string, hoursAgo: number, m: Partial<TestMail>): TestMail => ({ id, from: 'Ahmed <ahmed@alfanar-trading.sa>', to: ['rep@sandbox.test'], subject: 'Invoice', date: new Date(T.getTime() - hoursAgo * HOUR), ...m });
  const verdict = (messageId: string) => app.inject({ method: 'GET', url: `/api/v1/me/payment-verdict?messageId=${encodeURIComponent(`<${messageId}>`)}`, headers: bearer(t.rep.key) });
  const alerts = async () => (await t.tdb.selectFrom('outbox').select(['event_type', 'event']).where('event_type', '=', 'payment.suspicious').execute()).map((o) => JSON.parse(o.event) as { id: string; message: { messageId: string }; findings: { code: string }[] });

  it('judges backfilled mail without alerting, then alerts on a live look-alike "new bank account" mail', async () => {
    const address = sandboxAddress('payin');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30, now: T });
    const genuine = mail(`genuine-${mb.id}@alfanar-trading.sa`, 50, { body: 'Dear partner,\r\nplease find our order for two containers. Our account: IBAN SA03 8000 0000 6080 1016 7519\r\n' });
    const oldFake = mail(`old-fake-${mb.id}@alfanar-tradlng.sa`, 40, { from: 'Ahmed <ahmed@alfanar-tradlng.sa>', body: 'Please note our new bank account.\r\n' });
    await deliver(address, [genuine, oldFake]);
    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 2 });
    // Backfill: judged and stored, never an alert about last month's mail.
    expect((await verdict(genuine.id)).json().verdict).toMatchObject({ verdict: 'notice', findings: [{ code: 'account.new', params: { account: 'SA03…7519' } }] });
    expect((await verdict(oldFake.id)).json().verdict).toMatchObject({ verdict: 'suspicious' });
    expect(await alerts()).toEqual([]);

    const fake = mail(`fake-${mb.id}@alfanar-tradlng.sa`, 1, {
      from: 'Ahmed <ahmed@alfanar-tradlng.sa>',
      extraHeaders: ['Reply-To: finance@pay-desk.example'],
      body: 'Dear partner,\r\nour bank account has been changed. Kindly pay the invoice to IBAN GB82 WEST 1234 5698 7654 32.\r\n',
    });
    const same = mail(`same-${mb.id}@alfanar-trading.sa`, 0.5, { body: 'Reminder: IBAN SA03 8000 0000 6080 1016 7519, thank you.\r\n' });
    await deliver(address, [fake, same]);
    expect((await sync(mb.id))[0]).toMatchObject({ stored: 2 });

    const res = (await verdict(fake.id)).json();
    expect(res.verdict).toEqual({
      verdict: 'suspicious',
      from: 'ahmed@alfanar-tradlng.sa',
      // The company it imitates, and the number on file for it (never one from the mail).
      company: { id: expect.any(String), name: 'Alfanar Trading' },
      phone: '+966 11 555 0100',
      checkedAt: T.toISOString(),
      findings: [
        { code: 'domain.lookalike', severity: 'alert', params: { domain: 'alfanar-tradlng.sa', known: 'alfanar-trading.sa', how: 'confusable' } },
        { code: 'reply-to.other-domain', severity: 'alert', params: { from: 'ahmed@alfanar-tradlng.sa', replyTo: 'finance@pay-desk.example' } },
        { code: 'account.differs', severity: 'alert', params: { account: 'GB82…5432' } },
        { code: 'account.change-wording', severity: 'alert', params: { phrase: 'our bank account has been changed', language: 'en' } },
      ],
    });
    // The genuine company's known account is accepted now.
    expect((await verdict(same.id)).json().verdict).toMatchObject({ verdict: 'ok', findings: [], phone: '+966 11 555 0100' });
    // One alert, for the live look-alike only.
    const events = await alerts();
    expect(events.map((e) => e.message.messageId)).toEqual([fake.id]);
    expect(events[0]!.findings.map((f) => f.code)).toEqual(['domain.lookalike', 'reply-to.other-domain', 'account.differs', 'account.change-wording']);
    // The admin sees both suspicious mails, newest first.
    const list = (await app.inject({ method: 'GET', url: '/api/v1/admin/payment-alerts', headers: bearer(t.admin.key) })).json();
    expect(list.alerts.map((a: { messageId: string }) => a.messageId)).toEqual([fake.id, oldFake.id]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/payment-alerts', headers: bearer(t.rep.key) })).statusCode).toBe(403);
  });
});
