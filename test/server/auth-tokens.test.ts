import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { JWTPayload } from 'jose';
import { openStore, migrate, type Store } from '../../src/server/db/connect.js';
import { TenantDb } from '../../src/server/db/tenant-db.js';
import { createTenant } from '../../src/server/services/tenants.js';
import { addUser, updateUser } from '../../src/server/services/people.js';
import { loadDevSigner, type DevSigner } from '../../src/server/auth/dev-keys.js';
import { TokenVerifier } from '../../src/server/auth/tokens.js';
import { loadConfig, ConfigError } from '../../src/server/config.js';
import { bearer, operator, testApp } from '../support/fixtures.js';
import { nowSeconds, startIssuer, unsignedToken, type Issuer } from '../support/jwks-server.js';

const ENTRA_TID = '0d2e4c1a-5b6f-4a7e-9c3d-2f1e0a9b8c7d';
const OTHER_TID = '11111111-2222-3333-4444-555555555555';
const MS_AUDIENCE = 'api://tradepane.test/0a1b2c3d';
const GOOGLE_AUDIENCE = '1234567890-tradepane.apps.googleusercontent.com';

let store: Store;
let microsoft: Issuer;
let google: Issuer;
let app: FastifyInstance;
let devSigner: DevSigner;
let repId: string;

const msClaims = (over: JWTPayload = {}): JWTPayload => ({
  iss: `https://login.microsoftonline.com/${ENTRA_TID}/v2.0`,
  aud: MS_AUDIENCE,
  tid: ENTRA_TID,
  oid: 'b5c7d9e1-0000-4000-8000-000000000001',
  preferred_username: 'Rep@Contoso.test',
  iat: nowSeconds(),
  nbf: nowSeconds() - 5,
  exp: nowSeconds() + 600,
  ...over,
});

const googleClaims = (over: JWTPayload = {}): JWTPayload => ({
  iss: 'https://accounts.google.com',
  aud: GOOGLE_AUDIENCE,
  sub: '10769150350006150715113082367',
  email: 'rep@contoso.test',
  email_verified: true,
  hd: 'contoso.test',
  iat: nowSeconds(),
  exp: nowSeconds() + 600,
  ...over,
});

async function me(token: string, target = app) {
  const res = await target.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
  return { status: res.statusCode, body: res.json() as { error?: { message: string }; user?: { email: string }; via?: string } };
}

beforeAll(async () => {
  microsoft = await startIssuer('ms-key');
  google = await startIssuer('google-key');
  store = openStore({ sqliteFile: ':memory:' });
  await migrate(store);
  const tenant = await createTenant(store.db, { slug: 'contoso', name: 'Contoso', entraTenantId: ENTRA_TID, googleDomain: 'contoso.test' });
  const tdb = new TenantDb(store.db, tenant.id);
  repId = (await addUser(tdb, operator(tenant.id), { email: 'rep@contoso.test', name: 'Rep' })).id;
  await addUser(tdb, operator(tenant.id), { email: 'gone@contoso.test', name: 'Gone' }).then((u) => updateUser(tdb, operator(tenant.id), u.id, { disabled: true }));
  devSigner = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-dev-')));
  app = await testApp(
    store,
    {
      authFailureLimit: 1000,
      microsoft: { audience: MS_AUDIENCE, jwksUrl: microsoft.url, issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
      google: { audience: GOOGLE_AUDIENCE, jwksUrl: google.url, issuers: ['https://accounts.google.com', 'accounts.google.com'] },
    },
    { devSigner },
  );
});

afterAll(async () => {
  await app.close();
  await store.close();
  await microsoft.close();
  await google.close();
});

describe('Microsoft Entra ID access tokens', () => {
  it('accept a valid token and map it to the user by tenant and e-mail', async () => {
    const res = await me(await microsoft.sign(msClaims()));
    expect(res).toMatchObject({ status: 200, body: { user: { email: 'rep@contoso.test' }, via: 'microsoft' } });
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => microsoft.sign(msClaims({ exp: nowSeconds() - 600 })), /expired/],
    ['not yet valid', () => microsoft.sign(msClaims({ nbf: nowSeconds() + 600 })), /not yet valid/],
    ['for another audience', () => microsoft.sign(msClaims({ aud: 'api://someone-else' })), /audience/],
    ['from an unknown issuer', () => microsoft.sign(msClaims({ iss: 'https://login.evil.test/x/v2.0' })), /issuer is not accepted/],
    ['whose issuer names another tenant than its tid', () => microsoft.sign(msClaims({ iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0` })), /issuer does not match/],
    ['with a forged signature', () => microsoft.sign(msClaims(), { key: microsoft.foreignKey }), /signature/],
    ['signed with an unknown key id', () => microsoft.sign(msClaims(), { kid: 'nobody-knows-me', key: microsoft.foreignKey }), /unknown key/],
    ['with alg none', async () => unsignedToken(msClaims()), /algorithm|malformed|not valid|verified/],
  ];
  it.each(refused)('refuse a token %s with 401', async (_name, make, reason) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toMatch(reason);
  });

  it('answer 403, not 401, for a valid token of an organisation or user the store does not know', async () => {
    expect(await me(await microsoft.sign(msClaims({ tid: OTHER_TID, iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0` })))).toMatchObject({ status: 403 });
    expect(await me(await microsoft.sign(msClaims({ preferred_username: 'stranger@contoso.test' })))).toMatchObject({ status: 403 });
    expect(await me(await microsoft.sign(msClaims({ preferred_username: 'gone@contoso.test' })))).toMatchObject({ status: 403, body: { error: { message: 'gone@contoso.test is disabled' } } });
  });
});

describe('Google-signed ID tokens', () => {
  it('accept a valid token and map it to the user by Workspace domain and e-mail', async () => {
    expect(await me(await google.sign(googleClaims()))).toMatchObject({ status: 200, body: { via: 'google', user: { email: 'rep@contoso.test' } } });
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => google.sign(googleClaims({ exp: nowSeconds() - 600 })), /expired/],
    ['not yet valid', () => google.sign(googleClaims({ nbf: nowSeconds() + 600 })), /not yet valid/],
    ['for another audience', () => google.sign(googleClaims({ aud: 'another-client.apps.googleusercontent.com' })), /audience/],
    ['from another issuer', () => google.sign(googleClaims({ iss: 'https://accounts.evil.test' })), /issuer is not accepted/],
    ['with a forged signature', () => google.sign(googleClaims(), { key: google.foreignKey }), /signature/],
    ['signed with an unknown key id', () => google.sign(googleClaims(), { kid: 'rotated-away', key: google.foreignKey }), /unknown key/],
    ['with alg none', async () => unsignedToken(googleClaims()), /algorithm|malformed|not valid|verified/],
    ['with an unverified e-mail', () => google.sign(googleClaims({ email_verified: false })), /not verified/],
    ['signed by Microsoft\'s key under Google\'s name', () => microsoft.sign(googleClaims()), /unknown key|signature/],
  ];
  it.each(refused)('refuse a token %s with 401', async (_name, make, reason) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toMatch(reason);
  });

  it('pin the signer to the add-on service account when asked (Gmail add-on requests)', async () => {
    const verifier = new TokenVerifier({
      microsoft: { audience: MS_AUDIENCE, jwksUrl: microsoft.url, issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
      google: { audience: GOOGLE_AUDIENCE, jwksUrl: google.url, issuers: ['https://accounts.google.com'] },
    });
    const endpoint = 'https://store.example.test/gmail/compose';
    const token = await google.sign(googleClaims({ aud: endpoint, email: 'service-123@gcp-sa-gsuiteaddons.iam.gserviceaccount.com', hd: undefined }));
    await expect(verifier.verifyGoogle(token, { audience: endpoint, expectedEmail: 'service-123@gcp-sa-gsuiteaddons.iam.gserviceaccount.com' })).resolves.toMatchObject({ method: 'google' });
    await expect(verifier.verifyGoogle(token, { audience: endpoint, expectedEmail: 'service-999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com' })).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verifyGoogle(token, { audience: 'https://store.example.test/gmail/other' })).rejects.toMatchObject({ status: 401 });
  });
});

describe('dev-mode tokens', () => {
  it('work while dev mode is on', async () => {
    const token = await devSigner.sign({ tenantId: (await store.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id, userId: repId, email: 'rep@contoso.test' });
    expect(await me(token)).toMatchObject({ status: 200, body: { via: 'dev' } });
  });

  it('are refused by a store that is not in dev mode', async () => {
    const plain = await testApp(store);
    const token = await devSigner.sign({ tenantId: 'whatever', userId: repId, email: 'rep@contoso.test' });
    expect(await me(token, plain)).toMatchObject({ status: 401, body: { error: { message: 'token issuer is not accepted' } } });
    await plain.close();
  });

  it('cannot be turned on in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TRADEPANE_DEV: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' }, { devMode: true })).toThrow(/refused when NODE_ENV=production/);
  });
});

describe('repeated authentication failures', () => {
  it('are rate-limited per address: failures past the limit answer 429 with Retry-After', async () => {
    const limited = await testApp(store, { authFailureLimit: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await limited.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('tpk_0000000000000000_' + 'x'.repeat(43)) })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const res = await limited.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('nonsense') });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await limited.close();
  });

  it('answer a missing or malformed Authorization header with 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('not.a.jwt') })).statusCode).toBe(401);
  });
});
