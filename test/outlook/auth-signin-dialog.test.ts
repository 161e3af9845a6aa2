import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DEV_BUILD_MESSAGE, runSignInDialog, type MsalAccount, type MsalResult, type RedirectSignInApp, type SignInDialogDeps } from '../../src/outlook/auth/signin-dialog.js';
import { jwtWithExp } from './auth-support.js';

/**
 * The dialog sign-in page's logic (src/outlook/auth/signin-dialog.ts) with MSAL's redirect API
 * stood in for: what it answers the task pane on each load of the page.
 */

const CLIENT_ID = '0b0c1d2e-3f40-4152-8364-758697a8b9c0';
const SCOPE = `api://tradepane.example.com/${CLIENT_ID}/access_as_user`;
const PAGE = 'https://tradepane.example.com/addin/signin.html';
const ACCOUNT: MsalAccount = { homeAccountId: 'home-1', username: 'rep@acme.example' };

let app: { [K in keyof RedirectSignInApp]: jest.Mock<RedirectSignInApp[K]> };
let answers: unknown[];
let shown: string[];
let createApp: jest.Mock<SignInDialogDeps['createApp']>;

function deps(config: Partial<SignInDialogDeps['config']> = {}): SignInDialogDeps {
  return {
    config: { storeUrl: 'https://tradepane.example.com', dev: false, clientId: CLIENT_ID, apiScope: SCOPE, ...config },
    pageUrl: PAGE,
    createApp,
    answer: (message) => answers.push(JSON.parse(message)),
    show: (text) => shown.push(text),
    now: () => 1_750_000_000_000,
  };
}

beforeEach(() => {
  answers = [];
  shown = [];
  app = {
    handleRedirectPromise: jest.fn<RedirectSignInApp['handleRedirectPromise']>().mockResolvedValue(null),
    getAllAccounts: jest.fn<RedirectSignInApp['getAllAccounts']>().mockReturnValue([]),
    acquireTokenSilent: jest.fn<RedirectSignInApp['acquireTokenSilent']>(),
    loginRedirect: jest.fn<RedirectSignInApp['loginRedirect']>().mockResolvedValue(undefined),
  };
  createApp = jest.fn<SignInDialogDeps['createApp']>().mockResolvedValue(app);
});

describe('the sign-in dialog page', () => {
  it('first load: sends the person to Microsoft for the store scope, back to this page', async () => {
    expect(await runSignInDialog(deps())).toBe('redirecting');
    expect(createApp).toHaveBeenCalledWith({ clientId: CLIENT_ID, redirectUri: PAGE });
    expect(app.loginRedirect).toHaveBeenCalledWith({ scopes: [SCOPE], redirectUri: PAGE, prompt: 'select_account' });
    expect(answers).toEqual([]);
  });

  it('back from Microsoft: answers the token and its expiry', async () => {
    const expiresOn = new Date(1_750_003_600_000);
    app.handleRedirectPromise.mockResolvedValue({ accessToken: 'access-token', expiresOn, account: ACCOUNT } satisfies MsalResult);
    expect(await runSignInDialog(deps())).toBe('answered');
    expect(app.handleRedirectPromise).toHaveBeenCalledWith({ navigateToLoginRequestUrl: false });
    expect(answers).toEqual([{ token: 'access-token', expiresAt: expiresOn.getTime() }]);
    expect(app.loginRedirect).not.toHaveBeenCalled();
  });

  it('takes the expiry from the token when MSAL gives none', async () => {
    const token = jwtWithExp(1_750_001_800);
    app.handleRedirectPromise.mockResolvedValue({ accessToken: token, expiresOn: null, account: ACCOUNT });
    await runSignInDialog(deps());
    expect(answers).toEqual([{ token, expiresAt: 1_750_001_800_000 }]);
  });

  it('already signed in this session: a silent token, no trip to Microsoft', async () => {
    app.getAllAccounts.mockReturnValue([ACCOUNT]);
    app.acquireTokenSilent.mockResolvedValue({ accessToken: 'silent-token', expiresOn: new Date(1_750_000_900_000), account: ACCOUNT });
    expect(await runSignInDialog(deps())).toBe('answered');
    expect(app.acquireTokenSilent).toHaveBeenCalledWith({ scopes: [SCOPE], account: ACCOUNT });
    expect(answers).toEqual([{ token: 'silent-token', expiresAt: 1_750_000_900_000 }]);
  });

  it('signs in again when the silent token is refused', async () => {
    app.getAllAccounts.mockReturnValue([ACCOUNT]);
    app.acquireTokenSilent.mockRejectedValue(Object.assign(new Error('consent'), { errorCode: 'interaction_required' }));
    expect(await runSignInDialog(deps())).toBe('redirecting');
    expect(app.loginRedirect).toHaveBeenCalledTimes(1);
  });

  it('answers a cancelled sign-in as such', async () => {
    app.handleRedirectPromise.mockRejectedValue(Object.assign(new Error('user_cancelled: User cancelled the flow.'), { errorCode: 'user_cancelled', errorMessage: 'User cancelled the flow.' }));
    expect(await runSignInDialog(deps())).toBe('answered');
    expect(answers).toEqual([{ error: 'Sign-in was cancelled' }]);
  });

  it('answers other failures with one short line', async () => {
    const long = `AADSTS700054: response_type 'id_token' is not enabled for the application. ${'x'.repeat(500)}\nTrace ID: 1234`;
    app.handleRedirectPromise.mockRejectedValue(Object.assign(new Error(long), { errorCode: 'server_error', errorMessage: long }));
    await runSignInDialog(deps());
    const answer = answers[0] as { error: string };
    expect(answer.error.startsWith('server_error: AADSTS700054')).toBe(true);
    expect(answer.error.length).toBeLessThanOrEqual(300);
    expect(answer.error).not.toContain('Trace ID');
    expect(shown.at(-1)).toContain('Sign-in failed');
  });

  it('in a dev build explains that dev mode uses dev tokens, and never loads MSAL', async () => {
    expect(await runSignInDialog(deps({ dev: true, clientId: null, apiScope: null }))).toBe('not-configured');
    expect(shown).toEqual([DEV_BUILD_MESSAGE]);
    expect(DEV_BUILD_MESSAGE).toMatch(/dev tokens/);
    expect(answers).toEqual([{ error: expect.stringMatching(/dev tokens/) }]);
    expect(createApp).not.toHaveBeenCalled();
  });
});
