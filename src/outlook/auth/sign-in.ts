import { OfficeError, cacheStorage, isSetSupported, openDialogForMessage, userProfile } from '../office/index.js';
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
  constructor(
    message: string,
    /** The person closed the sign-in window or said no: not worth an error banner. */
    readonly cancelled = false,
  ) {
    super(message);
  }
}

/** The dialog sign-in page the build writes (webpack's `signin` page), on the add-in's origin. */
export function signInPageUrl(storeUrl: string): string {
  return `${storeUrl.replace(/\/$/, '')}/addin/signin.html`;
}

/** Office dialog errors (displayDialogAsync and DialogEventReceived) in words a rep can act on. */
const DIALOG_ERRORS: Record<number, string> = {
  12002: 'The sign-in page could not be loaded',
  12003: 'The sign-in page must be served over https',
  12004: 'The sign-in page is not on the add-in’s domain',
  12005: 'The sign-in page must be served over https',
  12007: 'A sign-in window is already open',
  12009: 'Outlook blocked the sign-in window; allow it and try again',
};
const DIALOG_CLOSED = 12006;

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
  let message: string;
  try {
    message = await openDialogForMessage(signInPageUrl(storeUrl));
  } catch (error) {
    if (error instanceof OfficeError && error.code === DIALOG_CLOSED) throw new SignInError('Sign-in was cancelled: the sign-in window was closed', true);
    if (error instanceof OfficeError && typeof error.code === 'number' && DIALOG_ERRORS[error.code]) throw new SignInError(`${DIALOG_ERRORS[error.code]} (${error.code})`);
    throw new SignInError(`The sign-in window failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The page answers {token, expiresAt} or {error} (signin-dialog.ts); anything else is refused.
  let parsed: { token?: unknown; expiresAt?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(message) as typeof parsed;
  } catch {
    throw new SignInError('The sign-in window answered something unexpected');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new SignInError('The sign-in window answered something unexpected');
  if (typeof parsed.token !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(parsed.token) || parsed.token.length > 16_384) {
    const reason = typeof parsed.error === 'string' && parsed.error ? parsed.error.slice(0, 300) : 'Sign-in was not completed';
    throw new SignInError(reason, /cancel/i.test(reason));
  }
  const expiresAt = typeof parsed.expiresAt === 'number' && Number.isFinite(parsed.expiresAt) ? parsed.expiresAt : (jwtExpiry(parsed.token) ?? Date.now() + 5 * 60_000);
  return { token: parsed.token, expiresAt, source: 'dialog' };
}
