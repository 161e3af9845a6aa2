import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser, updateUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { fireDueFollowUps, unansweredInquiries } from '../../src/server/services/followups.js';

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

  it('gives the manager, per rep, open and overdue follow-ups and the median time to answer buyers', async () => {
    const HOUR = 3_600_000;
    const now = Date.now();
    const mb = await addMailbox(t.tdb, operator(t.tenantId), new SecretBox(randomBytes(32)), { provider: 'imap', address: t.rep.email, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 });
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
    let n = 0;
    const mail = async (conversation: string, direction: 'inbound' | 'outbound', hoursAgo: number, verdict: 'none' | 'auto-reply' = 'none') => {
      n++;
      await t.tdb.insert('mail_messages', { id: `m${n}-${conversation}`, mailbox_id: mb.id, conversation_id: conversation, provider_id: `p${n}-${conversation}`, folder: direction === 'inbound' ? 'inbox' : 'sent', message_key: `k${n}-${conversation}@x.test`, second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: direction === 'inbound' ? 'ahmed@alfaisal-trading.com.sa' : t.rep.email, from_name: null, to_addresses: '[]', cc_addresses: '[]', date_header: null, utc_offset_minutes: null, received_at: at(hoursAgo), subject: 'Quotation', direction, size_bytes: 0, attachments: '[]', auto_verdict: verdict, language: null, excerpt: '', created_at: at(hoursAgo) });
    };
    for (const c of ['c1', 'c2', 'c3', 'c-old']) {
      await t.tdb.insert('conversations', { id: c, subject: 'Quotation', subject_key: 'quotation', participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at(1), last_message_at: at(1), last_inbound_at: null, last_outbound_at: null, last_writer: null, message_count: 0, inbound_count: 0, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at(1), updated_at: at(1) });
    }
    // Answered in 2 h, 4 h and 9 h (median 4 h = 240 min); an auto-reply and a 40-day-old pair do not count.
    await mail('c1', 'inbound', 30); await mail('c1', 'outbound', 28);
    await mail('c2', 'inbound', 20); await mail('c2', 'outbound', 16); await mail('c2', 'inbound', 15, 'auto-reply'); await mail('c2', 'outbound', 14);
    await mail('c3', 'inbound', 12); await mail('c3', 'outbound', 3);
    await mail('c-old', 'inbound', 40 * 24); await mail('c-old', 'outbound', 40 * 24 - 100);
    // Open follow-ups of the rep so far (earlier tests): qt-1 waiting (fired now), the Gmail-draft one awaiting its send.
    await fireDueFollowUps(store.db, 'api-test', new Date('2027-06-01T00:00:00Z'));
    const open = await t.tdb.selectFrom('followups').select('status').where('user_id', '=', t.rep.id).where('status', 'in', ['awaiting-send', 'waiting', 'due']).execute();

    expect((await call('GET', '/followups/team')).statusCode).toBe(403); // a rep is no manager
    const res = await call('GET', '/followups/team', undefined, t.admin.key);
    expect(res.statusCode).toBe(200);
    const mine = (res.json().reps as { email: string }[]).find((r) => r.email === t.rep.email);
    expect(mine).toEqual({ userId: t.rep.id, email: t.rep.email, name: expect.any(String), open: open.length, overdue: open.filter((o) => o.status === 'due').length, medianReplyMinutes: 240, replies: 3 });
    expect(open.filter((o) => o.status === 'due').length).toBeGreaterThan(0);
  });

  it('lists inquiries unanswered after 24 company business hours for the rep, and past 48 for the manager', async () => {
    const mb = (await t.tdb.selectFrom('mailboxes').select('id').where('address', '=', t.rep.email).executeTakeFirstOrThrow()).id;
    const at = '2026-12-04T09:00:00.000Z'; // Friday 17:00 in the rep's Shanghai
    for (const [id, subject, from] of [['inq', 'RFQ: ceramic tiles', 'buyer@new-company.com.sa'], ['chat', 'Lunch on Friday?', 'friend@other-company.com.sa']] as const) {
      await t.tdb.insert('conversations', { id, subject, subject_key: subject.toLowerCase(), participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
      await t.tdb.insert('mail_messages', { id: `msg-${id}`, mailbox_id: mb, conversation_id: id, provider_id: `p-${id}`, folder: 'inbox', message_key: `${id}@x.test`, second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: from, from_name: null, to_addresses: '[]', cc_addresses: '[]', date_header: null, utc_offset_minutes: null, received_at: at, subject, direction: 'inbound', size_bytes: 0, attachments: '[]', auto_verdict: 'none', language: null, excerpt: '', created_at: at });
    }
    const rep = { ...operator(t.tenantId), userId: t.rep.id };
    // Fri 17:00 → 1 h; Mon 7 and Tue 8 Dec 9 h each; Wed 9 Dec 14:00 local (06:00Z) makes 24.
    expect(await unansweredInquiries(t.tdb, rep, 'mine', new Date('2026-12-09T05:59:00Z'))).toEqual([]);
    const mine = await unansweredInquiries(t.tdb, rep, 'mine', new Date('2026-12-09T06:00:00Z'));
    expect(mine).toEqual([{ messageId: 'inq@x.test', conversationId: 'inq', rep: t.rep.email, from: 'buyer@new-company.com.sa', subject: 'RFQ: ceramic tiles', receivedAt: at, businessHoursWaiting: 24, escalated: false }]);
    expect(await unansweredInquiries(t.tdb, rep, 'escalated', new Date('2026-12-09T06:00:00Z'))).toEqual([]);
    // + Wed 4 h, Thu 9 h, Fri 11 Dec 9 h = 46; Mon 14 Dec 11:00 local (03:00Z) makes 48: the manager sees it.
    const escalated = await unansweredInquiries(t.tdb, rep, 'escalated', new Date('2026-12-14T03:00:00Z'));
    expect(escalated.map((i) => [i.conversationId, i.businessHoursWaiting, i.escalated])).toEqual([['inq', 48, true]]);
    expect((await call('GET', '/me/inquiries/unanswered')).statusCode).toBe(200);
    expect((await call('GET', '/inquiries/unanswered')).statusCode).toBe(403);
  });
});
