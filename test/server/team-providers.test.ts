import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../../src/server/db/connect.js';
import type { Principal } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { configureTeamInbox, teamFigures } from '../../src/server/services/team-inbox.js';
import { handOffPreview, sendHandOff } from '../../src/server/services/team-handoff.js';
import { runTeamMailPass } from '../../src/server/services/team-mail.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { FakeGraph } from '../support/fake-graph.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The team inbox's whole flow on a Microsoft 365 role mailbox (Graph) and a Workspace role mailbox
 * (Gmail API), driven through the real msal/Graph and googleapis clients against their stand-ins,
 * the store's adapter factory and sync engine — as the Dovecot flow does for IMAP
 * (team-inbox.test.ts, team-mail.test.ts): the inquiry arrives and is synced → routed and tagged
 * → acknowledged once (two store instances), threaded, in Spanish → the next sync files the
 * acknowledgement as automatic mail, clock running → the manager's notice in the role mailbox's
 * Sent is filed in the conversation, not made one → Linda hands off from her own mailbox, which
 * never held the inquiry → the sync of her mailbox sees the reply: clock stopped, owner recorded →
 * the figures show her first response.
 */

const DEMO_PACK = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');
const SERVICE_ACCOUNT = 'team-mail@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ENTRA_TENANT = 'contoso.onmicrosoft.com';
const CLIENT_ID = '00000000-0000-0000-0000-0000000fee15';

// Tue 3 Nov 2026; Madrid is UTC+1. The inbox works 09:00–18:00 Madrid time.
const T = {
  connect: '2026-11-03T07:00:00.000Z',
  inquiry: '2026-11-03T08:00:00.000Z', // 09:00 in Madrid
  routed: '2026-11-03T08:00:10.000Z',
  ack: '2026-11-03T08:00:20.000Z',
  resync: '2026-11-03T08:01:00.000Z',
  handOff: '2026-11-03T10:30:00.000Z', // 11:30 in Madrid: 150 business minutes after the inquiry
  seen: '2026-11-03T10:31:00.000Z',
};

const routingPack = (group: string) => `pack: routing
title: Routing
groups: ["${group}"]
defaultLanguage: en
routing:
  rules:
    - name: prices
      when: {words: [precio, price, 报价]}
      tag: [high-intent]
    - name: spain
      when: {countries: [ES]}
      assign: {to: LINDA}
      notify: [manager]
`;

interface Sent {
  from: string;
  to: string[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  /** Graph conversationId / Gmail threadId. */
  thread: string;
  /** X- headers (Graph) or every header (Gmail) as set. */
  headers: Record<string, string>;
  body: string;
}

interface Provider {
  name: 'graph' | 'gmail';
  start(): Promise<void>;
  stop(): Promise<void>;
  adapters(store: Store, box: SecretBox): ReturnType<typeof mailAdapterFactory>;
  addMailbox(address: string): { provider: 'graph' | 'gmail'; settings: Record<string, unknown>; secrets?: Record<string, string> };
  deliver(to: string, mail: { messageId: string; from: string; fromName: string; subject: string; body: string; at: string; dateHeader: string }): { thread: string };
  setClock(iso: string): void;
  sentFrom(address: string): Sent[];
  /** The requests that sent mail from `address` (to see how an answer was made). */
  sendRequests(address: string): string[];
}

function graphProvider(): Provider {
  const graph = new FakeGraph();
  return {
    name: 'graph',
    start: async () => {
      await graph.start();
      graph.addApp({ tenant: ENTRA_TENANT, clientId: CLIENT_ID, secret: 'right~secret', roles: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'] });
    },
    stop: () => graph.stop(),
    adapters: () => mailAdapterFactory({ microsoftGraph: { authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca }, google: undefined }),
    addMailbox: (address) => {
      graph.addMailbox(address);
      return { provider: 'graph', settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: 'right~secret' } };
    },
    deliver: (to, mail) => {
      const conversationId = `AAQkAD-buyer-${randomBytes(4).toString('hex')}`;
      graph.addMessage(to, {
        folder: 'inbox',
        internetMessageId: mail.messageId,
        internetMessageHeaders: [{ name: 'Date', value: mail.dateHeader }, { name: 'Message-ID', value: mail.messageId }],
        conversationId,
        from: { name: mail.fromName, address: mail.from },
        to: [{ address: to }],
        subject: mail.subject,
        receivedDateTime: mail.at,
        sentDateTime: mail.at,
        body: mail.body,
      });
      return { thread: conversationId };
    },
    setClock: (iso) => {
      graph.now = () => Date.parse(iso);
    },
    sentFrom: (address) =>
      graph
        .messagesOf(address)
        .filter((m) => m.folder === 'sentitems' && !m.removed)
        .map((m) => ({ from: m.from.address, to: m.to.map((a) => a.address), subject: m.subject, inReplyTo: m.inReplyTo ?? null, references: m.references ?? [], thread: m.conversationId, headers: Object.fromEntries((m.customHeaders ?? []).map((h) => [h.name.toLowerCase(), h.value])), body: m.body })),
    sendRequests: (address) => graph.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/v1.0/users/${encodeURIComponent(address)}/messages`) && !r.path.endsWith('/send')).map((r) => `${r.path.replace(/^.*\/messages/, 'messages').replace(/messages\/[^/]+\//, 'messages/{id}/')}${r.body.startsWith('{') ? ' json' : ' mime'}`),
  };
}

function gmailProvider(): Provider {
  const gmail = new FakeGmail();
  const header = (headers: { name: string; value: string }[], name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? null;
  return {
    name: 'gmail',
    start: async () => {
      await gmail.start();
      gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    },
    stop: () => gmail.stop(),
    adapters: (store, box) => {
      const google = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, box);
      return mailAdapterFactory({ microsoftGraph: { authorityHost: 'https://login.invalid', graphBaseUrl: 'https://graph.invalid' }, google });
    },
    addMailbox: (address) => {
      gmail.addUser(address);
      return { provider: 'gmail', settings: {} };
    },
    deliver: (to, mail) => {
      const text = Buffer.from(mail.body, 'utf8');
      const delivered = gmail.deliver(to, {
        labelIds: ['INBOX', 'UNREAD'],
        internalDate: Date.parse(mail.at),
        headers: [
          { name: 'From', value: `${mail.fromName} <${mail.from}>` },
          { name: 'To', value: to },
          { name: 'Subject', value: mail.subject },
          { name: 'Date', value: mail.dateHeader },
          { name: 'Message-ID', value: mail.messageId },
        ],
        payload: { mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset=UTF-8' }], body: { size: text.length, data: text.toString('base64url') } },
      });
      return { thread: delivered.threadId };
    },
    setClock: (iso) => {
      gmail.now = () => Date.parse(iso);
    },
    sentFrom: (address) =>
      gmail.sentMessages(address).map((m) => {
        const source = m.headers;
        const raw = gmail.requests.find((r) => r.path.endsWith('/messages/send') && Buffer.from(String((r.body as { raw?: string }).raw ?? ''), 'base64url').toString('utf8').includes(header(source, 'message-id') ?? '\u0000'));
        const mime = raw ? Buffer.from(String((raw.body as { raw: string }).raw), 'base64url').toString('utf8') : '';
        const body = Buffer.from(mime.split(/\r\n\r\n/).slice(1).join('').replace(/\r\n/g, ''), 'base64').toString('utf8');
        const subject = (header(source, 'subject') ?? '').replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_w, b: string) => Buffer.from(b, 'base64').toString('utf8'));
        return { from: header(source, 'from') ?? '', to: (header(source, 'to') ?? '').split(/,\s*/), subject, inReplyTo: header(source, 'in-reply-to'), references: (header(source, 'references') ?? '').split(/\s+/).filter(Boolean), thread: m.threadId, headers: Object.fromEntries(source.map((h) => [h.name.toLowerCase(), h.value])), body };
      }),
    sendRequests: (address) => gmail.requests.filter((r) => r.user === address && r.method === 'POST' && r.path.endsWith('/messages/send')).map((r) => `messages.send${(r.body as { threadId?: string }).threadId ? ' threadId' : ''}`),
  };
}

describe.each(storeKinds().flatMap((kind) => [graphProvider, gmailProvider].map((make) => ({ kind, make, label: `${make === graphProvider ? 'Microsoft 365 (Graph)' : 'Workspace (Gmail)'} on ${kind.name}` }))))('the team inbox flow through a $label role mailbox', ({ kind, make }) => {
  const provider = make();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let second: Store;
  let t: SeededTenant;
  let adapterFor: ReturnType<typeof mailAdapterFactory>;
  let role: string;
  let roleMailboxId: string;
  let lindaMailboxId: string;
  let inboxId: string;
  let linda: Principal;
  let admin: Principal;
  let inquiry: { messageId: string; thread: string };
  let conversationId: string;

  const sync = (s: Store, mailboxId: string, at: string) => runSyncPass(s.db, s.dialect, { instanceId: s === store ? 'one' : 'two', adapterFor, box, pageSize: 20, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, mailboxId, ignoreSchedule: true, now: () => new Date(at) });
  const conversation = () => t.tdb.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  const messagesOf = () => t.tdb.selectFrom('mail_messages').select(['mailbox_id', 'folder', 'direction', 'auto_verdict', 'from_address', 'subject']).where('conversation_id', '=', conversationId).orderBy('received_at').orderBy('direction').execute();

  beforeAll(async () => {
    await provider.start();
    store = await kind.open();
    second = kind.name === 'postgres' ? openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema!, poolSize: 4 }) : store;
    t = await seedTenant(store, `tp${provider.name}${kind.name}`);
    const op = operator(t.tenantId);
    const domain = `${t.slug}.test`;
    role = `info@${domain}`;
    const lindaUser = await addUser(t.tdb, op, { email: `linda@${domain}`, name: 'Linda Chen', groups: [t.groupSlug], locale: 'en', timeZone: 'Europe/Madrid' });
    linda = { tenantId: t.tenantId, userId: lindaUser.id, email: lindaUser.email, role: 'rep', permissions: permissionsOfRole('rep'), label: lindaUser.email, via: 'api-key' };
    admin = { tenantId: t.tenantId, userId: t.admin.id, email: t.admin.email, role: 'admin', permissions: permissionsOfRole('admin'), label: t.admin.email, via: 'api-key' };
    await pushPack(t.tdb, op, DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
    await pushPack(t.tdb, op, routingPack(t.groupSlug).replace('LINDA', lindaUser.email));
    adapterFor = provider.adapters(store, box);
    // The role mailbox and Linda's own mailbox, connected as an admin connects them.
    roleMailboxId = (await addMailbox(t.tdb, op, box, { address: role, ...provider.addMailbox(role) }, { backfillDays: 30, now: new Date(T.connect) })).id;
    lindaMailboxId = (await addMailbox(t.tdb, op, box, { address: lindaUser.email, ...provider.addMailbox(lindaUser.email) }, { backfillDays: 30, now: new Date(T.connect) })).id;
    const inbox = await configureTeamInbox(t.tdb, op, roleMailboxId, {
      groups: [t.groupSlug],
      manager: t.admin.email,
      calendar: { country: null, timeZone: 'Europe/Madrid', start: '09:00', end: '18:00' },
      acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' },
      handOff: { pack: 'demo-export', template: 'team-hand-off' },
    });
    inboxId = inbox.id;
  });
  afterAll(async () => {
    if (second !== store) await second.close();
    await store.close();
    await provider.stop();
  });

  it('syncs the inquiry once across two instances, routes it to Linda, tags it and queues one acknowledgement', async () => {
    // The backfill of both mailboxes (empty), before the inquiry: what comes next is live mail.
    for (const id of [roleMailboxId, lindaMailboxId]) expect((await sync(store, id, T.connect))[0]?.error ?? null).toBeNull();
    inquiry = { messageId: `<inq-${t.slug}@importadora.es>`, thread: '' };
    inquiry.thread = provider.deliver(role, { messageId: inquiry.messageId, from: 'maria@importadora.es', fromName: 'María García', subject: 'Consulta: precio de baldosas cerámicas', body: 'Buenos días,\nles rogamos nos envíen su mejor precio para dos contenedores de baldosas cerámicas.\nSaludos, María', at: T.inquiry, dateHeader: 'Tue, 3 Nov 2026 09:00:00 +0100' }).thread;
    const passes = await Promise.all([sync(store, roleMailboxId, T.routed), sync(second, roleMailboxId, T.routed)]);
    expect(passes.flat().reduce((n, r) => n + r.stored, 0)).toBe(1);
    const stored = await t.tdb.selectFrom('mail_messages').select(['conversation_id', 'provider_thread_id', 'language']).where('message_key', '=', inquiry.messageId.slice(1, -1)).execute();
    expect(stored).toEqual([{ conversation_id: expect.any(String), provider_thread_id: inquiry.thread, language: 'es' }]);
    conversationId = stored[0]!.conversation_id;
    // 24 business hours of 09:00–18:00 Madrid from Tue 09:00 → Thu 15:00 Madrid (14:00Z).
    expect(await conversation()).toMatchObject({ team_inbox_id: inboxId, state: 'assigned', assignee_id: linda.userId, tags: JSON.stringify(['high-intent']), clock_started_at: T.inquiry, due_at: '2026-11-05T14:00:00.000Z', responded_at: null });
    const queued = await t.tdb.selectFrom('team_mail').select(['kind', 'status', 'to_address']).where('conversation_id', '=', conversationId).orderBy('kind').execute();
    expect(queued).toEqual([
      { kind: 'ack', status: 'pending', to_address: 'maria@importadora.es' },
      { kind: 'notify', status: 'pending', to_address: t.admin.email },
    ]);
  });

  it('acknowledges once across two instances, from the role address, in Spanish, as a reply in the buyer\'s thread', async () => {
    provider.setClock(T.ack);
    const pass = (s: Store) => runTeamMailPass(s.db, { adapterFor, box, instanceId: s === store ? 'one' : 'two', now: new Date(T.ack), publicUrl: 'https://store.example.test', random: () => 0.5 });
    const results = await Promise.all([pass(store), pass(second)]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(2);
    const sent = provider.sentFrom(role);
    const acks = sent.filter((m) => m.to.includes('maria@importadora.es'));
    expect(acks).toHaveLength(1);
    const ack = acks[0]!;
    expect(ack.subject).toBe('Re: Consulta: precio de baldosas cerámicas');
    expect(ack.inReplyTo).toBe(inquiry.messageId);
    expect(ack.references).toContain(inquiry.messageId);
    // Threaded by the provider itself: Exchange's conversation, Gmail's thread.
    expect(ack.thread).toBe(inquiry.thread);
    expect(ack.body).toContain('Hemos recibido su consulta');
    expect(ack.headers['x-auto-response-suppress']).toBe('All');
    if (provider.name === 'gmail') expect(ack.headers['auto-submitted']).toBe('auto-replied');
    // Graph: createReply on the inquiry's id as the sync stored it (no lookup needed); Gmail: in the thread.
    expect(provider.sendRequests(role).sort()).toEqual(provider.name === 'graph' ? ['messages json', 'messages/{id}/createReply json'] : ['messages.send', 'messages.send threadId']);
    expect(await pass(store)).toMatchObject({ sent: 0 });
  });

  it('the next sync files the acknowledgement and the manager\'s notice from Sent in the conversation: automatic, internal, clock running, no new conversation', async () => {
    await sync(store, roleMailboxId, T.resync);
    expect(await messagesOf()).toEqual([
      { mailbox_id: roleMailboxId, folder: 'inbox', direction: 'inbound', auto_verdict: 'none', from_address: 'maria@importadora.es', subject: 'Consulta: precio de baldosas cerámicas' },
      { mailbox_id: roleMailboxId, folder: 'sent', direction: 'internal', auto_verdict: 'none', from_address: role, subject: `New inquiry to ${role}: Consulta: precio de baldosas cerámicas` },
      { mailbox_id: roleMailboxId, folder: 'sent', direction: 'outbound', auto_verdict: 'auto-reply', from_address: role, subject: 'Re: Consulta: precio de baldosas cerámicas' },
    ]);
    expect(await t.tdb.selectFrom('conversations').select('id').execute()).toEqual([{ id: conversationId }]);
    expect(await conversation()).toMatchObject({ state: 'assigned', responded_at: null, last_writer: 'buyer', first_response_at: null });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', conversationId).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([]);
  });

  it('Linda hands off from her own mailbox, which never held the inquiry: In-Reply-To and References carry the thread', async () => {
    const preview = await handOffPreview(t.tdb, linda, conversationId, new Date(T.handOff));
    expect(preview).toMatchObject({ via: 'own-mailbox', from: { address: linda.email, name: 'Linda Chen' }, to: 'maria@importadora.es', language: 'es', inReplyTo: inquiry.messageId, ownership: { owner: null, ownedByOther: false } });
    provider.setClock(T.handOff);
    const result = await sendHandOff(t.tdb, linda, conversationId, { subject: preview.subject, text: `${preview.text}\n\nP.D. Las muestras están listas.` }, { adapterFor, box }, new Date(T.handOff));
    expect(result).toMatchObject({ via: 'own-mailbox', from: linda.email, owner: { email: linda.email } });
    const sent = provider.sentFrom(linda.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'Re: Consulta: precio de baldosas cerámicas', inReplyTo: inquiry.messageId, references: [inquiry.messageId] });
    expect(sent[0]!.body).toContain('Las muestras están listas');
    // Graph: no copy of the inquiry in Linda's mailbox (looked up by Message-ID), so a MIME draft; Gmail: no thread of hers to keep.
    expect(provider.sendRequests(linda.email)).toEqual(provider.name === 'graph' ? ['messages mime'] : ['messages.send']);
    expect(sent[0]!.thread).not.toBe(inquiry.thread);
    // The clock runs until the sync sees the reply.
    expect(await conversation()).toMatchObject({ responded_at: null });
  });

  it('the sync of Linda\'s mailbox sees the reply: clock stopped at her send, first response and the buyer\'s company hers; the figures show it', async () => {
    await sync(store, lindaMailboxId, T.seen);
    await sync(store, roleMailboxId, T.seen);
    const messages = await messagesOf();
    expect(messages.at(-1)).toEqual({ mailbox_id: lindaMailboxId, folder: 'sent', direction: 'outbound', auto_verdict: 'none', from_address: linda.email, subject: 'Re: Consulta: precio de baldosas cerámicas' });
    expect(messages).toHaveLength(4);
    expect(await t.tdb.selectFrom('conversations').select('id').execute()).toEqual([{ id: conversationId }]);
    expect(await conversation()).toMatchObject({ state: 'answered', responded_at: T.handOff, assignee_id: linda.userId, last_writer: 'us' });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', conversationId).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([linda.userId]);
    const company = await t.tdb.selectFrom('customers').select(['name', 'owner_id']).where('owner_id', '=', linda.userId).execute();
    expect(company).toEqual([{ name: 'Importadora', owner_id: linda.userId }]);
    const figures = await teamFigures(t.tdb, admin, inboxId, { since: '2026-11-01T00:00:00.000Z', until: '2026-11-04T00:00:00.000Z' }, new Date(T.seen));
    expect(figures.reps.filter((r) => r.answered > 0)).toEqual([expect.objectContaining({ rep: expect.objectContaining({ email: linda.email }), answered: 1, p50BusinessMinutes: 150, p90BusinessMinutes: 150, breaches: 0 })]);
    expect(figures.regions).toEqual([expect.objectContaining({ region: 'europe', answered: 1, p50BusinessMinutes: 150 })]);
  });

  it('a hand-off as the role address (Omar has no mailbox) answers in the thread; its copy in Sent stops the clock for Omar, not for info@', async () => {
    const op = operator(t.tenantId);
    const omarUser = await addUser(t.tdb, op, { email: `omar@${t.slug}.test`, name: 'Omar Haddad', groups: [t.groupSlug], locale: 'en', timeZone: 'Asia/Dubai' });
    const omar: Principal = { tenantId: t.tenantId, userId: omarUser.id, email: omarUser.email, role: 'rep', permissions: permissionsOfRole('rep'), label: omarUser.email, via: 'api-key' };
    // A German inquiry no rule assigns; the acknowledgement is left out of this one (skipped below).
    const second = provider.deliver(role, { messageId: `<anfrage-${t.slug}@hamburg-import.de>`, from: 'hans@hamburg-import.de', fromName: 'Hans Weber', subject: 'Anfrage Fliesen', body: 'Guten Tag,\nbitte senden Sie uns Ihr Angebot für zwei Container Fliesen.\nHans Weber', at: '2026-11-03T12:00:00.000Z', dateHeader: 'Tue, 3 Nov 2026 13:00:00 +0100' });
    await sync(store, roleMailboxId, '2026-11-03T12:00:10.000Z');
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('subject', '=', 'Anfrage Fliesen').executeTakeFirstOrThrow();
    expect(conv).toMatchObject({ team_inbox_id: inboxId, state: 'new', assignee_id: null });
    await t.tdb.updateTable('team_mail', { status: 'skipped' }).where('conversation_id', '=', conv.id).execute();
    const preview = await handOffPreview(t.tdb, omar, conv.id, new Date('2026-11-03T13:00:00.000Z'));
    expect(preview).toMatchObject({ via: 'role-address', from: { address: role, name: 'Omar Haddad' }, language: 'de' });
    provider.setClock('2026-11-03T13:00:00.000Z');
    await sendHandOff(t.tdb, omar, conv.id, { subject: preview.subject, text: preview.text }, { adapterFor, box }, new Date('2026-11-03T13:00:00.000Z'));
    const sent = provider.sentFrom(role).filter((m) => m.to.includes('hans@hamburg-import.de'));
    expect(sent).toHaveLength(1);
    // From the role mailbox, which holds the inquiry: the provider's own thread.
    expect(sent[0]).toMatchObject({ subject: 'Re: Anfrage Fliesen', inReplyTo: `<anfrage-${t.slug}@hamburg-import.de>`, thread: second.thread });
    await sync(store, roleMailboxId, '2026-11-03T13:01:00.000Z');
    const copy = await t.tdb.selectFrom('mail_messages').select(['direction', 'auto_verdict', 'conversation_id']).where('mailbox_id', '=', roleMailboxId).where('folder', '=', 'sent').where('subject', '=', 'Re: Anfrage Fliesen').execute();
    expect(copy).toEqual([{ direction: 'outbound', auto_verdict: 'none', conversation_id: conv.id }]);
    expect(await t.tdb.selectFrom('conversations').select(['state', 'responded_at', 'assignee_id']).where('id', '=', conv.id).executeTakeFirstOrThrow()).toEqual({ state: 'answered', responded_at: '2026-11-03T13:00:00.000Z', assignee_id: omar.userId });
    expect((await t.tdb.selectFrom('team_responses').select('responder_id').where('conversation_id', '=', conv.id).orderBy('clock_started_at').execute()).map((r) => r.responder_id)).toEqual([omar.userId]);
    expect(await t.tdb.selectFrom('conversations').select('id').execute()).toHaveLength(2);
  });
});
