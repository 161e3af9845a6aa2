import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { loadConfig } from '../../src/server/config.js';

/** The adapters as the store builds them, with no Google set up (these tests use IMAP). */
const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
import { claimMailbox, runSyncPass, type AdapterFactory, type PageEvent, type SyncOptions } from '../../src/server/mail/sync.js';
import type { MailboxAdapter } from '../../src/server/mail/types.js';
import { addMailbox, removeMailbox } from '../../src/server/services/mailboxes.js';
import { listConversations } from '../../src/server/services/conversations.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, imapClient, sandboxAddress, SANDBOX_PASSWORD, SHARED_READER, sharedMailboxSettings, type TestMail } from '../support/dovecot.js';

/**
 * The sync engine against the real Dovecot (.ci/dovecot.sh), on SQLite and PostgreSQL: backfill
 * in pages, incremental passes, UIDVALIDITY change → resync, two workers racing for a mailbox, a
 * pass that dies mid-page, and "which buyer mails have had no answer for 24 hours".
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('mailbox sync from Dovecot on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  // Whole seconds: IMAP internal dates carry no milliseconds.
  const T = new Date(Math.floor(Date.now() / 1000) * 1000);
  let clock = T;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `ms${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  const options = (extra: Partial<SyncOptions> = {}): SyncOptions => ({
    instanceId: 'w1',
    adapterFor: createAdapter,
    box,
    pageSize: 3,
    backfillDays: 30,
    intervalMs: 60_000,
    leaseMs: 60_000,
    threadWindowDays: 30,
    backoffBaseMs: 10,
    backoffCapMs: 1000,
    now: () => clock,
    ...extra,
  });

  async function connect(address: string) {
    clock = T;
    return addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30, now: T });
  }
  const sync = (mailboxId: string, extra: Partial<SyncOptions> = {}) => runSyncPass(store.db, store.dialect, { ...options(extra), mailboxId, ignoreSchedule: true });
  const rows = (mailboxId: string) => store.db.selectFrom('mail_messages').selectAll().where('mailbox_id', '=', mailboxId).orderBy('received_at').execute();
  const mailboxRow = async (mailboxId: string) => (await store.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirst())!;
  const mail = (id: string, hoursAgo: number, m: Partial<TestMail> = {}): TestMail => ({
    id: `${id}@mail.test`,
    from: 'Ali Hassan <ali@gulf-trading.example>',
    to: ['rep@sandbox.test'],
    subject: `Mail ${id}`,
    date: new Date(T.getTime() - hoursAgo * HOUR),
    body: 'Hello,\r\nplease send us your best price for two containers of ceramic tiles.\r\n',
    ...m,
  });

  it('backfills the window in pages with progress, then picks up only what is new, never storing a message twice', async () => {
    const address = sandboxAddress('backfill');
    const mb = await connect(address);
    const inbox = [1, 2, 3, 4, 5, 6].map((i) => mail(`in${i}-${mb.id}`, 100 - i));
    const tooOld = mail(`old-${mb.id}`, 40 * 24);
    const sent = [
      mail(`out1-${mb.id}`, 50, { from: address, to: ['ali@gulf-trading.example'], subject: 'Re: Mail in1', inReplyTo: inbox[0]!.id, references: [inbox[0]!.id] }),
      mail(`out2-${mb.id}`, 40, { from: address, to: ['buyer77@gmail.com'], subject: 'Catalogue' }),
    ];
    await deliver(address, [tooOld, ...inbox]);
    await deliver(address, sent, 'Sent');

    const { createConnector } = await import('../../src/server/services/connectors.js');
    await createConnector(t.tdb, operator(t.tenantId), box, { kind: 'webhook', name: 'conversations', settings: { url: 'https://hooks.example.test/conversations' }, secrets: { signingSecret: 'a-signing-secret-of-length' }, events: ['conversation.started', 'conversation.message'] });
    const outbox = async () => (await t.tdb.selectFrom('outbox').select(['event_type', 'event']).where('event_type', 'like', 'conversation.%').execute()).map((o) => ({ type: o.event_type, event: JSON.parse(o.event) as { message: { messageId: string; direction: string } } }));

    const events: PageEvent[] = [];
    const [first] = await sync(mb.id, { onPage: (e) => events.push(e) });
    // 6 in the inbox and 2 sent, 3 per page: inbox 3 (5 to go), inbox 3 (2 to go), sent 2 (done).
    expect(first).toMatchObject({ outcome: 'caught-up', pages: 3, stored: 8 });
    expect(events.map((e) => [e.stored, e.remaining, e.caughtUp])).toEqual([[3, 5, false], [3, 2, false], [2, 0, true]]);
    const stored = await rows(mb.id);
    expect(stored.map((r) => r.message_key).sort()).toEqual([...inbox, ...sent].map((m) => m.id).sort());
    expect(await mailboxRow(mb.id)).toMatchObject({ status: 'live', backfill_done: 8, backfill_remaining: 0, lease_owner: null, failures: 0 });

    const answered = stored.find((r) => r.message_key === sent[0]!.id)!;
    const asked = stored.find((r) => r.message_key === inbox[0]!.id)!;
    expect(answered).toMatchObject({ direction: 'outbound', folder: 'sent', conversation_id: asked.conversation_id });
    expect(asked).toMatchObject({ direction: 'inbound', from_address: 'ali@gulf-trading.example', from_name: 'Ali Hassan', utc_offset_minutes: 180, auto_verdict: 'none', language: 'en' });
    expect(asked.excerpt).toBe('Hello, please send us your best price for two containers of ceramic tiles.');

    // The buyer became a contact of a company made from the business domain; the gmail.com buyer got no company.
    const ali = await store.db.selectFrom('contacts').selectAll().where('tenant_id', '=', t.tenantId).where('email', '=', 'ali@gulf-trading.example').executeTakeFirst();
    expect(ali).toMatchObject({ first_name: 'Ali', last_name: 'Hassan', last_utc_offset: '+03:00' });
    const company = await store.db.selectFrom('customers').selectAll().where('id', '=', ali!.customer_id!).executeTakeFirst();
    expect(company?.name).toBe('Gulf Trading');
    const freeMail = await store.db.selectFrom('contacts').selectAll().where('tenant_id', '=', t.tenantId).where('email', '=', 'buyer77@gmail.com').executeTakeFirst();
    expect(freeMail?.customer_id).toBeNull();

    // The backfill replays no events into the outbox.
    expect(await outbox()).toEqual([]);

    // Incremental: two new mails and our answer to one, one page; then nothing.
    await deliver(address, [mail(`in7-${mb.id}`, 2), mail(`in8-${mb.id}`, 1)]);
    await deliver(address, [mail(`out3-${mb.id}`, 0.5, { from: address, to: ['ali@gulf-trading.example'], subject: `Re: Mail in7-${mb.id}`, inReplyTo: `in7-${mb.id}@mail.test` })], 'Sent');
    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', pages: 1, stored: 3 });
    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 0 });
    expect(await rows(mb.id)).toHaveLength(11);
    // conversation.* events for the live mail, in the same transactions, to the webhook that asked for them.
    expect((await outbox()).map((o) => [o.type, o.event.message.messageId, o.event.message.direction]).sort()).toEqual([
      ['conversation.message', `out3-${mb.id}@mail.test`, 'outbound'],
      ['conversation.started', `in7-${mb.id}@mail.test`, 'inbound'],
      ['conversation.started', `in8-${mb.id}@mail.test`, 'inbound'],
    ]);
  });

  it('a changed UIDVALIDITY resyncs the mailbox: nothing stored twice, the new mail found', async () => {
    const address = sandboxAddress('uidvalidity');
    const mb = await connect(address);
    const sent = [mail(`s1-${mb.id}`, 30, { from: address, to: ['ali@gulf-trading.example'] }), mail(`s2-${mb.id}`, 20, { from: address, to: ['ali@gulf-trading.example'] })];
    await deliver(address, [mail(`i1-${mb.id}`, 10)]);
    await deliver(address, sent, 'Sent');
    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 3 });
    const before = await rows(mb.id);

    // The server rebuilt the Sent folder (a migration, a restore): same mails, new UIDVALIDITY, plus one.
    const client = await imapClient(address);
    await client.mailboxDelete('Sent');
    await client.mailboxCreate('Sent').catch(() => undefined);
    await client.logout();
    await deliver(address, [...sent, mail(`s3-${mb.id}`, 5, { from: address, to: ['ali@gulf-trading.example'] })], 'Sent');

    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 1 });
    const after = await rows(mb.id);
    expect(after).toHaveLength(4);
    expect(new Set(after.map((r) => r.message_key)).size).toBe(4);
    // The re-found messages now carry their new provider ids.
    const s1Before = before.find((r) => r.message_key === `s1-${mb.id}@mail.test`)!.provider_id;
    const s1After = after.find((r) => r.message_key === `s1-${mb.id}@mail.test`)!.provider_id;
    expect(s1After).not.toBe(s1Before);
    expect(await mailboxRow(mb.id)).toMatchObject({ status: 'live', backfill_done: 1 });
  });

  it('two workers racing: the lease keeps the mailbox to one; a worker whose lease expired stores nothing more', async () => {
    const address = sandboxAddress('race');
    const mb = await connect(address);
    const mails = Array.from({ length: 7 }, (_, i) => mail(`r${i}-${mb.id}`, 50 - i));
    await deliver(address, mails);

    // Worker A stops after its first page, before fetching the second, until we let it go on.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstPage!: () => void;
    const firstPageStored = new Promise<void>((resolve) => (firstPage = resolve));
    const gated: AdapterFactory = (row, secrets) => {
      const real = createAdapter(row, secrets);
      let calls = 0;
      const adapter: MailboxAdapter = { provider: real.provider, test: () => real.test(), close: () => real.close(), nextPage: async (cursor, o) => {
        if (calls++ === 1) await gate;
        return real.nextPage(cursor, o);
      } };
      return adapter;
    };
    const a = runSyncPass(store.db, store.dialect, { ...options({ instanceId: 'A', adapterFor: gated, pageSize: 2, onPage: () => firstPage() }), mailboxId: mb.id, ignoreSchedule: true });
    await firstPageStored;

    // B cannot claim while A's lease runs …
    expect(await claimMailbox(store.db, store.dialect, 'B', { now: clock, leaseMs: 60_000, mailboxId: mb.id, ignoreSchedule: true })).toBeUndefined();
    // … and takes over once it has expired (A hung), syncing everything.
    const later = new Date(T.getTime() + 61_000);
    const [b] = await runSyncPass(store.db, store.dialect, { ...options({ instanceId: 'B', pageSize: 2, now: () => later }), mailboxId: mb.id, ignoreSchedule: true });
    expect(b).toMatchObject({ outcome: 'caught-up', stored: 5 });

    release();
    const [aResult] = await a;
    expect(aResult).toMatchObject({ outcome: 'lease-lost', stored: 2 });
    const stored = await rows(mb.id);
    expect(stored.map((r) => r.message_key).sort()).toEqual(mails.map((m) => m.id).sort());
  });

  it('a pass that dies in the middle of a page stores none of that page and leaves the cursor at the last whole page; the next pass resumes', async () => {
    const address = sandboxAddress('crash');
    const mb = await connect(address);
    const mails = Array.from({ length: 5 }, (_, i) => mail(`c${i}-${mb.id}`, 50 - i));
    await deliver(address, mails);

    // The second page carries a message that breaks while being stored, after its page-mates were written.
    const breaking: AdapterFactory = (row, secrets) => {
      const real = createAdapter(row, secrets);
      let calls = 0;
      return { provider: real.provider, test: () => real.test(), close: () => real.close(), nextPage: async (cursor, o) => {
        const page = await real.nextPage(cursor, o);
        if (calls++ !== 1) return page;
        return { ...page, messages: page.messages.map((m, i) => (i === 1 ? { ...m, receivedAt: 'the middle of a crash' } : m)) };
      } };
    };
    const [crashed] = await sync(mb.id, { adapterFor: breaking, pageSize: 2 });
    expect(crashed).toMatchObject({ outcome: 'retry', pages: 1, stored: 2 });
    const afterCrash = await rows(mb.id);
    expect(afterCrash.map((r) => r.message_key)).toEqual(mails.slice(0, 2).map((m) => m.id));
    // The cursor is exactly at the data: the highest stored INBOX UID.
    const row = await mailboxRow(mb.id);
    const cursor = JSON.parse(row.cursor!) as { folders: { inbox: { lastUid: number } } };
    const storedUids = afterCrash.map((r) => Number(r.provider_id.split(':').pop()));
    expect(cursor.folders.inbox.lastUid).toBe(Math.max(...storedUids));
    expect(row).toMatchObject({ status: 'retrying', failures: 1, last_error_code: 'protocol' });

    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 3 });
    expect((await rows(mb.id)).map((r) => r.message_key)).toEqual(mails.map((m) => m.id));
    expect(await mailboxRow(mb.id)).toMatchObject({ status: 'live', failures: 0, last_error_code: null });
  });

  it('reads the next page while storing this one, never past the claim\'s last page; the cursor moves only with a stored page', async () => {
    const address = sandboxAddress('ahead');
    const mb = await connect(address);
    const mails = Array.from({ length: 7 }, (_, i) => mail(`a${i}-${mb.id}`, 50 - i));
    await deliver(address, mails);
    const events: string[] = [];
    const recording: AdapterFactory = (row, secrets) => {
      const real = createAdapter(row, secrets);
      let calls = 0;
      return { provider: real.provider, test: () => real.test(), close: () => real.close(), nextPage: async (cursor, o) => {
        const n = calls++;
        events.push(`fetch ${n}`);
        const page = await real.nextPage(cursor, o);
        events.push(`fetched ${n}`);
        return page;
      } };
    };
    // Two pages in this claim: the second is asked for before the first is stored, no third.
    const [first] = await sync(mb.id, { adapterFor: recording, pageSize: 3, maxPages: 2, onPage: (e) => events.push(`stored ${e.done}`) });
    expect(first).toMatchObject({ outcome: 'more', pages: 2, stored: 6 });
    expect(events.indexOf('fetch 1')).toBeLessThan(events.indexOf('stored 3'));
    expect(events.filter((e) => e.startsWith('fetch '))).toEqual(['fetch 0', 'fetch 1']);
    expect(events.at(-1)).toBe('stored 6');
    // The next claim goes on from the second page's cursor: the seventh mail, and history caught up.
    events.length = 0;
    expect((await sync(mb.id, { adapterFor: recording, pageSize: 3 }))[0]).toMatchObject({ outcome: 'caught-up', stored: 1 });
    expect((await rows(mb.id)).map((r) => r.message_key)).toEqual(mails.map((m) => m.id));
  });

  it('syncs a shared mailbox (info@) through a rep\'s own login; a login that may not open it is an auth error', async () => {
    const info = sandboxAddress('info');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address: info, settings: sharedMailboxSettings(info), secrets: { password: SHARED_READER.password } }, { backfillDays: 30, now: T });
    const asked = mail(`shared-in-${mb.id}`, 30, { to: [info], subject: 'Inquiry for brass fittings' });
    await deliver(info, [asked]);
    await deliver(info, [mail(`shared-out-${mb.id}`, 20, { from: info, to: ['ali@gulf-trading.example'], subject: 'Re: Inquiry for brass fittings', inReplyTo: asked.id, references: [asked.id] })], 'Sent');
    expect((await sync(mb.id))[0]).toMatchObject({ outcome: 'caught-up', stored: 2 });
    const stored = await rows(mb.id);
    expect(stored.map((r) => [r.message_key, r.direction])).toEqual([[asked.id, 'inbound'], [`shared-out-${mb.id}@mail.test`, 'outbound']]);
    expect(new Set(stored.map((r) => r.conversation_id)).size).toBe(1);

    // Someone who is not one of the mailbox's readers cannot open it with their own password.
    const stranger = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address: sandboxAddress('info'), settings: sharedMailboxSettings(info, sandboxAddress('stranger')), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30, now: T });
    expect((await sync(stranger.id))[0]).toMatchObject({ outcome: 'error', error: { code: 'auth' } });
  });

  it('answers "which buyer mails have had no answer for 24 hours", with auto-replies never counting', async () => {
    const address = sandboxAddress('unanswered');
    const mb = await connect(address);
    const buyer = (id: string, hoursAgo: number, extra: Partial<TestMail> = {}) => mail(`${id}-${mb.id}`, hoursAgo, { subject: `Inquiry ${id} for valves`, to: [address], ...extra });
    const ours = (id: string, hoursAgo: number, to: string, replyTo?: string, subject = `Re: Inquiry ${id} for valves`) => mail(`ours-${id}-${mb.id}`, hoursAgo, { from: address, to: [to], subject, ...(replyTo ? { inReplyTo: replyTo, references: [replyTo] } : {}) });
    const a = buyer('a', 30);
    const b = buyer('b', 26, { from: 'kim@korea-pumps.example' });
    const c = buyer('c', 10, { from: 'lena@rhein-armaturen.example' });
    const d = buyer('d', 48, { from: 'joao@brasil-valvulas.example' });
    const dAway = buyer('d-away', 20, { from: 'joao@brasil-valvulas.example', subject: 'Resposta automática: Inquiry d for valves', inReplyTo: d.id, references: [d.id], extraHeaders: ['Auto-Submitted: auto-replied'] });
    const eAway = mail(`e-away-${mb.id}`, 39, { from: 'sara@nile-pipes.example', to: [address], subject: 'Automatic reply: Offer e', inReplyTo: `ours-e-${mb.id}@mail.test`, references: [`ours-e-${mb.id}@mail.test`] });
    await deliver(address, [a, b, c, d, dAway, eAway]);
    await deliver(address, [ours('a', 29, 'ali@gulf-trading.example', a.id), ours('e', 40, 'sara@nile-pipes.example', undefined, 'Offer e')], 'Sent');
    expect((await sync(mb.id, { pageSize: 50 }))[0]).toMatchObject({ outcome: 'caught-up', stored: 8 });

    const subjectsOf = async (now: Date, hours = 24) => (await listConversations(t.tdb, { mailboxId: mb.id, unansweredForHours: hours }, now)).map((c) => c.subject);
    // d's out-of-office (20 h ago) does not make it newer: the buyer's real mail is 48 h old. Newest activity first.
    expect(await subjectsOf(T)).toEqual(['Inquiry d for valves', 'Inquiry b for valves']);
    expect(await subjectsOf(new Date(T.getTime() + 15 * HOUR))).toEqual(['Inquiry c for valves', 'Inquiry d for valves', 'Inquiry b for valves']);
    expect(await subjectsOf(new Date(T.getTime() - 2 * DAY))).toEqual([]);
    // The answered one and the one where only an auto-reply came back after our offer are the company's turn… not listed.
    const all = await listConversations(t.tdb, { mailboxId: mb.id }, T);
    expect(all.find((c) => c.subject === 'Inquiry a for valves')).toMatchObject({ lastWriter: 'us', messageCount: 2 });
    expect(all.find((c) => c.subject === 'Offer e')).toMatchObject({ lastWriter: 'us', messageCount: 2, inboundCount: 0 });
    expect(all.find((c) => c.subject === 'Inquiry d for valves')).toMatchObject({ lastWriter: 'buyer', messageCount: 2, inboundCount: 1 });

    // Removing the mailbox removes what came from it.
    expect(await removeMailbox(t.tdb, operator(t.tenantId), mb.id)).toEqual({ messages: 8, conversations: 5 });
    expect(await rows(mb.id)).toHaveLength(0);
    expect(await listConversations(t.tdb, { mailboxId: mb.id }, T)).toEqual([]);
  });
});
