import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Store } from '../../src/server/db/connect.js';
import * as m023 from '../../src/server/db/migrations/023_mail_sender_domain.js';
import { SecretBox } from '../../src/server/secrets.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { fetchedMail, memoryMailbox } from '../support/memory-mailbox.js';

/**
 * Migration 023: the sender's registrable domain on every message (the payment guard's "first mail
 * from this domain" asks it by an indexed equality). Mail stored before the migration gets it too.
 */
describe.each(storeKinds())('the stored sender domain on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const T = new Date('2026-11-20T10:00:00.000Z');

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `sd${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('is filled in for mail stored before the migration: registrable, subdomains folded, none without a sender', async () => {
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'info@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    const at = (h: number) => new Date(T.getTime() - h * 3_600_000);
    memory.mails.push(
      fetchedMail('sd1', at(5), { from: { address: 'ali@gulf-trading.com.sa' } }),
      fetchedMail('sd2', at(4), { from: { address: 'ops@mail.gulf-trading.com.sa' } }),
      fetchedMail('sd3', at(3), { from: { address: 'kim@harbor.example' } }),
      fetchedMail('sd4', at(2), { from: null }),
    );
    expect((await runSyncPass(store.db, store.dialect, { instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId: mb.id, ignoreSchedule: true }))[0]).toMatchObject({ stored: 4 });
    const domains = async () => (await store.db.selectFrom('mail_messages').select(['message_key', 'from_domain']).where('mailbox_id', '=', mb.id).orderBy('message_key').execute()).map((r) => [r.message_key, r.from_domain]);
    const expected = [['sd1', 'gulf-trading.com.sa'], ['sd2', 'gulf-trading.com.sa'], ['sd3', 'harbor.example'], ['sd4', null]];
    expect(await domains()).toEqual(expected);
    // As the store was before 023, then 023 again: the stored mail gets its domains back.
    await m023.down(store.db as unknown as Kysely<unknown>);
    await m023.up(store.db as unknown as Kysely<unknown>);
    expect(await domains()).toEqual(expected);
  });
});
