import { cacheStorage, isSetSupported, openDialogForMessage, userProfile } from '../office/index.js';
import { addinConfig } from './config.js';
import { jwtExpiry, readCachedToken, writeCachedToken, type CachedToken } from './token-cache.js';

/**
 * Sign-in for the task pane; the token it gets is cached where the event handlers find it
 * (token-cache.ts). In order:
 * - dev build: the store's /dev/token for the mailbox owner (loopback dev store only);
 * - NestedAppAuth 1.1: MSAL nested app authentication, silent first, then the host's own prompt;
 * - otherwise: Office's dialog with the add-in's sign-in page, which answers with messageParent.
 * The store verifies whatever comes (Entra ID issuer, audience, signature, expiry).
 */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

export async function storeToken(options: { interactive?: boolean } = {}): Promise<string> {
  const storage = cacheStorage();
  const cached = await readCachedToken(storage);
  if (cached) return cached.token;
  const token = await acquire(options.interactive ?? true);
  await writeCachedToken(storage, token);
  return token.token;
}

async function acquire(interactive: boolean): Promise<CachedToken> {
  const config = addinConfig();
  if (config.dev) {
    const email = userProfile().emailAddress;
    const response = await fetch(`${config.storeUrl.replace(/\/$/, '')}/dev/token?email=${encodeURIComponent(email)}`);
    if (!response.ok) throw new SignInError(`The dev store has no user ${email} (${response.status})`);
    const body = (await response.json()) as { token: string; expiresInSeconds?: number };
    return { token: body.token, expiresAt: Date.now() + (body.expiresInSeconds ?? 3600) * 1000, source: 'dev' };
  }
  if (!config.clientId || !config.apiScope) throw new SignInError('Microsoft sign-in is not configured for this add-in (ADDIN_CLIENT_ID at build time)');
  if (isSetSupported('NestedAppAuth', '1.1')) return naaToken(config.clientId, config.apiScope, interactive);
  if (!interactive) throw new SignInError('Sign-in needs your confirmation');
  return dialogToken(config.storeUrl);
}

async function naaToken(clientId: string, scope: string, interactive: boolean): Promise<CachedToken> {
  // Loaded on first sign-in only: MSAL stays out of the task pane's first paint.
  const msal = await import('@azure/msal-browser');
  const pca = await msal.createNestablePublicClientApplication({ auth: { clientId, authority: 'https://login.microsoftonline.com/common' } });
  const request = { scopes: [scope] };
  let result;
  try {
    result = await pca.acquireTokenSilent(request);
  } catch (error) {
    if (!interactive) throw error;
    result = await pca.acquireTokenPopup(request);
  }
  return { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? jwtExpiry(result.accessToken) ?? Date.now() + 5 * 60_000, source: 'naa' };
}

async function dialogToken(storeUrl: string): Promise<CachedToken> {
  const message = await openDialogForMessage(`${storeUrl.replace(/\/$/, '')}/addin/signin.html`);
  let parsed: { token?: unknown; expiresAt?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(message) as typeof parsed;
  } catch {
    throw new SignInError('The sign-in dialog answered something unexpected');
  }
  if (typeof parsed.token !== 'string') throw new SignInError(typeof parsed.error === 'string' ? parsed.error : 'Sign-in was not completed');
  return { token: parsed.token, expiresAt: typeof parsed.expiresAt === 'number' ? parsed.expiresAt : (jwtExpiry(parsed.token) ?? Date.now() + 5 * 60_000), source: 'dialog' };
}
