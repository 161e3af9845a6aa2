import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { google } from 'googleapis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';

/**
 * How the store acts in Gmail for a user when the user is not there (the send worker, the
 * signature push). Two ways, checked in this order:
 *
 * 1. **A service account with domain-wide delegation** (a company-installed add-on): the
 *    Workspace admin authorises the service account's client id for the Gmail scopes; the store
 *    signs a JWT-bearer grant whose `sub` is the user's address (google.auth.JWT with `subject`).
 *    Configured once for the store by GOOGLE_SERVICE_ACCOUNT_FILE (the JSON key file).
 * 2. **The user's own grant**: a refresh token obtained through Google's OAuth consent (see
 *    routes/scheduled-sends.ts, `/me/google/connect`), sealed with SecretBox in `google_grants`.
 *
 * Neither → `null`: the add-on then shows the rep the time to pick in Gmail's own Schedule send.
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

/** An authenticated Google client (JWT or OAuth2 with a refresh token). */
export type GoogleAuth = InstanceType<typeof google.auth.OAuth2>;

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

/** Sends gtoken's / the OAuth client's token requests to `tokenUrl`, without their own retries. */
function routeTokenRequests(client: GoogleAuth, tokenUrl: string): void {
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
  private readonly cache = new Map<string, GoogleAuth>();

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

  /** The way the store would act for this user now, or null when it cannot. */
  async sourceFor(tenantId: string, userId: string): Promise<CredentialSource | null> {
    if (this.settings.serviceAccount) return 'service-account';
    if (!this.settings.oauthClient || !this.box) return null;
    const grant = await this.db.selectFrom('google_grants').select(['revoked_reason']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
    return grant && !grant.revoked_reason ? 'user-grant' : null;
  }

  /** An authenticated client acting as the user, or null when there is no way to. */
  async forUser(user: { tenantId: string; userId: string; email: string }, scopes: readonly string[]): Promise<UserCredentials | null> {
    const { serviceAccount, tokenUrl } = this.settings;
    if (serviceAccount) {
      const key = ['sa', tokenUrl, serviceAccount.clientEmail, user.email.toLowerCase(), [...scopes].sort().join(' '), createHash('sha256').update(serviceAccount.privateKey).digest('hex')].join('\n');
      let jwt = this.cache.get(key);
      if (!jwt) {
        const created = new google.auth.JWT({ email: serviceAccount.clientEmail, key: serviceAccount.privateKey, scopes: [...scopes], subject: user.email, transporterOptions: { fetchImplementation: fetch } });
        routeTokenRequests(created, tokenUrl);
        this.remember(key, created);
        jwt = created;
      }
      return { auth: jwt, source: 'service-account' };
    }
    const { oauthClient } = this.settings;
    if (!oauthClient || !this.box) return null;
    const grant = await this.db.selectFrom('google_grants').selectAll().where('tenant_id', '=', user.tenantId).where('user_id', '=', user.userId).executeTakeFirst();
    if (!grant || grant.revoked_reason) return null;
    const refreshToken = this.box.open(grant.refresh_token).refreshToken;
    if (!refreshToken) return null;
    const key = ['user', tokenUrl, user.tenantId, user.userId, createHash('sha256').update(refreshToken).digest('hex')].join('\n');
    let client = this.cache.get(key);
    if (!client) {
      const created = new google.auth.OAuth2({ clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret, endpoints: { oauth2TokenUrl: tokenUrl }, transporterOptions: { fetchImplementation: fetch } });
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
  consentUrl(state: string, redirectUri: string, loginHint?: string): string {
    const client = this.oauthClientFor(redirectUri);
    return client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', include_granted_scopes: true, scope: [...SEND_SCOPES], state, ...(loginHint ? { login_hint: loginHint } : {}) });
  }

  /** Exchanges the consent code and stores the refresh token sealed; answers the scopes granted. */
  async storeGrant(tenantId: string, userId: string, code: string, redirectUri: string): Promise<string[]> {
    if (!this.box) throw new Error('TRADEPANE_SECRET_KEY is needed to keep Google grants encrypted');
    const client = this.oauthClientFor(redirectUri);
    const { tokens } = await client.getToken(code);
    if (!tokens.refresh_token) throw new Error('Google did not hand out a refresh token; remove the app\'s access in your Google account and connect again');
    const scopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
    const sealed = this.box.seal({ refreshToken: tokens.refresh_token });
    const now = new Date().toISOString();
    await this.db
      .insertInto('google_grants')
      .values({ tenant_id: tenantId, user_id: userId, refresh_token: sealed, scopes: JSON.stringify(scopes), granted_at: now, revoked_reason: null })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ refresh_token: sealed, scopes: JSON.stringify(scopes), granted_at: now, revoked_reason: null }))
      .execute();
    this.cache.clear();
    return scopes;
  }

  private oauthClientFor(redirectUri: string): GoogleAuth {
    const { oauthClient, tokenUrl } = this.settings;
    if (!oauthClient) throw new Error('per-user Google access needs GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET');
    const client = new google.auth.OAuth2({ clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret, redirectUri, endpoints: { oauth2TokenUrl: tokenUrl }, transporterOptions: { fetchImplementation: fetch } });
    routeTokenRequests(client, tokenUrl);
    return client;
  }

  private remember(key: string, client: GoogleAuth): void {
    if (this.cache.size >= CACHE_MAX) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, client);
  }
}

/** The store's Google credentials as configured (GOOGLE_SERVICE_ACCOUNT_FILE, GOOGLE_OAUTH_CLIENT_*). */
export function googleCredentialsFromConfig(config: { serviceAccountFile: string | undefined; apiRootUrl: string; tokenUrl: string; oauthClient: { clientId: string; clientSecret: string } | undefined }, db: Kysely<Database>, box: SecretBox | undefined): GoogleCredentials {
  return new GoogleCredentials(
    { apiRootUrl: config.apiRootUrl, tokenUrl: config.tokenUrl, serviceAccount: config.serviceAccountFile ? readServiceAccountFile(config.serviceAccountFile) : undefined, oauthClient: config.oauthClient },
    db,
    box,
  );
}
