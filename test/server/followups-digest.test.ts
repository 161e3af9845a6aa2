import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { openStore, type Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { loadConfig } from '../../src/server/config.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import { sendMorningDigests } from '../../src/server/services/followup-digest.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

/**
 * The 08:30 digest on the rep's clock, through the rep's own mailbox (SMTP to a local receiver,
 * the Sent copy to Dovecot), once per rep and day even when two instances run the pass at once.
 */
(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('the follow-up morning digest on $name', (kind) => {
  let store: Store;
  let second: Store;
  let t: SeededTenant;
  let smtp: SMTPServer;
  let port = 0;
  const received: { to: string[]; raw: string }[] = [];
  const box = new SecretBox(randomBytes(32));
  const adapterFor = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => (auth.password === SANDBOX_PASSWORD ? callback(null, { user: auth.username }) : callback(new Error('bad password'))),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
    store = await kind.open();
    second = kind.name === 'postgres' ? openStore({ databaseUrl: process.env.TEST_DATABASE_URL!, pgSchema: store.schema!, poolSize: 4 }) : store;
    t = await seedTenant(store, `fud${kind.name}`);
  });
  afterAll(async () => {
    if (second !== store) await second.db.destroy();
    await store.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('mails the rep at 08:30 their time what is due, once a day across instances, in their language', async () => {
    const address = sandboxAddress('digest');
    const rep = await addUser(t.tdb, operator(t.tenantId), { email: address, name: 'Li Wei', timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: { ...dovecotSettings(), smtp: { host: '127.0.0.1', port, security: 'none' } }, secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: address };
    for (const n of [1, 2]) await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: `Quotation QT-${n}`, to: ['ahmed@alfaisal-trading.com.sa'], messageId: `<qt${n}-${rep.id}@sandbox.test>`, sentAt: '2026-05-21T08:00:00Z' });
    // Due Mon 1 Jun 2026 09:00 Shanghai (01:00Z); the digest pass the next morning finds both due.
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T01:00:00Z'))).toBe(2);

    const pass = (db: Store, at: string) => sendMorningDigests(db.db, { adapterFor, box, now: new Date(at), publicUrl: 'https://store.example.test/' });
    // Tue 2 Jun 08:29 in Shanghai: not yet.
    expect(await pass(store, '2026-06-02T00:29:00Z')).toBe(0);
    // 08:30: two instances at once, one mail.
    const racing = await Promise.all([pass(store, '2026-06-02T00:30:00Z'), pass(second, '2026-06-02T00:30:00Z')]);
    expect(racing.reduce((a, b) => a + b, 0)).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([address]);
    const mail = await simpleParser(received[0]!.raw);
    expect(mail.subject).toBe('今日待跟进：2 封');
    expect(mail.text).toContain('Quotation QT-1 — 收件人 ahmed@alfaisal-trading.com.sa — 自 2026-05-21 16:00 起无回复');
    expect(mail.text).toContain('Quotation QT-2');
    // Each entry's one-click "follow up": a sealed link to the store's draft page (followups-link.test.ts).
    expect(mail.text).toMatch(/Quotation QT-1 — [^\n]+\n  跟进: https:\/\/store\.example\.test\/followups\/draft\?token=v1\.[\w.-]+\n/);
    expect(mail.html).toContain('— <a href="https://store.example.test/followups/draft?token=v1.');
    // Later the same morning: nothing more; the next morning, again (still due).
    expect(await pass(store, '2026-06-02T02:00:00Z')).toBe(0);
    expect(await pass(store, '2026-06-03T00:35:00Z')).toBe(1);
    expect(received).toHaveLength(2);
    expect(await t.tdb.selectFrom('followup_digests').select(['local_date', 'items']).where('user_id', '=', rep.id).orderBy('local_date').execute()).toEqual([
      { local_date: '2026-06-02', items: 2 },
      { local_date: '2026-06-03', items: 2 },
    ]);
  });

  it('sends nothing when the rep’s mailbox refuses, and tries again on the next pass', async () => {
    const address = sandboxAddress('digestfail');
    const rep = await addUser(t.tdb, operator(t.tenantId), { email: address, name: 'Wang Fang', timeZone: 'Asia/Shanghai' });
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: { ...dovecotSettings(), smtp: { host: '127.0.0.1', port, security: 'none' } }, secrets: { password: 'wrong-password' } }, { backfillDays: 30 });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: address };
    await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Sample notice', to: ['ahmed@alfaisal-trading.com.sa'], messageId: `<s-${rep.id}@sandbox.test>`, sentAt: '2026-05-21T08:00:00Z' });
    await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T01:00:00Z'));
    const errors: unknown[] = [];
    const before = received.length;
    // (Li Wei from the first test still has two due: that digest goes out; Wang Fang's cannot.)
    await sendMorningDigests(store.db, { adapterFor, box, now: new Date('2026-06-04T00:30:00Z'), onError: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'auth' });
    expect(received.slice(before).map((r) => r.to[0])).not.toContain(address);
    expect(await t.tdb.selectFrom('followup_digests').select('local_date').where('user_id', '=', rep.id).execute()).toEqual([]);
    // The admin fixes the password: the next pass that morning sends it.
    await t.tdb.updateTable('mailboxes', { secrets: box.seal({ password: SANDBOX_PASSWORD }) }).where('id', '=', mb.id).execute();
    expect(await sendMorningDigests(store.db, { adapterFor, box, now: new Date('2026-06-04T00:35:00Z') })).toBe(1);
    expect(received.slice(before).map((r) => r.to[0])).toContain(address);
  });
});
