import type { BrowserServer } from 'playwright-core';

/** Ends what global-setup.ts started for the whole run: the shared Chromium. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { tpBrowserServer?: BrowserServer }).tpBrowserServer;
  if (server) await server.close();
}
