import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { parse } from 'yaml';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectCount } from '../support/settle.js';
import { operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { latinLeftovers, packDataPhrases } from '../support/latin-text.js';
import { storeKinds } from '../support/stores.js';

/**
 * The task pane walked in Simplified Chinese (Outlook's display language zh-CN): every tab in compose
 * and read mode, a picked template's fields form and its preview. The visible text of the pane (not
 * the playground around it, not the preview iframe, which is the buyer's mail) may hold Latin only
 * where test/support/latin-text.ts allows it: addresses, URLs, codes, dates, times, and data. The
 * data allowed here, exactly: the demo pack's template titles, option values and texts that have no
 * Chinese version, its signature's id, the fixture pack's template ("Hello"), the customer's name, the received mail's sender and subject (and "Re: " + subject, the
 * task title made from it), the values this test types.
 */
describe('the task pane in zh-CN has no English sentence (Chromium)', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let base: string;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let allowed: string[];

  const typed = ['LED panel', 'Q-2026-7', 'Ningbo'];

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'e2e-zhwalk');
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, operator(t.tenantId), demo);
    await createCustomer(t.tdb, operator(t.tenantId), { name: 'Hamburg Import GmbH', domains: ['hamburg-import.de'], country: 'DE' });
    const demoPack = parse(demo) as { signatures?: { id: string }[] };
    // The demo pack, the fixture pack every seeded tenant has (its one template is titled "Hello"), the
    // signatures' ids (the pane names the enforced one), the customer, the values typed below.
    allowed = [...packDataPhrases(demoPack), ...packDataPhrases(parse(packYaml(t.packSlug, [t.groupSlug]))), ...(demoPack.signatures ?? []).map((s) => s.id), 'Hamburg Import GmbH', ...typed];
    dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-zhwalk-'));
    const devSigner = await loadDevSigner(dataDir);
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    page = await context.newPage();
    errors = collectPageErrors(page);
    page.on('request', (r) => void inFlight.add(r.url()));
    const done = (r: { url(): string }) => {
      inFlight.delete(r.url());
      if (inFlight.size === 0) for (const wake of waiting.splice(0)) wake();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(t.rep.email)}`);
    await page.getByLabel('Events runtime').getByText(/handlers registered|not loaded/).waitFor();
    await page.getByLabel('Outlook language').selectOption('zh-CN');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    expect(errors.filter((e) => !/ERR_FAILED|net::|responded with a status of 4\d\d/.test(e))).toEqual([]);
  });

  // The requests the page has open, by URL: the text is read once none is left (an event, not a sleep).
  const inFlight = new Set<string>();
  const waiting: (() => void)[] = [];
  const idle = (): Promise<void> => (inFlight.size === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)));

  const pane = (): FrameLocator => page.frameLocator('iframe[title="tradepane task pane"]');

  /** The pane's visible text once nothing loads any more (no request in flight, no spinner). */
  async function settledText(): Promise<string> {
    await idle();
    await pane().locator('body').evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    await idle();
    await pane().getByText('加载中…').waitFor({ state: 'detached' });
    // What the pane pre-fills counts as its text too (a task title it proposes, a default value).
    const values = await pane()
      .locator('body')
      .evaluate((body) => Array.from(body.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea')).map((el) => el.value));
    return [await pane().locator('body').innerText(), ...values].join('\n');
  }

  const seen: { where: string; lines: string[] }[] = [];
  async function check(where: string): Promise<void> {
    const lines = latinLeftovers(await settledText(), allowed);
    if (lines.length > 0) seen.push({ where, lines });
  }

  /** Clicks each tab (Fluent's tab writes its label twice in the DOM, so the names are given) and checks it. */
  async function walkTabs(mode: string, names: string[]): Promise<void> {
    await expectCount(pane().getByRole('tab'), names.length);
    for (const name of names) {
      await pane().getByRole('tab', { name, exact: true }).click();
      await pane().getByRole('tabpanel', { name }).waitFor();
      await check(`${mode} · ${name}`);
    }
  }

  it('the allow-list check itself fails on an English label and passes codes, addresses and data', () => {
    expect(latinLeftovers('预览', allowed)).toEqual([]);
    expect(latinLeftovers('Preview', allowed)).toEqual(['Preview']);
    expect(latinLeftovers('贸易术语 FOB，EUR 12.50，2026-12-31 09:30（Europe/Berlin），anna@hamburg-import.de https://x.test/a', allowed)).toEqual([]);
    expect(latinLeftovers('客户：Hamburg Import GmbH', allowed)).toEqual([]);
    expect(latinLeftovers('Sender\'s time now: 09:30', allowed)).toEqual(["Sender's time now: 09:30"]);
    // A label the pack has in Chinese is not data: "Product" must show as 产品.
    expect(latinLeftovers('Product', allowed)).toEqual(['Product']);
    // Option values the pack has in one spelling only are data.
    expect(latinLeftovers('付款方式 tt-30-70', allowed)).toEqual([]);
  });

  it('compose: every tab, a picked quotation\'s fields form and its preview', async () => {
    await pane().getByRole('heading', { name: 'tradepane' }).waitFor();
    await page.getByRole('button', { name: 'New message' }).click();
    await page.getByLabel('To', { exact: true }).fill('anna@hamburg-import.de');
    await pane().getByRole('tab', { name: '模板' }).waitFor();
    await walkTabs('compose', ['模板', '客户时间', '签名', 'CRM']);

    const p = pane();
    await p.getByRole('tab', { name: '模板' }).click();
    await p.getByRole('button', { name: '报价单', exact: true }).click();
    await check('compose · 报价单 fields form (empty)');
    await p.getByRole('button', { name: '插入' }).click();
    await p.getByRole('list').first().waitFor();
    await check('compose · 报价单 insert blocked');
    await p.getByRole('textbox', { name: '产品', exact: true }).fill('LED panel');
    await p.getByRole('textbox', { name: /^报价单号/ }).fill('Q-2026-7');
    await p.getByRole('textbox', { name: /^指定港口或地点/ }).fill('Ningbo');
    await p.getByRole('textbox', { name: '品名 (第 1 行)' }).fill('LED panel');
    await p.getByRole('spinbutton', { name: '数量 (第 1 行)' }).or(p.getByRole('textbox', { name: '数量 (第 1 行)' })).fill('2');
    await p.getByRole('textbox', { name: '单价 (第 1 行) 金额' }).fill('12.50');
    const rendered = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/render') && r.request().method() === 'POST');
    await p.getByRole('button', { name: '预览' }).click();
    const answer = (await (await rendered).json()) as { subject?: string };
    // The preview's heading names the rendered subject: the buyer's mail, data.
    expect(answer.subject).toBe('Quotation Q-2026-7: LED panel');
    allowed.push(answer.subject!);
    await p.getByRole('heading', { name: /Q-2026-7/ }).waitFor();
    await check('compose · 报价单 preview');
    await screenshot(page, 'zh-CN-walk-compose-preview');
    expect(seen).toEqual([]);
    // The Chinese meanings make long options ("FOB — 船上交货：卖方在装运港…"): every select stays inside the pane.
    const overflowing = await p.locator('body').evaluate((body) => {
      const width = body.ownerDocument.documentElement.clientWidth;
      return [...body.querySelectorAll('select')].filter((s) => s.getBoundingClientRect().right > width).map((s) => s.name || s.getAttribute('aria-label'));
    });
    expect(overflowing).toEqual([]);
  });

  it('read: every tab, after logging the mail and turning it into a task', async () => {
    await page.getByRole('button', { name: 'Open a received message' }).click();
    const read = await page.evaluate(() => {
      const r = window.tradepanePlayground!.mailbox.read!;
      return { subject: r.subject, from: r.from.name };
    });
    // The correction form pre-fills the sender's first and last name apart: data too.
    allowed.push(read.subject, `Re: ${read.subject}`, read.from, ...read.from.split(/\s+/));
    await pane().getByRole('tab', { name: '本邮件' }).waitFor();
    await walkTabs('read', ['本邮件', '用模板回复']);
    const p = pane();
    await p.getByRole('tab', { name: '本邮件' }).click();
    await p.getByRole('button', { name: '记录到 CRM' }).click();
    await p.getByText(/✓/).first().waitFor();
    await check('read · logged');
    await p.getByRole('button', { name: '转为任务' }).click();
    await p.getByText(/^任务“/).waitFor();
    await check('read · task made');
    await screenshot(page, 'zh-CN-walk-read');
    expect(seen).toEqual([]);
  });
});
