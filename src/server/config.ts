import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Every setting of the store, read from the environment in one place. The README's configuration
 * table lists exactly these variables; `ENV_VARS` is what it is written from.
 */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** PostgreSQL URL; when absent the store uses the SQLite file in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  bodyLimitBytes: number;
  /** Failed authentications allowed per client address per minute before 429. */
  authFailureLimit: number;
  logLevel: string;
  /** Which proxies may set X-Forwarded-For: false, a hop count, or their addresses (Fastify's trustProxy). */
  trustProxy: boolean | number | string[];
  /** Dev mode signs its own tokens; refused when NODE_ENV=production. */
  devMode: boolean;
  production: boolean;
  instanceId: string;
  /** base64 of 32 bytes: encrypts connector secrets at rest */
  secretKey: string | undefined;
  microsoft: { audience: string | undefined; jwksUrl: string; issuerTemplate: string };
  /** Where mailbox connections through Microsoft Graph get app-only tokens and call Graph (mail/graph.ts). */
  microsoftGraph: { authorityHost: string; graphBaseUrl: string };
  google: { audience: string | undefined; jwksUrl: string; issuers: string[] };
  /** The Gmail add-on's endpoints (/gmail/…): off unless all three are set. */
  gmailAddon: { endpointBase: string; serviceAccount: string; oauthClientId: string } | undefined;
  /** Minutes between signature drift checks (re-push where a Gmail user changed theirs); 0 = off. */
  gmailSignatureCheckMinutes: number;
  /** How the store reaches Gmail for users (the send worker, signature push): credentials.ts. */
  googleApi: { serviceAccountFile: string | undefined; apiRootUrl: string; adminApiRootUrl: string; tokenUrl: string; oauthClient: { clientId: string; clientSecret: string } | undefined };
  /** Renders of the render and preview endpoints run in worker threads (render/pool.ts). */
  render: { threads: number; queue: number; timeoutMs: number };
  /** The scheduled-send worker in this process (jobs/send-worker.ts). */
  sendWorker: { enabled: boolean; leaseMs: number; concurrency: number };
  /** The mailbox sync in this process (mail/sync.ts, jobs/mail-sync.ts). */
  mailSync: MailSyncConfig;
}

export interface MailSyncConfig {
  enabled: boolean;
  /** Pause between two passes over a caught-up mailbox. */
  intervalMs: number;
  /** Messages per page: each page is one transaction and bounds memory. */
  pageSize: number;
  /** A new mailbox (or a resync) reads this many days back. */
  backfillDays: number;
  leaseMs: number;
  /** Two mails with the same subject and a shared participant thread together within this window. */
  threadWindowDays: number;
  /** Longest wait after repeated failures (unreachable, throttled without Retry-After). */
  backoffCapMs: number;
  /** IMAP mailboxes this instance keeps an IDLE connection on (new mail syncs at once); 0 = polling only. */
  idleMailboxes: number;
}

/** Scheduled sends one worker has in flight by default: with Gmail ~300 ms away, 64 keep ~200 sends/s going (issue #18). */
export const SEND_CONCURRENCY = 64;

export const ENV_VARS: { name: string; default: string; meaning: string }[] = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port of the store' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on (0.0.0.0 behind a proxy or in a container)' },
  { name: 'PUBLIC_URL', default: 'http://localhost:$PORT', meaning: 'the URL users reach the store at (printed links, add-in URLs, and Google\'s consent redirect PUBLIC_URL/google/oauth/callback: https unless localhost)' },
  { name: 'DATABASE_URL', default: '(unset: SQLite)', meaning: 'postgres://… to use PostgreSQL; unset uses SQLite in TRADEPANE_DATA_DIR' },
  { name: 'TRADEPANE_DATA_DIR', default: './data', meaning: 'where the SQLite file and the dev signing key live' },
  { name: 'BODY_LIMIT_BYTES', default: '1048576', meaning: 'largest accepted request body; larger → 413' },
  { name: 'AUTH_FAILURE_LIMIT', default: '20', meaning: 'failed sign-ins per client address per minute before 429' },
  { name: 'TRUST_PROXY', default: '(unset: trust none)', meaning: 'proxies whose X-Forwarded-For is believed (client address for logs and the sign-in limiter): a hop count such as 1, or their addresses, comma-separated' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal | error | warn | info | debug | trace (JSON logs on stdout)' },
  { name: 'TRADEPANE_DEV', default: '(unset)', meaning: '1 = dev mode (self-signed dev tokens, demo data); refused with NODE_ENV=production' },
  { name: 'NODE_ENV', default: '(unset)', meaning: 'production turns dev mode off for good' },
  { name: 'TRADEPANE_SECRET_KEY', default: '(unset: connectors cannot be configured; dev mode generates one)', meaning: 'base64 of 32 random bytes (openssl rand -base64 32) that encrypts CRM connector secrets at rest; keep it in your secret store' },
  { name: 'INSTANCE_ID', default: 'host-pid-random', meaning: 'name of this instance in job leases and logs' },
  { name: 'MS_AUDIENCE', default: '(unset: Microsoft sign-in off)', meaning: 'expected audience of Entra ID access tokens (api://… or the client id)' },
  { name: 'MS_JWKS_URL', default: 'https://login.microsoftonline.com/common/discovery/v2.0/keys', meaning: 'Entra ID signing keys' },
  { name: 'MS_ISSUER_TEMPLATE', default: 'https://login.microsoftonline.com/{tenantid}/v2.0', meaning: 'expected issuer; {tenantid} is the token\'s tid' },
  { name: 'MS_AUTHORITY_HOST', default: 'https://login.microsoftonline.com', meaning: 'Microsoft identity platform host for Microsoft 365 mailbox connections (https; a national cloud\'s, e.g. https://login.chinacloudapi.cn, or a test stand-in)' },
  { name: 'MS_GRAPH_BASE_URL', default: 'https://graph.microsoft.com', meaning: 'Microsoft Graph root for mailbox connections (https; a national cloud\'s, e.g. https://microsoftgraph.chinacloudapi.cn; only tests change it otherwise)' },
  { name: 'GOOGLE_AUDIENCE', default: '(unset: Google sign-in off)', meaning: 'expected audience of Google ID tokens' },
  { name: 'GOOGLE_JWKS_URL', default: 'https://www.googleapis.com/oauth2/v3/certs', meaning: 'Google signing keys' },
  { name: 'GOOGLE_ISSUERS', default: 'https://accounts.google.com,accounts.google.com', meaning: 'accepted issuers of Google ID tokens' },
  { name: 'GMAIL_ADDON_ENDPOINT_BASE', default: '(unset: Gmail add-on off)', meaning: 'public https URL of the add-on endpoints as the deployment names them, e.g. https://store.example.com/gmail (the audience of Google\'s system ID token is this + the endpoint path)' },
  { name: 'GMAIL_ADDON_SERVICE_ACCOUNT', default: '(unset)', meaning: 'the add-on\'s service account that signs every request (serviceAccountEmail of gcloud workspace-add-ons get-authorization)' },
  { name: 'GMAIL_ADDON_OAUTH_CLIENT_ID', default: '(unset)', meaning: 'the add-on\'s OAuth client id, the audience of the user ID token (oauthClientId of gcloud workspace-add-ons get-authorization)' },
  { name: 'GOOGLE_SERVICE_ACCOUNT_FILE', default: '(unset: no domain-wide delegation)', meaning: 'JSON key file of the service account a Workspace admin granted domain-wide delegation (Gmail compose, readonly, settings.basic; admin.directory.user.readonly for directory sync): the store sends scheduled drafts and sets signatures as each user, and reads the Workspace directory as the administrator an admin names' },
  { name: 'GOOGLE_OAUTH_CLIENT_ID', default: '(unset)', meaning: 'OAuth web client for reps to grant the store offline Gmail access themselves (when there is no delegation); with GOOGLE_OAUTH_CLIENT_SECRET' },
  { name: 'GOOGLE_OAUTH_CLIENT_SECRET', default: '(unset)', meaning: 'secret of GOOGLE_OAUTH_CLIENT_ID; keep it in your secret store' },
  { name: 'GOOGLE_API_ROOT_URL', default: 'https://gmail.googleapis.com/', meaning: 'Gmail API root (only tests change it)' },
  { name: 'GOOGLE_ADMIN_API_ROOT_URL', default: 'https://admin.googleapis.com/', meaning: 'Admin SDK (Directory API) root, for Google Workspace directory sync (only tests change it)' },
  { name: 'GOOGLE_TOKEN_URL', default: 'https://oauth2.googleapis.com/token', meaning: 'Google OAuth token endpoint (only tests change it)' },
  { name: 'SEND_WORKER', default: 'on', meaning: 'on or off (true/false, 1/0, yes/no; anything else is refused): off = this instance does not send scheduled drafts (run `tradepane worker` elsewhere)' },
  { name: 'SEND_LEASE_SECONDS', default: '120', meaning: 'how long a worker holds a claimed scheduled send before another may take it over (≥ 15; its Gmail calls time out at a third of it, at most 30 s)' },
  { name: 'SEND_WORKER_CONCURRENCY', default: String(SEND_CONCURRENCY), meaning: 'scheduled sends one worker has in flight at once (it claims more as they finish)' },
  { name: 'MAIL_SYNC', default: 'on', meaning: 'off = this instance does not sync connected mailboxes (run `tradepane worker` or another instance)' },
  { name: 'MAIL_SYNC_INTERVAL_SECONDS', default: '60', meaning: 'seconds between two sync passes over a mailbox that has caught up' },
  { name: 'MAIL_SYNC_PAGE_SIZE', default: '100', meaning: 'messages fetched and stored per transaction (bounds memory)' },
  { name: 'MAIL_SYNC_BACKFILL_DAYS', default: '30', meaning: 'how many days back a newly connected (or resynced) mailbox is read; a mailbox\'s own backfillDays setting wins' },
  { name: 'MAIL_SYNC_LEASE_SECONDS', default: '120', meaning: 'how long one worker holds a mailbox before another may take it over (≥ 15; renewed with every page)' },
  { name: 'MAIL_THREAD_WINDOW_DAYS', default: '30', meaning: 'mails with the same subject and a shared participant thread together within this many days' },
  { name: 'MAIL_SYNC_BACKOFF_CAP_SECONDS', default: '1800', meaning: 'longest wait before retrying an unreachable or throttling mail server' },
  { name: 'MAIL_SYNC_IDLE_MAILBOXES', default: '10', meaning: 'IMAP mailboxes this instance watches with IDLE (one connection each) so new mail syncs within seconds instead of at the next poll; 0 = off, polling only' },
  { name: 'RENDER_THREADS', default: '2', meaning: 'worker threads rendering templates for the render and preview endpoints (off the event loop)' },
  { name: 'RENDER_QUEUE', default: '32', meaning: 'renders that may wait for a thread; beyond RENDER_THREADS + RENDER_QUEUE the answer is 503 with Retry-After' },
  { name: 'RENDER_TIMEOUT_MS', default: '5000', meaning: 'a render (waiting included) taking longer is stopped and answered 503 with Retry-After' },
  { name: 'GMAIL_SIGNATURE_CHECK_MINUTES', default: '360', meaning: 'minutes between Gmail signature drift checks (re-applies enforced signatures users changed); 0 = off' },
];

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name}: expected a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

function trustProxy(raw: string | undefined): boolean | number | string[] {
  if (!raw) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true') throw new ConfigError('TRUST_PROXY: "true" would believe any client\'s X-Forwarded-For; give the hop count (e.g. 1) or the proxies\' addresses');
  return raw.split(',').map((a) => a.trim()).filter(Boolean);
}

function url(name: string, raw: string): string {
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name}: not a URL: "${raw}"`);
  }
}

/** on/off switches: on|true|1|yes and off|false|0|no (any case); anything else is refused, never guessed. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name}: expected on or off (true/false, 1/0, yes/no), got "${env[name]}"`);
}

/** msal-node and the Graph client only talk to https hosts; say so at start-up rather than at the first sync. */
function httpsUrl(name: string, raw: string): string {
  const value = url(name, raw);
  if (!value.startsWith('https://')) throw new ConfigError(`${name}: must be an https:// URL (Microsoft's sign-in and Graph are https only), got "${raw}"`);
  return value;
}

function googleOauthClient(env: NodeJS.ProcessEnv): Config['googleApi']['oauthClient'] {
  const clientId = env.GOOGLE_OAUTH_CLIENT_ID || '';
  const clientSecret = env.GOOGLE_OAUTH_CLIENT_SECRET || '';
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) throw new ConfigError('GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET: give both or neither');
  return { clientId, clientSecret };
}

function gmailAddon(env: NodeJS.ProcessEnv): Config['gmailAddon'] {
  const base = env.GMAIL_ADDON_ENDPOINT_BASE || '';
  const serviceAccount = env.GMAIL_ADDON_SERVICE_ACCOUNT || '';
  const oauthClientId = env.GMAIL_ADDON_OAUTH_CLIENT_ID || '';
  if (!base && !serviceAccount && !oauthClientId) return undefined;
  const missing = [!base && 'GMAIL_ADDON_ENDPOINT_BASE', !serviceAccount && 'GMAIL_ADDON_SERVICE_ACCOUNT', !oauthClientId && 'GMAIL_ADDON_OAUTH_CLIENT_ID'].filter(Boolean);
  if (missing.length) throw new ConfigError(`${missing.join(', ')}: the Gmail add-on needs all three GMAIL_ADDON_* settings`);
  const endpointBase = url('GMAIL_ADDON_ENDPOINT_BASE', base);
  if (!endpointBase.startsWith('https://')) throw new ConfigError('GMAIL_ADDON_ENDPOINT_BASE: Google calls add-on endpoints over https only');
  return { endpointBase, serviceAccount: serviceAccount.trim().toLowerCase(), oauthClientId: oauthClientId.trim() };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production';
  const devMode = overrides.devMode ?? env.TRADEPANE_DEV === '1';
  if (devMode && production) {
    throw new ConfigError('dev mode is refused when NODE_ENV=production: dev tokens are self-signed and would let anyone in');
  }
  const port = overrides.port ?? integer(env, 'PORT', 3000, 0);
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL: only postgres:// URLs are supported; leave it unset for the embedded SQLite');
  }
  const config: Config = {
    port,
    host: env.HOST || '127.0.0.1',
    publicUrl: url('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`),
    databaseUrl,
    dataDir: resolve(env.TRADEPANE_DATA_DIR || './data'),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    authFailureLimit: integer(env, 'AUTH_FAILURE_LIMIT', 20, 1),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: trustProxy(env.TRUST_PROXY),
    devMode,
    production,
    instanceId: env.INSTANCE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    secretKey: env.TRADEPANE_SECRET_KEY || undefined,
    microsoft: {
      audience: env.MS_AUDIENCE || undefined,
      jwksUrl: url('MS_JWKS_URL', env.MS_JWKS_URL || 'https://login.microsoftonline.com/common/discovery/v2.0/keys'),
      issuerTemplate: env.MS_ISSUER_TEMPLATE || 'https://login.microsoftonline.com/{tenantid}/v2.0',
    },
    microsoftGraph: {
      authorityHost: httpsUrl('MS_AUTHORITY_HOST', env.MS_AUTHORITY_HOST || 'https://login.microsoftonline.com'),
      graphBaseUrl: httpsUrl('MS_GRAPH_BASE_URL', env.MS_GRAPH_BASE_URL || 'https://graph.microsoft.com'),
    },
    google: {
      audience: env.GOOGLE_AUDIENCE || undefined,
      jwksUrl: url('GOOGLE_JWKS_URL', env.GOOGLE_JWKS_URL || 'https://www.googleapis.com/oauth2/v3/certs'),
      issuers: (env.GOOGLE_ISSUERS || 'https://accounts.google.com,accounts.google.com').split(',').map((s) => s.trim()).filter(Boolean),
    },
    gmailAddon: gmailAddon(env),
    gmailSignatureCheckMinutes: integer(env, 'GMAIL_SIGNATURE_CHECK_MINUTES', 360, 0),
    googleApi: {
      serviceAccountFile: env.GOOGLE_SERVICE_ACCOUNT_FILE ? resolve(env.GOOGLE_SERVICE_ACCOUNT_FILE) : undefined,
      apiRootUrl: `${url('GOOGLE_API_ROOT_URL', env.GOOGLE_API_ROOT_URL || 'https://gmail.googleapis.com/')}/`,
      adminApiRootUrl: `${url('GOOGLE_ADMIN_API_ROOT_URL', env.GOOGLE_ADMIN_API_ROOT_URL || 'https://admin.googleapis.com/')}/`,
      tokenUrl: url('GOOGLE_TOKEN_URL', env.GOOGLE_TOKEN_URL || 'https://oauth2.googleapis.com/token'),
      oauthClient: googleOauthClient(env),
    },
    render: {
      threads: integer(env, 'RENDER_THREADS', 2, 1),
      queue: integer(env, 'RENDER_QUEUE', 32, 0),
      timeoutMs: integer(env, 'RENDER_TIMEOUT_MS', 5000, 100),
    },
    sendWorker: {
      enabled: onOff(env, 'SEND_WORKER', true),
      leaseMs: integer(env, 'SEND_LEASE_SECONDS', 120, 15) * 1000,
      concurrency: integer(env, 'SEND_WORKER_CONCURRENCY', SEND_CONCURRENCY, 1),
    },
    mailSync: {
      enabled: onOff(env, 'MAIL_SYNC', true),
      intervalMs: integer(env, 'MAIL_SYNC_INTERVAL_SECONDS', 60, 1) * 1000,
      pageSize: integer(env, 'MAIL_SYNC_PAGE_SIZE', 100, 1),
      backfillDays: integer(env, 'MAIL_SYNC_BACKFILL_DAYS', 30, 0),
      leaseMs: integer(env, 'MAIL_SYNC_LEASE_SECONDS', 120, 15) * 1000,
      threadWindowDays: integer(env, 'MAIL_THREAD_WINDOW_DAYS', 30, 1),
      backoffCapMs: integer(env, 'MAIL_SYNC_BACKOFF_CAP_SECONDS', 1800, 1) * 1000,
      idleMailboxes: integer(env, 'MAIL_SYNC_IDLE_MAILBOXES', 10, 0),
    },
    ...overrides,
  };
  if (config.microsoft.issuerTemplate && !config.microsoft.issuerTemplate.includes('{tenantid}')) {
    throw new ConfigError('MS_ISSUER_TEMPLATE: must contain {tenantid}');
  }
  return config;
}
