import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DIST } from '../support/build-faces.mjs';
import { devStore, installRuntimeStorage, jwtWithExp, type DevStore } from './auth-support.js';
import { messageState, outlookStandIn } from './office-stand-in.js';

/**
 * The task pane's sign-in (src/outlook/auth/sign-in.ts): the shared cache first, then dev tokens
 * in dev builds, MSAL nested app authentication where NestedAppAuth 1.1 is supported, else Office's
 * dialog with /addin/signin.html. MSAL is replaced at its module boundary; the dev store is a
 * local HTTP server; Office is the stand-in plus a dialog.
 */

type Result = { accessToken: string; expiresOn: Date | null };
const pca = {
  acquireTokenSilent: jest.fn<(request: { scopes: string[] }) => Promise<Result>>(),
  acquireTokenPopup: jest.fn<(request: { scopes: string[] }) => Promise<Result>>(),
};
const createNestable = jest.fn(async (_config: { auth: { clientId: string; authority: string } }) => pca);
jest.unstable_mockModule('@azure/msal-browser', () => ({ createNestablePublicClientApplication: createNestable }));
const { storeToken, SignInError, signInPageUrl } = await import('../../src/outlook/auth/sign-in.js');

const CLIENT_ID = '0b0c1d2e-3f40-4152-8364-758697a8b9c0';
const SCOPE = `api://tradepane.example.com/${CLIENT_ID}/access_as_user`;
const REP = 'rep@demo.tradepane.test';

type DialogScript = { message: string } | { event: number } | { openError: number };
interface DialogLog {
  opened: string[];
  closed: number;
  script: DialogScript | null;
}

let storage: Map<string, string>;
let dialogs: DialogLog;
let store: DevStore;
const devTokenForRep = jwtWithExp(Math.floor(Date.now() / 1000) + 12 * 3600, 'dev');

/** Office for the task pane: the stand-in's mailbox and requirement sets, and Office's dialog API. */
function installOfficeWithDialog(sets: Record<string, string>): void {
  const office = outlookStandIn(messageState({ supportedSets: sets })) as { context: Record<string, unknown> };
  office.context.ui = {
    displayDialogAsync(url: string, _options: unknown, callback: (result: unknown) => void) {
      dialogs.opened.push(url);
      const script = dialogs.script;
      if (script && 'openError' in script) return callback({ status: 'failed', error: { code: script.openError, name: 'DialogError', message: 'refused' } });
      const handlers: Record<string, (arg: unknown) => void> = {};
      const dialog = {
        addEventHandler: (type: string, handler: (arg: unknown) => void) => void (handlers[type] = handler),
        close: () => void dialogs.closed++,
      };
      callback({ status: 'succeeded', value: dialog });
      setTimeout(() => {
        if (script && 'message' in script) handlers.dialogMessageReceived?.({ message: script.message, origin: 'https://tradepane.example.com' });
        else if (script && 'event' in script) handlers.dialogEventReceived?.({ error: script.event });
      }, 0);
    },
  };
  (globalThis as { Office?: unknown }).Office = office;
}

function configure(config: { storeUrl?: string; dev: boolean; clientId?: string | null; apiScope?: string | null }): void {
  (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__ = { storeUrl: config.storeUrl ?? 'https://tradepane.example.com', dev: config.dev, clientId: config.clientId ?? null, apiScope: config.apiScope ?? null };
}
const microsoft = () => configure({ dev: false, clientId: CLIENT_ID, apiScope: SCOPE });
const cached = () => JSON.parse(storage.get('tradepane:store-token') ?? 'null') as { token: string; expiresAt: number; source: string } | null;

beforeAll(async () => {
  store = await devStore({ [REP]: devTokenForRep });
});
afterAll(async () => {
  await store.close();
  delete (globalThis as { Office?: unknown }).Office;
  delete (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime;
  delete (globalThis as { __TRADEPANE_ADDIN__?: unknown }).__TRADEPANE_ADDIN__;
});
beforeEach(() => {
  storage = new Map();
  installRuntimeStorage(storage);
  dialogs = { opened: [], closed: 0, script: null };
  store.asked.length = 0;
  pca.acquireTokenSilent.mockReset();
  pca.acquireTokenPopup.mockReset();
  createNestable.mockClear();
  installOfficeWithDialog({ Mailbox: '1.13' });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the shared token cache', () => {
  it('answers with a valid cached token without asking anyone', async () => {
    configure({ storeUrl: store.url, dev: true });
    storage.set('tradepane:store-token', JSON.stringify({ token: 'cached-token', expiresAt: Date.now() + 30 * 60_000, source: 'naa' }));
    expect(await storeToken()).toBe('cached-token');
    expect(store.asked).toEqual([]);
  });

  it('does not use a token that expires within a minute: it signs in again and replaces it', async () => {
    configure({ storeUrl: store.url, dev: true });
    storage.set('tradepane:store-token', JSON.stringify({ token: 'nearly-expired', expiresAt: Date.now() + 30_000, source: 'dev' }));
    expect(await storeToken()).toBe(devTokenForRep);
    expect(cached()?.token).toBe(devTokenForRep);
  });

  it('ignores a cache entry that is not a token', async () => {
    configure({ storeUrl: store.url, dev: true });
    storage.set('tradepane:store-token', '{"token": 42}');
    expect(await storeToken()).toBe(devTokenForRep);
  });
});

describe('dev builds', () => {
  it('take the dev store’s token for the mailbox owner and cache it for the event handlers', async () => {
    configure({ storeUrl: store.url, dev: true });
    const before = Date.now();
    expect(await storeToken()).toBe(devTokenForRep);
    expect(store.asked).toEqual([REP]);
    const entry = cached()!;
    expect(entry.source).toBe('dev');
    expect(entry.expiresAt).toBeGreaterThanOrEqual(before + 12 * 3600_000);
    expect(createNestable).not.toHaveBeenCalled();
    expect(dialogs.opened).toEqual([]);
  });

  it('say which user the dev store does not know', async () => {
    configure({ storeUrl: store.url, dev: true });
    (globalThis as { Office?: { context: { mailbox: { userProfile: { emailAddress: string } } } } }).Office!.context.mailbox.userProfile.emailAddress = 'nobody@demo.tradepane.test';
    await expect(storeToken()).rejects.toThrow(/nobody@demo\.tradepane\.test \(404\)/);
    expect(cached()).toBeNull();
  });
});

describe('Microsoft sign-in', () => {
  it('is refused with a clear reason when the build has no client id', async () => {
    configure({ dev: false });
    await expect(storeToken()).rejects.toThrow(SignInError);
    await expect(storeToken()).rejects.toThrow(/ADDIN_CLIENT_ID/);
  });

  describe('with NestedAppAuth 1.1', () => {
    beforeEach(() => installOfficeWithDialog({ Mailbox: '1.13', NestedAppAuth: '1.1' }));

    it('gets the store scope silently first, and caches it with MSAL’s expiry', async () => {
      microsoft();
      const expiresOn = new Date(Date.now() + 3600_000);
      pca.acquireTokenSilent.mockResolvedValue({ accessToken: 'naa-token', expiresOn });
      expect(await storeToken()).toBe('naa-token');
      expect(createNestable).toHaveBeenCalledWith({ auth: { clientId: CLIENT_ID, authority: 'https://login.microsoftonline.com/common' } });
      expect(pca.acquireTokenSilent).toHaveBeenCalledWith({ scopes: [SCOPE] });
      expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
      expect(cached()).toEqual({ token: 'naa-token', expiresAt: expiresOn.getTime(), source: 'naa' });
      expect(dialogs.opened).toEqual([]);
    });

    it('asks the host to prompt when silent sign-in fails', async () => {
      microsoft();
      pca.acquireTokenSilent.mockRejectedValue(new Error('interaction_required'));
      const exp = Math.floor(Date.now() / 1000) + 1800;
      pca.acquireTokenPopup.mockResolvedValue({ accessToken: jwtWithExp(exp), expiresOn: null });
      await storeToken();
      expect(pca.acquireTokenPopup).toHaveBeenCalledWith({ scopes: [SCOPE] });
      expect(cached()?.expiresAt).toBe(exp * 1000);
    });

    it('never prompts when asked not to', async () => {
      microsoft();
      pca.acquireTokenSilent.mockRejectedValue(new Error('interaction_required'));
      await expect(storeToken({ interactive: false })).rejects.toThrow('interaction_required');
      expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
    });
  });

  describe('without NestedAppAuth: Office’s dialog', () => {
    it('opens exactly the sign-in page the build writes', async () => {
      microsoft();
      const exp = Date.now() + 3600_000;
      dialogs.script = { message: JSON.stringify({ token: jwtWithExp(Math.floor(exp / 1000)), expiresAt: exp }) };
      await storeToken();
      expect(dialogs.opened).toEqual(['https://tradepane.example.com/addin/signin.html']);
      expect(signInPageUrl('https://tradepane.example.com/')).toBe('https://tradepane.example.com/addin/signin.html');
      expect(existsSync(join(TEST_DIST, 'signin.html'))).toBe(true);
      expect(createNestable).not.toHaveBeenCalled();
    });

    it('takes the token the page answers, with its expiry, and closes the dialog', async () => {
      microsoft();
      const token = jwtWithExp(Math.floor(Date.now() / 1000) + 3600);
      const expiresAt = Date.now() + 3000_000;
      dialogs.script = { message: JSON.stringify({ token, expiresAt }) };
      expect(await storeToken()).toBe(token);
      expect(cached()).toEqual({ token, expiresAt, source: 'dialog' });
      expect(dialogs.closed).toBe(1);
    });

    it('passes on the page’s error', async () => {
      microsoft();
      dialogs.script = { message: JSON.stringify({ error: 'AADSTS50020: User account does not exist in tenant' }) };
      await expect(storeToken()).rejects.toThrow('AADSTS50020: User account does not exist in tenant');
      expect(cached()).toBeNull();
    });

    it('reports a closed dialog (12006) as a cancelled sign-in', async () => {
      microsoft();
      dialogs.script = { event: 12006 };
      const error = await storeToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignInError);
      expect((error as InstanceType<typeof SignInError>).cancelled).toBe(true);
      expect((error as Error).message).toMatch(/closed/);
    });

    it('says what to do when Office blocks the dialog (12009)', async () => {
      microsoft();
      dialogs.script = { openError: 12009 };
      const error = await storeToken().catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/blocked the sign-in window.*\(12009\)/);
      expect((error as InstanceType<typeof SignInError>).cancelled).toBe(false);
    });

    it('refuses an answer that is not a token', async () => {
      microsoft();
      dialogs.script = { message: JSON.stringify({ token: '<img src=x onerror=alert(1)>' }) };
      await expect(storeToken()).rejects.toThrow('Sign-in was not completed');
      dialogs.script = { message: 'not json' };
      await expect(storeToken()).rejects.toThrow(/unexpected/);
      expect(cached()).toBeNull();
    });

    it('opens no dialog when asked not to prompt', async () => {
      microsoft();
      await expect(storeToken({ interactive: false })).rejects.toThrow(/confirmation/);
      expect(dialogs.opened).toEqual([]);
    });
  });
});
