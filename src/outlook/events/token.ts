import type { AddinConfig } from '../auth/config.js';
import { jwtExpiry, readCachedToken, writeCachedToken } from '../auth/token-cache.js';
import { isSetSupported, officeSsoToken, userProfile } from '../office/index.js';
import type { CacheStorage } from '../office/storage.js';
import { withTimeout } from './timeout.js';

/**
 * A store token for the event runtime, which can show no sign-in UI:
 * 1. the token the task pane cached (NAA, dialog or dev sign-in), while it is valid;
 * 2. Office SSO without prompts (IdentityAPI 1.3), where the manifest names the Entra app;
 * 3. in a dev build, the store's /dev/token for the mailbox owner (loopback only).
 * Null when none works: the handlers then use the cached signature and fail open.
 */
export async function eventToken(storage: CacheStorage, config: AddinConfig, timeoutMs: number): Promise<string | null> {
  const cached = await readCachedToken(storage);
  if (cached) return cached.token;
  if (config.clientId && isSetSupported('IdentityAPI', '1.3')) {
    try {
      const token = await withTimeout(() => officeSsoToken(), timeoutMs, 'Office SSO');
      await writeCachedToken(storage, { token, expiresAt: jwtExpiry(token) ?? Date.now() + 5 * 60_000, source: 'sso' });
      return token;
    } catch {
      // no consent yet, or SSO switched off: fall through
    }
  }
  if (config.dev) {
    try {
      const email = userProfile().emailAddress;
      const answer = await withTimeout(
        async (signal) => {
          const response = await fetch(`${config.storeUrl.replace(/\/$/, '')}/dev/token?email=${encodeURIComponent(email)}`, signal ? { signal } : {});
          if (!response.ok) throw new Error(`dev token: ${response.status}`);
          return (await response.json()) as { token: string; expiresInSeconds?: number };
        },
        timeoutMs,
        'dev token',
      );
      await writeCachedToken(storage, { token: answer.token, expiresAt: Date.now() + (answer.expiresInSeconds ?? 3600) * 1000, source: 'dev' });
      return answer.token;
    } catch {
      return null;
    }
  }
  return null;
}
