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
    const reply = page.getByRole('region', { name: 'Reply form' });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Le escribo en relación con la cotización');
    expect(await page.getByRole('region', { name: 'New message form' }).count()).toBe(0);
    await screenshot(page, 'followups-pane-reply-en');
    await close();
    expect(realErrors(errors)).toEqual([]);
  });

  it('says it all in Chinese', async () => {
    const { page, pane, errors, close } = await open('zh-CN');
    const due = pane.getByRole('region', { name: '待跟进' });
    await due.getByText('Quotation QT-9').waitFor();
    await due.getByRole('button', { name: '跟进', exact: true }).click();
    await due.getByText('已用跟进模板打开给 lucia@empresa.es 的新邮件：检查后发送，然后标记完成。').waitFor();
    expect(await due.getByRole('button', { name: '完成' }).count()).toBe(1);
    await screenshot(page, 'followups-pane-zh-CN');
    await close();
    expect(realErrors(errors)).toEqual([]);
  });
});
