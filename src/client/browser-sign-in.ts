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
  // The token as this page last read or wrote it (undefined: not read yet): a page reads
  // sessionStorage once, and a token taken from the fragment is usable before it is stored.
  let held: string | null | undefined;
  return {
    /**
     * Takes a dev token out of the URL fragment (so it is not bookmarked or shared) into the
     * session. `later` chooses when the write to sessionStorage and the URL rewrite happen (the team
     * inbox: after its first paint, as both are synchronous round trips to the browser on the way
     * to the first row; docs/performance.md, "Team inbox"); the token is used from memory until then.
     * Without it they happen at once.
     */
    adoptFragmentToken(later?: (store: () => void) => void): void {
      const fragment = new URLSearchParams(window.location.hash.slice(1));
      const token = fragment.get('token');
      if (!token) return;
      // Only the token leaves the URL: `#token=…&conversation=<id>` still opens that conversation.
      fragment.delete('token');
      const rest = fragment.toString();
      held = token;
      const store = () => {
        // Signed out or replaced meanwhile: that choice stands.
        if (held !== token) return;
        sessionStorage.setItem(key, token);
        history.replaceState(null, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
      };
      if (later) later(store);
      else store();
    },
    storedToken: (): string | null => (held === undefined ? (held = sessionStorage.getItem(key)) : held),
    storeToken: (token: string): void => {
      held = token;
      sessionStorage.setItem(key, token);
    },
    forgetToken: (): void => {
      held = null;
      sessionStorage.removeItem(key);
    },
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
