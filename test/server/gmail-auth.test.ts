import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPair } from 'jose';
import type { Store } from '../../src/server/db/connect.js';
import { GMAIL_ENDPOINTS } from '../../src/gmail/routes.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import { nowSeconds, unsignedToken } from '../support/jwks-server.js';
import { storeKinds } from '../support/stores.js';
import { testApp } from '../support/fixtures.js';
import { ADDON_SERVICE_ACCOUNT, ENDPOINT_BASE, GOOGLE_ISSUER, addonEvent, post, shownCard, startHarness, systemToken, userToken, type Harness } from './gmail-harness.js';

describe.each(storeKinds())('Gmail add-on request verification on $name', (kind) => {
  let store: Store;
  let h: Harness;

  beforeAll(async () => {
    store = await kind.open();
    h = await startHarness(store, 'gauth');
  });

  afterAll(async () => {
    await h.close();
    await store.close();
  });

  it('answers a request signed by Google for this endpoint and a known rep with the homepage card', async () => {
    const res = await post(h, '/homepage', await addonEvent(h, h.tenant.rep.email));
    expect(res.statusCode).toBe(200);
    const card = shownCard(res.json<AddonResponse>());
    expect(card.header?.subtitle).toContain(h.tenant.rep.email);
  });

  const refusals: [string, () => Promise<{ token?: string; event?: object }>][] = [
    ['no Authorization header', async () => ({ token: '' })],
    ['a system token for another endpoint (wrong audience)', async () => ({ token: await systemToken(h.google, '/compose') })],
    ['a system token for another host (wrong audience)', async () => ({ token: await systemToken(h.google, '/homepage', { aud: 'https://evil.example/gmail/homepage' }) })],
    ['a system token from another issuer', async () => ({ token: await systemToken(h.google, '/homepage', { iss: 'https://accounts.evil.example' }) })],
    ['an expired system token', async () => ({ token: await systemToken(h.google, '/homepage', { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }) })],
    ['a system token of another service account', async () => ({ token: await systemToken(h.google, '/homepage', { email: 'someone@project.iam.gserviceaccount.com' }) })],
    ['an unsigned system token (alg none)', async () => ({ token: unsignedToken({ iss: GOOGLE_ISSUER, aud: `${ENDPOINT_BASE}/homepage`, email: ADDON_SERVICE_ACCOUNT, email_verified: true, exp: nowSeconds() + 600 }) })],
    ['a system token signed with a key Google does not publish', async () => ({ token: await h.google.sign({ iss: GOOGLE_ISSUER, aud: `${ENDPOINT_BASE}/homepage`, email: ADDON_SERVICE_ACCOUNT, email_verified: true, exp: nowSeconds() + 600 }, { key: h.google.foreignKey }) })],
    ['no user ID token in the event', async () => ({ event: { commonEventObject: { hostApp: 'GMAIL' }, authorizationEventObject: {} } })],
    ['a user token for another client (wrong audience)', async () => ({ event: { ...(await addonEvent(h, h.tenant.rep.email)), authorizationEventObject: { userIdToken: await userToken(h.google, h.tenant.rep.email, h.domain, { aud: 'other-client.apps.googleusercontent.com' }) } } })],
    ['an expired user token', async () => ({ event: { ...(await addonEvent(h, h.tenant.rep.email)), authorizationEventObject: { userIdToken: await userToken(h.google, h.tenant.rep.email, h.domain, { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }) } } })],
    ['an unsigned user token', async () => ({ event: { ...(await addonEvent(h, h.tenant.rep.email)), authorizationEventObject: { userIdToken: unsignedToken({ iss: GOOGLE_ISSUER, aud: 'x', email: h.tenant.rep.email, email_verified: true, hd: h.domain }) } } })],
    ['a user of a domain no tenant has', async () => ({ event: { ...(await addonEvent(h, h.tenant.rep.email)), authorizationEventObject: { userIdToken: await userToken(h.google, 'rep@other.example', 'other.example') } } })],
    ['a user the tenant does not have', async () => ({ event: { ...(await addonEvent(h, h.tenant.rep.email)), authorizationEventObject: { userIdToken: await userToken(h.google, `stranger@${h.domain}`, h.domain) } } })],
  ];

  it.each(refusals)('refuses %s with 401 and no card', async (_name, make) => {
    const { token, event } = await make();
    const path = '/homepage';
    const res = token === ''
      ? await h.app.inject({ method: 'POST', url: `/gmail${path}`, payload: event ?? (await addonEvent(h, h.tenant.rep.email)) })
      : await post(h, path, (event ?? (await addonEvent(h, h.tenant.rep.email))) as never, token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(res.body).not.toContain('renderActions');
  });

  it('refuses a disabled rep', async () => {
    await store.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', h.tenant.admin.id).execute();
    const res = await post(h, '/homepage', await addonEvent(h, h.tenant.admin.email));
    expect(res.statusCode).toBe(401);
    await store.db.updateTable('users').set({ disabled_at: null }).where('id', '=', h.tenant.admin.id).execute();
  });

  it('checks the audience of every endpoint against its own URL', async () => {
    for (const path of GMAIL_ENDPOINTS) {
      const wrong = await post(h, path, await addonEvent(h, h.tenant.rep.email), await systemToken(h.google, path === '/homepage' ? '/compose' : '/homepage'));
      expect([path, wrong.statusCode]).toEqual([path, 401]);
    }
  });

  it('answers 503 on a store without the add-on configured, and never 200', async () => {
    const bare = await testApp(store);
    const res = await bare.inject({ method: 'POST', url: '/gmail/homepage', headers: { authorization: `Bearer ${await systemToken(h.google, '/homepage')}` }, payload: await addonEvent(h, h.tenant.rep.email) });
    expect(res.statusCode).toBe(503);
    await bare.close();
  });

  it('does not accept a token signed by another RSA key claiming the right kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await h.google.sign({ iss: GOOGLE_ISSUER, aud: `${ENDPOINT_BASE}/homepage`, email: ADDON_SERVICE_ACCOUNT, email_verified: true, exp: nowSeconds() + 600 }, { key: privateKey });
    const res = await post(h, '/homepage', await addonEvent(h, h.tenant.rep.email), forged);
    expect(res.statusCode).toBe(401);
  });
});
