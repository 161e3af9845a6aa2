import { StoreClient } from '../../client/store-client.js';
import { readCachedToken } from '../auth/token-cache.js';
import { cacheStorage } from '../office/storage.js';
import { devTokenInUrl } from './sign-in.js';

/**
 * The task pane's first script: its own webpack entry, which the page's entry depends on
 * (webpack.config.js), so it runs as soon as its few kilobytes arrive — before React, Fluent and
 * the pane's code have come over the wire and been evaluated. It asks the store for the rep's
 * packs at once when a token is at hand without Office and without signing in: the dev token in
 * the URL (dev store, playground) or the token a past sign-in cached. index.tsx hands the answer
 * to its StoreClient (`earlyPacks`); with no token here the pane asks once it is ready, as before
 * (docs/performance.md, 'Where the task pane's time goes').
 */
export const earlyPacks: Promise<Response | null> = startEarlyPacks();

async function startEarlyPacks(): Promise<Response | null> {
  try {
    // Before Office is ready the cache may not yet see OfficeRuntime.storage: then no token here, and no harm.
    const token = devTokenInUrl() ?? (await readCachedToken(cacheStorage()))?.token;
    return token ? await StoreClient.startMyPacks(window.location.origin, token) : null;
  } catch {
    return null; // the pane asks again through its client, which reports what is wrong
  }
}
