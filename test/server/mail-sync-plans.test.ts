import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import * as m024 from '../../src/server/db/migrations/024_sync_indexes.js';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { claimMailbox, runSyncPass } from '../../src/server/mail/sync.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { listConversations } from '../../src/server/services/conversations.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { fetchedMail, memoryMailbox } from '../support/memory-mailbox.js';

/**
 * The statements the mail sync runs for every page and every message, as SQLite plans them. A
 * backfill runs them tens of thousands of times against tables that grow with the mail, so each
 * must be answered by an index narrowed by every column it pins (or by the primary key): SQLite
 * keeps no statistics here and picks among indexes by their shape, so an index that fits only a
 * prefix (the tenant, or the tenant and the mailbox) can win and read a whole tenant's or
 * mailbox's mail per message — the provider-id check did per page (migration 024). PostgreSQL
 * plans from statistics and is measured by the bench.
 */
const GROWING = ['mail_messages', 'conversations', 'followups', 'payment_verdicts', 'team_mail', 'contacts', 'mail_bodies'];

const sqlite = storeKinds().find((k) => k.name === 'sqlite')!;
const T = new Date('2026-11-20T10:00:00.000Z');
const box = new SecretBox(randomBytes(32));

/** One pass over the named mailbox at T, as the store's sync runs it. */
const syncAt = (store: Store, memory: ReturnType<typeof memoryMailbox>, mailboxId: string) =>
  runSyncPass(store.db, store.dialect, { instanceId: 'w1', adapterFor: memory.factory, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => T, mailboxId, ignoreSchedule: true });

describe('the mail sync on SQLite', () => {
  let store: Store;
  let t: SeededTenant;
  const statements = new Set<string>();
  const prepare = Database.prototype.prepare;
  let database: Database.Database | undefined;

  beforeAll(async () => {
    // Every statement prepared from here on (the store prepares each once and keeps it).
    Database.prototype.prepare = function (this: Database.Database, source: string) {
      statements.add(source);
      database = this;
      return prepare.call(this, source);
    } as typeof prepare;
    store = await sqlite.open();
    t = await seedTenant(store, 'plans');
  });
  afterAll(async () => {
    Database.prototype.prepare = prepare;
    await store.close();
  });

  it('reads and writes the growing tables through indexes narrower than the tenant', async () => {
    const at = (h: number) => new Date(T.getTime() - h * 3_600_000);
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'info@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    const buyer = { address: 'hans@buyer-of-plans.de', name: 'Hans Weber' };
    memory.mails.push(
      fetchedMail('pl1', at(9), { from: buyer, providerThreadId: 'th1' }),
      fetchedMail('pl2', at(8), { folder: 'sent', from: { address: 'info@acme.example' }, to: [buyer], inReplyTo: '<pl1>', references: ['<pl1>'], providerThreadId: 'th1', subject: 'RE: Inquiry pl1' }),
      fetchedMail('pl3', at(7), { from: buyer, inReplyTo: '<pl2>', references: ['<pl1>', '<pl2>'], providerThreadId: 'th1', subject: 'RE: Inquiry pl1', textBody: 'Please note our new bank account IBAN DE89 3704 0044 0532 0130 00.' }),
      fetchedMail('pl4', at(6), { from: { address: 'kim@harbor.example', name: 'Kim' } }),
    );
    statements.clear();
    const [result] = await syncAt(store, memory, mb.id);
    expect(result).toMatchObject({ stored: 4 });
    // And what the conversations API asks of the same tables for a page of conversations.
    expect(await listConversations(t.tdb, { limit: 50 }, T)).toHaveLength(2);

    const plans = [...statements]
      .filter((sql) => /^\s*(select|update|delete)/i.test(sql) && !/ join /i.test(sql) && GROWING.some((table) => sql.includes(`"${table}"`)))
      .map((sql) => ({ sql, plan: (prepare.call(database!, `explain query plan ${sql}`) as Database.Statement<unknown[]>).all(...(Array((sql.match(/\?/g) ?? []).length).fill('x') as unknown[])).map((row) => (row as { detail: string }).detail) }));
    expect(plans.length).toBeGreaterThan(10);
    const tooWide = plans.filter(({ sql, plan }) => {
      if (plan.some((line) => /^SCAN /.test(line))) return true;
      // The columns the statement pins with = or IN at its top level (OR groups set aside) …
      const where = sql.slice(sql.search(/ where /i)).replace(/ in \([^()]*\)/gi, ' in LIST');
      let flat = where;
      while (/\([^()]*\)/.test(flat)) flat = flat.replace(/\([^()]*\)/g, '');
      const pinned = [...flat.matchAll(/"(\w+)" (?:= \?|in LIST)/gi)].map((m) => m[1]!);
      // … must all narrow the index it is answered by, unless that is the primary key.
      const used = [...(plan.join(' ').match(/\(([^)]*)\)/)?.[1] ?? '').matchAll(/(\w+)[=<>]/g)].map((m) => m[1]!);
      return !(used.length === 1 && used[0] === 'id') && pinned.some((column) => !used.includes(column));
    });
    expect(tooWide).toEqual([]);
  });
});

describe.each(storeKinds())('mailboxes on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `m24${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('keep a provider id once per mailbox through migration 024, down and up again', async () => {
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: 'sales@acme.example' }, { backfillDays: 30, now: T });
    const memory = memoryMailbox();
    memory.mails.push(fetchedMail('u1', new Date(T.getTime() - 3_600_000)));
    await syncAt(store, memory, mb.id);
    const stored = await store.db.selectFrom('mail_messages').selectAll().where('mailbox_id', '=', mb.id).executeTakeFirstOrThrow();
    const again = () => store.db.insertInto('mail_messages').values({ ...stored, id: `${stored.id}-again`, message_key: null }).execute();
    await expect(again()).rejects.toThrow(/unique|UNIQUE/);
    await m024.down(store.db as unknown as Kysely<unknown>);
    await expect(again()).rejects.toThrow(/unique|UNIQUE/);
    await m024.up(store.db as unknown as Kysely<unknown>);
    await expect(again()).rejects.toThrow(/unique|UNIQUE/);
  });

  // PostgreSQL ran `id IN (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED)` as a sub-plan rescanned per
  // row of a small table: one claim leased every due mailbox and handed back one, so the others
  // sat leased, unsynced, until their leases ran out (the bench's five idle mailboxes, one synced).
  it('are claimed one at a time: a claim leases exactly the mailbox it hands back', async () => {
    await store.db.updateTable('mailboxes').set({ paused: 1 }).execute();
    for (let i = 0; i < 5; i++) await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: `rep${i}@claims.example` }, { backfillDays: 30, now: T });
    await store.db.updateTable('mailboxes').set({ next_sync_at: new Date(T.getTime() - 1000).toISOString() }).execute();
    const claimed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const mailbox = await claimMailbox(store.db, store.dialect, 'w2', { now: T, leaseMs: 60_000 });
      claimed.push(mailbox!.id);
      const leased = await store.db.selectFrom('mailboxes').select('id').where('lease_owner', '=', 'w2').execute();
      expect(leased.map((r) => r.id).sort()).toEqual([...claimed].sort());
    }
    expect(await claimMailbox(store.db, store.dialect, 'w2', { now: T, leaseMs: 60_000 })).toBeUndefined();
  });
});
