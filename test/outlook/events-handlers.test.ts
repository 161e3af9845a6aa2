import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { listSignatureStates } from '../../src/server/services/compliance.js';
import { bearer, operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { configureTeamInbox } from '../../src/server/services/team-inbox.js';
import { installOffice, messageState, uninstallOffice, type MessageState } from './office-stand-in.js';

/**
 * The event bundle's handlers, captured from Office.actions.associate as Outlook (and the
 * playground) does, driven against a real store listening on 127.0.0.1.
 */

type Completion = { allowEvent?: boolean; errorMessage?: string; cancelLabel?: string; commandId?: string; sendModeOverride?: string } | null;

const storage = new Map<string, string>();
const associated: Record<string, (event: unknown) => unknown> = {};
const MARK = /data-tradepane-signature=/g;
const copies = (body: string) => (body.match(MARK) ?? []).length;

function signaturePack(slug: string, groups: string[], onSend: 'block' | 'warn' | 'off', title = 'Sales'): string {
  return `${packYaml(slug, groups)}signatures:
  - id: standard
    enforce: true
    body: "<p><b>{{ rep.name }}</b> · ${title}<br>{{ rep.email }}</p>"
policies:
  signatureOnSend: ${onSend}
`;
}

async function run(name: string): Promise<Completion[]> {
  const completions: Completion[] = [];
  const handler = associated[name];
  if (!handler) throw new Error(`no handler registered as ${name}`);
  await handler({ completed: (options?: Completion) => completions.push(options ?? null) });
  return completions;
}

let bundleLoaded = false;
async function loadBundle(state: MessageState): Promise<void> {
  if (bundleLoaded) return;
  installOffice(state);
  await import('../../src/outlook/events/index.js');
  Object.assign(associated, state.associated);
  bundleLoaded = true;
}

describe.each(storeKinds())('Outlook event handlers against the store on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let acme: SeededTenant;
  let baseUrl: string;
  let state: MessageState;

  beforeAll(async () => {
    store = await kind.open();
    acme = await seedTenant(store, 'acme');
    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'block'));
    app = await testApp(store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    uninstallOffice();
    delete (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__;
    await app.close();
    await store.close();
  });

  function signIn(url = baseUrl): void {
    (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__ = { storeUrl: url, dev: false, clientId: null, apiScope: null };
    storage.set('tradepane:store-token', JSON.stringify({ token: acme.rep.key, expiresAt: Date.now() + 3_600_000, source: 'dev' }));
  }

  /** Only Date is faked: the client-time answer depends on it; timers and I/O stay real. */
  function at(iso: string): void {
    jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
  }

  afterAll(() => {
    jest.useRealTimers();
  });

  beforeEach(async () => {
    at('2025-06-03T08:00:00Z'); // Tuesday 10:00 in Germany: inside Hans's business hours
    storage.clear();
    state = messageState({ storage, to: [{ displayName: 'Hans', emailAddress: 'hans@buyer-of-acme.de' }], body: '<html><body><div>Hello Hans</div></body></html>' });
    await loadBundle(state);
    installOffice(state, { displayLanguage: 'en-US' });
    signIn();
  });

  it('registers every handler the manifests name', async () => {
    const { HANDLERS } = await import('../../src/outlook/events/names.js');
    expect(Object.keys(associated).sort()).toEqual(Object.values(HANDLERS).sort());
  });

  it('new compose: inserts the signature once, turns off the Outlook signature, and completes', async () => {
    expect(await run('onNewMessageComposeHandler')).toEqual([null]);
    expect(copies(state.body)).toBe(1);
    expect(state.body).toContain('Rep acme');
    expect(state.clientSignatureEnabled).toBe(false);
    expect(state.calls.filter((c) => c === 'body.setSignatureAsync')).toHaveLength(1);

    // Fired again (reopened draft, From switched back): still one copy, nothing rewritten.
    await run('onMessageFromChangedHandler');
    expect(copies(state.body)).toBe(1);
    expect(state.calls.filter((c) => c === 'body.setSignatureAsync' || c === 'body.setAsync')).toHaveLength(1);
  });

  it('From changed: an edited signature is replaced, not stacked', async () => {
    await run('onNewMessageComposeHandler');
    state.body = state.body.replace('Rep acme', 'Someone else');
    await run('onMessageFromChangedHandler');
    expect(copies(state.body)).toBe(1);
    expect(state.body).toContain('Rep acme');
    expect(state.body).not.toContain('Someone else');
  });

  it('two stacked copies become one', async () => {
    await run('onNewMessageComposeHandler');
    const signature = /<div id="tradepane-signature"[\s\S]*?<\/p><\/div>/.exec(state.body)?.[0];
    expect(signature).toBeDefined();
    state.body = state.body.replace('<div>Hello Hans</div>', `<div>Hello Hans</div>${signature}`);
    expect(copies(state.body)).toBe(2);
    await run('onMessageFromChangedHandler');
    expect(copies(state.body)).toBe(1);
  });

  it('send: lets an intact message go and reports the state to the store', async () => {
    await run('onNewMessageComposeHandler');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    const states = await listSignatureStates(acme.tdb);
    expect(states.find((s) => s.address === 'rep@demo.tradepane.test')).toMatchObject({ state: 'ok' });
  });

  it('send: blocks a message whose signature was removed, offering to add it back', async () => {
    await run('onNewMessageComposeHandler');
    state.body = '<html><body><div>Hello Hans</div></body></html>';
    const [completion] = await run('onMessageSendHandler');
    expect(completion).toMatchObject({ allowEvent: false, commandId: 'TradepaneReinsertSignature', cancelLabel: 'Add signature' });
    expect(completion?.errorMessage).toMatch(/signature is missing/);
    expect(completion?.sendModeOverride).toBeUndefined(); // block: no "send anyway"
    const states = await listSignatureStates(acme.tdb);
    expect(states.find((s) => s.address === 'rep@demo.tradepane.test')).toMatchObject({ state: 'missing' });

    // The dialog's action puts it back, and the next send goes through.
    expect(await run('reinsertSignature')).toEqual([null]);
    expect(copies(state.body)).toBe(1);
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });

  it('send: blocks an altered signature with the message in Chinese when Office is', async () => {
    await run('onNewMessageComposeHandler');
    installOffice(state, { displayLanguage: 'zh-CN' });
    state.body = state.body.replace('Rep acme', 'Rep acme (on leave)');
    const [completion] = await run('onMessageSendHandler');
    expect(completion).toMatchObject({ allowEvent: false, cancelLabel: '添加签名' });
    expect(completion?.errorMessage).toContain('签名已被修改');
  });

  it('send: warn lets the rep send anyway, off does not check', async () => {
    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'warn', 'Sales warn'));
    await run('onNewMessageComposeHandler');
    state.body = '<html><body><div>Hello</div></body></html>';
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toMatchObject({ allowEvent: false, sendModeOverride: 'promptUser' });

    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'off', 'Sales off'));
    storage.delete('tradepane:signature');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);

    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'block'));
  });

  it('store unreachable: a removed signature is still blocked from the cache; without a cache the mail goes', async () => {
    await run('onNewMessageComposeHandler'); // caches the signature
    signIn('http://127.0.0.1:9'); // nothing listens on the discard port
    storage.set('tradepane:signature', JSON.stringify({ ...JSON.parse(storage.get('tradepane:signature')!), fetchedAt: 0 })); // stale
    state.body = '<html><body><div>Hello</div></body></html>';
    const [blocked] = await run('onMessageSendHandler');
    expect(blocked).toMatchObject({ allowEvent: false });

    storage.delete('tradepane:signature');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    expect(await run('onNewMessageComposeHandler')).toEqual([null]); // nothing to insert, still completes
  });

  it("send outside the client's business hours: offers to schedule for their morning, which sets the delivery time", async () => {
    await run('onNewMessageComposeHandler');
    at('2025-06-07T12:00:00Z'); // Saturday in Germany
    signIn(); // a token valid at the new "now"
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toMatchObject({ allowEvent: false, sendModeOverride: 'promptUser', commandId: 'TradepaneScheduleSend', cancelLabel: 'Schedule for 09:00' });
    expect(warned?.errorMessage).toContain('Hans');

    expect(await run('scheduleForClientMorning')).toEqual([null]);
    const answer = await app.inject({ method: 'GET', url: `/api/v1/client-time?email=hans%40buyer-of-acme.de&now=${encodeURIComponent('2025-06-07T12:00:00Z')}`, headers: bearer(acme.rep.key) });
    const nextSlot = (answer.json() as { nextSlot: string }).nextSlot;
    expect(state.delayDeliveryTime).toEqual(new Date(nextSlot));
    expect(new Date(nextSlot).toISOString()).toBe('2025-06-10T07:00:00.000Z'); // Tuesday 09:00 Berlin: Monday is Whit Monday
    expect(state.notifications['tradepane-schedule']?.message).toMatch(/Scheduled/);

    // Scheduled now: the send goes through without asking again.
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });

  it('send outside hours in zh-TW: the whole alert is Chinese, the status too (one language rule with the task pane)', async () => {
    await run('onNewMessageComposeHandler');
    at('2025-06-07T12:00:00Z'); // Saturday 14:00 in Berlin
    signIn();
    installOffice(state, { displayLanguage: 'zh-TW' });
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toMatchObject({ allowEvent: false, cancelLabel: '定时到对方 09:00' });
    expect(warned?.errorMessage).toContain('休息：星期六不是德国的工作日');
    // no English word except the name and the zone-less clock
    expect(warned?.errorMessage?.replace('Hans', '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('"schedule for their 09:00" while they are open: their next business morning, not now', async () => {
    await run('onNewMessageComposeHandler');
    at('2025-06-04T09:00:00Z'); // Wednesday 11:00 in Berlin, open
    signIn();
    expect(await run('scheduleForClientMorning')).toEqual([null]);
    expect(state.delayDeliveryTime).toEqual(new Date('2025-06-05T07:00:00.000Z')); // Thursday 09:00+02
  });

  it('send in a team inbox conversation: warns when a colleague answered after the rep opened it, in English and Chinese; fails open', async () => {
    const op = operator(acme.tenantId);
    const box = new SecretBox(randomBytes(32));
    const mailbox = await addMailbox(acme.tdb, op, box, { provider: 'imap', address: 'info@acme.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 1 });
    await configureTeamInbox(acme.tdb, op, mailbox.id, { groups: [acme.groupSlug] });
    const linda = await addUser(acme.tdb, op, { email: 'linda@acme.test', name: 'Linda Chen', groups: [acme.groupSlug] });
    const conv = newId();
    const asked = '2025-06-03T06:00:00.000Z';
    await acme.tdb.insert('conversations', { id: conv, subject: 'Pumps for Hamburg', subject_key: 'pumps for hamburg', participants: '["hans@buyer-of-acme.de"]', customer_ids: '[]', customer_id: null, first_message_at: asked, last_message_at: asked, last_inbound_at: asked, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: (await acme.tdb.selectFrom('team_inboxes').select('id').executeTakeFirstOrThrow()).id, created_at: asked, updated_at: asked });
    const message = (id: string, from: string, direction: 'inbound' | 'outbound', at: string) => ({ id, mailbox_id: mailbox.id, conversation_id: conv, provider_id: id, folder: direction === 'inbound' ? ('inbox' as const) : ('sent' as const), message_key: `${id}@acme.test`, provider_thread_id: 'AAQk-team-thread', from_address: from, from_name: from === linda.email ? 'Linda Chen' : null, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 1, attachments: '[]', received_at: at, subject: 'Pumps for Hamburg', direction, auto_verdict: 'none' as const, language: 'en', excerpt: '', created_at: at, date_header: null });
    await acme.tdb.insert('mail_messages', message(newId(), 'hans@buyer-of-acme.de', 'inbound', asked));
    state.conversationId = 'AAQk-team-thread';
    state.subject = 'RE: Pumps for Hamburg';
    installOffice(state, { displayLanguage: 'en-US' }); // the mock copies the item when installed
    await run('onNewMessageComposeHandler');
    // Nobody has answered: the mail goes.
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    // Linda answers at 07:30 (the rep never opened the conversation in a face: the buyer's last mail is the mark).
    await acme.tdb.insert('mail_messages', message(newId(), linda.email, 'outbound', '2025-06-03T07:30:00.000Z'));
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toMatchObject({ allowEvent: false, sendModeOverride: 'promptUser' });
    expect(warned?.errorMessage).toMatch(/^Linda Chen already answered this conversation \(.+\), after you opened it\./);
    installOffice(state, { displayLanguage: 'zh-CN' });
    const [zh] = await run('onMessageSendHandler');
    expect(zh?.errorMessage).toMatch(/^Linda Chen 已在您打开此会话后回复了客户/);
    // Another conversation: no warning.
    state.conversationId = 'AAQk-other-thread';
    state.subject = 'Another matter';
    installOffice(state, { displayLanguage: 'en-US' });
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    // Found by the thread alone (a subject the rep rewrote), and the store unreachable: the check fails open.
    state.conversationId = 'AAQk-team-thread';
    installOffice(state, { displayLanguage: 'en-US' });
    expect((await run('onMessageSendHandler'))[0]).toMatchObject({ allowEvent: false });
    signIn('http://127.0.0.1:9');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });

  it('send to another rep\'s buyer: warns naming the owner, in English and Chinese; not for the rep\'s own buyer; fails open', async () => {
    const op = operator(acme.tenantId);
    const linda = (await acme.tdb.selectFrom('users').select(['id', 'email']).where('email', '=', 'linda@acme.test').executeTakeFirst()) ?? (await addUser(acme.tdb, op, { email: 'linda@acme.test', name: 'Linda Chen', groups: [acme.groupSlug] }));
    // A new mail (no thread) to Hans, whose company nobody owns yet: it goes.
    state.conversationId = ''; // a new message has no conversation yet
    state.subject = 'Our new catalogue';
    installOffice(state, { displayLanguage: 'en-US' });
    await run('onNewMessageComposeHandler');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    // Linda owns "Customer of acme" (buyer-of-acme.de) from now on.
    await acme.tdb.updateTable('customers', { owner_id: linda.id }).where('id', '=', acme.customerId).execute();
    const [warned] = await run('onMessageSendHandler');
    expect(warned).toEqual({ allowEvent: false, sendModeOverride: 'promptUser', errorMessage: "Customer of acme (hans@buyer-of-acme.de) is Linda Chen's buyer. Agree with Linda Chen before you write to them, or send anyway." });
    installOffice(state, { displayLanguage: 'zh-CN' });
    const [zh] = await run('onMessageSendHandler');
    expect(zh?.errorMessage).toBe('Customer of acme（hans@buyer-of-acme.de）是 Linda Chen 的客户。请先与 Linda Chen 商定再联系对方，或仍要发送。');
    // The rep's own buyer is no warning.
    await acme.tdb.updateTable('customers', { owner_id: acme.rep.id }).where('id', '=', acme.customerId).execute();
    installOffice(state, { displayLanguage: 'en-US' });
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    await acme.tdb.updateTable('customers', { owner_id: linda.id }).where('id', '=', acme.customerId).execute();
    signIn('http://127.0.0.1:9');
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
    await acme.tdb.updateTable('customers', { owner_id: null }).where('id', '=', acme.customerId).execute();
  });

  it('with no token at all, compose still completes and send fails open', async () => {
    storage.clear();
    expect(await run('onNewMessageComposeHandler')).toEqual([null]);
    expect(copies(state.body)).toBe(0);
    expect(await run('onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });
});

describe.each(storeKinds())('GET /me/signature revalidation on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let acme: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    acme = await seedTenant(store, 'acme');
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers 304 to its ETag until the signature pack or the profile changes', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/v1/me/signature', headers: bearer(acme.rep.key) });
    expect(none.statusCode).toBe(404);
    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'block'));
    const first = await app.inject({ method: 'GET', url: '/api/v1/me/signature', headers: bearer(acme.rep.key) });
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.inject({ method: 'GET', url: '/api/v1/me/signature', headers: { ...bearer(acme.rep.key), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await pushPack(acme.tdb, operator(acme.tenantId), signaturePack('acme-signature', [acme.groupSlug], 'block', 'Export'));
    const changed = await app.inject({ method: 'GET', url: '/api/v1/me/signature', headers: { ...bearer(acme.rep.key), 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().html).toContain('Export');
  });
});
