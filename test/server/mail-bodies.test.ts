import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { purgeExpiredBodies } from '../../src/server/mail/bodies.js';
import { startMailSync } from '../../src/server/jobs/mail-sync.js';
import { addMailbox, removeMailbox } from '../../src/server/services/mailboxes.js';
import { loadConfig } from '../../src/server/config.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { fetchedMail, memoryMailbox } from '../support/memory-mailbox.js';

/**
 * Kept bodies expire: a mailbox that keeps bodies for N days has them deleted once N days have
 * passed (in bounded batches, by one instance's periodic job), the headers staying. Removing a
 * mailbox removes everything stored from it and only that.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(storeKinds())('kept mail bodies on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const T = new Date('2026-11-20T10:00:00.000Z');

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `bd${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  const options = (adapterFor: SyncOptions['adapterFor'], at: Date, mailboxId: string): SyncOptions & { mailboxId: string; ignoreSchedule: true } => ({
    instanceId: 'w1', adapterFor, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, now: () => at, mailboxId, ignoreSchedule: true,
  });
  const bodiesOf = async (mailboxId: string) =>
    (await store.db.selectFrom('mail_bodies').innerJoin('mail_messages', 'mail_messages.id', 'mail_bodies.message_id').select(['mail_messages.message_key', 'mail_bodies.expires_at']).where('mail_messages.mailbox_id', '=', mailboxId).execute())
      .map((r) => [r.message_key, r.expires_at])
      .sort();

  it('deletes bodies once their days are over, in batches, keeping the headers; a mailbox that keeps none stores none', async () => {
    const keeping = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'team@acme.example', keepBodiesDays: 7 }, { backfillDays: 30, now: T });
    const plain = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'rep@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    memory.mails.push(...[1, 2, 3, 4, 5].map((i) => fetchedMail(`k${i}`, new Date(T.getTime() - i * HOUR))));
    expect((await runSyncPass(store.db, store.dialect, options(memory.factory, T, keeping.id)))[0]).toMatchObject({ stored: 5 });
    // Three more, synced three days later: they expire three days later.
    memory.mails.push(...[6, 7, 8].map((i) => fetchedMail(`k${i}`, new Date(T.getTime() + 3 * DAY - i * HOUR))));
    expect((await runSyncPass(store.db, store.dialect, options(memory.factory, new Date(T.getTime() + 3 * DAY), keeping.id)))[0]).toMatchObject({ stored: 3 });
    const other = memoryMailbox();
    other.mails.push(fetchedMail('p1', new Date(T.getTime() - HOUR)));
    expect((await runSyncPass(store.db, store.dialect, options(other.factory, T, plain.id)))[0]).toMatchObject({ stored: 1 });
    expect(await bodiesOf(plain.id)).toEqual([]);
    const first = new Date(T.getTime() + 7 * DAY).toISOString();
    const second = new Date(T.getTime() + 10 * DAY).toISOString();
    expect(await bodiesOf(keeping.id)).toEqual([...[1, 2, 3, 4, 5].map((i) => [`k${i}`, first]), ...[6, 7, 8].map((i) => [`k${i}`, second])]);

    // A millisecond before the seventh day nothing goes; at it, the first five, two per batch.
    expect(await purgeExpiredBodies(store.db, new Date(T.getTime() + 7 * DAY - 1), { batchSize: 2 })).toBe(0);
    expect(await purgeExpiredBodies(store.db, new Date(T.getTime() + 7 * DAY), { batchSize: 2 })).toBe(5);
    expect(await bodiesOf(keeping.id)).toEqual([6, 7, 8].map((i) => [`k${i}`, second]));
    // A run is bounded: one batch of two at most, the rest on the next run.
    expect(await purgeExpiredBodies(store.db, new Date(T.getTime() + 10 * DAY), { batchSize: 2, maxBatches: 1 })).toBe(2);
    expect(await bodiesOf(keeping.id)).toHaveLength(1);
    // The headers stay.
    expect(await store.db.selectFrom('mail_messages').select('id').where('mailbox_id', '=', keeping.id).execute()).toHaveLength(8);

    // The store's own periodic job does it (injected clock; waits on the job's report, not a timer).
    const purged = new Promise<number>((resolve) => {
      const stop = startMailSync(store, {
        config: { ...loadConfig({}).mailSync, enabled: true },
        instanceId: 'purger',
        box,
        adapterFor: memory.factory,
        onError: (error) => {
          throw error;
        },
        now: () => new Date(T.getTime() + 11 * DAY),
        bodyPurge: { everyMs: 40, onPurged: (deleted) => void stop().then(() => resolve(deleted)) },
      });
    });
    expect(await purged).toBe(1);
    expect(await bodiesOf(keeping.id)).toEqual([]);
  });

  it('removing a mailbox removes its messages, bodies and the conversations only it had; a shared conversation is recounted', async () => {
    const info = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'info@acme.example', keepBodiesDays: 30 }, { backfillDays: 30, now: T });
    const sales = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'sales@acme.example', keepBodiesDays: 30 }, { backfillDays: 30, now: T });
    const inbound = memoryMailbox();
    inbound.mails.push(fetchedMail('ask', new Date(T.getTime() - 5 * HOUR), { subject: 'Quotation for pumps' }));
    const outbound = memoryMailbox();
    outbound.mails.push(
      fetchedMail('answer', new Date(T.getTime() - 4 * HOUR), { folder: 'sent', from: { address: 'sales@acme.example' }, to: [{ address: 'ali@gulf-trading.example' }], subject: 'Re: Quotation for pumps', inReplyTo: '<ask>', references: ['<ask>'] }),
      fetchedMail('offer', new Date(T.getTime() - 3 * HOUR), { folder: 'sent', from: { address: 'sales@acme.example' }, to: [{ address: 'lena@rhein-armaturen.example' }], subject: 'Offer for valves' }),
    );
    await runSyncPass(store.db, store.dialect, options(inbound.factory, T, info.id));
    await runSyncPass(store.db, store.dialect, options(outbound.factory, T, sales.id));
    const conversationOf = async (key: string) => (await store.db.selectFrom('mail_messages').select('conversation_id').where('message_key', '=', key).where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow()).conversation_id;
    const shared = await conversationOf('ask');
    expect(await conversationOf('answer')).toBe(shared);
    const own = await conversationOf('offer');
    expect(await store.db.selectFrom('conversations').select(['last_writer', 'message_count']).where('id', '=', shared).executeTakeFirstOrThrow()).toEqual({ last_writer: 'us', message_count: 2 });

    expect(await removeMailbox(t.tdb, operator(t.tenantId), sales.id)).toEqual({ messages: 2, conversations: 1 });
    expect(await store.db.selectFrom('mail_messages').select('id').where('mailbox_id', '=', sales.id).execute()).toEqual([]);
    expect(await bodiesOf(sales.id)).toEqual([]);
    expect(await store.db.selectFrom('mail_bodies').select('message_id').where('tenant_id', '=', t.tenantId).where('text_body', 'like', '%answer%').execute()).toEqual([]);
    expect(await store.db.selectFrom('conversations').select('id').where('id', '=', own).execute()).toEqual([]);
    expect(await store.db.selectFrom('conversations').select(['last_writer', 'message_count', 'last_outbound_at']).where('id', '=', shared).executeTakeFirstOrThrow()).toEqual({ last_writer: 'buyer', message_count: 1, last_outbound_at: null });
    // The other mailbox keeps what it had.
    expect(await bodiesOf(info.id)).toHaveLength(1);
  });
});
