import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { openStore, type Store } from '../../src/server/db/connect.js';
import { newId, TenantDb } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { configureTeamInbox, teamInboxArrival } from '../../src/server/services/team-inbox.js';
import { runTeamMailPass } from '../../src/server/services/team-mail.js';
import { runClockPass } from '../../src/server/jobs/team-inbox-clock.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { loadConfig } from '../../src/server/config.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { smtpReceiver } from '../support/smtp-receiver.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

/**
 * The team inbox's mail on SQLite and PostgreSQL, sent over SMTP to a receiver in the test: the
 * acknowledgement (from the role address, in the buyer's language, the deadline in their zone,
 * threaded, once per conversation across instances and crashes, never on automatic or backfilled
 * mail), the notices (routing `notify`, warning, breach) in the recipient's language, the hand-off
 * from /inbox with the ownership warning, and the flow through a real Dovecot role mailbox.
 */

const DEMO_PACK = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');
const ROUTING = (group: string) => `pack: routing
title: Routing
groups: ["${group}"]
defaultLanguage: en
routing:
  rules:
    - name: gulf
      when: {countries: [SA]}
      assign: {to: linda@team.test}
      notify: [manager]
`;

describe.each(storeKinds())('team inbox mail on $name', (kind) => {
  let store: Store;
  let second: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const smtp = smtpReceiver();
  const adapterFor = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
  let mailboxId: string;
  const reps: Record<'linda' | 'omar', { id: string; email: string; key: string }> = {} as never;

  beforeAll(async () => {
    await smtp.listen();
    store = await kind.open();
    second = kind.name === 'postgres' ? openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema!, poolSize: 4 }) : store;
    t = await seedTenant(store, `tm${kind.name}`);
    const op = operator(t.tenantId);
    await t.tdb.updateTable('users', { locale: 'en', time_zone: 'Europe/London' }).where('id', '=', t.admin.id).execute();
    for (const [name, locale] of [['linda', 'zh-CN'], ['omar', 'en']] as const) {
      const u = await addUser(t.tdb, op, { email: `${name}@team.test`, name: name[0]!.toUpperCase() + name.slice(1), groups: [t.groupSlug], locale, timeZone: 'Asia/Shanghai' });
      const key = await createApiKey(t.tdb, op, { userEmail: u.email, name: `${name} key`, scopes: ['crm:read', 'crm:write'] });
      reps[name] = { id: u.id, email: u.email, key: key.key };
    }
    // The role mailbox sends over SMTP to the receiver above; its IMAP side is unreachable (no Sent copy, which the adapter tolerates).
    const settings = { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: smtp.port(), security: 'none' } };
    mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address: 'info@team.test', settings, secrets: { password: 'x' } }, { backfillDays: 30 })).id;
    await pushPack(t.tdb, op, DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
    await pushPack(t.tdb, op, ROUTING(t.groupSlug));
    await createCustomer(t.tdb, op, { name: 'Gulf Trading', domains: ['gulf-trading.com.sa'], country: 'SA' });
    app = await testApp(store, {}, { secretBox: box });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    if (second !== store) await second.close();
    await store.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  const api = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });
  const pass = (s: Store, at: string) => runTeamMailPass(s.db, { adapterFor, box, instanceId: s === store ? 'one' : 'two', now: new Date(at), publicUrl: 'https://store.example.test', random: () => 0.5 });
  const mailRows = (conversationId: string) => t.tdb.selectFrom('team_mail').selectAll().where('conversation_id', '=', conversationId).orderBy('kind').execute();

  /** A message stored by the sync, then the team inbox hook in the page's transaction. */
  async function arrive(o: { subject: string; from: string; at: string; direction?: 'inbound' | 'outbound'; conversationId?: string; body?: string; language?: string; verdict?: 'none' | 'auto-reply' | 'bulk'; live?: boolean; key?: string; dateHeader?: string }): Promise<{ conversationId: string; key: string }> {
    const id = o.conversationId ?? newId();
    if (!o.conversationId) {
      await t.tdb.insert('conversations', { id, subject: o.subject, subject_key: o.subject.toLowerCase(), participants: JSON.stringify([o.from]), customer_ids: '[]', customer_id: null, first_message_at: o.at, last_message_at: o.at, last_inbound_at: o.at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: o.at, updated_at: o.at });
    }
    const messageId = newId();
    const key = o.key ?? `${messageId}@buyer.test`;
    const message = { direction: o.direction ?? 'inbound', auto_verdict: o.verdict ?? 'none', received_at: o.at, from_address: o.from, subject: o.subject, language: o.language ?? null, attachments: '[]', date_header: o.dateHeader ?? null, message_key: key, reference_keys: '[]' };
    await t.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailboxId, conversation_id: id, provider_id: messageId, folder: o.direction === 'outbound' ? 'sent' : 'inbox', message_key: key, from_address: o.from, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 100, attachments: '[]', received_at: o.at, subject: o.subject, direction: message.direction as 'inbound', auto_verdict: message.auto_verdict as 'none', language: o.language ?? null, excerpt: (o.body ?? '').slice(0, 200), created_at: o.at, date_header: o.dateHeader ?? null });
    await t.tdb.transaction((tdb) => teamInboxArrival({ tdb, mailboxId, conversationId: id, message, body: o.body ?? '', customerIds: [], live: o.live ?? true, at: new Date(o.at) }));
    return { conversationId: id, key };
  }

  it('an admin turns the acknowledgement on with a pack template; an unknown template is a 400 naming the setting', async () => {
    const wrong = await api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: [t.groupSlug], acknowledgement: { pack: 'demo-export', template: 'no-such' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'acknowledgement.template' });
    const ok = await api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, {
      groups: [t.groupSlug],
      manager: t.admin.email,
      calendar: { country: null, timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' },
      acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' },
      handOff: { pack: 'demo-export', template: 'team-hand-off' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' }, handOff: { template: 'team-hand-off' } });
  });

  let saudi: { conversationId: string; key: string };
  let saudiLatest: { conversationId: string; key: string };

  it('a Saudi inquiry is acknowledged once, from info@, in Arabic, promising Monday 09:00 Riyadh time, in the thread — across two instances', async () => {
    // Wed 3 Dec 2025 09:00Z = 17:00 in Shanghai: 24 business hours (09–18 Shanghai) → Mon 8 Dec 14:00 Shanghai = 09:00 in Riyadh.
    saudi = await arrive({ subject: 'طلب عرض سعر', from: 'ali@gulf-trading.com.sa', at: '2025-12-03T09:00:00.000Z', language: 'ar', body: 'السلام عليكم، نرجو إرسال عرض سعر لعشرين طنًا.', dateHeader: 'Wed, 3 Dec 2025 12:00:00 +0300' });
    // The claim is in the routing transaction: one ack row, one notice for the manager (rule "gulf" notifies).
    expect((await mailRows(saudi.conversationId)).map((r) => [r.kind, r.status, r.to_address])).toEqual([
      ['ack', 'pending', 'ali@gulf-trading.com.sa'],
      ['notify', 'pending', t.admin.email],
    ]);
    const results = await Promise.all([pass(store, '2025-12-03T09:00:20.000Z'), pass(second, '2025-12-03T09:00:20.000Z')]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(2);
    const ack = smtp.received.filter((m) => m.to[0] === 'ali@gulf-trading.com.sa');
    expect(ack).toHaveLength(1);
    const mail = await simpleParser(ack[0]!.raw);
    expect(mail.from?.value[0]).toMatchObject({ address: 'info@team.test' });
    expect(mail.subject).toBe('Re: طلب عرض سعر');
    expect(mail.inReplyTo).toBe(`<${saudi.key}>`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text).toContain('الاثنين، 8 ديسمبر في 09:00 بتوقيتكم المحلي');
    expect(mail.text).toContain('info@team.test');
    const audit = await t.tdb.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', saudi.conversationId).where('action', '=', 'team-mail.sent').execute();
    expect(audit.map((a) => JSON.parse(a.details).kind).sort()).toEqual(['ack', 'notify']);
    expect(JSON.parse(audit.find((a) => JSON.parse(a.details).kind === 'ack')!.details)).toMatchObject({ language: 'ar', timeZone: 'Asia/Riyadh', buyerTime: true });
    // The manager's notice, in English, through the role mailbox (the manager has no mailbox of their own here).
    const notice = await simpleParser(smtp.received.find((m) => m.to[0] === t.admin.email)!.raw);
    expect(notice.subject).toBe('New inquiry to info@team.test: طلب عرض سعر');
    expect(notice.text).toContain('The routing rule "gulf" asked to tell you');
    expect(notice.text).toContain('Mon 8 Dec, 06:00 (Europe/London)');
    // A later pass sends nothing again.
    expect(await pass(store, '2025-12-03T09:10:00.000Z')).toMatchObject({ sent: 0 });
  });

  it('our acknowledgement seen in Sent does not stop the clock; a second buyer mail gets no second acknowledgement', async () => {
    const ackRow = (await mailRows(saudi.conversationId)).find((r) => r.kind === 'ack')!;
    await arrive({ conversationId: saudi.conversationId, subject: 'Re: طلب عرض سعر', from: 'info@team.test', direction: 'outbound', at: '2025-12-03T09:00:30.000Z', key: ackRow.message_id.replace(/^<|>$/g, '') });
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('id', '=', saudi.conversationId).executeTakeFirstOrThrow();
    expect(conv).toMatchObject({ responded_at: null, state: 'assigned' });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', saudi.conversationId).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([]);
    saudiLatest = await arrive({ conversationId: saudi.conversationId, subject: 'Re: طلب عرض سعر', from: 'ali@gulf-trading.com.sa', at: '2025-12-03T10:00:00.000Z', language: 'ar', body: 'ونرجو أيضًا الكتالوج' });
    expect((await mailRows(saudi.conversationId)).filter((r) => r.kind === 'ack')).toHaveLength(1);
  });

  it('never acknowledges automatic mail (out-of-office, lists) or backfilled mail; says why in the routing audit', async () => {
    const ooo = await arrive({ subject: 'Automatic reply: out of office', from: 'buyer@somewhere.de', at: '2025-12-04T01:00:00.000Z', verdict: 'auto-reply' });
    const list = await arrive({ subject: 'Newsletter', from: 'news@list.example', at: '2025-12-04T01:00:00.000Z', verdict: 'bulk' });
    const old = await arrive({ subject: 'Old inquiry', from: 'hans@hamburg-import.de', at: '2025-11-04T01:00:00.000Z', live: false });
    const robot = await arrive({ subject: 'Your order', from: 'no-reply@shop.example', at: '2025-12-04T01:00:00.000Z' });
    for (const c of [ooo, list, old, robot]) expect(await mailRows(c.conversationId)).toEqual([]);
    const reasons = await t.tdb.selectFrom('audit_log').select('details').where('target_id', 'in', [old.conversationId, robot.conversationId]).where('action', '=', 'team-conversation.route').execute();
    expect(reasons.map((r) => JSON.parse(r.details).acknowledgement).sort()).toEqual(['backfill', 'robot-sender']);
  });

  it('retries a refused send with backoff; skips the acknowledgement when a rep answered first', async () => {
    const a = await arrive({ subject: 'Anfrage Fliesen', from: 'hans@hamburg-import.de', at: '2025-12-04T02:00:00.000Z', language: 'de', body: 'Guten Tag, bitte senden Sie uns Ihr Angebot für Fliesen.' });
    smtp.refuse.next = 1;
    expect(await pass(store, '2025-12-04T02:00:10.000Z')).toMatchObject({ retrying: 1, sent: 0 });
    const row = (await mailRows(a.conversationId))[0]!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: '2025-12-04T02:01:10.000Z' });
    expect(row.error).toContain('try again later');
    expect(await pass(store, '2025-12-04T02:01:00.000Z')).toMatchObject({ sent: 0, retrying: 0 });
    expect(await pass(store, '2025-12-04T02:01:10.000Z')).toMatchObject({ sent: 1 });
    const mail = await simpleParser(smtp.received[0]!.raw);
    expect(mail.subject).toBe('Re: Anfrage Fliesen');
    expect(mail.text).toContain('Wir haben Ihre Anfrage');

    const b = await arrive({ subject: 'Quote please', from: 'jane@importer.co.uk', at: '2025-12-04T03:00:00.000Z', body: 'Hello, please quote 2 containers.' });
    await arrive({ conversationId: b.conversationId, subject: 'Re: Quote please', from: reps.omar.email, direction: 'outbound', at: '2025-12-04T03:00:05.000Z' });
    expect(await pass(store, '2025-12-04T03:00:10.000Z')).toMatchObject({ skipped: 1, sent: 0 });
    expect((await mailRows(b.conversationId))[0]).toMatchObject({ status: 'skipped', error: 'answered before the acknowledgement went out' });
  });

  it('a sender that died mid-send: settled by what the mailbox shows, never sent twice', async () => {
    const a = await arrive({ subject: 'Crash one', from: 'one@importer.fr', at: '2025-12-05T01:00:00.000Z' });
    const b = await arrive({ subject: 'Crash two', from: 'two@importer.fr', at: '2025-12-05T01:00:00.000Z' });
    await t.tdb.updateTable('team_mail', { status: 'sending', lease_owner: 'dead', lease_until: '2025-12-05T01:05:00.000Z', attempts: 1 }).where('conversation_id', 'in', [a.conversationId, b.conversationId]).execute();
    // The sync saw the first one's sent copy (its Message-ID): it did go out.
    const sentKey = (await mailRows(a.conversationId))[0]!.message_id.replace(/^<|>$/g, '');
    await arrive({ conversationId: a.conversationId, subject: 'Re: Crash one', from: 'info@team.test', direction: 'outbound', at: '2025-12-05T01:00:30.000Z', key: sentKey });
    expect(await pass(store, '2025-12-05T01:04:00.000Z')).toMatchObject({ sent: 0, failed: 0 });
    expect(await pass(store, '2025-12-05T01:06:00.000Z')).toMatchObject({ sent: 1, failed: 1 });
    expect((await mailRows(a.conversationId))[0]).toMatchObject({ status: 'sent' });
    expect((await mailRows(b.conversationId))[0]!.error).toContain('interrupted while sending');
    expect(smtp.received).toHaveLength(0);
  });

  it('warns the assignee at 75 % and the manager at breach, by mail in their language, once per clock', async () => {
    const c = await arrive({ subject: '询价：陶瓷砖', from: 'wang@importer.com.cn', at: '2025-12-08T01:00:00.000Z', language: 'zh' });
    await t.tdb.updateTable('conversations', { assignee_id: reps.linda.id, state: 'assigned' }).where('id', '=', c.conversationId).execute();
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('id', '=', c.conversationId).executeTakeFirstOrThrow();
    await t.tdb.updateTable('team_mail', { status: 'skipped' }).where('conversation_id', '=', c.conversationId).execute();
    await Promise.all([runClockPass(store.db, new Date(Date.parse(conv.warn_at!) + 1000)), runClockPass(second.db, new Date(Date.parse(conv.warn_at!) + 1000))]);
    await runClockPass(store.db, new Date(Date.parse(conv.due_at!) + 1000));
    expect((await mailRows(c.conversationId)).filter((r) => r.kind !== 'ack').map((r) => [r.kind, r.to_address])).toEqual([
      ['breach', t.admin.email],
      ['warning', reps.linda.email],
    ]);
    await pass(store, new Date(Date.parse(conv.due_at!) + 2000).toISOString());
    // (Linda also has the Saudi conversation, whose clock has passed 75 % by now: its warning comes too.)
    const parsed = await Promise.all(smtp.received.map(async (m) => ({ to: m.to[0], mail: await simpleParser(m.raw) })));
    const warning = parsed.find((m) => m.to === reps.linda.email && m.mail.subject?.includes('陶瓷砖'))!.mail;
    expect(warning.subject).toBe('即将到期，请尽快回复：询价：陶瓷砖');
    expect(warning.text).toContain('https://store.example.test/inbox#conversation=');
    const breach = parsed.find((m) => m.to === t.admin.email && m.mail.subject?.includes('陶瓷砖'))!.mail;
    expect(breach.subject).toBe('Response time missed: 询价：陶瓷砖');
    expect(breach.text).toContain('Assigned to: Linda <linda@team.test>');
  });

  it('hand-off: Linda answers as info@ (she has no mailbox) in Arabic, keeps the thread, owns the buyer; Omar is warned it is her buyer', async () => {
    const preview = await api(reps.linda.key, 'GET', `/team-conversations/${saudi.conversationId}/hand-off`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ via: 'role-address', from: { address: 'info@team.test', name: 'Linda' }, to: 'ali@gulf-trading.com.sa', subject: 'Re: طلب عرض سعر', language: 'ar', inReplyTo: `<${saudiLatest.key}>`, references: [`<${saudiLatest.key}>`], ownership: { owner: null, ownedByOther: false, company: { name: 'Gulf Trading' } } });
    expect(preview.json().text).toContain('معكم Linda');
    const text = `${preview.json().text}\n\nP.S. العينات جاهزة.`;
    const sent = await api(reps.linda.key, 'POST', `/team-conversations/${saudi.conversationId}/hand-off`, { subject: preview.json().subject, text });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ via: 'role-address', from: 'info@team.test', owner: { email: reps.linda.email } });
    const mail = await simpleParser(smtp.received[0]!.raw);
    // It answers the buyer's latest mail in the thread.
    expect(mail.inReplyTo).toBe(`<${saudiLatest.key}>`);
    expect(mail.text).toContain('P.S. العينات جاهزة.');
    expect(mail.headers.get('auto-submitted')).toBeUndefined();
    // A double click does not send twice.
    expect((await api(reps.linda.key, 'POST', `/team-conversations/${saudi.conversationId}/hand-off`, { subject: 'x', text: 'y' })).json().error.code).toBe('already_sent');
    expect(smtp.received).toHaveLength(1);
    // The sync sees the reply in info@'s Sent: the clock stops and the first response is Linda's.
    await arrive({ conversationId: saudi.conversationId, subject: 'Re: طلب عرض سعر', from: 'info@team.test', direction: 'outbound', at: '2025-12-03T11:00:00.000Z', key: sent.json().messageId.replace(/^<|>$/g, '') });
    expect(await t.tdb.selectFrom('conversations').selectAll().where('id', '=', saudi.conversationId).executeTakeFirstOrThrow()).toMatchObject({ responded_at: '2025-12-03T11:00:00.000Z', state: 'answered' });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', saudi.conversationId).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([reps.linda.id]);
    // Omar, answering Linda's buyer, is told before anything is sent.
    const owner = await api(reps.omar.key, 'GET', `/team-ownership?buyer=${encodeURIComponent('ALI@gulf-trading.com.sa')}`);
    expect(owner.json()).toMatchObject({ ownedByOther: true, owner: { email: reps.linda.email } });
    expect((await api(reps.omar.key, 'GET', `/team-conversations/${saudi.conversationId}/hand-off`)).json().ownership).toMatchObject({ ownedByOther: true });
    const refused = await api(reps.omar.key, 'POST', `/team-conversations/${saudi.conversationId}/hand-off`, { subject: 'Re: x', text: 'Hello' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'owned_by_other', details: [{ path: 'takeOver', message: reps.linda.email }] });
    expect(smtp.received).toHaveLength(1);
    const audit = await t.tdb.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', saudi.conversationId).where('action', '=', 'team-conversation.hand-off').execute();
    expect(audit.map((a) => JSON.parse(a.details))).toEqual([expect.objectContaining({ via: 'role-address', to: 'ali@gulf-trading.com.sa', previousOwner: null, takeOver: false })]);
  });
});

// The flow through a real Dovecot role mailbox: the inquiry synced, the acknowledgement sent over
// SMTP and filed in Dovecot's Sent, the next sync seeing it as automatic mail — the clock still running.
(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('team inbox acknowledgement through the Dovecot sync on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const smtp = smtpReceiver();
  const adapterFor = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });

  beforeAll(async () => {
    await smtp.listen();
    store = await kind.open();
    t = await seedTenant(store, `tmd${kind.name}`);
    await pushPack(t.tdb, operator(t.tenantId), DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
  });
  afterAll(async () => {
    await store.close();
    await smtp.close();
  });

  it('acknowledges the inquiry once in the buyer\'s language; its copy in Sent does not stop the clock', async () => {
    const address = sandboxAddress('teamack');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: { ...dovecotSettings(), smtp: { host: '127.0.0.1', port: smtp.port(), security: 'none' } }, secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    await configureTeamInbox(t.tdb, operator(t.tenantId), mb.id, { groups: [t.groupSlug], calendar: { country: null, timeZone: 'Europe/Berlin', start: '09:00', end: '18:00' }, acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' } });
    const sync = () => runSyncPass(store.db, store.dialect, { instanceId: 'tm', adapterFor, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, mailboxId: mb.id, ignoreSchedule: true });
    // The first pass is the backfill (nothing to acknowledge); the inquiry arrives after it, live.
    await sync();
    const asked = new Date(Math.floor(Date.now() / 1000) * 1000);
    const inquiryId = `inq-${mb.id}@buyer.example`;
    await deliver(address, [{ id: inquiryId, from: 'María García <maria@importadora.es>', to: [address], subject: 'Consulta: baldosas cerámicas', date: asked, body: 'Buenos días,\r\nles rogamos nos envíen su mejor precio para dos contenedores de baldosas cerámicas.\r\n' }]);
    expect((await sync())[0]).toMatchObject({ stored: 1 });
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('subject', '=', 'Consulta: baldosas cerámicas').executeTakeFirstOrThrow();
    const result = await runTeamMailPass(store.db, { adapterFor, box, instanceId: 'tm', now: new Date() });
    expect(result).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    const mail = await simpleParser(smtp.received[0]!.raw);
    expect(mail.to).toMatchObject({ value: [{ address: 'maria@importadora.es' }] });
    expect(mail.inReplyTo).toBe(`<${inquiryId}>`);
    expect(mail.text).toContain('Hemos recibido su consulta');
    expect(mail.text).toContain('(hora local de usted)');
    // The adapter filed the acknowledgement in Dovecot's Sent; the sync reads it as automatic mail.
    await sync();
    const copy = await t.tdb.selectFrom('mail_messages').select(['direction', 'auto_verdict']).where('conversation_id', '=', conv.id).where('folder', '=', 'sent').execute();
    expect(copy).toEqual([{ direction: 'outbound', auto_verdict: 'auto-reply' }]);
    expect(await t.tdb.selectFrom('conversations').select(['responded_at', 'state']).where('id', '=', conv.id).executeTakeFirstOrThrow()).toEqual({ responded_at: null, state: 'new' });
    expect(await runTeamMailPass(store.db, { adapterFor, box, instanceId: 'tm', now: new Date() })).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });
});
