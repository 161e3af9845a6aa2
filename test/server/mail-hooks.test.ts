import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import type { StoredMessage, StoredMessageHook } from '../../src/server/mail/hooks.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
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
    // Two buyers' companies: the guard looks each up once for the page (14 reads before: once per mail).
    expect(statements.get('customer_domains')).toBe(12);
    // Every message was judged (the buyers' company is on file once the first mail filed it).
    expect(await store.db.selectFrom('payment_verdicts').select('message_id').where('tenant_id', '=', t.tenantId).where('from_address', 'like', 'buyer%@pearl-imports.example').execute()).toHaveLength(4);
  });
});
