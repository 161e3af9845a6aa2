import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { newId } from '../../src/server/db/tenant-db.js';
import { loadDevSigner, type DevSigner } from '../../src/server/auth/dev-keys.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { configureTeamInbox, teamInboxArrival } from '../../src/server/services/team-inbox.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { smtpReceiver } from '../support/smtp-receiver.js';
import { collectPageErrors, screenshot } from '../support/browser.js';
import { expectText } from '../support/settle.js';
import { servePanes, type ServedPanes } from '../support/panes.js';

jest.setTimeout(120_000);

const kind = storeKinds()[0]!;
const DEMO_PACK = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');

/**
 * The hand-off in `/inbox`, in Chromium: Linda (no mailbox of her own) reviews the Arabic hand-off,
 * reads that it will go as info@ with her name, edits and sends it over SMTP; Omar, in Chinese,
 * is told the buyer is Linda's and cannot send without taking it over.
 */
describe(`the hand-off in the web team inbox (${kind.name})`, () => {
  let store: Store;
  let panes: ServedPanes | undefined;
  let app: FastifyInstance;
  let signer: DevSigner;
  let browser: Browser;
  let base: string;
  let t: SeededTenant;
  let conversationId: string;
  const tokens: Record<'linda' | 'omar', string> = { linda: '', omar: '' };
  const smtp = smtpReceiver();
  const received = smtp.received;

  beforeAll(async () => {
    await smtp.listen();
    store = await kind.open();
    t = await seedTenant(store, 'tho2e');
    const op = operator(t.tenantId);
    signer = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-handoff-e2e-')));
    for (const name of ['linda', 'omar'] as const) {
      const u = await addUser(t.tdb, op, { email: `${name}@tho2e.test`, name: name === 'linda' ? 'Linda Chen' : 'Omar Haddad', groups: [t.groupSlug], ...(name === 'linda' ? { title: 'Sales manager, Gulf' } : {}) });
      tokens[name] = await signer.sign({ tenantId: t.tenantId, userId: u.id, email: u.email });
    }
    const box = new SecretBox(randomBytes(32));
    const port = smtp.port();
    const mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address: 'info@tho2e.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 })).id;
    await pushPack(t.tdb, op, DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
    await createCustomer(t.tdb, op, { name: 'Gulf Trading', domains: ['gulf-trading.com.sa'], country: 'SA' });
    await configureTeamInbox(t.tdb, op, mailboxId, { groups: [t.groupSlug], calendar: { country: null, timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' }, handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    const at = new Date(Date.now() - 3_600_000).toISOString();
    conversationId = newId();
    const messageId = newId();
    const m = { subject: 'طلب عرض سعر: بلاط سيراميك', from: 'ali@gulf-trading.com.sa', body: 'السلام عليكم، نرجو إرسال عرض سعر لعشرين طنًا من البلاط.' };
    await t.tdb.insert('conversations', { id: conversationId, subject: m.subject, subject_key: m.subject, participants: JSON.stringify([m.from]), customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    await t.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailboxId, conversation_id: conversationId, provider_id: messageId, folder: 'inbox', message_key: `${messageId}@gulf-trading.com.sa`, from_address: m.from, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 100, attachments: '[]', received_at: at, subject: m.subject, direction: 'inbound', auto_verdict: 'none', language: 'ar', excerpt: m.body, created_at: at, date_header: null });
    await t.tdb.transaction((tdb) => teamInboxArrival({ tdb, mailboxId, conversationId, message: { direction: 'inbound', auto_verdict: 'none', received_at: at, from_address: m.from, subject: m.subject, language: 'ar', attachments: '[]', date_header: null }, body: m.body, customerIds: [], live: true, at: new Date(at) }));
    panes = await servePanes(store, { devSigner: signer, secretBox: box });
    ({ app, base, browser } = panes);
  });

  afterAll(async () => {
    await (panes ? panes.close() : store?.close());
    await smtp.close();
  });

  const openConversation = async (who: 'linda' | 'omar', locale: string): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/inbox#token=${encodeURIComponent(tokens[who])}`);
    await page.getByTestId('team-list').getByText('طلب عرض سعر: بلاط سيراميك').click();
    return { page, errors };
  };

  it('Linda reviews the Arabic hand-off, reads how it will go, edits and sends it as info@ with her name', async () => {
    const { page, errors } = await openConversation('linda', 'en-US');
    const pane = page.getByTestId('conversation');
    await pane.getByRole('button', { name: 'Hand off from my address' }).click();
    const how = pane.getByTestId('hand-off-how');
    await expectText(how).toBe("You have no connected mailbox, so this mail will be sent as info@tho2e.test with your name (Linda Chen), through the team mailbox, to ali@gulf-trading.com.sa, as a reply in the buyer's thread. It counts as your answer, and the buyer's company is yours from then on.");
    const text = pane.getByLabel('Mail (review and edit before sending)');
    await expectText(text, 'inputValue').toContain('معكم Linda Chen، Sales manager, Gulf');
    await expectText(pane.getByLabel('Subject'), 'inputValue').toBe('Re: طلب عرض سعر: بلاط سيراميك');
    await expectText(pane.getByTestId('hand-off-language')).toMatch(/^Written in Arabic, the language the buyer reads/);
    await text.fill(`${await text.inputValue()}\n\nالعينات جاهزة للشحن.`);
    await screenshot(page, 'inbox-hand-off-en-linda');
    await pane.getByRole('button', { name: 'Send the hand-off' }).click();
    await pane.getByTestId('hand-off-sent').getByText('Sent from info@tho2e.test.', { exact: false }).waitFor();
    expect(received).toHaveLength(1);
    const mail = await simpleParser(received[0]!.raw);
    expect(mail.from?.value[0]).toMatchObject({ address: 'info@tho2e.test', name: 'Linda Chen' });
    expect(mail.text).toContain('العينات جاهزة للشحن.');
    await screenshot(page, 'inbox-hand-off-en-sent');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Omar, in Chinese, is told the buyer is Linda\'s and cannot send without taking it over', async () => {
    const { page, errors } = await openConversation('omar', 'zh-CN');
    const pane = page.getByTestId('conversation');
    await pane.getByRole('button', { name: '用我的邮箱转交跟进' }).click();
    await expectText(pane.getByTestId('hand-off-owned')).toBe('Gulf Trading 是 Linda Chen（linda@tho2e.test）的客户。请先与 Linda Chen 沟通，或把会话转给对方。');
    await expectText(pane.getByTestId('hand-off-how')).toContain('你没有连接自己的邮箱，因此这封邮件将以 info@tho2e.test 的身份');
    const send = pane.getByRole('button', { name: '发送转交邮件' });
    await expect(send.isDisabled()).resolves.toBe(true);
    await pane.getByLabel('我已与 Linda Chen 商定：发送并接手该客户').check();
    await expect(send.isDisabled()).resolves.toBe(false);
    await expectText(pane.getByTestId('hand-off-language')).toMatch(/^使用语言：阿拉伯语——/);
    await screenshot(page, 'inbox-hand-off-zh-CN-omar');
    expect(received).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
