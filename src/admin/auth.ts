/**
 * Sign-in for the console with the store's own identities: a Microsoft Entra ID access token
 * (MSAL, popup), a Google ID token (Google Identity Services) or, in dev mode, the token that
 * /dev/admin puts in the page's #token= fragment. The token lives in sessionStorage only: it ends
 * with the browser tab.
 */

const KEY = 'tradepane.admin.token';

import type { SignInSettings } from '../contract/console.js';

/** Takes a dev token out of the URL fragment (so it is not bookmarked or shared) into the session. */
export function adoptFragmentToken(): void {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (!token) return;
  sessionStorage.setItem(KEY, token);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);

export async function signInSettings(): Promise<SignInSettings> {
  const response = await fetch('/admin/sign-in.json');
  if (!response.ok) throw new Error(`sign-in settings: ${response.status}`);
  return (await response.json()) as SignInSettings;
}

/** Microsoft: a popup sign-in with the store's app registration; MSAL is loaded only when used. */
export async function signInWithMicrosoft(settings: NonNullable<SignInSettings['microsoft']>): Promise<string> {
  const { createStandardPublicClientApplication } = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
  const app = await createStandardPublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/admin` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  const result = await app.loginPopup({ scopes: settings.scopes, prompt: 'select_account' });
  return result.accessToken;
}

interface GoogleIdentity {
  accounts: { id: { initialize(options: { client_id: string; callback: (response: { credential: string }) => void }): void; renderButton(element: HTMLElement, options: Record<string, unknown>): void } };
}

/** Google: the Identity Services button; its credential is a Google-signed ID token. */
export async function renderGoogleButton(element: HTMLElement, clientId: string, onToken: (token: string) => void, locale: string): Promise<void> {
  const w = window as unknown as { google?: GoogleIdentity };
  if (!w.google) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = 'https://accounts.google.com/gsi/client';
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('Google sign-in could not be loaded'));
      document.head.appendChild(script);
    });
  }
  const google = w.google!;
  google.accounts.id.initialize({ client_id: clientId, callback: (response) => onToken(response.credential) });
  google.accounts.id.renderButton(element, { type: 'standard', theme: 'outline', size: 'large', locale });
}
