import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import type { Store } from '../../src/server/db/connect.js';
import { TEST_DIST } from './build-faces.mjs';
import { launchChromium } from './browser.js';
import { testApp } from './fixtures.js';

export interface ServedPanes {
  app: FastifyInstance;
  /** The store's address on loopback, e.g. http://127.0.0.1:41234. */
  base: string;
  browser: Browser;
  /** Ends the browser, the app and the store. */
  close(): Promise<void>;
}

/**
 * What an end-to-end test drives: the store serving the faces' production build (TEST_DIST) on a
 * loopback port, and Chromium. If Chromium cannot start, the app is closed before the error is
 * thrown; the store is always the caller's to close when this throws.
 */
export async function servePanes(store: Store, extra: Parameters<typeof testApp>[2] = {}): Promise<ServedPanes> {
  const app = await testApp(store, {}, { addinDir: TEST_DIST, ...extra });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    app,
    base,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await store.close();
    },
  };
}
