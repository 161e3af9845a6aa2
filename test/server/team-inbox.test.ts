import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/server/db/connect.js';
import { newId, TenantDb } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import { pushPack } from '../../src/server/services/packs.js';
import { changeState, configureTeamInbox, routeArrival, teamInboxArrival, touchPresence, type TeamArrival } from '../../src/server/services/team-inbox.js';
import type { Principal } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { runClockPass } from '../../src/server/jobs/team-inbox-clock.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { loadConfig } from '../../src/server/config.js';

/**
 * The team inbox's store side, on SQLite and PostgreSQL: marking a mailbox as a team inbox, mail
 * arriving (routing, tags, the clock in business hours), claim with its race, assign, notes,
 * close/reopen by the buyer, presence, our reply stopping the clock and handing the buyer's
 * company to the rep, and round robin fair across two instances.
 */

const loopbackImap = { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } };

const ROUTING_PACK = (groupSlug: string) => `pack: routing
title: Routing
groups: ["${groupSlug}"]
defaultLanguage: en
routing:
  rules:
    - name: quotes
      when: {words: [quote, 报价, 询价, cotización, عرض سعر]}
      tag: [high-intent]
    - name: gulf
      when: {countries: [SA, AE]}
      assign: {to: linda@team.test}
    - name: everyone
      assign: {by: round-robin}
`;

describe.each(storeKinds())('team inbox on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  let mailboxId: string;
  let inboxId: string;
  const reps: Record<'linda' | 'omar' | 'zoe', { id: string; email: string; key: string; principal: Principal }> = {} as never;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `ti${kind.name}`);
    const op = operator(t.tenantId);
    for (const name of ['linda', 'omar', 'zoe'] as const) {
      const u = await addUser(t.tdb, op, { email: `${name}@team.test`, name: name[0]!.toUpperCase() + name.slice(1), groups: [t.groupSlug] });
      const key = await createApiKey(t.tdb, op, { userEmail: u.email, name: `${name} key`, scopes: ['crm:read', 'crm:write'] });
      reps[name] = { id: u.id, email: u.email, key: key.key, principal: { tenantId: t.tenantId, userId: u.id, email: u.email, role: 'rep', permissions: permissionsOfRole('rep'), label: u.email, via: 'api-key' } };
    }
    mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address: 'info@team.test', settings: loopbackImap, secrets: { password: 'x' } }, { backfillDays: 30 })).id;
    await pushPack(t.tdb, op, ROUTING_PACK(t.groupSlug));
    app = await testApp(store, {}, { secretBox: box });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const api = (key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });

  /** A conversation with one stored message, as the sync leaves it before the hooks run. */
  async function arrive(o: { subject: string; from: string; direction?: 'inbound' | 'outbound'; body?: string; at: string; conversationId?: string; dateHeader?: string; language?: string; verdict?: 'none' | 'auto-reply'; customerIds?: string[]; live?: boolean; now?: string }): Promise<string> {
    const id = o.conversationId ?? newId();
    if (!o.conversationId) {
      await t.tdb.insert('conversations', { id, subject: o.subject, subject_key: o.subject.toLowerCase(), participants: JSON.stringify([o.from]), customer_ids: JSON.stringify(o.customerIds ?? []), customer_id: o.customerIds?.[0] ?? null, first_message_at: o.at, last_message_at: o.at, last_inbound_at: o.at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: o.at, updated_at: o.at });
    }
    const messageId = newId();
    await t.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailboxId, conversation_id: id, provider_id: messageId, folder: o.direction === 'outbound' ? 'sent' : 'inbox', message_key: `${messageId}@mail.test`, from_address: o.from, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 100, attachments: '[]', received_at: o.at, subject: o.subject, direction: o.direction ?? 'inbound', auto_verdict: o.verdict ?? 'none', language: o.language ?? null, excerpt: (o.body ?? '').slice(0, 200), created_at: o.at, date_header: o.dateHeader ?? null });
    const arrival: TeamArrival = {
      tdb: t.tdb,
      mailboxId,
      conversationId: id,
      message: { direction: o.direction ?? 'inbound', auto_verdict: o.verdict ?? 'none', received_at: o.at, from_address: o.from, subject: o.subject, language: o.language ?? null, attachments: '[]', date_header: o.dateHeader ?? null },
      body: o.body ?? '',
      customerIds: o.customerIds ?? [],
      live: o.live ?? true,
      at: new Date(o.now ?? o.at),
    };
    await t.tdb.transaction((tdb) => teamInboxArrival({ ...arrival, tdb }));
    return id;
  }
  const row = (id: string) => t.tdb.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('an admin marks the mailbox as a team inbox; reps may not; mistakes name the field', async () => {
    expect((await api(reps.linda.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: [t.groupSlug] })).statusCode).toBe(403);
    const noGroup = await api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: ['nobody-here'] });
    expect(noGroup.statusCode).toBe(400);
    expect(noGroup.json().error.details[0]).toMatchObject({ path: 'groups[0]', message: 'no group "nobody-here"' });
    const badZone = await api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: [t.groupSlug], calendar: { country: null, timeZone: 'Mars/Olympus', start: '09:00', end: '18:00' } });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.details[0].path).toBe('calendar');
    const created = await api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: [t.groupSlug], manager: t.admin.email, calendar: { country: null, timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' } });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ address: 'info@team.test', groups: [t.groupSlug], manager: { email: t.admin.email }, targetBusinessHours: 24, calendar: { timeZone: 'Asia/Shanghai' } });
    inboxId = created.json().id;
    const listed = await api(reps.linda.key, 'GET', '/team-inboxes');
    expect(listed.json().inboxes.map((i: { id: string }) => i.id)).toEqual([inboxId]);
    const audit = await t.tdb.selectFrom('audit_log').select(['action', 'actor_label']).where('target_id', '=', inboxId).execute();
    expect(audit).toEqual([{ action: 'team-inbox.create', actor_label: expect.stringContaining(t.admin.email) }]);
  });

  it('a Saudi buyer asking for a quote goes to Linda, tagged high-intent, with a 24-business-hour clock', async () => {
    // Wednesday 3 Dec 2025, 17:00 in Shanghai: due Monday 14:00 (see the core clock test).
    const id = await arrive({ subject: 'Quote for pumps', from: 'ali@gulf-trading.com.sa', body: 'Please send a quote', at: '2025-12-03T09:00:00.000Z' });
    expect(await row(id)).toMatchObject({ team_inbox_id: inboxId, state: 'assigned', assignee_id: reps.linda.id, tags: '["high-intent"]', clock_started_at: '2025-12-03T09:00:00.000Z', due_at: '2025-12-08T06:00:00.000Z', warn_at: '2025-12-05T09:00:00.000Z' });
    const route = await t.tdb.selectFrom('audit_log').select(['details']).where('target_id', '=', id).where('action', '=', 'team-conversation.route').executeTakeFirstOrThrow();
    expect(JSON.parse(route.details)).toMatchObject({ matched: ['quotes', 'gulf', 'everyone'], assigneeId: reps.linda.id });
  });

  it('automatic mail moves nothing; mail to a mailbox that is no team inbox neither', async () => {
    const id = await arrive({ subject: 'Out of office', from: 'ali@gulf-trading.com.sa', at: '2025-12-03T10:00:00.000Z', verdict: 'auto-reply' });
    expect(await row(id)).toMatchObject({ team_inbox_id: null, state: 'open' });
  });

  it('claim: one of two reps clicking at once wins, the other is told who has it', async () => {
    const id = await arrive({ subject: 'Tiles', from: 'kim@korea-tiles.example', at: '2025-12-03T11:00:00.000Z' });
    // Round robin gave it to someone; hand it back to the queue to race for it.
    await t.tdb.updateTable('conversations', { assignee_id: null, state: 'new' }).where('id', '=', id).execute();
    const unassigned = await api(reps.omar.key, 'GET', `/team-conversations?inbox=${inboxId}&list=unassigned`);
    expect(unassigned.json().conversations.map((c: { id: string }) => c.id)).toEqual([id]);
    const [a, b] = await Promise.all([api(reps.omar.key, 'POST', `/team-conversations/${id}/claim`), api(reps.zoe.key, 'POST', `/team-conversations/${id}/claim`)]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    const winner = won.json().assignee;
    expect(lost.json().error).toMatchObject({ code: 'taken', message: `${winner.name} (${winner.email}) already has this conversation` });
    expect(await row(id)).toMatchObject({ state: 'assigned', assignee_id: winner.id });
    // Claiming again what one already has is fine.
    const again = await api(winner.email === reps.omar.email ? reps.omar.key : reps.zoe.key, 'POST', `/team-conversations/${id}/claim`);
    expect(again.statusCode).toBe(200);
    expect(await t.tdb.selectFrom('audit_log').select('action').where('target_id', '=', id).where('action', '=', 'team-conversation.claim').execute()).toHaveLength(1);
  });

  it('assign, note with @mention (never sent), presence for 30 s, close, and the buyer reopening', async () => {
    const id = await arrive({ subject: '询价 瓷砖', from: 'wang@shanghai-build.cn', at: '2025-12-04T02:00:00.000Z', language: 'zh' });
    expect(JSON.parse((await row(id)).tags)).toEqual(['high-intent']);
    const notMember = await api(reps.linda.key, 'POST', `/team-conversations/${id}/assign`, { assignee: t.admin.email });
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().error.details[0].path).toBe('assignee');
    const assigned = await api(reps.linda.key, 'POST', `/team-conversations/${id}/assign`, { assignee: reps.zoe.email });
    expect(assigned.json()).toMatchObject({ state: 'assigned', assignee: { email: reps.zoe.email } });
    const note = await api(reps.linda.key, 'POST', `/team-conversations/${id}/notes`, { body: '@zoe they bought from us in 2024, ask @Omar for the old price' });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ author: reps.linda.email, mentions: [{ email: reps.zoe.email }, { email: reps.omar.email }] });

    const t0 = new Date('2025-12-04T03:00:00.000Z');
    await touchPresence(t.tdb, reps.zoe.principal, id, 'replying', t0);
    expect(await touchPresence(t.tdb, reps.linda.principal, id, 'viewing', new Date(t0.getTime() + 29_000))).toEqual([{ user: { id: reps.zoe.id, name: 'Zoe', email: reps.zoe.email }, activity: 'replying', seenAt: t0.toISOString() }]);
    expect(await touchPresence(t.tdb, reps.linda.principal, id, 'viewing', new Date(t0.getTime() + 31_000))).toEqual([]);

    const opened = await api(reps.omar.key, 'GET', `/team-conversations/${id}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ subject: '询价 瓷砖', inbox: { address: 'info@team.test' }, notes: [{ body: expect.stringContaining('old price') }], messages: [{ direction: 'inbound', from: { address: 'wang@shanghai-build.cn' } }], buyerTime: { timeZone: 'Asia/Shanghai', country: 'CN' } });

    expect((await api(reps.zoe.key, 'POST', `/team-conversations/${id}/state`, { action: 'wait' })).json().error.message).toBe('only an answered conversation can wait on the buyer');
    expect((await api(reps.zoe.key, 'POST', `/team-conversations/${id}/state`, { action: 'close' })).json()).toMatchObject({ state: 'closed', clock: { phase: 'stopped' } });
    expect((await api(reps.zoe.key, 'POST', `/team-conversations/${id}/assign`, { assignee: reps.omar.email })).statusCode).toBe(409);
    // The buyer writes again: back in Zoe's queue with a fresh clock.
    await arrive({ conversationId: id, subject: 'Re: 询价 瓷砖', from: 'wang@shanghai-build.cn', at: '2025-12-05T01:00:00.000Z' });
    expect(await row(id)).toMatchObject({ state: 'assigned', assignee_id: reps.zoe.id, closed_at: null, clock_started_at: '2025-12-05T01:00:00.000Z' });
    const actions = (await t.tdb.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('at').execute()).map((r) => r.action);
    expect(actions).toEqual(['team-conversation.route', 'team-conversation.assign', 'team-conversation.note', 'team-conversation.open', 'team-conversation.close', 'team-conversation.reopen']);
  });

  it('"replying" ends when the sync sees the rep\'s answer or she closes the conversation; a reply begun later shows again', async () => {
    const id = await arrive({ subject: 'Presence after the answer', from: 'eva@presence-buyer.de', at: '2026-02-04T04:00:00.000Z' });
    await t.tdb.updateTable('conversations', { assignee_id: reps.zoe.id, state: 'assigned' }).where('id', '=', id).execute();
    // (February: outside the periods the figures tests read.)
    const t0 = new Date('2026-02-04T05:00:00.000Z');
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    const zoeSeen = async (at: Date) => (await touchPresence(t.tdb, reps.linda.principal, id, 'viewing', at)).map((p) => p.activity);
    await touchPresence(t.tdb, reps.zoe.principal, id, 'replying', t0);
    expect(await zoeSeen(later(5))).toEqual(['replying']);
    // Her answer left at t0 + 8 s; the sync stores it a little later.
    await arrive({ conversationId: id, subject: 'Re: Presence after the answer', from: reps.zoe.email, direction: 'outbound', at: later(8).toISOString(), now: later(12).toISOString() });
    expect(await zoeSeen(later(13))).toEqual(['viewing']);
    // She starts another reply, then marks the conversation waiting on the buyer.
    await touchPresence(t.tdb, reps.zoe.principal, id, 'replying', later(15));
    expect(await zoeSeen(later(16))).toEqual(['replying']);
    expect((await changeState(t.tdb, reps.zoe.principal, id, 'wait', later(20))).state).toBe('waiting');
    expect(await zoeSeen(later(21))).toEqual(['viewing']);
  });

  it('our reply stops the clock, records the first responder and hands the buyer\'s company to them; their next inquiry goes to them', async () => {
    const customerId = t.customerId;
    const id = await arrive({ subject: 'Samples', from: `buyer@buyer-of-${t.slug}.de`, at: '2025-12-08T01:00:00.000Z', customerIds: [customerId] });
    await t.tdb.updateTable('conversations', { assignee_id: null, state: 'new' }).where('id', '=', id).execute();
    await arrive({ conversationId: id, subject: 'Re: Samples', from: reps.omar.email, direction: 'outbound', at: '2025-12-08T03:00:00.000Z' });
    expect(await row(id)).toMatchObject({ state: 'answered', responded_at: '2025-12-08T03:00:00.000Z', assignee_id: reps.omar.id });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', id).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([reps.omar.id]);
    expect((await t.tdb.selectFrom('customers').select('owner_id').where('id', '=', customerId).executeTakeFirstOrThrow()).owner_id).toBe(reps.omar.id);
    const waiting = await api(reps.omar.key, 'GET', `/team-conversations?inbox=${inboxId}&list=waiting`);
    expect(waiting.json().conversations.map((c: { id: string }) => c.id)).toContain(id);
    const next = await arrive({ subject: 'New order, quote please', from: `anna@buyer-of-${t.slug}.de`, at: '2025-12-09T01:00:00.000Z', customerIds: [customerId] });
    expect(await row(next)).toMatchObject({ assignee_id: reps.omar.id, tags: '["high-intent"]' });
  });

  it('gives the manager first-response figures per rep in business minutes; reps may not see them', async () => {
    const figures = await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures?since=2025-12-01&until=2025-12-31`);
    expect(figures.statusCode).toBe(200);
    // Omar answered "Samples" Monday 09:00 → 11:00 in Shanghai: 120 business minutes, within the target.
    expect(figures.json().reps.find((r: { rep: { email: string } }) => r.rep.email === reps.omar.email)).toEqual({ rep: { id: reps.omar.id, name: 'Omar', email: reps.omar.email }, answered: 1, p50BusinessMinutes: 120, p90BusinessMinutes: 120, breaches: 0, openNow: expect.any(Number) });
    expect(figures.json().reps.find((r: { rep: { email: string } }) => r.rep.email === reps.linda.email)).toMatchObject({ answered: 0, p50BusinessMinutes: null });
    expect(figures.json().overdueNow).toBeGreaterThan(0);
    expect((await api(reps.linda.key, 'GET', `/team-inboxes/${inboxId}/figures`)).statusCode).toBe(404);
    const bad = await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures?since=last-week`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('since');
  });

  it('lists overdue conversations by the clock; a rep outside the inbox sees none of it', async () => {
    const overdue = await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&list=overdue`);
    // Everything above started before today with nobody answering except "Samples".
    const subjects = overdue.json().conversations.map((c: { subject: string; clock: { phase: string } }) => [c.subject, c.clock.phase]);
    expect(subjects).toEqual(expect.arrayContaining([['Quote for pumps', 'breached']]));
    expect(subjects.map((s: string[]) => s[0])).not.toContain('Samples');
    // Naming no inbox (what /inbox asks for first): every inbox the rep works, here the one.
    const ids = (res: { json: () => { conversations: { id: string }[] } }) => res.json().conversations.map((c) => c.id);
    expect(ids(await api(reps.linda.key, 'GET', '/team-conversations?list=overdue'))).toEqual(ids(overdue));
    const outsider = await addUser(t.tdb, operator(t.tenantId), { email: 'outsider@team.test', name: 'Outsider' });
    const key = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: outsider.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    expect((await api(key, 'GET', `/team-conversations?inbox=${inboxId}`)).statusCode).toBe(404);
    expect((await api(key, 'GET', '/team-conversations?list=overdue')).json()).toEqual({ conversations: [], nextCursor: null });
    const anyId = overdue.json().conversations[0].id;
    expect((await api(key, 'POST', `/team-conversations/${anyId}/claim`)).statusCode).toBe(404);
  });

  it('the mail-client faces find the conversation of the open item: Message-ID, thread, subject with the buyer\'s address; nothing for outsiders', async () => {
    const id = await arrive({ subject: 'Valves for Riyadh', from: 'fahad@riyadh-valves.com.sa', body: 'Price for DN50 valves', at: '2025-12-15T06:00:00.000Z' });
    const inbound = await t.tdb.selectFrom('mail_messages').select(['id', 'message_key']).where('conversation_id', '=', id).executeTakeFirstOrThrow();
    await t.tdb.updateTable('mail_messages', { provider_thread_id: 'AAQkADthread-riyadh' }).where('id', '=', inbound.id).execute();
    const look = (key: string, body: object) => api(key, 'POST', '/team-conversations/lookup', body);
    const byId = await look(reps.zoe.key, { internetMessageId: `<${inbound.message_key}>` });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject({ matchedBy: 'message-id', conversation: { id, subject: 'Valves for Riyadh', state: 'assigned', assignee: { email: reps.linda.email }, inbox: { address: 'info@team.test' }, buyerTime: { country: 'SA' } } });
    expect((await look(reps.zoe.key, { internetMessageId: '<nobody@else>', threadId: 'AAQkADthread-riyadh' })).json()).toMatchObject({ matchedBy: 'thread', conversation: { id } });
    expect((await look(reps.zoe.key, { subject: 'RE: Valves for Riyadh', addresses: ['Fahad@Riyadh-Valves.com.sa'] })).json()).toMatchObject({ matchedBy: 'subject-and-address', conversation: { id } });
    // The right subject from someone else, or nothing to go on: no team conversation.
    expect((await look(reps.zoe.key, { subject: 'Valves for Riyadh', addresses: ['someone@else.example'] })).json()).toEqual({ conversation: null, matchedBy: null });
    expect((await look(reps.zoe.key, {})).json()).toEqual({ conversation: null, matchedBy: null });
    const outsider = await addUser(t.tdb, operator(t.tenantId), { email: 'outsider2@team.test', name: 'Outsider 2' });
    const outsiderKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: outsider.email, name: 'k', scopes: ['crm:read', 'crm:write'] })).key;
    expect((await look(outsiderKey, { internetMessageId: inbound.message_key! })).json()).toEqual({ conversation: null, matchedBy: null });
    const bad = await look(reps.zoe.key, { internetMessageId: '' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toContain('internetMessageId');
    // Opening through a face is audited like /inbox opening it.
    expect(await t.tdb.selectFrom('audit_log').select('actor_id').where('target_id', '=', id).where('action', '=', 'team-conversation.open').execute()).toHaveLength(3);
  });

  it('send check: warns a rep when a colleague\'s answer reached the store after they last opened the conversation', async () => {
    const id = (await t.tdb.selectFrom('conversations').select('id').where('subject', '=', 'Valves for Riyadh').executeTakeFirstOrThrow()).id;
    const keys = { threadId: 'AAQkADthread-riyadh', subject: 'RE: Valves for Riyadh', addresses: ['fahad@riyadh-valves.com.sa'] };
    const check = async (key: string) => (await api(key, 'POST', '/team-conversations/send-check', keys)).json();
    // Zoe opened it (above); nobody has answered yet.
    expect(await check(reps.zoe.key)).toEqual({ collision: null, ownership: null });
    // Linda answers at 07:00; the sync stores it after Zoe opened the conversation.
    await arrive({ conversationId: id, subject: 'RE: Valves for Riyadh', from: reps.linda.email, direction: 'outbound', at: '2025-12-15T07:00:00.000Z' });
    const seen = new Date(Date.now() + 60_000).toISOString();
    await t.tdb.updateTable('mail_messages', { created_at: seen }).where('conversation_id', '=', id).where('direction', '=', 'outbound').execute();
    const collision = await check(reps.zoe.key);
    expect(collision).toEqual({ collision: { conversationId: id, subject: 'Valves for Riyadh', by: { address: reps.linda.email, name: null }, answeredAt: '2025-12-15T07:00:00.000Z', seenAt: seen, openedAt: expect.any(String) }, ownership: null });
    expect(collision.collision.openedAt < seen).toBe(true);
    // Linda's own answer is no collision for Linda.
    expect(await check(reps.linda.key)).toEqual({ collision: null, ownership: null });
    // Omar never opened it: Linda answered after the buyer's last mail, so he is warned too.
    expect((await check(reps.omar.key)).collision).toMatchObject({ by: { address: reps.linda.email }, openedAt: null });
    // Once Zoe has opened it again after the answer was stored, she has seen it: no warning.
    await t.tdb.updateTable('mail_messages', { created_at: '2025-12-15T07:01:00.000Z' }).where('conversation_id', '=', id).where('direction', '=', 'outbound').execute();
    expect(await check(reps.zoe.key)).toEqual({ collision: null, ownership: null });
    // The buyer writes again: the old answer is history for someone who never opened it.
    await arrive({ conversationId: id, subject: 'RE: Valves for Riyadh', from: 'fahad@riyadh-valves.com.sa', at: '2025-12-15T08:00:00.000Z' });
    await t.tdb.updateTable('conversations', { last_inbound_at: '2025-12-15T08:00:00.000Z' }).where('id', '=', id).execute();
    expect(await check(reps.omar.key)).toEqual({ collision: null, ownership: null });
  });

  it('send check also names another rep\'s buyer among the recipients (one round trip for Outlook\'s on-send); the members route lists who works the inbox', async () => {
    // Omar owns the company of buyer-of-<slug>.de since he answered "Samples" (above).
    const keys = { subject: 'Our new catalogue', addresses: [reps.zoe.email, `someone@buyer-of-${t.slug}.de`] };
    const linda = (await api(reps.linda.key, 'POST', '/team-conversations/send-check', keys)).json();
    expect(linda).toEqual({ collision: null, ownership: { buyer: `someone@buyer-of-${t.slug}.de`, company: { id: t.customerId, name: `Customer of ${t.slug}` }, owner: { id: reps.omar.id, name: 'Omar', email: reps.omar.email }, ownedByOther: true } });
    // Omar's own buyer, and a colleague's address alone: nothing to say.
    expect((await api(reps.omar.key, 'POST', '/team-conversations/send-check', keys)).json()).toEqual({ collision: null, ownership: null });
    expect((await api(reps.linda.key, 'POST', '/team-conversations/send-check', { addresses: [reps.omar.email] })).json()).toEqual({ collision: null, ownership: null });

    const members = await api(reps.linda.key, 'GET', `/team-inboxes/${inboxId}/members`);
    expect(members.statusCode).toBe(200);
    const emails = members.json().members.map((m: { email: string }) => m.email);
    expect(emails).toEqual(expect.arrayContaining([reps.linda.email, reps.omar.email, reps.zoe.email]));
    expect(emails).toEqual([...emails].sort());
    expect(members.json().members.find((m: { email: string }) => m.email === reps.omar.email)).toEqual({ id: reps.omar.id, name: 'Omar', email: reps.omar.email });
    // Someone who does not work the inbox learns nothing about it (404, as for its conversations).
    const outsider = await addUser(t.tdb, operator(t.tenantId), { email: 'outsider3@team.test', name: 'Outsider 3' });
    const outsiderKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: outsider.email, name: 'k', scopes: ['crm:read'] })).key;
    expect((await api(outsiderKey, 'GET', `/team-inboxes/${inboxId}/members`)).statusCode).toBe(404);
    expect((await api(reps.linda.key, 'GET', '/team-inboxes/no-such-inbox/members')).statusCode).toBe(404);
  });

  it('routes by the company\'s first letter, the company read from a business domain', async () => {
    await pushPack(t.tdb, operator(t.tenantId), `pack: a-letters
title: Letters
groups: ["${t.groupSlug}"]
defaultLanguage: en
routing:
  rules:
    - name: catalogue by letter
      when: {words: [catalogue]}
      assign: {letters: {A-F: ${reps.zoe.email}, G-Z: ${reps.omar.email}}}
`);
    const acme = await arrive({ subject: 'Catalogue please', from: 'buyer@acme-pumps.de', at: '2025-12-16T02:00:00.000Z' });
    const tianjin = await arrive({ subject: 'Catalogue please', from: 'li@tianjin-steel.cn', at: '2025-12-16T02:05:00.000Z' });
    expect(await row(acme)).toMatchObject({ assignee_id: reps.zoe.id, state: 'assigned' });
    expect(await row(tianjin)).toMatchObject({ assignee_id: reps.omar.id });
    // Free mail names no company: the letter table does not decide, the round robin does.
    const gmail = await arrive({ subject: 'Catalogue please', from: 'someone@gmail.com', at: '2025-12-16T02:10:00.000Z' });
    const route = await t.tdb.selectFrom('audit_log').select('details').where('target_id', '=', gmail).where('action', '=', 'team-conversation.route').executeTakeFirstOrThrow();
    expect(JSON.parse(route.details)).toMatchObject({ matched: ['catalogue by letter', 'everyone'] });
  });

  it('gives the manager the figures by region and by week, and as CSV in English and Chinese', async () => {
    // The buyer's second mail (above) restarted the Riyadh clock at 16:00 Shanghai; Linda answers at 16:30.
    const riyadh = (await t.tdb.selectFrom('conversations').select('id').where('subject', '=', 'Valves for Riyadh').executeTakeFirstOrThrow()).id;
    await arrive({ conversationId: riyadh, subject: 'RE: Valves for Riyadh', from: reps.linda.email, direction: 'outbound', at: '2025-12-15T08:30:00.000Z' });
    const figures = (await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures?since=2025-12-01&until=2025-12-31`)).json();
    // "Samples" (DE company, Monday 8 Dec 09:00 → 11:00 Shanghai: 120) and "Valves for Riyadh" (SA):
    // two questions, two answers — Monday 15 Dec 14:00 → 15:00 (60) and, after the buyer wrote again, 16:00 → 16:30 (30).
    expect(figures.regions).toEqual([
      { region: 'gulf', answered: 2, p50BusinessMinutes: 30, p90BusinessMinutes: 60, breaches: 0 },
      { region: 'europe', answered: 1, p50BusinessMinutes: 120, p90BusinessMinutes: 120, breaches: 0 },
    ]);
    expect(figures.weeks).toEqual([
      { week: '2025-W50', monday: '2025-12-08', answered: 1, p50BusinessMinutes: 120, p90BusinessMinutes: 120, breaches: 0 },
      { week: '2025-W51', monday: '2025-12-15', answered: 2, p50BusinessMinutes: 30, p90BusinessMinutes: 60, breaches: 0 },
    ]);
    const csv = await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures.csv?since=2025-12-01&until=2025-12-31`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="team-inbox-2025-12-01-2025-12-31.csv"');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFGroup,Key,Name,First responses,p50 (business minutes),p90 (business minutes),After target,Open now,From,Until');
    expect(lines).toContain('region,gulf,Gulf (GCC),2,30,60,0,,2025-12-01T00:00:00.000Z,2025-12-31T00:00:00.000Z');
    expect(lines.some((l) => l.startsWith(`rep,${reps.linda.email},Linda,2,30,60,0,`))).toBe(true);
    expect(lines).toContain('week,2025-W50,2025-12-08,1,120,120,0,,2025-12-01T00:00:00.000Z,2025-12-31T00:00:00.000Z');
    expect(lines.some((l) => l.startsWith(`rep,${reps.omar.email},Omar,1,120,120,0,`))).toBe(true);
    const zh = await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures.csv?since=2025-12-01&until=2025-12-31&lang=zh-CN`);
    expect(zh.body.split('\r\n')[0]).toBe('\uFEFF分组,键,名称,首次回复数,p50（工作分钟）,p90（工作分钟）,超时数,当前未结,起始,截止');
    expect(zh.body).toContain('地区,europe,欧洲（欧盟、欧自联、英国）,1,120,120,0,');
    expect((await api(reps.linda.key, 'GET', `/team-inboxes/${inboxId}/figures.csv`)).statusCode).toBe(404);
    expect((await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures.csv?lang=fr`)).statusCode).toBe(400);
  });

  it('every answered question stays in the figures when the buyer writes again; an answer sent as the role address counts for the assignee', async () => {
    // Monday 5 Jan 2026, 10:00 Shanghai. Omar answers at 11:00 (60); the buyer asks again at 14:00 and
    // the answer leaves info@ itself at 14:30 (30): Outlook sends a reply from the shared mailbox as info@.
    const id = await arrive({ subject: 'Flanges', from: 'sam@flange-buyer.de', at: '2026-01-05T02:00:00.000Z' });
    await t.tdb.updateTable('conversations', { assignee_id: reps.omar.id, state: 'assigned' }).where('id', '=', id).execute();
    await arrive({ conversationId: id, subject: 'Re: Flanges', from: reps.omar.email, direction: 'outbound', at: '2026-01-05T03:00:00.000Z' });
    await arrive({ conversationId: id, subject: 'Re: Flanges', from: 'sam@flange-buyer.de', at: '2026-01-05T06:00:00.000Z' });
    expect(await row(id)).toMatchObject({ clock_started_at: '2026-01-05T06:00:00.000Z', responded_at: null });
    await arrive({ conversationId: id, subject: 'Re: Flanges', from: 'info@team.test', direction: 'outbound', at: '2026-01-05T06:30:00.000Z' });
    // The sync reading the same answer again (a resync) records nothing twice.
    await t.tdb.transaction((tdb) => teamInboxArrival({ tdb, mailboxId, conversationId: id, message: { direction: 'outbound', auto_verdict: 'none', received_at: '2026-01-05T06:30:00.000Z', from_address: 'info@team.test', subject: 'Re: Flanges', language: null, attachments: '[]', date_header: null }, body: '', customerIds: [], live: true, at: new Date('2026-01-05T06:31:00.000Z') }));
    const figures = (await api(t.admin.key, 'GET', `/team-inboxes/${inboxId}/figures?since=2026-01-01&until=2026-01-31`)).json();
    expect(figures.reps.find((r: { rep: { email: string } }) => r.rep.email === reps.omar.email)).toMatchObject({ answered: 2, p50BusinessMinutes: 30, p90BusinessMinutes: 60, breaches: 0 });
    expect(figures.regions).toEqual([{ region: 'europe', answered: 2, p50BusinessMinutes: 30, p90BusinessMinutes: 60, breaches: 0 }]);
    expect(figures.weeks).toEqual([{ week: '2026-W02', monday: '2026-01-05', answered: 2, p50BusinessMinutes: 30, p90BusinessMinutes: 60, breaches: 0 }]);
  });

  it('warns at 75 % and escalates on breach once per clock, even with two instances passing at once', async () => {
    await createConnector(t.tdb, operator(t.tenantId), box, { kind: 'webhook', name: 'clock hook', settings: { url: 'https://hooks.team.example/clock' }, secrets: { signingSecret: 'clock-signing-secret-0123' }, events: ['team-inbox.warning', 'team-inbox.breached'] });
    // Thursday 11 Dec 2025, 09:00 Shanghai: 18 business hours (75 %) end Friday 18:00, 24 end Monday 15 Dec 15:00.
    const id = await arrive({ subject: 'Clock test', from: 'li@clock-buyer.cn', at: '2025-12-11T01:00:00.000Z' });
    expect(await row(id)).toMatchObject({ warn_at: '2025-12-12T10:00:00.000Z', due_at: '2025-12-15T07:00:00.000Z' });
    const second = kind.name === 'postgres' ? openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema, poolSize: 2 }) : store;
    const events = async () => (await t.tdb.selectFrom('outbox').select(['event_type', 'event']).where('event_type', 'like', 'team-inbox.%').execute()).filter((e) => (JSON.parse(e.event) as { conversation: { id: string } }).conversation.id === id).map((e) => e.event_type);
    try {
      const beforeWarning = new Date('2025-12-12T09:59:00.000Z');
      await runClockPass(store.db, beforeWarning);
      expect(await events()).toEqual([]);
      const afterBreach = new Date('2025-12-15T07:00:00.000Z');
      await Promise.all([runClockPass(store.db, afterBreach), runClockPass(second.db, afterBreach)]);
      expect((await events()).sort()).toEqual(['team-inbox.breached', 'team-inbox.warning']);
      await runClockPass(store.db, new Date('2025-12-16T00:00:00.000Z'));
      expect((await events()).length).toBe(2);
      const breach = (await t.tdb.selectFrom('outbox').select('event').where('event_type', '=', 'team-inbox.breached').execute()).map((e) => JSON.parse(e.event)).find((e) => e.conversation.id === id);
      expect(breach).toMatchObject({ inbox: { address: 'info@team.test', managerEmail: t.admin.email }, conversation: { subject: 'Clock test', buyer: 'li@clock-buyer.cn', dueAt: '2025-12-15T07:00:00.000Z' } });
    } finally {
      if (second !== store) await second.close();
    }
  });

  it('backfilled mail is queued with its clock but raises no warning or escalation for deadlines already past', async () => {
    const id = await arrive({ subject: 'Old inquiry from the backfill', from: 'old@backfill-buyer.cn', at: '2025-11-03T01:00:00.000Z', live: false, now: '2025-12-01T00:00:00.000Z' });
    expect(await row(id)).toMatchObject({ state: expect.stringMatching(/^(new|assigned)$/), warned_at: '2025-12-01T00:00:00.000Z', breached_at: '2025-12-01T00:00:00.000Z' });
    await runClockPass(store.db, new Date('2025-12-01T00:05:00.000Z'));
    expect(await t.tdb.selectFrom('audit_log').select('action').where('target_id', '=', id).where('action', 'like', 'team-inbox.%').execute()).toEqual([]);
  });

  it('lists page with a cursor: every row once, in order; a foreign or broken cursor is a 400 naming it', async () => {
    const all = (await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&list=open&limit=500`)).json();
    expect(all.nextCursor).toBeNull();
    expect(all.conversations.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&list=open&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().conversations.length).toBeLessThanOrEqual(2);
      seen.push(...page.json().conversations.map((c: { id: string }) => c.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.conversations.map((c: { id: string }) => c.id));
    const times = all.conversations.map((c: { lastMessageAt: string }) => c.lastMessageAt);
    expect(times).toEqual([...times].sort().reverse());
    // A cursor of the overdue list (the opaque form the service writes) asked of the open list.
    const overdueCursor = Buffer.from(JSON.stringify(['overdue', '2025-12-08T06:00:00.000Z', 'x'])).toString('base64url');
    const wrongList = await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&list=open&cursor=${overdueCursor}`);
    expect(wrongList.statusCode).toBe(400);
    expect(wrongList.json().error.details[0]).toMatchObject({ path: 'cursor', message: 'it belongs to the list "overdue", not "open"' });
    const broken = await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&list=open&cursor=not-a-cursor`);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details[0].path).toBe('cursor');
    expect((await api(reps.linda.key, 'GET', `/team-conversations?inbox=${inboxId}&limit=501`)).statusCode).toBe(400);
  });

  it('a burst of due clocks larger than a page is told in one pass (a Monday morning), each once', async () => {
    // Before, a pass told at most 500 per phase and left the rest for the next minute.
    const at = '2025-12-19T01:00:00.000Z';
    const ids = Array.from({ length: 501 }, () => newId());
    const rows = ids.map((id, i) => ({ id, tenant_id: t.tenantId, subject: `Burst ${i}`, subject_key: `burst ${i}`, participants: JSON.stringify([`b${i}@burst-buyer.de`]), customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer' as const, message_count: 1, inbound_count: 1, outbound_count: 0, state: 'assigned', assignee_id: reps.zoe.id, first_response_at: null, team_inbox_id: inboxId, clock_started_at: at, warn_at: '2025-12-20T00:00:00.000Z', due_at: '2099-01-01T00:00:00.000Z', created_at: at, updated_at: at }));
    for (let i = 0; i < rows.length; i += 100) await store.db.insertInto('conversations').values(rows.slice(i, i + 100)).execute();
    const first = await runClockPass(store.db, new Date('2025-12-20T00:01:00.000Z'));
    expect(first.warned).toBeGreaterThanOrEqual(501);
    const told = await t.tdb.selectFrom('conversations').select('id').where('id', 'in', ids).where('warned_at', 'is not', null).execute();
    expect(told.length).toBe(501);
    expect(await runClockPass(store.db, new Date('2025-12-20T00:02:00.000Z'))).toEqual({ warned: 0, breached: 0 });
  });

  // Two instances need a shared server database: PostgreSQL only (SQLite has one writer by design).
  if (kind.name === 'postgres') it('round robin is fair across two instances: no inquiry assigned twice, none skipped', async () => {
    const second = openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema, poolSize: 4 });
    try {
      const inbox = await t.tdb.selectFrom('team_inboxes').selectAll().where('id', '=', inboxId).executeTakeFirstOrThrow();
      const before = inbox.turn;
      const ids: string[] = [];
      const at = '2025-12-10T01:00:00.000Z';
      for (let i = 0; i < 30; i++) {
        const id = newId();
        ids.push(id);
        await t.tdb.insert('conversations', { id, subject: `RR ${i}`, subject_key: `rr ${i}`, participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: inboxId, created_at: at, updated_at: at });
      }
      const instances = [new TenantDb(store.db, t.tenantId), new TenantDb(second.db, t.tenantId)];
      const inquiry = { inbox: 'info@team.test', subject: 'x', body: '', senderCountry: null, language: null, knownCustomer: false, attachments: 0, ownerId: null };
      const rules = [{ name: 'rr', assign: { by: 'round-robin' as const } }];
      await Promise.all(ids.map((id, i) => instances[i % 2]!.transaction((tdb) => routeArrival(tdb, inbox, id, inquiry, rules, new Date(at)))));
      const rows = await t.tdb.selectFrom('conversations').select(['assignee_id']).where('id', 'in', ids).execute();
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.assignee_id!, (counts.get(r.assignee_id!) ?? 0) + 1);
      // Members in e-mail order: linda, omar, rep@…, zoe — 30 turns → 8, 8, 7, 7 (which two get 8 depends on where the counter stood).
      expect([...counts.values()].sort()).toEqual([7, 7, 8, 8]);
      expect(rows.every((r) => r.assignee_id)).toBe(true);
      const after = await t.tdb.selectFrom('team_inboxes').select('turn').where('id', '=', inboxId).executeTakeFirstOrThrow();
      expect(after.turn - before).toBe(30);
    } finally {
      await second.close();
    }
  });
});

// The same flow through the real sync engine and a Dovecot role mailbox: the hook is wired into
// STORED_MESSAGE_HOOKS and runs in the page's transaction.
(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('team inbox through the Dovecot sync on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `tid${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('an inquiry to info@ is queued with its clock; the reply from Sent stops it and records the first response', async () => {
    const address = sandboxAddress('teaminbox');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    await configureTeamInbox(t.tdb, operator(t.tenantId), mb.id, { groups: [t.groupSlug], calendar: { country: null, timeZone: 'Europe/Berlin', start: '09:00', end: '18:00' } });
    const asked = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * 3_600_000);
    const inquiryId = `inq-${mb.id}@buyer.example`;
    await deliver(address, [{ id: inquiryId, from: 'Hans Weber <hans@hamburg-import.de>', to: [address], subject: 'Inquiry: ceramic tiles', date: asked, body: 'Hello,\r\nplease send us your best price for two containers of ceramic tiles.\r\n' }]);
    const sync = () => runSyncPass(store.db, store.dialect, { instanceId: 'ti', adapterFor: createAdapter, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, mailboxId: mb.id, ignoreSchedule: true });
    expect((await sync())[0]).toMatchObject({ stored: 1 });
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('subject', '=', 'Inquiry: ceramic tiles').executeTakeFirstOrThrow();
    // No routing rules in this tenant's packs: it waits in the queue for someone to claim it.
    expect(conv).toMatchObject({ team_inbox_id: expect.any(String), state: 'new', assignee_id: null, clock_started_at: asked.toISOString(), responded_at: null });
    // The reply comes from the role address's Sent folder.
    const replied = new Date(asked.getTime() + 3_600_000);
    await deliver(address, [{ id: `re-${mb.id}@${address.split('@')[1]}`, from: address, to: ['hans@hamburg-import.de'], subject: 'Re: Inquiry: ceramic tiles', date: replied, inReplyTo: `<${inquiryId}>`, references: [`<${inquiryId}>`], body: 'Dear Hans,\r\nthank you, our offer follows today.\r\n' }], 'Sent');
    await sync();
    expect(await t.tdb.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow()).toMatchObject({ state: 'answered', responded_at: replied.toISOString(), first_response_at: replied.toISOString() });
  });
});
