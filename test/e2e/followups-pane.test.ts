import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { SecretBox } from '../../src/server/secrets.js';
import { randomBytes } from 'node:crypto';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The pane's "Follow-ups due" and its one-click "Follow up" in real Chromium, in English and in
 * Chinese: the store renders the demo pack's follow-up template in the buyer's language (a .es
 * buyer: Spanish), and the pretend Outlook opens it — a new message form when the unanswered mail
 * is not the open item, a reply form when it is.
 */
describe('follow-ups in the Outlook pane (Chromium)', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let base: string;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'e2e-fu');
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, operator(t.tenantId), demo);
    const actor: Actor = { tenantId: t.tenantId, userId: t.rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: t.rep.email };
    await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-9', to: ['lucia@empresa.es'], messageId: '<qt-9@e2e-fu.test>', sentAt: '2026-05-21T08:00:00Z', templateKind: 'quote' });
    await fireDueFollowUps(store.db, 'e2e', new Date('2026-07-01T00:00:00Z'));
    // An RFQ from ten days ago, unanswered: the pane lists it under the follow-ups.
    const mb = await addMailbox(t.tdb, operator(t.tenantId), new SecretBox(randomBytes(32)), { provider: 'imap', address: t.rep.email, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 });
    const at = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await t.tdb.insert('conversations', { id: 'rfq-e2e', subject: 'RFQ: porcelain tiles 60x60', subject_key: 'rfq: porcelain tiles 60x60', participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    await t.tdb.insert('mail_messages', { id: 'msg-rfq-e2e', mailbox_id: mb.id, conversation_id: 'rfq-e2e', provider_id: 'p-rfq-e2e', folder: 'inbox', message_key: 'rfq-e2e@x.test', second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: 'buyer@new-importer.com.au', from_name: null, to_addresses: '[]', cc_addresses: '[]', date_header: null, utc_offset_minutes: null, received_at: at, subject: 'RFQ: porcelain tiles 60x60', direction: 'inbound', size_bytes: 0, attachments: '[]', auto_verdict: 'none', language: null, excerpt: '', created_at: at });
    dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-fu-'));
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner: await loadDevSigner(dataDir) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(locale: 'en-US' | 'zh-CN'): Promise<{ page: Page; pane: FrameLocator; errors: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, timezoneId: 'Asia/Shanghai' });
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(t.rep.email)}`);
    await page.getByLabel('Events runtime').getByText(/handlers registered|not loaded/).waitFor();
    if (locale === 'zh-CN') await page.getByLabel('Outlook language').selectOption('zh-CN');
    return { page, pane: page.frameLocator('iframe[title="tradepane task pane"]'), errors, close: () => context.close() };
  }
  const realErrors = (errors: string[]) => errors.filter((e) => !/ERR_FAILED|net::|responded with a status of 4\d\d/.test(e));

  it('lists the due follow-up and opens the Spanish reply as a new message, then as a reply on the sent mail', async () => {
    const { page, pane, errors, close } = await open('en-US');
    const due = pane.getByRole('region', { name: 'Follow-ups due' });
    await due.getByText('Quotation QT-9').waitFor();
    const inquiries = pane.getByRole('region', { name: 'Inquiries waiting for your answer' });
    await inquiries.getByText('RFQ: porcelain tiles 60x60').waitFor();
    expect(await inquiries.textContent()).toMatch(/buyer@new-importer\.com\.au · received .+, [\d.]+ business hours without an answer · your manager sees it too/);
    await screenshot(page, 'followups-pane-due-en');

    await due.getByRole('button', { name: 'Follow up' }).click();
    const form = page.getByRole('region', { name: 'New message form' });
    await form.waitFor();
    expect(await form.textContent()).toContain('To: lucia@empresa.es');
    expect(await form.textContent()).toContain('Subject: Re: Quotation QT-9');
    // The demo pack's Spanish variant, with the quote's kind and the send date filled in.
    expect(await form.textContent()).toContain('Le escribo en relación con la cotización que le envié el');
    await due.getByText('New message to lucia@empresa.es opened with your follow-up template: check it and send, then mark it done.').waitFor();
    await screenshot(page, 'followups-pane-new-message-en');

    // The sent mail open in the reading pane: Outlook's reply-all form on it (the rep sent it).
    await page.evaluate(() => {
      const box = window.tradepanePlayground!.mailbox;
      box.newMessageForm = null;
      box.open({ mode: 'read', read: { from: { ...box.me }, to: [{ name: 'Lucía', address: 'lucia@empresa.es' }], cc: [], subject: 'Quotation QT-9', bodyHtml: '<p>Our quotation</p>', internetMessageId: '<qt-9@e2e-fu.test>', conversationId: 'conv-qt-9', dateTimeCreated: Date.parse('2026-05-21T08:00:00Z'), dateHeader: 'Thu, 21 May 2026 16:00:00 +0800' } });
    });
    await pane.getByRole('region', { name: 'Follow-ups due' }).getByRole('button', { name: 'Follow up' }).click();
    // As in Outlook, a reply compose (here the playground's one item becomes it): to the buyer, not to the rep.
    await page.getByLabel('Subject').waitFor();
    expect(await page.getByLabel('Subject').inputValue()).toBe('Re: Quotation QT-9');
    const reply = await page.evaluate(() => {
      const compose = window.tradepanePlayground!.mailbox.compose!;
      return { to: compose.to.map((r) => r.address), body: compose.bodyHtml };
    });
    expect(reply.to).toEqual(['lucia@empresa.es']);
    expect(reply.body).toContain('Le escribo en relación con la cotización');
    expect(await page.getByRole('region', { name: 'New message form' }).count()).toBe(0);
    await screenshot(page, 'followups-pane-reply-en');
    await close();
    expect(realErrors(errors)).toEqual([]);
  });

  it('says it all in Chinese', async () => {
    const { page, pane, errors, close } = await open('zh-CN');
    const due = pane.getByRole('region', { name: '待跟进' });
    await due.getByText('Quotation QT-9').waitFor();
    await pane.getByRole('region', { name: '待回复的询盘' }).getByText(/个工作小时未回复 · 主管也会看到/).waitFor();
    await due.getByRole('button', { name: '跟进', exact: true }).click();
    await due.getByText('已用跟进模板打开给 lucia@empresa.es 的新邮件：检查后发送，然后标记完成。').waitFor();
    expect(await due.getByRole('button', { name: '完成' }).count()).toBe(1);
    await screenshot(page, 'followups-pane-zh-CN');
    await close();
    expect(realErrors(errors)).toEqual([]);
  });
});
