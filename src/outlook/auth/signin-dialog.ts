import type { AddinConfig } from './config.js';
import { jwtExpiry } from './token-cache.js';

/**
 * The sign-in dialog page (`/addin/signin.html`): Microsoft sign-in for Outlook clients without
 * nested app authentication (NestedAppAuth 1.1). sign-in.ts opens it with Office's dialog API;
 * it runs MSAL's redirect flow with itself as the redirect URI and answers the task pane through
 * `Office.context.ui.messageParent` with one JSON message, `{token, expiresAt}` or `{error}`.
 */
export type DialogAnswer = { token: string; expiresAt: number } | { error: string };

/** The part of MSAL's PublicClientApplication this page uses (tests stand in for it). */
export interface RedirectSignInApp {
  handleRedirectPromise(options?: { navigateToLoginRequestUrl?: boolean }): Promise<MsalResult | null>;
  getAllAccounts(): MsalAccount[];
  acquireTokenSilent(request: { scopes: string[]; account: MsalAccount }): Promise<MsalResult>;
  loginRedirect(request: { scopes: string[]; redirectUri?: string; prompt?: string }): Promise<void>;
}
export interface MsalAccount {
  homeAccountId: string;
  username: string;
}
export interface MsalResult {
  accessToken: string;
  expiresOn: Date | null;
  account: MsalAccount | null;
}

export interface SignInDialogDeps {
  config: AddinConfig;
  /** This page's address without query or fragment: the redirect URI registered for the app. */
  pageUrl: string;
  /** Creates (and initialises) MSAL for this page. */
  createApp: (options: { clientId: string; redirectUri: string }) => Promise<RedirectSignInApp>;
  /** Hands the answer to the task pane (Office's messageParent). */
  answer: (message: string) => void;
  /** Shows a line of text to the person looking at the dialog. */
  show: (text: string) => void;
  now?: () => number;
}

export type SignInDialogOutcome = 'answered' | 'redirecting' | 'not-configured';

export const DEV_BUILD_MESSAGE =
  'This is a development build of tradepane: it signs in with the store’s dev tokens (npm start), not with Microsoft. Build with ADDIN_BASE_URL and ADDIN_CLIENT_ID to use Microsoft sign-in.';

/** Longest error text passed back: MSAL's messages can carry long trace ids. */
const MAX_ERROR_LENGTH = 300;

export async function runSignInDialog(deps: SignInDialogDeps): Promise<SignInDialogOutcome> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const reply = (answer: DialogAnswer) => deps.answer(JSON.stringify(answer));
  if (config.dev || !config.clientId || !config.apiScope) {
    deps.show(DEV_BUILD_MESSAGE);
    reply({ error: 'Microsoft sign-in is not configured in this build (dev builds use the store’s dev tokens)' });
    return 'not-configured';
  }
  const scopes = [config.apiScope];
  try {
    const app = await deps.createApp({ clientId: config.clientId, redirectUri: deps.pageUrl });
    // Back from Microsoft's sign-in page: the answer is in this page's URL.
    const returned = await app.handleRedirectPromise({ navigateToLoginRequestUrl: false });
    if (returned?.accessToken) {
      reply(tokenAnswer(returned, now()));
      return 'answered';
    }
    // Signed in earlier in this dialog's session: a silent token saves a trip to Microsoft.
    const account = returned?.account ?? app.getAllAccounts()[0];
    if (account) {
      try {
        reply(tokenAnswer(await app.acquireTokenSilent({ scopes, account }), now()));
        return 'answered';
      } catch {
        // expired session or consent needed: sign in again below
      }
    }
    deps.show('Opening Microsoft sign-in…');
    await app.loginRedirect({ scopes, redirectUri: deps.pageUrl, prompt: 'select_account' });
    return 'redirecting';
  } catch (error) {
    const message = describeError(error);
    deps.show(`Sign-in failed: ${message}`);
    reply({ error: message });
    return 'answered';
  }
}

function tokenAnswer(result: MsalResult, now: number): DialogAnswer {
  const expiresAt = result.expiresOn?.getTime() ?? jwtExpiry(result.accessToken) ?? now + 5 * 60_000;
  return { token: result.accessToken, expiresAt };
}

/** MSAL errors carry `errorCode`/`errorMessage`; user cancellation is "user_cancelled" or "access_denied". */
function describeError(error: unknown): string {
  const e = error as { errorCode?: unknown; errorMessage?: unknown; message?: unknown } | null;
  const code = typeof e?.errorCode === 'string' ? e.errorCode : '';
  if (code === 'user_cancelled' || code === 'access_denied') return 'Sign-in was cancelled';
  const text = typeof e?.errorMessage === 'string' && e.errorMessage ? e.errorMessage : typeof e?.message === 'string' && e.message ? e.message : String(error);
  const line = (code && !text.startsWith(code) ? `${code}: ${text}` : text).split('\n')[0] ?? '';
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
