import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { loadConfig } from '../../src/server/config.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD, type TestMail } from '../support/dovecot.js';

/**
 * Follow-ups against the sync's real Dovecot: a quotation to a Saudi buyer leaves → its reminder
 * starts counting 3 Saudi business days (Fri–Sat and Eid al-Adha 2026 skipped) → a task at the
 * right instant with an injected clock; a colleague at the buyer answering closes another; an
 * out-of-office with a return date moves a third; an auto-reply without one, a stranger and a
 * bounce change nothing; a late answer closes the fired reminder and its task.
 */
(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('follow-ups from the mailbox sync on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));
  const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
  // Dovecot clamps future internal dates to now, so the story is set in May 2026 with the clock injected.
  let clock = new Date('2026-05-21T09:00:00Z');

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `fus${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  const options = (): SyncOptions => ({ instanceId: 'w1', adapterFor: createAdapter, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffBaseMs: 10, backoffCapMs: 1000, now: () => clock });
  const sync = async (mailboxId: string) => expect((await runSyncPass(store.db, store.dialect, { ...options(), mailboxId, ignoreSchedule: true }))[0]).toMatchObject({ outcome: 'caught-up' });
  const reminder = async (id: string) => (await store.db.selectFrom('followups').selectAll().where('id', '=', id).executeTakeFirst())!;

  it('counts 3 Saudi business days from the send the sync sees, and fires a task exactly then, once', async () => {
    const address = sandboxAddress('followups');
    const rep = await addUser(t.tdb, operator(t.tenantId), { email: address, name: 'Li Wei', timeZone: 'Asia/Shanghai' });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: address };
    await createConnector(t.tdb, operator(t.tenantId), box, { kind: 'webhook', name: 'tasks', settings: { url: 'https://hooks.example.test/tasks' }, secrets: { signingSecret: 'a-signing-secret-of-length' }, events: ['task.created'] });
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30, now: clock });
    const tag = mb.id.slice(0, 8);

    // At compose (the Gmail card: no Message-ID yet): three quotations, 3 of the buyer's business days, 09:00 on the rep's clock.
    const ask = (subject: string, to: string) => createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3, hour: '09:00' }, subject, to: [to], templateKind: 'quote' }, new Date('2026-05-21T07:55:00Z'));
    const plain = (await ask(`Quotation QT-1 ${tag}`, 'ahmed@alfaisal-trading.com.sa')).followUp;
    const away = (await ask(`Quotation QT-2 ${tag}`, 'omar@gulf-steel.com.sa')).followUp;
    const answered = (await ask(`Quotation QT-3 ${tag}`, 'khalid@riyadh-build.com.sa')).followUp;
    // Gmail's compose card sees only the recipients: no subject; the rep's next mail to them is the one.
    const blind = (await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3, hour: '09:00' }, subject: '', to: ['fahad@najd-tiles.com.sa'] }, new Date('2026-05-21T07:55:00Z'))).followUp;
    expect([plain.status, away.status, answered.status, blind.status]).toEqual(['awaiting-send', 'awaiting-send', 'awaiting-send', 'awaiting-send']);

    const sentAt = new Date('2026-05-21T08:00:00Z'); // Thursday 11:00 in Riyadh
    const sent = (n: number, to: string): TestMail => ({ id: `qt${n}-${tag}@sandbox.test`, from: `Li Wei <${address}>`, to: [to], subject: `Quotation QT-${n} ${tag}`, date: sentAt, body: 'Dear buyer,\r\nplease find our quotation for the ceramic tiles attached.\r\n' });
    await deliver(address, [sent(1, 'ahmed@alfaisal-trading.com.sa'), sent(2, 'omar@gulf-steel.com.sa'), sent(3, 'khalid@riyadh-build.com.sa'), sent(4, 'fahad@najd-tiles.com.sa')], 'Sent');
    await sync(mb.id);

    // Sun 24 (1), Mon 25 (2); Tue 26 – Fri 29 Eid al-Adha, Sat 30 weekend; Sun 31 (3) closes 18:00 +03 = 15:00Z; the rep's next 09:00 (+08) = Mon 1 Jun 01:00Z.
    expect(await reminder(blind.id)).toMatchObject({ status: 'waiting', subject: `Quotation QT-4 ${tag}`, message_key: `qt4-${tag}@sandbox.test` });
    for (const f of [plain, away, answered, blind]) expect(await reminder(f.id)).toMatchObject({ status: 'waiting', sent_at: sentAt.toISOString(), due_at: '2026-06-01T01:00:00.000Z', buyer_deadline: '2026-05-31T15:00:00.000Z' });
    expect((await reminder(plain.id)).message_key).toBe(`qt1-${tag}@sandbox.test`);
    expect((await reminder(plain.id)).conversation_id).not.toBeNull();

    // The buyers' side writes back.
    const inbound = (m: Partial<TestMail> & Pick<TestMail, 'id' | 'from' | 'subject' | 'date'>): TestMail => ({ to: [address], body: 'Thank you.\r\n', ...m });
    await deliver(address, [
      // An out-of-office with a return date: away until Thu 4 June, back Fri 5 (weekend) → first business day Sun 7 closes 15:00Z → Mon 8 09:00 +08.
      inbound({ id: `ooo-${tag}@gulf-steel.com.sa`, from: 'omar@gulf-steel.com.sa', subject: `Automatic reply: Quotation QT-2 ${tag}`, date: new Date('2026-05-21T08:01:00Z'), inReplyTo: `qt2-${tag}@sandbox.test`, extraHeaders: ['Auto-Submitted: auto-replied'], body: 'I am out of the office for Eid until 4 June 2026 with no access to e-mail.\r\n' }),
      // An auto-reply with no date, a bounce, and someone at another company in the thread: nothing changes for QT-1.
      inbound({ id: `ack-${tag}@alfaisal-trading.com.sa`, from: 'ahmed@alfaisal-trading.com.sa', subject: `Automatic reply: Quotation QT-1 ${tag}`, date: new Date('2026-05-21T08:02:00Z'), inReplyTo: `qt1-${tag}@sandbox.test`, extraHeaders: ['Auto-Submitted: auto-replied'], body: 'We received your message and will answer as soon as possible.\r\n' }),
      inbound({ id: `bounce-${tag}@mx.alfaisal-trading.com.sa`, from: 'MAILER-DAEMON@mx.alfaisal-trading.com.sa', subject: `Undeliverable: Quotation QT-1 ${tag}`, date: new Date('2026-05-21T08:03:00Z'), inReplyTo: `qt1-${tag}@sandbox.test` }),
      inbound({ id: `cc-${tag}@forwarder.example`, from: 'agent@forwarder.example', subject: `Re: Quotation QT-1 ${tag}`, date: new Date('2026-05-22T08:00:00Z'), inReplyTo: `qt1-${tag}@sandbox.test`, body: 'Please also copy us on the shipping documents.\r\n' }),
      // A colleague of the buyer answers QT-3 (not the recipient himself).
      inbound({ id: `sara-${tag}@riyadh-build.com.sa`, from: 'Sara <sara@procurement.riyadh-build.com.sa>', subject: `Re: Quotation QT-3 ${tag}`, date: new Date('2026-05-24T06:00:00Z'), inReplyTo: `qt3-${tag}@sandbox.test`, references: [`qt3-${tag}@sandbox.test`], body: 'Dear Li Wei,\r\nthank you, we accept the price and will send the order on Monday.\r\n' }),
    ]);
    clock = new Date('2026-05-24T07:00:00Z');
    await sync(mb.id);
    expect(await reminder(plain.id)).toMatchObject({ status: 'waiting', due_at: '2026-06-01T01:00:00.000Z', moved_until: null });
    expect(await reminder(away.id)).toMatchObject({ status: 'waiting', due_at: '2026-06-08T01:00:00.000Z', moved_until: '2026-06-05' });
    expect(await reminder(answered.id)).toMatchObject({ status: 'replied', replied_at: '2026-05-24T06:00:00.000Z' });

    // The due pass with an injected clock: not a second early, then once.
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T00:59:59Z'))).toBe(0);
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T01:00:00Z'))).toBe(2); // QT-1 and QT-4
    expect(await fireDueFollowUps(store.db, 'i2', new Date('2026-06-01T01:00:30Z'))).toBe(0);
    const fired = await reminder(plain.id);
    expect(fired).toMatchObject({ status: 'due', fired_at: '2026-06-01T01:00:00.000Z', fired_by: 'i1' });
    const task = (await store.db.selectFrom('tasks').selectAll().where('id', '=', fired.task_id!).executeTakeFirst())!;
    expect(task).toMatchObject({ tenant_id: t.tenantId, assignee_id: rep.id, status: 'open', title: `Follow up: Quotation QT-1 ${tag}`, due_at: '2026-06-01T01:00:00.000Z' });
    // Through the connectors: the task's event is in the outbox for the webhook, once.
    const events = await t.tdb.selectFrom('outbox').select('event').where('event_type', '=', 'task.created').execute();
    expect(events.filter((e) => e.event.includes(task.id))).toHaveLength(1);
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-08T01:00:00Z'))).toBe(1);
    expect((await reminder(away.id)).status).toBe('due');

    // The buyer answers after the reminder fired: it closes, and so does its task.
    await deliver(address, [inbound({ id: `late-${tag}@alfaisal-trading.com.sa`, from: 'ahmed@alfaisal-trading.com.sa', subject: `Re: Quotation QT-1 ${tag}`, date: new Date('2026-06-01T05:00:00Z'), inReplyTo: `qt1-${tag}@sandbox.test`, body: 'Dear Li Wei,\r\nsorry for the delay, the price is fine for us.\r\n' })]);
    clock = new Date('2026-06-01T06:00:00Z');
    await sync(mb.id);
    expect(await reminder(plain.id)).toMatchObject({ status: 'replied' });
    expect((await store.db.selectFrom('tasks').select('status').where('id', '=', task.id).executeTakeFirst())!.status).toBe('done');
  });
});
