import type { SignInSettings } from '../contract/console.js';

export type { SignInSettings };

/**
 * Sign-in for the store's own web pages (the console at /admin, the team inbox at /inbox) with the
 * store's identities: a Microsoft Entra ID access token (MSAL popup; each page's path is a
 * single-page-application redirect URI of the app registration) or, in dev mode, the token a
 * /dev link puts in the page's #token= fragment. The token lives in sessionStorage only, under the
 * page's own key: it ends with the browser tab.
 */
export function browserSignIn(page: 'admin' | 'inbox') {
  const key = `tradepane.${page}.token`;
  return {
    /** Takes a dev token out of the URL fragment (so it is not bookmarked or shared) into the session. */
    adoptFragmentToken(): void {
      const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
      if (!token) return;
      sessionStorage.setItem(key, token);
      history.replaceState(null, '', window.location.pathname + window.location.search);
    },
    storedToken: (): string | null => sessionStorage.getItem(key),
    storeToken: (token: string): void => sessionStorage.setItem(key, token),
    forgetToken: (): void => sessionStorage.removeItem(key),
    async signInSettings(): Promise<SignInSettings> {
      const response = await fetch('/admin/sign-in.json');
      if (!response.ok) throw new Error(`sign-in settings: ${response.status}`);
      return (await response.json()) as SignInSettings;
    },
    /** Microsoft: a popup sign-in with the store's app registration; MSAL is loaded only when used. */
    async signInWithMicrosoft(settings: NonNullable<SignInSettings['microsoft']>): Promise<string> {
      const { createStandardPublicClientApplication } = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
      const app = await createStandardPublicClientApplication({
        auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/${page}` },
        cache: { cacheLocation: 'sessionStorage' },
      });
      const result = await app.loginPopup({ scopes: settings.scopes, prompt: 'select_account' });
      return result.accessToken;
    },
  };
}
