import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * The Chromium the end-to-end tests drive: Debian's /usr/bin/chromium (or $CHROMIUM_PATH), run by
 * playwright-core, which never downloads a browser of its own. One browser serves the whole jest
 * run: global set-up starts it as a playwright browser server and hands its address to the workers
 * ($TP_CHROMIUM_WS); each test file connects and works in its own contexts, which close when the
 * file disconnects. A file run without that address launches its own (`launchChromium`).
 * Plain JS because jest loads global set-up without the test transform's module mapping.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The tests talk to loopback servers only; nothing in the browser may reach the network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A missing browser fails the suite with the fix named; it is never skipped. */
export function chromiumLaunchOptions() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run "apt-get install chromium" (.ci/run does) or set CHROMIUM_PATH`);
  }
  return { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS };
}

/** The browser server for one jest run; its address goes to the workers in $TP_CHROMIUM_WS. */
export async function startBrowserServer() {
  const server = await chromium.launchServer(chromiumLaunchOptions());
  process.env.TP_CHROMIUM_WS = server.wsEndpoint();
  return server;
}
