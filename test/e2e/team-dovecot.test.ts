import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { configureTeamInbox } from '../../src/server/services/team-inbox.js';
import { runTeamMailPass } from '../../src/server/services/team-mail.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { loadConfig } from '../../src/server/config.js';
import type { TeamFiguresView } from '../../src/contract/team-inbox.js';
import { bearer, operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { smtpReceiver } from '../support/smtp-receiver.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';
import { collectPageErrors, screenshot } from '../support/browser.js';
import { expectText } from '../support/settle.js';
import { servePanes, type ServedPanes } from '../support/panes.js';

jest.setTimeout(120_000);

const kind = storeKinds()[0]!;
const DEMO_PACK = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');
const ROUTING = (group: string, linda: string) => `pack: routing
title: Routing
groups: ["${group}"]
defaultLanguage: en
routing:
  rules:
    - name: spain
      when: {countries: [ES]}
      assign: {to: ${linda}}
      tag: [spain]
`;

/**
 * Issue #15's chain, whole, through a real Dovecot role mailbox and the web team inbox in
 * Chromium: an inquiry arrives in the mailbox → the sync routes it (the pack's rule assigns Linda
 * and tags it) → the acknowledgement goes once, in the buyer's language → Omar sees "Linda Chen is
 * replying" (in Chinese) → Linda hands off → the sync reads her answer from the mailbox's Sent and the clock
 * stops → the manager's figures count it for Linda.
 */
(imapAvailable() ? describe : describe.skip)(`the team inbox end to end through Dovecot (${kind.name})`, () => {
  let store: Store;
  let panes: ServedPanes | undefined;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let t: SeededTenant;
  let inboxId: string;
  let mailboxId: string;
  const tokens: Record<'linda' | 'omar' | 'admin', string> = { linda: '', omar: '', admin: '' };
  const box = new SecretBox(randomBytes(32));
  const smtp = smtpReceiver();
  const adapterFor = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
  const address = sandboxAddress('teame2e');
  const sync = () => runSyncPass(store.db, store.dialect, { instanceId: 'e2e', adapterFor, box, pageSize: 10, backfillDays: 30, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, mailboxId, ignoreSchedule: true });

  beforeAll(async () => {
    await smtp.listen();
    store = await kind.open();
    t = await seedTenant(store, 'tdv2e');
    const op = operator(t.tenantId);
    const signer = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-team-dovecot-')));
    const emails = { linda: 'linda@tdv2e.test', omar: 'omar@tdv2e.test' };
    for (const name of ['linda', 'omar'] as const) {
      const u = await addUser(t.tdb, op, { email: emails[name], name: name === 'linda' ? 'Linda Chen' : 'Omar Haddad', groups: [t.groupSlug] });
      tokens[name] = await signer.sign({ tenantId: t.tenantId, userId: u.id, email: u.email });
    }
    tokens.admin = await signer.sign({ tenantId: t.tenantId, userId: t.admin.id, email: t.admin.email });
    mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address, settings: { ...dovecotSettings(), smtp: { host: '127.0.0.1', port: smtp.port(), security: 'none' } }, secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 })).id;
    await pushPack(t.tdb, op, DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
    await pushPack(t.tdb, op, ROUTING(t.groupSlug, emails.linda));
    inboxId = (await configureTeamInbox(t.tdb, op, mailboxId, { groups: [t.groupSlug], calendar: { country: null, timeZone: 'Europe/Madrid', start: '09:00', end: '18:00' }, acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' }, handOff: { pack: 'demo-export', template: 'team-hand-off' } })).id;
    panes = await servePanes(store, { devSigner: signer, secretBox: box });
    ({ app, base, browser } = panes);
  });

  afterAll(async () => {
    await (panes ? panes.close() : store?.close());
    await smtp.close();
  });

  const open = async (who: 'linda' | 'omar', conversationId: string, locale = 'en-US'): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/inbox#conversation=${encodeURIComponent(conversationId)}&token=${encodeURIComponent(tokens[who])}`);
    return { page, errors };
  };

  it('an inquiry in the Dovecot mailbox is routed, acknowledged once in Spanish, claimed, handed off; the clock stops at the answer and the figures count it for Linda', async () => {
    // The first pass is the backfill; the inquiry arrives after it, live.
    expect((await sync())[0]).toMatchObject({ outcome: 'caught-up' });
    const inquiryId = `inq-${mailboxId}@importadora.es`;
    await deliver(address, [{ id: inquiryId, from: 'María García <maria@importadora.es>', to: [address], subject: 'Consulta: baldosas cerámicas', date: new Date(Math.floor(Date.now() / 1000) * 1000), body: 'Buenos días,\r\nles rogamos nos envíen su mejor precio para dos contenedores de baldosas cerámicas.\r\n' }]);
    expect((await sync())[0]).toMatchObject({ stored: 1 });
    const conv = await t.tdb.selectFrom('conversations').selectAll().where('subject', '=', 'Consulta: baldosas cerámicas').executeTakeFirstOrThrow();
    // The rule assigned Linda and tagged the conversation.
    const linda = await t.tdb.selectFrom('users').select('id').where('email', '=', 'linda@tdv2e.test').executeTakeFirstOrThrow();
    expect(conv.assignee_id).toBe(linda.id);
    expect(JSON.parse(conv.tags)).toContain('spain');

    // The acknowledgement: once, from the role address, in Spanish, in the buyer's thread.
    expect(await runTeamMailPass(store.db, { adapterFor, box, instanceId: 'e2e', now: new Date() })).toMatchObject({ sent: 1 });
    expect(await runTeamMailPass(store.db, { adapterFor, box, instanceId: 'e2e', now: new Date() })).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(1);
    const ack = await simpleParser(smtp.received[0]!.raw);
    expect([ack.from?.value[0]?.address, ack.to && 'value' in ack.to ? ack.to.value[0]?.address : null, ack.inReplyTo]).toEqual([address, 'maria@importadora.es', `<${inquiryId}>`]);
    expect(ack.text).toContain('Hemos recibido su consulta');

    // Linda says she is replying; Omar, opening the conversation, sees it.
    const lindaPage = await open('linda', conv.id);
    const lindaPane = lindaPage.page.getByTestId('conversation');
    await lindaPane.getByText('Assignee: Linda Chen').waitFor();
    await lindaPane.getByRole('button', { name: "I'm replying" }).click();
    // Omar works in Chinese.
    const omarPage = await open('omar', conv.id, 'zh-CN');
    await omarPage.page.getByTestId('conversation').getByTestId('presence').getByText('Linda Chen 正在回复').waitFor();
    await screenshot(omarPage.page, 'inbox-dovecot-omar-sees-linda');

    // Linda hands off; the mail leaves over SMTP and is filed in the mailbox's Sent.
    await lindaPane.getByRole('button', { name: 'Hand off from my address' }).click();
    await lindaPane.getByRole('button', { name: 'Send the hand-off' }).click();
    await lindaPane.getByTestId('hand-off-sent').waitFor();
    expect(smtp.received).toHaveLength(2);
    const handOff = await simpleParser(smtp.received[1]!.raw);
    expect(handOff.from?.value[0]).toMatchObject({ address, name: 'Linda Chen' });
    expect(handOff.inReplyTo).toBe(`<${inquiryId}>`);
    await screenshot(lindaPage.page, 'inbox-dovecot-linda-handed-off');

    // The next sync reads the answer from Sent: the clock stops there, and it is Linda's.
    await sync();
    const answered = await t.tdb.selectFrom('conversations').select(['responded_at', 'state']).where('id', '=', conv.id).executeTakeFirstOrThrow();
    expect(answered.responded_at).not.toBeNull();
    expect(answered.state).toBe('answered');
    const figures = await app.inject({ method: 'GET', url: `/api/v1/team-inboxes/${inboxId}/figures`, headers: bearer(tokens.admin) });
    expect(figures.statusCode).toBe(200);
    const lindaRow = (figures.json() as TeamFiguresView).reps.find((r) => r.rep.email === 'linda@tdv2e.test');
    expect(lindaRow).toMatchObject({ answered: 1, breaches: 0 });
    expect([...lindaPage.errors, ...omarPage.errors]).toEqual([]);
    await lindaPage.page.close();
    await omarPage.page.close();
  });
});
