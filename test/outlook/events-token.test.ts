import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AddinConfig } from '../../src/outlook/auth/config.js';
import { cacheStorage } from '../../src/outlook/office/storage.js';
import { eventToken } from '../../src/outlook/events/token.js';
import { devStore, installRuntimeStorage, jwtWithExp, type DevStore } from './auth-support.js';
import { messageState, outlookStandIn } from './office-stand-in.js';

/**
 * How the event runtime gets a store token (src/outlook/events/token.ts), in order: the token the
 * task pane cached, Office SSO without prompts when the build names the Entra app, the dev store's
 * token in dev builds; null otherwise.
 */

const REP = 'rep@demo.tradepane.test';
const CLIENT_ID = '0b0c1d2e-3f40-4152-8364-758697a8b9c0';
const devToken = jwtWithExp(Math.floor(Date.now() / 1000) + 12 * 3600, 'dev');
const ssoToken = jwtWithExp(Math.floor(Date.now() / 1000) + 3600, 'sso');

let store: DevStore;
let map: Map<string, string>;
let getAccessToken: jest.Mock<(options: Record<string, unknown>) => Promise<string>>;

function office(sets: Record<string, string>): void {
  const standIn = outlookStandIn(messageState({ supportedSets: sets })) as Record<string, unknown>;
  standIn.auth = { getAccessToken };
  (globalThis as { Office?: unknown }).Office = standIn;
}
const config = (over: Partial<AddinConfig>): AddinConfig => ({ storeUrl: store.url, dev: false, clientId: null, apiScope: null, ...over });
const cached = () => JSON.parse(map.get('tradepane:store-token') ?? 'null') as { token: string; expiresAt: number; source: string } | null;

beforeAll(async () => {
  store = await devStore({ [REP]: devToken });
});
afterAll(async () => {
  await store.close();
  delete (globalThis as { Office?: unknown }).Office;
  delete (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime;
});
beforeEach(() => {
  map = new Map();
  installRuntimeStorage(map);
  store.asked.length = 0;
  getAccessToken = jest.fn<(options: Record<string, unknown>) => Promise<string>>().mockResolvedValue(ssoToken);
  office({ Mailbox: '1.13', IdentityAPI: '1.3' });
});

describe('the event runtime’s store token', () => {
  it('1. uses the token the task pane cached, asking nobody', async () => {
    map.set('tradepane:store-token', JSON.stringify({ token: 'from-the-pane', expiresAt: Date.now() + 600_000, source: 'dialog' }));
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID, dev: true }), 1000)).toBe('from-the-pane');
    expect(getAccessToken).not.toHaveBeenCalled();
    expect(store.asked).toEqual([]);
  });

  it('2. then Office SSO, never prompting, when the build names the Entra app; the token is cached', async () => {
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID }), 1000)).toBe(ssoToken);
    expect(getAccessToken).toHaveBeenCalledWith({ allowSignInPrompt: false, allowConsentPrompt: false, forMSGraphAccess: false });
    expect(cached()).toMatchObject({ token: ssoToken, source: 'sso' });
    expect(cached()!.expiresAt).toBe(JSON.parse(Buffer.from(ssoToken.split('.')[1]!, 'base64url').toString()).exp * 1000);
  });

  it('skips an expired cached token', async () => {
    map.set('tradepane:store-token', JSON.stringify({ token: 'old', expiresAt: Date.now() - 1000, source: 'naa' }));
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID }), 1000)).toBe(ssoToken);
  });

  it('does not try SSO without a client id, or where IdentityAPI 1.3 is missing', async () => {
    expect(await eventToken(cacheStorage(), config({}), 1000)).toBeNull();
    office({ Mailbox: '1.13', IdentityAPI: '1.2' });
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID }), 1000)).toBeNull();
    expect(getAccessToken).not.toHaveBeenCalled();
  });

  it('3. in a dev build, falls back to the dev store’s token for the mailbox owner', async () => {
    getAccessToken.mockRejectedValue(Object.assign(new Error('consent required'), { code: 13001 }));
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID, dev: true }), 1000)).toBe(devToken);
    expect(getAccessToken).toHaveBeenCalledTimes(1);
    expect(store.asked).toEqual([REP]);
    expect(cached()).toMatchObject({ token: devToken, source: 'dev' });
  });

  it('gives up on an SSO call that never answers and moves on', async () => {
    getAccessToken.mockReturnValue(new Promise<string>(() => undefined));
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID, dev: true }), 50)).toBe(devToken);
  });

  it('is null when SSO fails outside a dev build (the handlers then fail open)', async () => {
    getAccessToken.mockRejectedValue(new Error('no consent'));
    expect(await eventToken(cacheStorage(), config({ clientId: CLIENT_ID }), 1000)).toBeNull();
    expect(store.asked).toEqual([]);
    expect(cached()).toBeNull();
  });

  it('is null when the dev store does not know the mailbox owner or is down', async () => {
    (globalThis as { Office?: { context: { mailbox: { userProfile: { emailAddress: string } } } } }).Office!.context.mailbox.userProfile.emailAddress = 'stranger@example.com';
    expect(await eventToken(cacheStorage(), config({ dev: true }), 1000)).toBeNull();
    expect(await eventToken(cacheStorage(), config({ dev: true, storeUrl: 'http://127.0.0.1:9' }), 1000)).toBeNull();
  });
});
