import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { STORED_MESSAGE_HOOKS, type StoredMessage, type StoredMessageHook } from '../../src/server/mail/hooks.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { createFollowUp } from '../../src/server/services/followups.js';
import { addUser } from '../../src/server/services/people.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { fetchedMail, memoryMailbox } from '../support/memory-mailbox.js';

/**
 * The stored-message hooks (mail/hooks.ts) run inside the page's transaction: a hook sees each
 * new message once it is stored, `live` is false during the backfill, and a hook that throws
 * takes the whole page back with it (nothing stored, cursor unmoved) so the next pass stores it
 * once.
 */

const HOUR = 3_600_000;

describe.each(storeKinds())('stored-message hooks on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const T = new Date('2026-11-20T10:00:00.000Z');

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `hk${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('sees each stored message once, not live during the backfill; a throwing hook rolls its page back and the next pass stores it once', async () => {
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'info@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    memory.mails.push(...[1, 2, 3].map((i) => fetchedMail(`b${i}`, new Date(T.getTime() - (10 - i) * HOUR))));
    const seen: Array<{ key: string | null; live: boolean; conversation: string; inTransaction: number }> = [];
    let failOn: string | null = null;
    const hook: StoredMessageHook = async (s: StoredMessage) => {
      // The hook reads through the page's transaction: its own message is already there.
      const mine = await s.tdb.selectFrom('mail_messages').select('id').where('id', '=', s.message.id).execute();
      seen.push({ key: s.message.message_key, live: s.live, conversation: s.conversation.id, inTransaction: mine.length });
      if (s.message.message_key === failOn) throw new Error('the hook broke');
    };
    const options = (): SyncOptions & { mailboxId: string; ignoreSchedule: true } => ({
      instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 2, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30,
      backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, afterStore: [hook], mailboxId: mb.id, ignoreSchedule: true,
    });
    const stored = async () => (await store.db.selectFrom('mail_messages').select('message_key').where('mailbox_id', '=', mb.id).execute()).map((r) => r.message_key).sort();
    const cursor = async () => (await store.db.selectFrom('mailboxes').select('cursor').where('id', '=', mb.id).executeTakeFirstOrThrow()).cursor;

    expect((await runSyncPass(store.db, store.dialect, options()))[0]).toMatchObject({ outcome: 'caught-up', stored: 3 });
    expect(seen.map((s) => [s.key, s.live, s.inTransaction])).toEqual([['b1', false, 1], ['b2', false, 1], ['b3', false, 1]]);
    const conversation = await store.db.selectFrom('mail_messages').select('conversation_id').where('mailbox_id', '=', mb.id).where('message_key', '=', 'b1').executeTakeFirstOrThrow();
    expect(seen[0]!.conversation).toBe(conversation.conversation_id);
    expect(await cursor()).toBe(JSON.stringify({ n: 3 }));

    // Live mail; the hook throws on the second of the page, after the first was stored and hooked.
    seen.length = 0;
    memory.mails.push(fetchedMail('l1', new Date(T.getTime() - 2 * HOUR)), fetchedMail('l2', new Date(T.getTime() - HOUR)));
    failOn = 'l2';
    const [broken] = await runSyncPass(store.db, store.dialect, options());
    expect(broken).toMatchObject({ outcome: 'retry', stored: 0, error: { code: 'protocol', message: 'the hook broke' } });
    expect(seen.map((s) => s.key)).toEqual(['l1', 'l2']);
    expect(await stored()).toEqual(['b1', 'b2', 'b3']);
    expect(await cursor()).toBe(JSON.stringify({ n: 3 }));

    failOn = null;
    seen.length = 0;
    expect((await runSyncPass(store.db, store.dialect, options()))[0]).toMatchObject({ outcome: 'caught-up', stored: 2 });
    expect(seen.map((s) => [s.key, s.live])).toEqual([['l1', true], ['l2', true]]);
    expect(await stored()).toEqual(['b1', 'b2', 'b3', 'l1', 'l2']);
    expect(await cursor()).toBe(JSON.stringify({ n: 5 }));
  });

  it('the store\'s own hooks read the tenant\'s own domains, its company profile and a sender\'s company once per page, not once per message', async () => {
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'sales@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    memory.mails.push(...[1, 2, 3, 4].map((i) => fetchedMail(`pg${i}`, new Date(T.getTime() - (10 - i) * HOUR), { from: { address: `buyer${i % 2}@pearl-imports.example`, name: `Buyer ${i % 2}` }, to: [{ address: 'sales@acme.example' }] })));
    const statements = new Map<string, number>();
    const counted = store.db.withPlugin({
      transformQuery: (args) => {
        const node = args.node as { kind: string; from?: { froms?: { table?: { identifier?: { name?: string } } }[] } };
        const table = node.from?.froms?.[0]?.table?.identifier?.name;
        if (node.kind === 'SelectQueryNode' && table) statements.set(table, (statements.get(table) ?? 0) + 1);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const [result] = await runSyncPass(counted, store.dialect, {
      instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 4, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30,
      backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId: mb.id, ignoreSchedule: true,
    });
    expect(result).toMatchObject({ outcome: 'caught-up', stored: 4 });
    // Four inbound mails in one page, each judged by the payment guard: the users once for the
    // pass (the tenant's own addresses) and once for the page's guard; the profile once.
    expect(statements.get('users')).toBe(2);
    expect(statements.get('company_profiles')).toBe(1);
    // Two buyers' companies: the guard looks each up once for the page (14 reads before: once per
    // mail), and the known domains once for the page (12 before: once per mail; the one company
    // was filed before the first mail's guard ran, and none after it).
    expect(statements.get('customer_domains')).toBe(9);
    // The conversations: per mail, the threading's look-up and the summary's read before its
    // UPDATE; the team inbox takes the row the sync wrote instead of reading it a third time.
    expect(statements.get('conversations')).toBe(8);
    // Every message was judged (the buyers' company is on file once the first mail filed it).
    expect(await store.db.selectFrom('payment_verdicts').select('message_id').where('tenant_id', '=', t.tenantId).where('from_address', 'like', 'buyer%@pearl-imports.example').execute()).toHaveLength(4);
  });
  it('a follow-up whose sent mail and the buyer\'s answer arrive in one page is answered (the page\'s "any waiting?" copy follows the clock it started)', async () => {
    const address = 'li.wei@acme.example';
    const rep = await addUser(t.tdb, operator(t.tenantId), { email: address, name: 'Li Wei', timeZone: 'Asia/Shanghai' });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: address };
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address }, { backfillDays: 30, now: T });
    const asked = (await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3, hour: '09:00' }, subject: 'Quotation QT-77', to: ['ahmed@alfaisal-trading.example'], templateKind: 'quote' }, new Date(T.getTime() - 6 * HOUR))).followUp;
    const memory = memoryMailbox();
    memory.mails.push(
      // An inbound mail before the send: the page's first question finds nothing waiting.
      fetchedMail('fu0', new Date(T.getTime() - 5.5 * HOUR), { from: { address: 'someone@elsewhere.example' }, to: [{ address }] }),
      fetchedMail('fu1', new Date(T.getTime() - 5 * HOUR), { folder: 'sent', from: { address, name: 'Li Wei' }, to: [{ address: 'ahmed@alfaisal-trading.example' }], subject: 'Quotation QT-77' }),
      fetchedMail('fu2', new Date(T.getTime() - 4 * HOUR), { from: { address: 'ahmed@alfaisal-trading.example', name: 'Ahmed' }, to: [{ address }], subject: 'Re: Quotation QT-77', inReplyTo: '<fu1>', references: ['<fu1>'] }),
    );
    const [result] = await runSyncPass(store.db, store.dialect, { instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId: mb.id, ignoreSchedule: true });
    expect(result).toMatchObject({ outcome: 'caught-up', pages: 1, stored: 3 });
    expect(await store.db.selectFrom('followups').select(['status', 'message_key']).where('id', '=', asked.id).executeTakeFirstOrThrow()).toEqual({ status: 'replied', message_key: 'fu1' });
  });

  describe('the payment guard\'s per-page copies', () => {
    afterEach(() => {
      jest.useRealTimers();
    });
    const guardOptions = (memory: ReturnType<typeof memoryMailbox>, mailboxId: string, afterStore?: StoredMessageHook[]): SyncOptions & { mailboxId: string; ignoreSchedule: true } => ({
      instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30,
      backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId, ignoreSchedule: true, ...(afterStore ? { afterStore } : {}),
    });
    const verdictOf = async (key: string) => store.db.selectFrom('payment_verdicts').select(['verdict', 'findings', 'customer_id']).where('tenant_id', '=', t.tenantId).where('message_key', '=', key).executeTakeFirstOrThrow();
    const codes = (v: { findings: string }) => (JSON.parse(v.findings) as { code: string }[]).map((f) => f.code);

    it('a company the sync files for one mail counts for the look-alike check of a later mail in the same page', async () => {
      // Companies are stamped with the wall clock; each stored mail moves a fake Date on a second, so
      // "filed before the sender" is decided by the order of the mails, never by a millisecond's luck.
      jest.useFakeTimers({ now: T, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
      const tick: StoredMessageHook = async () => {
        jest.setSystemTime(Date.now() + 1000);
      };
      const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'orders@acme.example' }, { backfillDays: 30, now: T });
      const memory = memoryMailbox();
      const at = (h: number) => new Date(T.getTime() - h * HOUR);
      memory.mails.push(
        // The guard's first read of the page's known domains: only this buyer's company is on file.
        fetchedMail('lk1', at(5), { from: { address: 'omar@qatar-lighting.example', name: 'Omar' }, to: [{ address: 'orders@acme.example' }] }),
        // Filed by the sync now, after that read.
        fetchedMail('lk2', at(4), { from: { address: 'ali@alfanar-trading.example', name: 'Ali' }, to: [{ address: 'orders@acme.example' }] }),
        // Its look-alike, later in the same page.
        fetchedMail('lk3', at(3), { from: { address: 'ali@alfanar-tradlng.example', name: 'Ali' }, to: [{ address: 'orders@acme.example' }], textBody: 'Please note our bank details have changed.' }),
      );
      const [result] = await runSyncPass(store.db, store.dialect, guardOptions(memory, mb.id, [tick, ...STORED_MESSAGE_HOOKS]));
      expect(result).toMatchObject({ outcome: 'caught-up', pages: 1, stored: 3 });
      const genuine = await store.db.selectFrom('customer_domains').select('customer_id').where('tenant_id', '=', t.tenantId).where('domain', '=', 'alfanar-trading.example').executeTakeFirstOrThrow();
      const fake = await verdictOf('lk3');
      expect(fake.verdict).toBe('suspicious');
      expect(JSON.parse(fake.findings)).toContainEqual({ code: 'domain.lookalike', params: { domain: 'alfanar-tradlng.example', known: 'alfanar-trading.example', how: 'confusable' } });
      // The company imitated is the one the verdict names.
      expect(fake.customer_id).toBe(genuine.customer_id);
      expect(codes(await verdictOf('lk2'))).toEqual([]);
    });

    it('a sender imitating two companies on file is said to imitate the one filed first, whatever order the rows were written in', async () => {
      jest.useFakeTimers({ now: T, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
      // The newer company is written first: the database's own row order would name it.
      jest.setSystemTime(new Date('2026-11-10T00:00:00.000Z'));
      await createCustomer(t.tdb, operator(t.tenantId), { name: 'Sahara Steel UAE', domains: ['saharasteel.ae'] });
      jest.setSystemTime(new Date('2026-11-01T00:00:00.000Z'));
      const older = await createCustomer(t.tdb, operator(t.tenantId), { name: 'Sahara Steel KSA', domains: ['saharasteel.com.sa'] });
      jest.setSystemTime(T);
      const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'steel@acme.example' }, { backfillDays: 30, now: T });
      const memory = memoryMailbox();
      memory.mails.push(fetchedMail('ss1', new Date(T.getTime() - HOUR), { from: { address: 'sami@saharasteel.co', name: 'Sami' }, to: [{ address: 'steel@acme.example' }], textBody: 'Our bank account has changed.' }));
      expect((await runSyncPass(store.db, store.dialect, guardOptions(memory, mb.id)))[0]).toMatchObject({ outcome: 'caught-up', stored: 1 });
      const verdict = await verdictOf('ss1');
      expect(JSON.parse(verdict.findings)).toContainEqual({ code: 'domain.lookalike', params: { domain: 'saharasteel.co', known: 'saharasteel.com.sa', how: 'tld' } });
      expect(verdict.customer_id).toBe(older.id);
    });

    it('"first mail from this domain" sees the mail stored earlier in the page, in an earlier pass and from a subdomain, and nothing else', async () => {
      const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'billing@acme.example' }, { backfillDays: 30, now: T });
      const memory = memoryMailbox();
      const at = (h: number) => new Date(T.getTime() - h * HOUR);
      const claim = 'As agreed, please settle the outstanding invoice this week.';
      const mail = (id: string, h: number, from: string) => fetchedMail(id, at(h), { from: { address: from, name: 'Sam Lee' }, to: [{ address: 'billing@acme.example' }], textBody: claim, subject: `Invoice ${id}` });
      // One page: a new domain's first mail, then its second; another new domain once.
      memory.mails.push(mail('fm1', 20, 'sam@harbor-freight.example'), mail('fm2', 19, 'kim@harbor-freight.example'), mail('fm3', 18, 'lee@delta-metals.example'));
      expect((await runSyncPass(store.db, store.dialect, guardOptions(memory, mb.id)))[0]).toMatchObject({ outcome: 'caught-up', stored: 3 });
      // The next pass: a subdomain of a domain that wrote before, and a third new domain.
      memory.mails.push(mail('fm4', 10, 'ops@mail.delta-metals.example'), mail('fm5', 9, 'new@orchid-textiles.example'));
      expect((await runSyncPass(store.db, store.dialect, guardOptions(memory, mb.id)))[0]).toMatchObject({ outcome: 'caught-up', stored: 2 });
      const firstContact = async (key: string) => codes(await verdictOf(key)).includes('domain.first-contact');
      expect([await firstContact('fm1'), await firstContact('fm2'), await firstContact('fm3'), await firstContact('fm4'), await firstContact('fm5')]).toEqual([true, false, true, false, true]);
      // The stored sender domain the look-up reads (migration 023): registrable, subdomains folded.
      const domains = await store.db.selectFrom('mail_messages').select(['message_key', 'from_domain']).where('mailbox_id', '=', mb.id).orderBy('message_key').execute();
      expect(domains.map((d) => [d.message_key, d.from_domain])).toEqual([['fm1', 'harbor-freight.example'], ['fm2', 'harbor-freight.example'], ['fm3', 'delta-metals.example'], ['fm4', 'delta-metals.example'], ['fm5', 'orchid-textiles.example']]);
    });

    it('a buyer\'s clock is learned from the newest Date: header in the page, whatever order the mails arrive in', async () => {
      const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'export@acme.example' }, { backfillDays: 30, now: T });
      const memory = memoryMailbox();
      const from = { address: 'nina@clock-imports.example', name: 'Nina Park' };
      const mail = (id: string, h: number, dateHeader: string) => fetchedMail(id, new Date(T.getTime() - h * HOUR), { from, to: [{ address: 'export@acme.example' }], dateHeader });
      const options = { instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId: mb.id, ignoreSchedule: true as const };
      const clock = async () => store.db.selectFrom('contacts').select(['last_date_header', 'last_utc_offset', 'last_seen_at']).where('tenant_id', '=', t.tenantId).where('email', '=', from.address).executeTakeFirstOrThrow();
      // A first pass files Nina, named, with the clock of a mail of the 18th.
      memory.mails.push(mail('ck0', 48, 'Wed, 18 Nov 2026 09:00:00 +0100'));
      expect((await runSyncPass(store.db, store.dialect, options))[0]).toMatchObject({ stored: 1 });
      expect(await clock()).toEqual({ last_date_header: 'Wed, 18 Nov 2026 09:00:00 +0100', last_utc_offset: '+01:00', last_seen_at: '2026-11-18T08:00:00.000Z' });
      // One page, stored in received order; the second was written earlier by her clock (a delayed
      // relay) but after the 18th: the contact keeps the first's header, as a read per mail would.
      memory.mails.push(mail('ck1', 3, 'Fri, 20 Nov 2026 10:00:00 +0400'), mail('ck2', 2, 'Fri, 20 Nov 2026 04:00:00 +0100'));
      expect((await runSyncPass(store.db, store.dialect, options))[0]).toMatchObject({ stored: 2, pages: 1 });
      expect(await clock()).toEqual({ last_date_header: 'Fri, 20 Nov 2026 10:00:00 +0400', last_utc_offset: '+04:00', last_seen_at: '2026-11-20T06:00:00.000Z' });
    });
  });
});
