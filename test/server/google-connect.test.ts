import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import type { Permission } from '../../src/core/access/permissions.js';
import type { Store } from '../../src/server/db/connect.js';
import { checkIdToken, GMAIL_SCOPES, GoogleCredentials } from '../../src/server/google/credentials.js';
import { sendDue } from '../../src/server/jobs/send-worker.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addUser } from '../../src/server/services/people.js';
import { createApiKey } from '../../src/server/services/api-keys.js';
import type { AddonResponse, Button, Card } from '../../src/gmail/cards.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { startIssuer, type Issuer } from '../support/jwks-server.js';
import { storeKinds } from '../support/stores.js';
import { addonConfig, addonEvent, cardTexts, post, shownCard, type Harness } from './gmail-harness.js';

/**
 * "Connect your Google account": the consent link (POST /me/google/connect), Google's redirect
 * back (GET /google/oauth/callback) against the fake Google's authorization_code grant, the
 * refusals (changed or expired link, another Google account, a missing permission, a replayed
 * code, access denied), disconnecting, the Gmail card's button, and the send worker sending with
 * the grant so obtained.
 */

const PUBLIC_URL = 'https://store.tradepane.test';
const CALLBACK = `${PUBLIC_URL}/google/oauth/callback`;
const AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
const SEND_KEY_SCOPES: Permission[] = ['packs:read', 'crm:read', 'sends:write'];
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

/** Every button of a card that opens a link, with its link. */
function linkButtons(card: Card): Button[] {
  return (card.sections ?? []).flatMap((s) => (s.widgets ?? []).flatMap((w) => w.buttonList?.buttons ?? [])).filter((b) => b.onClick?.openLink);
}

describe.each(storeKinds())('connecting a Google account on $name', (kind) => {
  const gmail = new FakeGmail();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let google: Issuer;
  let t: SeededTenant;
  let credentials: GoogleCredentials;
  let app: FastifyInstance;
  /** The add-on against `app`, and against stores set up otherwise. */
  let h: Harness;
  let delegatedApp: FastifyInstance;
  let noClientApp: FastifyInstance;
  let noKeyApp: FastifyInstance;
  let httpApp: FastifyInstance;
  /** A second rep (never connected unless a test says so) and their key. */
  let rep2: { id: string; email: string; key: string };
  let noSendKey: string;
  const slug = `gc${kind.name}`;
  const domain = `${slug}.test`;
  const victim = `ceo@${domain}`;
  /** The code and refresh token of the rep's successful connection (test 2). */
  let firstCode = '';
  let firstRefreshToken = '';

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount('sender@gc.iam.gserviceaccount.com', keys.publicKey);
    store = await kind.open();
    google = await startIssuer();
    t = await seedTenant(store, slug, SEND_KEY_SCOPES);
    await store.db.updateTable('tenants').set({ google_domain: domain }).where('id', '=', t.tenantId).execute();
    const op = operator(t.tenantId);
    const second = await addUser(t.tdb, op, { email: `rep2@${domain}`, name: 'Second rep', groups: [t.groupSlug] });
    rep2 = { id: second.id, email: second.email, key: (await createApiKey(t.tdb, op, { userEmail: second.email, name: 'rep2 key', scopes: SEND_KEY_SCOPES })).key };
    noSendKey = (await createApiKey(t.tdb, op, { userEmail: second.email, name: 'read only', scopes: ['packs:read'] })).key;
    for (const mailbox of [t.rep.email, rep2.email, victim]) gmail.addUser(mailbox);

    const settings = { apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl };
    const oauthClient = { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret };
    credentials = new GoogleCredentials({ ...settings, oauthClient }, store.db, box);
    const config = { ...addonConfig(google), publicUrl: PUBLIC_URL };
    app = await testApp(store, config, { secretBox: box, gmailAddon: { credentials, gmailRootUrl: gmail.rootUrl() } });
    h = { store, app, google, tenant: t, domain, close: async () => {} };
    delegatedApp = await testApp(store, config, { secretBox: box, gmailAddon: { credentials: new GoogleCredentials({ ...settings, oauthClient, serviceAccount: { clientEmail: 'sender@gc.iam.gserviceaccount.com', privateKey: keys.privateKey } }, store.db, box), gmailRootUrl: gmail.rootUrl() } });
    noClientApp = await testApp(store, config, { secretBox: box, gmailAddon: { credentials: new GoogleCredentials(settings, store.db, box), gmailRootUrl: gmail.rootUrl() } });
    noKeyApp = await testApp(store, config, { gmailAddon: { credentials: new GoogleCredentials({ ...settings, oauthClient }, store.db, undefined), gmailRootUrl: gmail.rootUrl() } });
    httpApp = await testApp(store, { ...config, publicUrl: 'http://store.tradepane.test' }, { secretBox: box, gmailAddon: { credentials } });
  });

  afterAll(async () => {
    for (const a of [app, delegatedApp, noClientApp, noKeyApp, httpApp]) await a.close();
    await google.close();
    await store.close();
    await gmail.stop();
  });

  const connect = (key: string, on = app) => on.inject({ method: 'POST', url: '/api/v1/me/google/connect', headers: bearer(key) });
  const callback = (query: Record<string, string>, on = app) => on.inject({ method: 'GET', url: `/google/oauth/callback?${new URLSearchParams(query).toString()}` });
  /** The browser coming back from Google's page with what it was given. */
  const back = (given: { code: string; state: string }, on = app) => callback({ code: given.code, state: given.state }, on);
  const capability = async (key: string) => (await app.inject({ method: 'GET', url: '/api/v1/me/scheduled-sends/capability', headers: bearer(key) })).json();
  const grantOf = (userId: string) => t.tdb.selectFrom('google_grants').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const codeExchanges = () => gmail.requests.filter((r) => r.path === '/token' && String(r.body).includes('grant_type=authorization_code')).length;
  const linkFor = async (key: string) => {
    const res = await connect(key);
    expect(res.statusCode).toBe(200);
    return (res.json() as { url: string }).url;
  };
  /** The refusal page: status, and "Not connected" with the reason. */
  const expectRefused = (res: Awaited<ReturnType<typeof callback>>, status: number, reason: string | RegExp) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.body).toContain('<h1>Not connected</h1>');
    expect(res.body).toMatch(typeof reason === 'string' ? new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : reason);
    expect(res.body).not.toMatch(/<script/i);
  };

  it('POST /me/google/connect answers Google\'s consent URL: this store\'s client, the callback, Gmail + identity scopes, offline, a sealed state for me', async () => {
    expect(await capability(t.rep.key)).toEqual({ available: false, via: null, canConnect: true });
    const res = await connect(t.rep.key);
    expect(res.statusCode).toBe(200);
    const { url, expiresAt } = res.json() as { url: string; expiresAt: string };
    const consent = new URL(url);
    expect(`${consent.origin}${consent.pathname}`).toBe(AUTH_URL);
    const p = consent.searchParams;
    expect(p.get('client_id')).toBe(gmail.oauthClient.id);
    expect(p.get('redirect_uri')).toBe(CALLBACK);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('access_type')).toBe('offline');
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('login_hint')).toBe(t.rep.email);
    expect(p.get('scope')!.split(' ').sort()).toEqual([GMAIL_SCOPES.compose, GMAIL_SCOPES.readonly, 'email', 'openid'].sort());
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The state names the tenant and the user only sealed: nothing readable, nothing to edit.
    const state = p.get('state')!;
    for (const clear of [t.tenantId, t.rep.id, t.rep.email]) expect(state).not.toContain(clear);
    const opened = credentials.openConsentState(state);
    expect(opened).toMatchObject({ tenantId: t.tenantId, userId: t.rep.id, nonce: p.get('nonce') });
    expect(opened.expiresAt.toISOString()).toBe(expiresAt);
    expect(Math.abs(Date.parse(expiresAt) - (Date.now() + 10 * 60_000))).toBeLessThan(10_000);
    // Every link is its own: another state and nonce.
    const again = new URL(await linkFor(t.rep.key)).searchParams;
    expect(again.get('state')).not.toBe(state);
    expect(again.get('nonce')).not.toBe(p.get('nonce'));
  });

  it('the callback stores the grant sealed; then scheduling is available via user-grant and the worker sends with it', async () => {
    const link = await linkFor(t.rep.key);
    const { code, state } = gmail.consent(link, t.rep.email);
    firstCode = code;
    // Google adds its own parameters to the redirect; they are not a problem.
    const res = await callback({ state, code, scope: 'email openid', authuser: '0', prompt: 'consent' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The one inline style is allowed by its hash, nothing else.
    const style = /<style>([^<]*)<\/style>/.exec(res.body)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('Connected — you can close this window');
    expect(res.body).toContain(t.rep.email);
    expect(res.body).not.toMatch(/<script|https?:\/\//i);

    const issued = gmail.issuedRefreshTokens.filter((i) => i.email === t.rep.email);
    expect(issued).toHaveLength(1);
    firstRefreshToken = issued[0]!.refreshToken;
    const row = await grantOf(t.rep.id);
    expect(row).toBeDefined();
    expect(row!.refresh_token).not.toContain(firstRefreshToken);
    expect(row!.refresh_token).not.toContain(Buffer.from(firstRefreshToken).toString('base64'));
    expect(box.open(row!.refresh_token)).toEqual({ refreshToken: firstRefreshToken });
    expect(JSON.parse(row!.scopes)).toEqual(expect.arrayContaining([GMAIL_SCOPES.compose, GMAIL_SCOPES.readonly]));
    expect(row!.revoked_reason).toBeNull();
    const audited = await t.tdb.selectFrom('audit_log').selectAll().where('action', '=', 'google.connected').execute();
    expect(audited.map((a) => [a.target_id, a.actor_label])).toEqual([[t.rep.id, t.rep.email]]);
    expect(JSON.stringify(audited)).not.toContain(firstRefreshToken);

    expect(await capability(t.rep.key)).toEqual({ available: true, via: 'user-grant', canConnect: false });
    const draft = gmail.addDraft(t.rep.email, { to: ['buyer@buyer-of-gc.de'], subject: 'Sent with my own grant' });
    const scheduled = await app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(t.rep.key), payload: { provider: 'gmail', draftId: draft.draftId, recipients: ['buyer@buyer-of-gc.de'], subject: 'Sent with my own grant', sendAt: new Date(Date.now() - 1000).toISOString() } });
    expect(scheduled.statusCode).toBe(201);
    const sendId = (scheduled.json() as { send: { id: string } }).send.id;

    const result = await sendDue(store.db, store.dialect, { instanceId: `connect-${kind.name}`, credentials, rootUrl: gmail.rootUrl() });
    expect(result.sent).toBe(1);
    expect(gmail.sendsOf(draft.draftId)).toBe(1);
    expect(gmail.sends.find((s) => s.draftId === draft.draftId)!.owner).toBe(t.rep.email);
    const sent = await t.tdb.selectFrom('scheduled_sends').select(['status']).where('id', '=', sendId).executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    // The worker's access token came from the refresh token the consent handed out.
    const refreshes = gmail.requests.filter((r) => r.path === '/token' && new URLSearchParams(String(r.body)).get('grant_type') === 'refresh_token');
    expect(refreshes.some((r) => new URLSearchParams(String(r.body)).get('refresh_token') === firstRefreshToken)).toBe(true);
  });

  it('a changed, foreign or wrong-purpose state is refused (400) before the code is exchanged; nothing stored', async () => {
    const { code, state } = gmail.consent(await linkFor(rep2.key), rep2.email);
    const parts = state.split('.');
    const body = parts[3]!;
    const flipped = [...parts.slice(0, 3), `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}`].join('.');
    const foreign = new SecretBox(randomBytes(32)).seal({ p: 'google-connect', t: t.tenantId, u: rep2.id, n: 'x', x: String(Date.now() + 60_000) });
    const before = codeExchanges();
    for (const bad of [flipped, foreign, 'not-a-state', 'v1.a.b.c']) expectRefused(await callback({ state: bad, code }), 400, 'the link was changed or was not made by this store');
    // A value this store sealed for something else (a token at rest) is no consent link either.
    expectRefused(await callback({ state: box.seal({ refreshToken: 'x' }), code }), 400, 'the link was not made for connecting a Google account');
    expect(codeExchanges()).toBe(before);
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('an expired link is refused (400, says when it expired); nothing stored', async () => {
    const old = credentials.beginConsent({ tenantId: t.tenantId, userId: rep2.id, email: rep2.email }, CALLBACK, new Date(Date.now() - 11 * 60_000));
    const { code, state } = gmail.consent(old.url, rep2.email);
    const before = codeExchanges();
    const res = await callback({ state, code });
    expectRefused(res, 400, `This link cannot be used: the link expired at ${old.expiresAt}`);
    expect(codeExchanges()).toBe(before);
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('a consent given with another Google account is refused (403) both ways round; nothing stored, nothing changed', async () => {
    const before = await t.tdb.selectFrom('google_grants').selectAll().orderBy('user_id').execute();
    // rep2 asks for a link and consents (or makes someone consent) with the CEO's mailbox.
    const asVictim = gmail.consent(await linkFor(rep2.key), victim);
    expectRefused(await callback({ state: asVictim.state, code: asVictim.code }), 403, `You chose the Google account ${victim}, but you are signed in to tradepane as ${rep2.email}`);
    // rep2 lures the connected rep into consenting on rep2's link: rep's mailbox must not become rep2's.
    const lured = gmail.consent(await linkFor(rep2.key), t.rep.email);
    expectRefused(await callback({ state: lured.state, code: lured.code }), 403, `You chose the Google account ${t.rep.email}`);
    expect(await grantOf(rep2.id)).toBeUndefined();
    expect(await t.tdb.selectFrom('google_grants').selectAll().orderBy('user_id').execute()).toEqual(before);
  });

  it('a consent without every Gmail permission, without the e-mail, or for an unverified address is refused naming what is missing', async () => {
    const partial = gmail.consent(await linkFor(rep2.key), rep2.email, { grant: [GMAIL_SCOPES.compose, 'openid', 'email'] });
    expectRefused(await back(partial), 400, `Google did not grant ${GMAIL_SCOPES.readonly}`);
    const noEmail = gmail.consent(await linkFor(rep2.key), rep2.email, { grant: [GMAIL_SCOPES.compose, GMAIL_SCOPES.readonly, 'openid'] });
    expectRefused(await back(noEmail), 400, 'the ID token carries no e-mail');
    const noOpenId = gmail.consent(await linkFor(rep2.key), rep2.email, { grant: [GMAIL_SCOPES.compose, GMAIL_SCOPES.readonly] });
    expectRefused(await back(noOpenId), 400, 'no ID token');
    const unverified = gmail.consent(await linkFor(rep2.key), rep2.email, { emailVerified: false });
    expectRefused(await back(unverified), 400, `Google has not verified the address ${rep2.email}`);
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('a code used twice is refused the second time and the stored grant stays as it was', async () => {
    const before = await grantOf(t.rep.id);
    const state = new URL(await linkFor(t.rep.key)).searchParams.get('state')!;
    const replay = await callback({ state, code: firstCode });
    // The nonce of a new link does not match the old code's either; Google refuses the code first.
    expectRefused(replay, 400, /Google refused the sign-in code \(invalid_grant[^)]*\): it was used already or has expired/);
    expect(await grantOf(t.rep.id)).toEqual(before);
  });

  it('a code redeemed with another link\'s state is refused: the ID token\'s nonce belongs to another sign-in', async () => {
    const first = gmail.consent(await linkFor(rep2.key), rep2.email);
    const other = new URL(await linkFor(rep2.key)).searchParams.get('state')!;
    expectRefused(await callback({ state: other, code: first.code }), 400, 'the ID token belongs to another sign-in');
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('access denied on Google\'s page, another Google error, no state, no code: each said plainly, hostile text escaped; nothing stored', async () => {
    const state = new URL(await linkFor(rep2.key)).searchParams.get('state')!;
    expectRefused(await callback({ error: 'access_denied', state }), 400, 'You did not allow tradepane to use your Gmail, so nothing was connected');
    expectRefused(await callback({ error: 'admin_policy_enforced', state }), 400, 'Google did not complete the sign-in (admin_policy_enforced)');
    const hostile = await callback({ error: '<script>alert(1)</script>', state });
    expectRefused(hostile, 400, 'Google did not complete the sign-in (&lt;script&gt;alert(1)&lt;/script&gt;)');
    expectRefused(await callback({ code: 'x' }), 400, 'the link has no state');
    expectRefused(await callback({ state }), 400, 'Google sent you back without a sign-in code');
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('request logs name the callback\'s path only, never the code or the state', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await testApp(store, { ...addonConfig(google), publicUrl: PUBLIC_URL }, { secretBox: box, logger: { level: 'info', stream }, gmailAddon: { credentials } });
    const given = gmail.consent(await linkFor(rep2.key), victim);
    try {
      expect((await back(given, logged)).statusCode).toBe(403);
    } finally {
      await logged.close();
    }
    const all = lines.join('');
    expect(all).toContain('"url":"/google/oauth/callback"');
    expect(all).toContain('email_mismatch');
    for (const secret of [given.code, encodeURIComponent(given.code), given.state, given.state.split('.')[3]!]) expect(all).not.toContain(secret);
  });

  it('disconnecting forgets the grant, revokes it at Google and is audited; a second time removes nothing', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/me/google/connect', headers: bearer(t.rep.key) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ removed: true, revokedAtGoogle: true });
    expect(await grantOf(t.rep.id)).toBeUndefined();
    expect(gmail.revocations).toContain(firstRefreshToken);
    expect(await capability(t.rep.key)).toEqual({ available: false, via: null, canConnect: true });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/me/scheduled-sends', headers: bearer(t.rep.key), payload: { provider: 'gmail', draftId: 'r-1', recipients: ['buyer@buyer-of-gc.de'], subject: 's', sendAt: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(refused.json().error.code).toBe('no_google_access');
    expect(await t.tdb.selectFrom('audit_log').select('target_id').where('action', '=', 'google.disconnected').execute()).toEqual([{ target_id: t.rep.id }]);
    const again = await app.inject({ method: 'DELETE', url: '/api/v1/me/google/connect', headers: bearer(t.rep.key) });
    expect(again.json()).toEqual({ removed: false, revokedAtGoogle: false });
  });

  it('disconnecting when Google cannot be reached still removes the grant and says it was not revoked', async () => {
    await t.tdb.insert('google_grants', { user_id: rep2.id, refresh_token: box.seal({ refreshToken: gmail.issueRefreshToken(rep2.email) }), scopes: '[]', granted_at: new Date().toISOString(), revoked_reason: null });
    const unreachable = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: 'http://127.0.0.1:9/token', oauthClient: { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret } }, store.db, box);
    const actor = { ...operator(t.tenantId), userId: rep2.id, label: rep2.email };
    expect(await unreachable.removeGrant(actor, { timeoutMs: 2_000 })).toEqual({ removed: true, revokedAtGoogle: false });
    expect(await grantOf(rep2.id)).toBeUndefined();
  });

  it('no link when consent is not possible or not needed: 422 naming what is missing; 403 without sends:write', async () => {
    const noClient = await connect(rep2.key, noClientApp);
    expect(noClient.statusCode).toBe(422);
    expect(noClient.json().error).toMatchObject({ code: 'google_consent_unavailable', message: expect.stringContaining('GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET') });
    const noKey = await connect(rep2.key, noKeyApp);
    expect(noKey.json().error).toMatchObject({ code: 'google_consent_unavailable', message: expect.stringContaining('TRADEPANE_SECRET_KEY') });
    expect((await connect(rep2.key, delegatedApp)).json().error.code).toBe('google_delegated');
    const http = await connect(rep2.key, httpApp);
    expect(http.statusCode).toBe(422);
    expect(http.json().error).toMatchObject({ code: 'public_url_not_https', message: expect.stringContaining('http://store.tradepane.test') });
    expect((await connect(noSendKey)).statusCode).toBe(403);
    const extra = await app.inject({ method: 'POST', url: '/api/v1/me/google/connect', headers: bearer(rep2.key), payload: { scopes: ['x'] } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toBe('this request takes no body; unknown field "scopes"');
    expect((await app.inject({ method: 'POST', url: '/api/v1/me/google/connect', headers: bearer(rep2.key), payload: {} })).statusCode).toBe(200);
  });

  it('the Gmail card shows "Connect your Google account" (overlay, reload on close) only when the rep can connect, and the button\'s link works', async () => {
    const home = async (on: FastifyInstance, email: string, locale?: string) => shownCard((await post({ ...h, app: on }, '/homepage', await addonEvent({ ...h, app: on }, email, locale ? { locale } : {}))).json<AddonResponse>());

    const card = await home(app, rep2.email);
    const [button, ...more] = linkButtons(card);
    expect(more).toEqual([]);
    expect(button!.text).toBe('Connect your Google account');
    expect(button!.onClick!.openLink).toMatchObject({ openAs: 'OVERLAY', onClose: 'RELOAD' });
    const url = new URL(button!.onClick!.openLink!.url!);
    expect(`${url.origin}${url.pathname}`).toBe(AUTH_URL);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(credentials.openConsentState(url.searchParams.get('state')!)).toMatchObject({ tenantId: t.tenantId, userId: rep2.id });
    expect(cardTexts(card).join('\n')).toContain('Connect your Google account once and tradepane sends your drafts at the time you pick.');
    expect(linkButtons(await home(app, rep2.email, 'zh-CN'))[0]!.text).toBe('连接您的 Google 账号');

    // A slot picked while not connected: Gmail's own Schedule send help stays, with the button.
    const at = '2030-03-04T08:00:00.000Z';
    const manual = shownCard((await post(h, '/schedule', await addonEvent(h, rep2.email, { parameters: { at }, timeZone: 'UTC', gmail: { toRecipients: ['buyer@buyer-of-gc.de'], accessToken: 'compose-token' } }))).json<AddonResponse>());
    expect(cardTexts(manual).join('\n')).toContain('Send ▸ Schedule send ▸ Pick date &amp; time and enter 2030-03-04 08:00 (your time zone UTC)');
    expect(linkButtons(manual).map((b) => b.text)).toEqual(['Connect your Google account']);

    // The card's link completes the connection; then the card offers the list, not the button.
    const consent = gmail.consent(url.toString(), rep2.email);
    expect((await back(consent)).statusCode).toBe(200);
    expect(await grantOf(rep2.id)).toBeDefined();
    const connected = await home(app, rep2.email);
    expect(linkButtons(connected)).toEqual([]);
    expect(cardTexts(connected).join('\n')).not.toContain('Connect your Google account');

    // Delegation (nothing to connect) and no way to consent: no button.
    expect(linkButtons(await home(delegatedApp, t.rep.email))).toEqual([]);
    const off = await home(noClientApp, t.rep.email);
    expect(linkButtons(off)).toEqual([]);
    expect(cardTexts(off).join('\n')).toContain('Scheduled sending is not set up for your company');
  });
});

describe('the ID token check (the token endpoint\'s answer)', () => {
  const clientId = 'client-1.apps.googleusercontent.com';
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown>) =>
    new SignJWT({ iss: 'https://accounts.google.com', aud: clientId, email: 'Rep@Acme.test', email_verified: true, nonce: 'n-1', exp: now + 600, iat: now, sub: '42', ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(key);
  const check = async (claims: Record<string, unknown>) => checkIdToken(await token(claims), { clientId, nonce: 'n-1' });

  it('answers the lower-cased e-mail of a good token (either issuer spelling)', async () => {
    expect(await check({})).toEqual({ email: 'rep@acme.test', subject: '42' });
    expect((await check({ iss: 'accounts.google.com', email_verified: 'true' })).email).toBe('rep@acme.test');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }, 'not from Google'],
    ['another audience', { aud: 'other-client' }, 'issued to another client'],
    ['several audiences, another azp', { aud: [clientId, 'other'], azp: 'other' }, 'issued to another client'],
    ['expired', { exp: now - 3600 }, 'has expired'],
    ['another nonce', { nonce: 'n-2' }, 'another sign-in'],
    ['no nonce', { nonce: undefined }, 'another sign-in'],
    ['no e-mail', { email: undefined }, 'carries no e-mail'],
    ['unverified e-mail', { email_verified: false }, 'has not verified'],
  ])('refuses %s', async (_name, claims, message) => {
    await expect(check(claims)).rejects.toThrow(message);
  });

  it('refuses a missing or malformed token', () => {
    expect(() => checkIdToken(undefined, { clientId, nonce: 'n-1' })).toThrow('no ID token');
    expect(() => checkIdToken('not.a.jwt', { clientId, nonce: 'n-1' })).toThrow('malformed');
  });
});
