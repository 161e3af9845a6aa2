import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { caller } from '../http/auth-plugin.js';
import { badRequest, unprocessable } from '../errors.js';
import { ConsentError, type ConsentProblem, type GoogleCredentials } from '../google/credentials.js';
import { isLoopbackHost } from '../connectors/types.js';
import { errorResponses } from '../../contract/common.js';
import { GoogleConsentLink, GoogleDisconnected } from '../../contract/scheduled-sends.js';
import { escapeHtml } from '../../core/template/escape.js';

/**
 * "Connect your Google account": how a rep grants the store offline Gmail access when there is no
 * domain-wide delegation (google/credentials.ts has the rules).
 *
 *   POST   /api/v1/me/google/connect   → {url, expiresAt}: Google's consent page for me, with a sealed state
 *   GET    /google/oauth/callback      Google sends the browser back here (no bearer: the sealed state
 *                                      says who it is for); answers a small HTML page
 *   DELETE /api/v1/me/google/connect   → {removed, revokedAtGoogle}
 *
 * The redirect URI is PUBLIC_URL + /google/oauth/callback; it must be registered for the OAuth
 * client (type Web application) exactly as written, and Google takes http only for loopback hosts.
 */

export const GOOGLE_CALLBACK_PATH = '/google/oauth/callback';

export const googleRedirectUri = (publicUrl: string): string => `${publicUrl.replace(/\/+$/, '')}${GOOGLE_CALLBACK_PATH}`;

/** Why the store cannot hand out a consent link now; null when it can. */
export function connectRefusal(credentials: GoogleCredentials, redirectUri: string): { code: string; message: string } | null {
  if (credentials.delegated) return { code: 'google_delegated', message: 'your company\'s domain-wide delegation already lets the store send from your Gmail; there is nothing to connect' };
  if (!credentials.consentPossible) return { code: 'google_consent_unavailable', message: `connecting a Google account is not set up on this store: it needs ${credentials.consentMissing.join(', ')}` };
  const redirect = new URL(redirectUri);
  if (redirect.protocol !== 'https:' && !isLoopbackHost(redirect.hostname)) return { code: 'public_url_not_https', message: `PUBLIC_URL must be https for Google to send you back (${redirect.origin} is not); tell your admin` };
  return null;
}

export interface GoogleConnectOptions {
  db: Kysely<Database>;
  credentials: GoogleCredentials;
  publicUrl: string;
}

/** The /me routes, under /api/v1 with the auth hook. */
export const googleConnectRoutes: FastifyPluginAsyncTypebox<GoogleConnectOptions> = async (app, { db, credentials, publicUrl }) => {
  const redirectUri = googleRedirectUri(publicUrl);

  app.post(
    '/me/google/connect',
    {
      config: { access: 'sends:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'Google\'s consent page for me to let the store send my scheduled Gmail drafts (open it in a browser; the link is good for 10 minutes)',
        response: { 200: GoogleConsentLink, ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (request) => {
      const { principal } = caller(request, db);
      // No body is wanted (a schema would demand one): anything sent is named as unknown.
      const body = request.body as unknown;
      if (body !== undefined && body !== null) {
        const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['(body)'];
        if (fields.length) throw badRequest(`this request takes no body; unknown field${fields.length > 1 ? 's' : ''} ${fields.map((f) => `"${f}"`).join(', ')}`, fields.map((f) => ({ path: `body.${f}`, message: 'unknown field' })));
      }
      const refusal = connectRefusal(credentials, redirectUri);
      if (refusal) throw unprocessable(refusal.code, refusal.message);
      return credentials.beginConsent({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, redirectUri);
    },
  );

  app.delete(
    '/me/google/connect',
    {
      config: { access: 'sends:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'Disconnect my Google account: the store forgets my grant and asks Google to revoke it (revokedAtGoogle false: remove the access in your Google account yourself)',
        response: { 200: GoogleDisconnected, ...errorResponses },
      },
    },
    async (request) => {
      const { principal } = caller(request, db);
      return credentials.removeGrant(principal);
    },
  );
};

// ---- the callback page --------------------------------------------------------------------------

const STYLE = 'body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f1f1f}h1{font-size:1.35rem}.ok h1{color:#146c2e}.bad h1{color:#b3261e}p.hint{color:#555}';
/** No scripts, no other origin, only this one inline style (by its hash). */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const STATUS: Record<ConsentProblem | 'access_denied' | 'google_error' | 'missing' | 'user_unknown', number> = {
  not_possible: 503,
  state_invalid: 400,
  state_expired: 400,
  missing: 400,
  access_denied: 400,
  google_error: 400,
  user_unknown: 400,
  code_refused: 400,
  client_refused: 502,
  google_unreachable: 502,
  no_refresh_token: 400,
  id_token_invalid: 400,
  email_mismatch: 403,
  scope_missing: 400,
};

const AGAIN = 'Close this window and press “Connect your Google account” in tradepane again.';

function page(reply: FastifyReply, status: number, ok: boolean, title: string, message: string, hint?: string) {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · tradepane</title><style>${STYLE}</style></head>
<body class="${ok ? 'ok' : 'bad'}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${hint ? `<p class="hint">${escapeHtml(hint)}</p>` : ''}</body></html>
`;
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

function problemPage(reply: FastifyReply, problem: keyof typeof STATUS, message: string) {
  const hint = problem === 'client_refused' || problem === 'not_possible' ? undefined : AGAIN;
  return page(reply, STATUS[problem], false, 'Not connected', message, hint);
}

const queryString = (query: unknown, name: string): string | undefined => {
  const value = (query as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The callback, outside /api/v1 (public: Google's redirect carries no bearer; the sealed state is the proof). */
export const googleOauthCallbackRoutes: FastifyPluginAsync<GoogleConnectOptions> = async (app, { db, credentials, publicUrl }) => {
  const redirectUri = googleRedirectUri(publicUrl);

  app.get(
    GOOGLE_CALLBACK_PATH,
    {
      config: { access: 'public' },
      schema: { hide: true },
      // The query holds the one-time code and the sealed state: request logs get the path only.
      logSerializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }) },
    },
    async (request, reply) => {
      const q = request.query;
      const stateText = queryString(q, 'state');
      const error = queryString(q, 'error');
      if (error === 'access_denied') return problemPage(reply, 'access_denied', 'You did not allow tradepane to use your Gmail, so nothing was connected. tradepane can only send your drafts at the time you pick with that permission.');
      if (error) return problemPage(reply, 'google_error', `Google did not complete the sign-in (${error.slice(0, 60)}); nothing was connected.`);
      if (!stateText) return problemPage(reply, 'missing', 'This page is where Google sends you back after you connect your account, but the link has no state; nothing was connected.');
      try {
        const state = credentials.openConsentState(stateText);
        const code = queryString(q, 'code');
        if (!code) return problemPage(reply, 'missing', 'Google sent you back without a sign-in code; nothing was connected.');
        const tdb = new TenantDb(db, state.tenantId);
        const user = await tdb.selectFrom('users').select(['id', 'email', 'role', 'disabled_at']).where('id', '=', state.userId).executeTakeFirst();
        if (!user || user.disabled_at) return problemPage(reply, 'user_unknown', 'The tradepane account this link was made for no longer exists or is disabled; nothing was connected.');
        const actor = { tenantId: state.tenantId, userId: user.id, role: user.role, permissions: new Set<never>(), label: user.email };
        const granted = await credentials.storeGrant({ actor, email: user.email }, code, redirectUri, { nonce: state.nonce });
        request.log.info({ tenant: state.tenantId, user: user.id, scopes: granted.scopes.length }, 'google account connected');
        return page(reply, 200, true, 'Connected — you can close this window', `tradepane can now send your scheduled drafts from ${granted.email} at the time you pick.`, 'You can disconnect at any time; removing tradepane in your Google account (Security ▸ Third-party access) also ends it.');
      } catch (caught) {
        if (!(caught instanceof ConsentError)) throw caught;
        request.log.info({ problem: caught.problem }, 'google consent refused');
        const message = caught.problem === 'state_invalid' || caught.problem === 'state_expired' ? `This link cannot be used: ${caught.message}. Nothing was connected.` : `${caught.message.charAt(0).toUpperCase()}${caught.message.slice(1)}.`;
        return problemPage(reply, caught.problem, message);
      }
    },
  );
};
