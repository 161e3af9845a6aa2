import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import { followUpLinkPath, followUpLinkToken } from '../../src/server/services/followup-link.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { dovecotSettings, imapAvailable, imapClient, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';
import { followUpPackYaml } from '../support/followup-pack.js';

/**
 * The digest's one-click "follow up": the sealed link's page asks, its button files the reply
 * draft — the pack's follow-up template in the buyer's language — in the rep's own mailbox
 * (Dovecot's Drafts, by IMAP APPEND), and says where it is.
 */
(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('the digest’s follow-up link on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let rep: { id: string; email: string };
  let followUpId: string;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `fulink${kind.name}`);
    await pushPack(t.tdb, operator(t.tenantId), followUpPackYaml(`fulink-${kind.name}`, t.groupSlug));
    const address = sandboxAddress('fulink');
    rep = await addUser(t.tdb, operator(t.tenantId), { email: address, name: 'Li Wei', timeZone: 'Asia/Shanghai', locale: 'en', groups: [t.groupSlug] });
    await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: address };
    // To the seeded German customer's domain: the draft comes out in German.
    const f = await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-7', to: [`hans@buyer-of-fulink${kind.name}.de`], messageId: `<qt7-${rep.id}@sandbox.test>`, sentAt: '2026-05-21T08:00:00Z', templateKind: 'quote' });
    followUpId = f.followUp.id;
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T01:00:00Z'))).toBe(1);
    app = await testApp(store, {}, { secretBox: box });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const link = (claims: Partial<{ tenantId: string; userId: string; followUpId: string }> = {}, at = new Date()) =>
    followUpLinkPath(followUpLinkToken(box, { tenantId: t.tenantId, userId: rep.id, followUpId, ...claims }, at));

  it('asks first (mail scanners open links), then files the German reply draft in the rep’s Drafts and says where', async () => {
    const path = link();
    const ask = await app.inject({ method: 'GET', url: path });
    expect(ask.statusCode).toBe(200);
    expect(ask.headers['content-security-policy']).toContain("form-action 'self'");
    expect(ask.body).toContain('Follow up: Quotation QT-7');
    expect(ask.body).toContain(`<form method="post" action="?token=${encodeURIComponent(path.split("?token=")[1]!)}"><button type="submit">Put the reply draft in my mailbox</button></form>`);

    const before = await draftsOf(rep.email);
    const filed = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(filed.statusCode).toBe(201);
    expect(filed.body).toContain(`“Re: Quotation QT-7” is in Drafts of ${rep.email}.`);
    const after = await draftsOf(rep.email);
    expect(after).toHaveLength(before.length + 1);
    const mail = await simpleParser(after.at(-1)!.source);
    expect(mail.subject).toBe('Re: Quotation QT-7');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(`hans@buyer-of-fulink${kind.name}.de`);
    expect(mail.inReplyTo).toBe(`<qt7-${rep.id}@sandbox.test>`);
    // The rep's date of the send (21 May, Shanghai), written the German way; "quotation" from the kind.
    expect(mail.html).toContain('Guten Tag, zu quotation vom 21. Mai 2026: gibt es Neuigkeiten?');
    expect(after.at(-1)!.flags).toContain('\\Draft');
  });

  it('refuses an altered, foreign or expired link with a page that says why', async () => {
    const path = link();
    const altered = `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await app.inject({ method: 'GET', url: altered })).statusCode).toBe(404);
    const foreign = followUpLinkPath(followUpLinkToken(new SecretBox(randomBytes(32)), { tenantId: t.tenantId, userId: rep.id, followUpId }, new Date()));
    const refused = await app.inject({ method: 'POST', url: foreign, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain('This follow-up link is not valid.');
    // Made 15 days ago: links last 14.
    const old = await app.inject({ method: 'GET', url: link({}, new Date(Date.now() - 15 * 86_400_000)), headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('此跟进链接已过期');
    // Another rep's follow-up named in a genuine token of this rep: nothing found.
    expect((await app.inject({ method: 'GET', url: link({ followUpId: 'nope' }) })).statusCode).toBe(404);
  });
});

async function draftsOf(user: string): Promise<{ source: Buffer; flags: string[] }[]> {
  const client = await imapClient(user);
  try {
    const list = await client.list();
    const drafts = list.find((f) => f.specialUse === '\\Drafts')?.path ?? 'Drafts';
    if (!list.some((f) => f.path === drafts)) return [];
    const lock = await client.getMailboxLock(drafts);
    try {
      const found: { source: Buffer; flags: string[] }[] = [];
      if ((client.mailbox && typeof client.mailbox === 'object' ? client.mailbox.exists : 0) === 0) return found;
      for await (const m of client.fetch('1:*', { source: true, flags: true })) found.push({ source: m.source!, flags: [...(m.flags ?? [])] });
      return found;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}
