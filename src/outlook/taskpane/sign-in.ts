import { jwtExpiry, writeCachedToken } from '../auth/token-cache.js';
import type { CacheStorage } from '../office/storage.js';

/** Dev tokens live 12 hours (the store's /dev/token says so); used when a token carries no exp. */
const DEV_TOKEN_LIFETIME_MS = 12 * 3600_000;

/** The dev token handed over in the URL fragment (`#token=`), if any; the fragment is left as it is. */
export function devTokenInUrl(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

/**
 * Where the task pane's store token comes from. Dev mode and the playground: the store's dev
 * token, handed over in the URL fragment (`#token=`, never sent to a server) by /dev/taskpane and
 * /dev/playground; the fragment is then removed from the address bar, and the token goes to the
 * shared token cache so the event handlers (which cannot sign in) use it too. Outlook: Microsoft
 * sign-in through src/outlook/auth.
 */
export function tokenSource(storage: CacheStorage): () => Promise<string> {
  const devToken = devTokenInUrl();
  if (devToken) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
    void writeCachedToken(storage, { token: devToken, expiresAt: jwtExpiry(devToken) ?? Date.now() + DEV_TOKEN_LIFETIME_MS, source: 'dev' });
    return async () => devToken;
  }
  // Cached while valid; otherwise NAA, the sign-in dialog, or (dev build) the store's dev token.
  // Sign-in is its own chunk (the dialog, MSAL's loader, their messages), asked for at once so it
  // is there by the first request, but not part of the first paint (docs/performance.md, 'Size').
  const signIn = import(/* webpackChunkName: "sign-in" */ '../auth/sign-in.js');
  signIn.catch(() => undefined);
  return async () => (await signIn).storeToken({ interactive: true });
}
