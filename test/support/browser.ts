import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from './browser-server.mjs';

export { CHROMIUM_PATH } from './browser-server.mjs';

/**
 * Real headless Chromium for the end-to-end tests (test/support/browser-server.mjs says which and
 * how). Connects to the run's shared browser when jest's global set-up started one
 * ($TP_CHROMIUM_WS), else launches one for this file. Either way `close()` ends what this file
 * opened: its contexts and pages, or its own browser.
 */
export async function launchChromium(): Promise<Browser> {
  const options = chromiumLaunchOptions();
  const shared = process.env.TP_CHROMIUM_WS;
  return shared ? chromium.connect(shared) : chromium.launch(options);
}

/** Where screenshots go: kept after the run as test artefacts (test-artifacts/ is git-ignored). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * A download's content as text. `download.path()` is refused when the browser is the run's shared
 * one (a remote connection); `saveAs` copies the file over the connection either way.
 */
export async function downloadedText(download: Download): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-download-')), download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path, 'utf8');
}

/** Fails the test on any uncaught page error or console error, with the message. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}
