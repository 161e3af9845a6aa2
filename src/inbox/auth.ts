/**
 * Sign-in for the team inbox, the console's way (src/admin/auth.ts; faces do not import each
 * other): a Microsoft Entra ID access token (MSAL popup; the app registration needs /inbox as a
 * single-page-application redirect URI), or in dev mode the token /dev/admin-style links put in
 * the #token= fragment. The token lives in sessionStorage only.
 */

const KEY = 'tradepane.inbox.token';

export interface SignInSettings {
  microsoft: { clientId: string; scopes: string[]; authority: string } | null;
  google: { clientId: string } | null;
  dev: boolean;
}

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

export async function signInWithMicrosoft(settings: NonNullable<SignInSettings['microsoft']>): Promise<string> {
  const { createStandardPublicClientApplication } = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
  const app = await createStandardPublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/inbox` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  const result = await app.loginPopup({ scopes: settings.scopes, prompt: 'select_account' });
  return result.accessToken;
}
