/**
 * Sign-in for the console with the store's own identities: a Microsoft Entra ID access token
 * (MSAL, popup), a Google ID token (Google Identity Services) or, in dev mode, the token that
 * /dev/admin puts in the page's #token= fragment. The token lives in sessionStorage only: it ends
 * with the browser tab.
 */

import { browserSignIn } from '../client/browser-sign-in.js';

export const { adoptFragmentToken, storedToken, storeToken, forgetToken, signInSettings, signInWithMicrosoft } = browserSignIn('admin');

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
