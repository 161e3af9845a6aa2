import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import type { Store } from '../../src/server/db/connect.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectCount } from '../support/settle.js';
import { seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The task pane as a phone shows it (Outlook on iOS/Android opens it full screen, 360 px wide on a
 * small Android): a touch screen at 360×740, in English and in Chinese. Every tab must be
 * reachable, nothing may make the pane scroll sideways, and every control a finger taps must be at
 * least 44 px tall. Read mode is what phones run; compose is checked too (a narrow desktop pane).
 */
const TOUCH_TARGET_PX = 44;

const LANGUAGES = [
  { locale: 'en-US', office: 'en-US', compose: ['Templates', 'Client time', 'Signature', 'CRM'], read: ['This mail', 'Reply with a template'] },
  { locale: 'zh-CN', office: 'zh-CN', compose: ['模板', '客户时间', '签名', 'CRM'], read: ['本邮件', '用模板回复'] },
] as const;

describe.each(LANGUAGES)('the task pane on a phone, $locale (Chromium, 360×740, touch)', (language) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, `e2e-phone-${language.locale.toLowerCase()}`);
    dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-phone-'));
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner: await loadDevSigner(dataDir) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: language.locale });
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    page = await context.newPage();
    errors = collectPageErrors(page);
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(t.rep.email)}`);
    await page.getByLabel('Events runtime').getByText(/handlers registered|not loaded/).waitFor();
    await page.getByLabel('Outlook language').selectOption(language.office);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    expect(errors.filter((e) => !/ERR_FAILED|net::|responded with a status of 4\d\d/.test(e))).toEqual([]);
  });

  const pane = (): FrameLocator => page.frameLocator('iframe[title="tradepane task pane"]');

  /** What is wrong with the tab shown now, at phone size: sideways scroll, targets too small. */
  async function phoneProblems(): Promise<string[]> {
    return pane()
      .locator('body')
      .evaluate((body, minimum) => {
        const problems: string[] = [];
        const root = body.ownerDocument.documentElement;
        if (!matchMedia('(pointer: coarse)').matches) problems.push('the pane does not see a touch screen (pointer: coarse)');
        if (root.scrollWidth > root.clientWidth + 1) problems.push(`scrolls sideways: ${root.scrollWidth}px of content in ${root.clientWidth}px`);
        for (const el of Array.from(body.querySelectorAll<HTMLElement>('button, [role="tab"], input:not([type="hidden"]), select, textarea'))) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue; // not shown
          const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? el.tagName).trim().slice(0, 40);
          if (box.height < minimum - 0.5) problems.push(`"${name}" is ${Math.round(box.height)}px tall`);
          if (box.right > root.clientWidth + 1) problems.push(`"${name}" reaches past the right edge (${Math.round(box.right)}px)`);
        }
        return problems;
      }, TOUCH_TARGET_PX);
  }

  async function walk(mode: 'compose' | 'read', names: readonly string[]): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    await expectCount(pane().getByRole('tab'), names.length);
    for (const name of names) {
      await pane().getByRole('tab', { name, exact: true }).click();
      await pane().getByRole('tabpanel', { name }).waitFor();
      const problems = await phoneProblems();
      if (problems.length) found[`${mode} · ${name}`] = problems;
    }
    return found;
  }

  it('read mode, what Outlook mobile runs: every tab reachable, nothing wider than the screen, every target a finger can hit', async () => {
    await page.getByRole('button', { name: 'Open a received message' }).click();
    await pane().getByRole('tab', { name: language.read[0], exact: true }).waitFor();
    expect(await walk('read', language.read)).toEqual({});
    await pane().getByRole('tab', { name: language.read[0], exact: true }).click();
    await screenshot(page, `phone-${language.locale}-read`);
  });

  it('compose mode at the same size (a narrow pane on a computer)', async () => {
    await page.getByRole('button', { name: 'New message' }).click();
    await page.getByLabel('To', { exact: true }).fill('anna@hamburg-import.de');
    await pane().getByRole('tab', { name: language.compose[0], exact: true }).waitFor();
    expect(await walk('compose', language.compose)).toEqual({});
    await screenshot(page, `phone-${language.locale}-compose`);
  });
});
