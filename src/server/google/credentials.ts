import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JWT, OAuth2Client } from 'google-auth-library';
import { decodeJwt } from 'jose';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import type { SecretBox } from '../secrets.js';
import { audit } from '../services/audit.js';
import { LRUCache } from 'lru-cache';

/**
 * How the store acts in Gmail for a user when the user is not there (the send worker, the
 * signature push). Two ways, checked in this order:
 *
 * 1. **A service account with domain-wide delegation** (a company-installed add-on): the
 *    Workspace admin authorises the service account's client id for the Gmail scopes; the store
 *    signs a JWT-bearer grant whose `sub` is the user's address (google.auth.JWT with `subject`).
 *    Configured once for the store by GOOGLE_SERVICE_ACCOUNT_FILE (the JSON key file).
 * 2. **The user's own grant**: a refresh token obtained through Google's OAuth consent
 *    (routes/google-connect.ts: `POST /me/google/connect` hands out the consent URL, Google sends
 *    the rep back to `/google/oauth/callback`, which calls `storeGrant`), sealed with SecretBox in
 *    `google_grants`. A grant is stored only for the Google account whose e-mail is the store
 *    user's own (the ID token of the code exchange says which account consented) and only with
 *    every scope SEND_SCOPES needs. `DELETE /me/google/connect` removes it and revokes it at Google.
 *
 * Neither → `null`: the add-on then shows the rep the time to pick in Gmail's own Schedule send
 * (and, when per-user consent is possible, a "Connect your Google account" button).
 *
 * Token requests go to GOOGLE_TOKEN_URL (Google's endpoint unless a test points elsewhere).
 * gtoken under the JWT client has Google's URL built in, so a request interceptor rewrites it,
 * as connectors/google-tasks.ts does; the signed assertion keeps Google's URL as its `aud`.
 * Token requests never retry on their own: callers own the retry policy.
 */

export const GOOGLE_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_DEFAULT_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';

export const GMAIL_SCOPES = {
  /** drafts.get / drafts.send / drafts.create */
  compose: 'https://www.googleapis.com/auth/gmail.compose',
  /** messages.list with q=rfc822msgid: (gmail.metadata does not allow q) */
  readonly: 'https://www.googleapis.com/auth/gmail.readonly',
  /** settings.sendAs get/patch (signatures) */
  settings: 'https://www.googleapis.com/auth/gmail.settings.basic',
} as const;

/** What the send worker needs: read the draft, send it, find it among sent mail after a crash. */
export const SEND_SCOPES: readonly string[] = [GMAIL_SCOPES.compose, GMAIL_SCOPES.readonly];

/** Asked for beside SEND_SCOPES so the code exchange answers an ID token naming the account that consented. */
export const IDENTITY_SCOPES: readonly string[] = ['openid', 'email'];

/** Google's ID token issuers (OpenID Connect discovery document; older tokens omit the scheme). */
export const GOOGLE_ID_TOKEN_ISSUERS: readonly string[] = ['https://accounts.google.com', 'accounts.google.com'];

/** How long a consent link (its sealed state) stays good. */
export const CONSENT_STATE_TTL_MS = 10 * 60_000;

/** Marks a sealed value as a consent state, so no other sealed value (a connector secret) passes for one. */
const STATE_PURPOSE = 'google-connect';

export type ConsentProblem =
  | 'not_possible'
  | 'state_invalid'
  | 'state_expired'
  | 'code_refused'
  | 'client_refused'
  | 'google_unreachable'
  | 'no_refresh_token'
  | 'id_token_invalid'
  | 'email_mismatch'
  | 'scope_missing';

/** Why a consent was not turned into a stored grant; the message is for the rep and holds no token. */
export class ConsentError extends Error {
  constructor(
    readonly problem: ConsentProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface ConsentState {
  tenantId: string;
  userId: string;
  nonce: string;
  expiresAt: Date;
}

/**
 * The ID token's claims that say who consented. It comes straight from Google's token endpoint
 * over TLS in answer to our own client's request, so (OpenID Connect Core 3.1.3.7, step 6) its
 * signature need not be checked; issuer, audience, expiry, nonce and the e-mail claims are.
 */
export function checkIdToken(idToken: string | null | undefined, expected: { clientId: string; nonce: string; now?: Date }): { email: string; subject: string } {
  const bad = (why: string) => new ConsentError('id_token_invalid', `Google's answer did not say which account consented (${why}); nothing was connected`);
  if (!idToken) throw bad('no ID token: the "openid email" scopes were not granted');
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(idToken);
  } catch {
    throw bad('the ID token is malformed');
  }
  if (typeof claims.iss !== 'string' || !GOOGLE_ID_TOKEN_ISSUERS.includes(claims.iss)) throw bad('the ID token is not from Google');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.clientId) || (audiences.length > 1 && claims.azp !== expected.clientId)) throw bad('the ID token was issued to another client');
  const nowSeconds = Math.floor((expected.now ?? new Date()).getTime() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < nowSeconds - 60) throw bad('the ID token has expired');
  if (claims.nonce !== expected.nonce) throw bad('the ID token belongs to another sign-in');
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) throw bad('the ID token carries no e-mail');
  // Google sends a boolean; some older tokens carried the string "true".
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  if (!verified) throw new ConsentError('id_token_invalid', `Google has not verified the address ${email}; nothing was connected`);
  return { email, subject: typeof claims.sub === 'string' ? claims.sub : '' };
}

/** An authenticated Google client (JWT or OAuth2 with a refresh token). */
export type GoogleAuth = OAuth2Client;

export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
}

export interface GoogleApiSettings {
  /** Gmail API root; `https://gmail.googleapis.com/` in production. */
  apiRootUrl: string;
  tokenUrl: string;
  serviceAccount?: ServiceAccountKey | undefined;
  /** OAuth client for per-user consent (web application type). */
  oauthClient?: { clientId: string; clientSecret: string } | undefined;
}

/** Reads a service-account JSON key file; throws an Error naming the file and the field. */
export function readServiceAccountFile(file: string): ServiceAccountKey {
  let parsed: { client_email?: unknown; private_key?: unknown; type?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`GOOGLE_SERVICE_ACCOUNT_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed.client_email !== 'string' || !parsed.client_email.includes('@')) throw new Error(`GOOGLE_SERVICE_ACCOUNT_FILE: ${file}: client_email is missing`);
  if (typeof parsed.private_key !== 'string') throw new Error(`GOOGLE_SERVICE_ACCOUNT_FILE: ${file}: private_key is missing`);
  const privateKey = parsed.private_key.includes('\\n') ? parsed.private_key.replace(/\\n/g, '\n') : parsed.private_key;
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new Error(`GOOGLE_SERVICE_ACCOUNT_FILE: ${file}: private_key is not a PEM private key`);
  }
  return { clientEmail: parsed.client_email, privateKey };
}

/**
 * Sends gtoken's / the OAuth client's token requests to `tokenUrl`, without their own retries
 * (callers own the retry policy). Shared with connectors/google-tasks.ts.
 */
export function routeTokenRequests(client: Pick<GoogleAuth, 'transporter'>, tokenUrl: string): void {
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      const url = String(config.url);
      if (url === GOOGLE_DEFAULT_TOKEN_URL || url.startsWith(`${GOOGLE_DEFAULT_TOKEN_URL}?`)) {
        if (tokenUrl !== GOOGLE_DEFAULT_TOKEN_URL) config.url = new URL(tokenUrl + url.slice(GOOGLE_DEFAULT_TOKEN_URL.length));
        config.retryConfig = { ...config.retryConfig, retry: 0 };
      }
      return config;
    },
  });
}

export type CredentialSource = 'service-account' | 'user-grant';

export interface UserCredentials {
  auth: GoogleAuth;
  source: CredentialSource;
}

const CACHE_MAX = 2_000;

/**
 * Hands out authenticated clients per user. Clients are cached (they cache their access tokens
 * until shortly before expiry), so a batch of sends for one rep costs one token request.
 */
export class GoogleCredentials {
  private readonly cache = new LRUCache<string, GoogleAuth>({ max: CACHE_MAX });

  constructor(
    readonly settings: GoogleApiSettings,
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox | undefined,
  ) {}

  /** True when the store can act for users of this tenant without each one connecting. */
  get delegated(): boolean {
    return Boolean(this.settings.serviceAccount);
  }

  /** Whether per-user consent is possible at all (an OAuth client and a key to seal tokens). */
  get consentPossible(): boolean {
    return Boolean(this.settings.oauthClient && this.box);
  }

  /** The settings per-user consent still needs (empty when it is possible). */
  get consentMissing(): string[] {
    return [...(this.settings.oauthClient ? [] : ['GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET']), ...(this.box ? [] : ['TRADEPANE_SECRET_KEY'])];
  }

  /** The way the store would act for this user now, or null when it cannot. */
  async sourceFor(tenantId: string, userId: string): Promise<CredentialSource | null> {
    if (this.settings.serviceAccount) return 'service-account';
    if (!this.settings.oauthClient || !this.box) return null;
    const grant = await this.db.selectFrom('google_grants').select(['revoked_reason']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
    return grant && !grant.revoked_reason ? 'user-grant' : null;
  }

  /**
   * A client of the service account acting as `email` (domain-wide delegation) with `scopes`, or
   * null when the store has no service account. Also how directory sync acts as an administrator.
   */
  delegatedAs(email: string, scopes: readonly string[]): GoogleAuth | null {
    const { serviceAccount, tokenUrl } = this.settings;
    if (!serviceAccount) return null;
    const key = ['sa', tokenUrl, serviceAccount.clientEmail, email.toLowerCase(), [...scopes].sort().join(' '), createHash('sha256').update(serviceAccount.privateKey).digest('hex')].join('\n');
    let jwt = this.cache.get(key);
    if (!jwt) {
      jwt = new JWT({ email: serviceAccount.clientEmail, key: serviceAccount.privateKey, scopes: [...scopes], subject: email, transporterOptions: { fetchImplementation: fetch } });
      routeTokenRequests(jwt, tokenUrl);
      this.remember(key, jwt);
    }
    return jwt;
  }

  /** An authenticated client acting as the user, or null when there is no way to. */
  async forUser(user: { tenantId: string; userId: string; email: string }, scopes: readonly string[]): Promise<UserCredentials | null> {
    const delegated = this.delegatedAs(user.email, scopes);
    if (delegated) return { auth: delegated, source: 'service-account' };
    const { oauthClient, tokenUrl } = this.settings;
    if (!oauthClient || !this.box) return null;
    const grant = await this.db.selectFrom('google_grants').selectAll().where('tenant_id', '=', user.tenantId).where('user_id', '=', user.userId).executeTakeFirst();
    if (!grant || grant.revoked_reason) return null;
    const refreshToken = this.box.open(grant.refresh_token).refreshToken;
    if (!refreshToken) return null;
    const key = ['user', tokenUrl, user.tenantId, user.userId, createHash('sha256').update(refreshToken).digest('hex')].join('\n');
    let client = this.cache.get(key);
    if (!client) {
      const created = new OAuth2Client({ clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret, endpoints: { oauth2TokenUrl: tokenUrl }, transporterOptions: { fetchImplementation: fetch } });
      created.setCredentials({ refresh_token: refreshToken });
      routeTokenRequests(created, tokenUrl);
      this.remember(key, created);
      client = created;
    }
    return { auth: client, source: 'user-grant' };
  }

  /** Drops cached clients and their access tokens (a token Gmail answered 401 to: rotated key, revoked). */
  forgetTokens(): void {
    this.cache.clear();
  }

  /** After Google refused a user's access: forget cached tokens; mark a user grant revoked. */
  async accessRefused(user: { tenantId: string; userId: string }, source: CredentialSource, reason: string): Promise<void> {
    this.cache.clear();
    if (source === 'user-grant') {
      await this.db.updateTable('google_grants').set({ revoked_reason: reason.slice(0, 500) }).where('tenant_id', '=', user.tenantId).where('user_id', '=', user.userId).execute();
    }
  }

  /** Google's consent page for a rep to grant the store offline access (per-user mode). */
  consentUrl(state: string, redirectUri: string, loginHint?: string, nonce?: string): string {
    const client = this.oauthClientFor(redirectUri);
    return client.generateAuthUrl({
      access_type: 'offline',
      // Always show the consent screen: a repeat consent without it comes back without a refresh token.
      prompt: 'consent',
      include_granted_scopes: true,
      scope: [...SEND_SCOPES, ...IDENTITY_SCOPES],
      state,
      ...(loginHint ? { login_hint: loginHint } : {}),
      ...(nonce ? { nonce } : {}),
    });
  }

  /**
   * A consent link for this user: Google's consent URL whose `state` is sealed (tenant, user, a
   * nonce, expiry in 10 minutes), so the callback knows whom it is for without a session and
   * nobody can forge or alter it. The nonce also goes to Google, which puts it in the ID token.
   */
  beginConsent(user: { tenantId: string; userId: string; email: string }, redirectUri: string, now = new Date()): { url: string; expiresAt: string } {
    if (!this.box || !this.settings.oauthClient) throw new ConsentError('not_possible', `connecting a Google account is not set up on this store (missing ${this.consentMissing.join(', ')})`);
    const nonce = randomBytes(16).toString('base64url');
    const expiresAt = new Date(now.getTime() + CONSENT_STATE_TTL_MS);
    const state = this.box.seal({ p: STATE_PURPOSE, t: user.tenantId, u: user.userId, n: nonce, x: String(expiresAt.getTime()) });
    return { url: this.consentUrl(state, redirectUri, user.email, nonce), expiresAt: expiresAt.toISOString() };
  }

  /** Opens a consent state from the callback; throws ConsentError when it was altered, is not ours, or has expired. */
  openConsentState(state: string, now = new Date()): ConsentState {
    if (!this.box) throw new ConsentError('not_possible', 'connecting a Google account is not set up on this store (missing TRADEPANE_SECRET_KEY)');
    let opened: Record<string, string>;
    try {
      opened = this.box.open(state);
    } catch {
      throw new ConsentError('state_invalid', 'the link was changed or was not made by this store');
    }
    const expires = Number(opened.x);
    if (opened.p !== STATE_PURPOSE || !opened.t || !opened.u || !opened.n || !Number.isFinite(expires)) throw new ConsentError('state_invalid', 'the link was not made for connecting a Google account');
    if (now.getTime() > expires) throw new ConsentError('state_expired', `the link expired at ${new Date(expires).toISOString()} (links are good for ${CONSENT_STATE_TTL_MS / 60_000} minutes)`);
    return { tenantId: opened.t, userId: opened.u, nonce: opened.n, expiresAt: new Date(expires) };
  }

  /**
   * Exchanges the consent code and stores the refresh token sealed — only when the ID token says
   * the Google account that consented is the store user's own address and every scope
   * SEND_SCOPES needs was granted. Anything else throws ConsentError and stores nothing (the
   * tokens Google answered are dropped, not revoked: revoking would also end a grant the same
   * Google account may rightly hold for another store login). Audited as `google.connected`.
   */
  async storeGrant(user: { actor: Actor; email: string }, code: string, redirectUri: string, checks: { nonce: string; now?: Date }): Promise<{ scopes: string[]; email: string }> {
    if (!this.box || !this.settings.oauthClient) throw new ConsentError('not_possible', `connecting a Google account is not set up on this store (missing ${this.consentMissing.join(', ')})`);
    const { tenantId, userId } = user.actor;
    if (!userId) throw new Error('storeGrant: the actor must be a user');
    const client = this.oauthClientFor(redirectUri);
    let tokens: { refresh_token?: string | null; id_token?: string | null; scope?: string | null };
    try {
      ({ tokens } = await client.getToken({ code }));
    } catch (error) {
      throw exchangeFailure(error);
    }
    const who = checkIdToken(tokens.id_token, { clientId: this.settings.oauthClient.clientId, nonce: checks.nonce, now: checks.now });
    const mine = user.email.trim().toLowerCase();
    if (who.email !== mine) throw new ConsentError('email_mismatch', `you chose the Google account ${who.email}, but you are signed in to tradepane as ${mine}; connect the Google account of ${mine}`);
    const scopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
    const missing = SEND_SCOPES.filter((s) => !scopes.includes(s));
    if (missing.length) throw new ConsentError('scope_missing', `Google did not grant ${missing.join(' and ')}; tick every Gmail permission on Google's page (tradepane needs them to read, send and find your scheduled drafts)`);
    if (!tokens.refresh_token) throw new ConsentError('no_refresh_token', 'Google did not hand out a refresh token; remove tradepane\'s access in your Google account (Security ▸ Third-party access) and connect again');
    const sealed = this.box.seal({ refreshToken: tokens.refresh_token });
    const now = new Date().toISOString();
    await new TenantDb(this.db, tenantId).transaction(async (t) => {
      await t.upsert('google_grants', { user_id: userId, refresh_token: sealed, scopes: JSON.stringify(scopes), granted_at: now, revoked_reason: null }, ['user_id'], { refresh_token: sealed, scopes: JSON.stringify(scopes), granted_at: now, revoked_reason: null });
      await audit(t, user.actor, 'google.connected', { type: 'user', id: userId }, { email: who.email, scopes });
    });
    this.cache.clear();
    return { scopes, email: who.email };
  }

  /**
   * Removes the user's grant (audited as `google.disconnected`), then asks Google to revoke the
   * refresh token — best effort: the grant is gone from the store either way, and a failed
   * revocation is reported, not retried (the rep can remove the access in their Google account).
   */
  async removeGrant(actor: Actor & { userId: string }, options: { timeoutMs?: number } = {}): Promise<{ removed: boolean; revokedAtGoogle: boolean }> {
    const tdb = new TenantDb(this.db, actor.tenantId);
    const removed = await tdb.transaction(async (t) => {
      const grant = await t.selectFrom('google_grants').select(['refresh_token', 'revoked_reason']).where('user_id', '=', actor.userId).executeTakeFirst();
      if (!grant) return null;
      await t.deleteFrom('google_grants').where('user_id', '=', actor.userId).execute();
      await audit(t, actor, 'google.disconnected', { type: 'user', id: actor.userId });
      return grant;
    });
    this.cache.clear();
    if (!removed) return { removed: false, revokedAtGoogle: false };
    let refreshToken: string | undefined;
    try {
      refreshToken = this.box?.open(removed.refresh_token).refreshToken;
    } catch {
      refreshToken = undefined; // sealed under another key: nothing to revoke with
    }
    if (!refreshToken || removed.revoked_reason) return { removed: true, revokedAtGoogle: false };
    return { removed: true, revokedAtGoogle: await this.revoke(refreshToken, options.timeoutMs ?? 5_000) };
  }

  /** Google's revocation endpoint beside the token endpoint (oauth2.googleapis.com/revoke). */
  private async revoke(token: string, timeoutMs: number): Promise<boolean> {
    try {
      const res = await fetch(new URL('revoke', this.settings.tokenUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // 400 invalid_token: already revoked or expired at Google — the outcome wanted.
      return res.ok || res.status === 400;
    } catch {
      return false;
    }
  }

  private oauthClientFor(redirectUri: string): GoogleAuth {
    const { oauthClient, tokenUrl } = this.settings;
    if (!oauthClient) throw new Error('per-user Google access needs GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET');
    const client = new OAuth2Client({ clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret, redirectUri, endpoints: { oauth2TokenUrl: tokenUrl }, transporterOptions: { fetchImplementation: fetch } });
    routeTokenRequests(client, tokenUrl);
    return client;
  }

  private remember(key: string, client: GoogleAuth): void {
    this.cache.set(key, client);
  }
}

/** What Google's token endpoint answered to a code exchange, as a ConsentError the rep can act on (never the code itself). */
function exchangeFailure(error: unknown): ConsentError {
  const e = error as { response?: { status?: unknown; data?: unknown } } | null;
  const status = typeof e?.response?.status === 'number' ? e.response.status : null;
  const data = e?.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  const code = data && typeof data.error === 'string' ? data.error.slice(0, 60) : undefined;
  const description = data && typeof data.error_description === 'string' ? `: ${data.error_description.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  if (status === null || status >= 500) return new ConsentError('google_unreachable', `Google's token endpoint could not be reached or failed${status ? ` (HTTP ${status})` : ''}; try again in a minute`);
  if (code === 'invalid_client' || code === 'unauthorized_client') return new ConsentError('client_refused', `Google refused the store's OAuth client (${code}${description}); tell your admin to check GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET`);
  if (code === 'redirect_uri_mismatch') return new ConsentError('client_refused', `Google says the return address does not match (${code}${description}); tell your admin to check PUBLIC_URL and the redirect URI registered for the OAuth client`);
  return new ConsentError('code_refused', `Google refused the sign-in code (${code ?? `HTTP ${status}`}${description}): it was used already or has expired; start again from tradepane`);
}

/** The store's Google credentials as configured (GOOGLE_SERVICE_ACCOUNT_FILE, GOOGLE_OAUTH_CLIENT_*). */
export function googleCredentialsFromConfig(config: { serviceAccountFile: string | undefined; apiRootUrl: string; tokenUrl: string; oauthClient: { clientId: string; clientSecret: string } | undefined }, db: Kysely<Database>, box: SecretBox | undefined): GoogleCredentials {
  return new GoogleCredentials(
    { apiRootUrl: config.apiRootUrl, tokenUrl: config.tokenUrl, serviceAccount: config.serviceAccountFile ? readServiceAccountFile(config.serviceAccountFile) : undefined, oauthClient: config.oauthClient },
    db,
    box,
  );
}
