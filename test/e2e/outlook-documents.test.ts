import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { setCompanyProfile } from '../../src/server/services/company-profile.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectText } from '../support/settle.js';
import { operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { readPdf } from '../support/pdf-text.js';

/**
 * Issue #17 end to end in the Outlook playground (real headless Chromium, the real pane and events
 * bundles, a running store): "Make proforma invoice (PDF)" attaches the store's numbered PDF to
 * the draft through addFileAttachmentFromBase64Async, and the on-send handler (Smart Alerts)
 * blocks a draft carrying a bank account that is not the company's, in English and in Chinese.
 */

const FOREIGN_IBAN = 'GB82 WEST 1234 5698 7654 32';

describe('trade documents and the payment guard in the Outlook playground (Chromium)', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let base: string;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'e2e-docs');
    const op = operator(t.tenantId);
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, op, demo);
    // The strictest pack wins: this one blocks unofficial bank details.
    await pushPack(t.tdb, op, `${packYaml('e2e-strict', [t.groupSlug])}policies:\n  payments: block\n`);
    await setCompanyProfile(t.tdb, op, { legalName: 'Demo Export Co., Ltd.', bankAccounts: [{ label: 'EUR', beneficiary: 'Demo Export Co., Ltd.', bankName: 'Deutsche Bank', iban: 'DE89 3704 0044 0532 0130 00', swift: 'DEUTDEFF' }] });
    await createCustomer(t.tdb, op, { name: 'Hamburg Import GmbH', domains: ['hamburg-import.de'], country: 'DE' });
    dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-docs-'));
    const devSigner = await loadDevSigner(dataDir);
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner });
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

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' });
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    page = await context.newPage();
    errors = collectPageErrors(page);
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(t.rep.email)}`);
    await page.getByRole('heading', { name: 'tradepane playground' }).waitFor();
    await page.getByLabel('Events runtime').getByText(/handlers registered|not loaded/).waitFor();
  });

  afterEach(async () => {
    await context?.close();
    expect(errors.filter((e) => !/ERR_FAILED|net::|responded with a status of 4\d\d/.test(e))).toEqual([]);
  });

  const pane = (): FrameLocator => page.frameLocator('iframe[title="tradepane task pane"]');

  async function composeTo(address: string, templatesTab = 'Templates'): Promise<void> {
    await pane().getByRole('heading', { name: 'tradepane' }).waitFor();
    await page.getByRole('button', { name: 'New message' }).click();
    if (await page.evaluate(() => window.tradepanePlayground!.events.has('OnNewMessageCompose'))) await page.getByLabel('Event log').getByText('OnNewMessageCompose').waitFor({ state: 'attached' });
    await page.getByLabel('To', { exact: true }).fill(address);
    await pane().getByRole('tab', { name: templatesTab }).waitFor();
  }

  it('Make proforma invoice (PDF) attaches the numbered PI to the draft; the PDF reads back with its lines and total', async () => {
    await composeTo('anna@hamburg-import.de');
    const p = pane();
    await p.getByLabel('Search templates').fill('quotation');
    await p.getByRole('button', { name: 'Quotation', exact: true }).click();
    await p.getByLabel(/^Product/).fill('LED panel 60×60');
    await p.getByLabel(/^Quotation no\./).fill('Q-2026-118');
    await p.getByLabel('Item (Line 1)').fill('LED panel 600×600 mm, 40 W');
    await p.getByLabel('Quantity (Line 1)').fill('2000');
    await p.getByLabel('Unit price (Line 1) Amount').fill('7.85');
    await p.getByLabel(/^Named port or place/).fill('Ningbo');
    await p.getByRole('button', { name: 'Make quotation (PDF)' }).waitFor();
    await p.getByRole('button', { name: 'Make proforma invoice (PDF)' }).click();
    const confirmation = p.getByText(`PI-${year}-0001.pdf is attached to this message.`);
    await confirmation.waitFor({ timeout: 30_000 });
    await confirmation.scrollIntoViewIfNeeded();
    await expectText(page.getByLabel('Attachments'), 'textContent').toMatch(new RegExp(`^Attachments: PI-${year}-0001\\.pdf \\(\\d+ KB\\)$`));
    await screenshot(page, 'outlook-pdf-attached');

    const attachments = await page.evaluate(() => window.tradepanePlayground!.mailbox.attachments.map((a) => ({ ...a })));
    expect(attachments.map((a) => a.name)).toEqual([`PI-${year}-0001.pdf`]);
    const text = await readPdf(Buffer.from(attachments[0]!.base64, 'base64'));
    // 2000 × 7.85 = 15,700.00 (the demo pack prices in USD)
    for (const expected of [`PI-${year}-0001`, 'LED panel 600×600 mm, 40 W', 'Hamburg Import GmbH', '15,700.00']) expect(text.joined).toContain(expected);
    // Nothing went into the body.
    expect(await page.evaluate(() => window.tradepanePlayground!.mailbox.compose?.bodyHtml ?? '')).not.toContain('PI-');
  });

  /** Types the bank details at the top of the body (the signature below stays), then presses Send. */
  async function sendWithForeignIban(): Promise<void> {
    await page.getByRole('textbox', { name: 'Message body' }).click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type(`Please pay to our new account ${FOREIGN_IBAN}. `);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  it('blocks Send when the body carries an account that is not the company\'s (Smart Alerts), saying why', async () => {
    await composeTo('anna@hamburg-import.de');
    await sendWithForeignIban();
    const blocked = page.getByRole('alert').filter({ hasText: 'company policy blocks it' });
    await blocked.waitFor();
    await expectText(blocked, 'textContent').toContain('Bank details GB82…5432 (IBAN) are not one of the company\'s official accounts.');
    // Block mode: no way to send it anyway.
    expect(await page.getByRole('button', { name: 'Send anyway' }).count()).toBe(0);
    expect(await page.getByText(/^Sent \(the playground/).count()).toBe(0);
    await screenshot(page, 'outlook-payment-blocked');
  });

  it('blocks it in Chinese when Outlook speaks Chinese', async () => {
    await page.getByLabel('Outlook language').selectOption('zh-CN');
    await composeTo('anna@hamburg-import.de', '模板');
    await sendWithForeignIban();
    const blocked = page.getByRole('alert').filter({ hasText: '公司政策禁止发送' });
    await blocked.waitFor();
    await expectText(blocked, 'textContent').toContain('银行信息 GB82…5432（国际银行账号）不是公司的官方账户。');
    expect(await page.getByText(/^Sent \(the playground/).count()).toBe(0);
    await screenshot(page, 'outlook-payment-blocked-zh-CN');
  });
});
