import type { CacheStorage } from '../office/storage.js';

/**
 * The store token shared by the task pane and the event handlers. The task pane signs in (NAA,
 * dialog or dev) and writes the token here; the event runtime, which cannot show sign-in UI,
 * reads it. On classic Windows the two share `OfficeRuntime.storage`; elsewhere both run in the
 * browser with the same origin and share `localStorage`.
 */
export interface CachedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  source: 'naa' | 'dialog' | 'sso' | 'dev';
}

const KEY = 'store-token';
/** A token this close to expiry is not worth a request that may outlive it. */
const MARGIN_MS = 60_000;

export async function readCachedToken(storage: CacheStorage, now: number = Date.now()): Promise<CachedToken | null> {
  const raw = await storage.get(KEY);
  if (!raw) return null;
  try {
    const cached = JSON.parse(raw) as Partial<CachedToken>;
    if (typeof cached.token !== 'string' || typeof cached.expiresAt !== 'number' || !cached.source) return null;
    return cached.expiresAt - MARGIN_MS > now ? (cached as CachedToken) : null;
  } catch {
    return null;
  }
}

export function writeCachedToken(storage: CacheStorage, token: CachedToken): Promise<void> {
  return storage.set(KEY, JSON.stringify(token));
}

export function forgetCachedToken(storage: CacheStorage): Promise<void> {
  return storage.remove(KEY);
}

/** The `exp` of a JWT in epoch milliseconds (unverified: only to know when to refresh), or null. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = decodeBase64Url(payload);
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function decodeBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = typeof atob === 'function' ? atob(padded) : Buffer.from(padded, 'base64').toString('binary');
  // UTF-8 decode without TextDecoder (absent in some JS-only runtimes).
  return decodeURIComponent(
    binary
      .split('')
      .map((c) => '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2))
      .join(''),
  );
}
