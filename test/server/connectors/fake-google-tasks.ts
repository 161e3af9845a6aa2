import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-fake.js';

/**
 * A small Google: the OAuth 2.0 token endpoint for service accounts and the Tasks API v1 default
 * list, speaking the documented shapes the official client sends.
 *   POST /token  form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`
 *        The RS256 assertion must be signed by a registered service account (`iss`), carry
 *        `aud` = https://oauth2.googleapis.com/token, the Tasks scope, a live `exp`, and a `sub`
 *        that is a user of the domain (domain-wide delegation) → 200 {access_token, expires_in, token_type}
 *        Bad signature / unknown account / unknown user → 400 {error: 'invalid_grant', error_description}
 *   GET  /tasks/v1/lists/@default/tasks?showCompleted&showHidden&maxResults&pageToken&updatedMin
 *        → 200 {kind: 'tasks#tasks', etag, items, nextPageToken?} — the caller's (token's `sub`) own list
 *   POST /tasks/v1/lists/@default/tasks  {title, notes, due} → 200 tasks#task (due keeps the date only)
 * API calls need `Authorization: Bearer <a token this fake issued>` (401 otherwise).
 * `failNext` makes the next N calls (optionally only those whose path matches) answer 500/429.
 */

export const GOOGLE_TOKEN_AUD = 'https://oauth2.googleapis.com/token';
const TASKS_SCOPE = 'https://www.googleapis.com/auth/tasks';

export interface FakeTask {
  id: string;
  owner: string;
  title: string;
  notes?: string;
  due?: string;
  status: 'needsAction' | 'completed';
  hidden?: boolean;
  updated: string;
}

export interface FailureOptions {
  retryAfter?: string;
  /** Only calls whose path (and method, if given) match fail; others pass and do not use up the failure. */
  path?: RegExp;
  method?: string;
  /** Carry the call out, then answer the failure anyway (the answer is lost, the write is not). */
  afterCommit?: boolean;
}

interface Failure extends FailureOptions {
  status: number;
}

export interface TokenGrant {
  iss: string;
  sub: string;
  scope: string;
  aud: string;
}

function b64json(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export class FakeGoogleTasks extends LoopbackFake {
  readonly tasks: FakeTask[] = [];
  readonly requests: Array<{ method: string; path: string; query: Record<string, string>; user: string | null; body: unknown }> = [];
  readonly grants: TokenGrant[] = [];
  /** Tokens survive `reset` (the adapter caches them between deliveries); `revokeTokens` drops them. */
  private readonly tokens = new Map<string, string>();
  private readonly accounts = new Map<string, KeyObject>();
  private readonly users = new Set<string>();
  private failures: Failure[] = [];
  private nextId = 1;
  private nextToken = 1;
  /** Page size cap, to exercise paging with few tasks. */
  pageSize = 100;

  addServiceAccount(email: string, publicKeyPem: string): void {
    this.accounts.set(email, createPublicKey(publicKeyPem));
  }

  addUser(email: string): void {
    this.users.add(email.toLowerCase());
  }

  failNext(count: number, status: number, options: FailureOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  reset(): void {
    this.tasks.length = 0;
    this.requests.length = 0;
    this.grants.length = 0;
    this.failures = [];
    this.pageSize = 100;
  }

  add(owner: string, task: Partial<FakeTask> & { title: string }): FakeTask {
    const stored: FakeTask = { id: `T${this.nextId++}`, owner: owner.toLowerCase(), status: 'needsAction', updated: new Date().toISOString(), ...task };
    this.tasks.push(stored);
    return stored;
  }

  listOf(owner: string): FakeTask[] {
    return this.tasks.filter((t) => t.owner === owner.toLowerCase());
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? '';

    if (path === '/token') {
      this.requests.push({ method, path, query, user: null, body: raw });
      const failure = this.takeFailure(method, path);
      if (failure) return this.fail(res, failure);
      return this.token(res, method, req.headers['content-type'] ?? '', raw);
    }

    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.googleError(res, 400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = bearer ? this.tokens.get(bearer) ?? null : null;
    this.requests.push({ method, path, query, user, body });
    if (!user) {
      return this.googleError(
        res,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'UNAUTHENTICATED',
      );
    }
    const failure = this.takeFailure(method, path);
    if (failure?.afterCommit) this.route(method, path, query, body, user, { writeHead: () => res, end: () => res } as unknown as ServerResponse);
    if (failure) return this.fail(res, failure);
    this.route(method, path, query, body, user, res);
  }

  private takeFailure(method: string, path: string): Failure | undefined {
    const index = this.failures.findIndex((f) => (!f.path || f.path.test(path)) && (!f.method || f.method === method));
    return index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
  }

  private fail(res: ServerResponse, failure: Failure): void {
    if (failure.status === 429) {
      return this.googleError(res, 429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.", 'RESOURCE_EXHAUSTED', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    return this.googleError(res, failure.status, 'Internal error encountered.', 'INTERNAL');
  }

  private token(res: ServerResponse, method: string, contentType: string, raw: string): void {
    const invalid = (description: string, status = 400, error = 'invalid_grant') => this.send(res, status, { error, error_description: description });
    if (method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) return invalid('Bad Request', 400, 'invalid_request');
    const form = new URLSearchParams(raw);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return invalid('Invalid grant_type', 400, 'unsupported_grant_type');
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
    let claims: Record<string, unknown>;
    try {
      if (b64json(header).alg !== 'RS256') return invalid('Invalid JWT: alg');
      claims = b64json(payload);
    } catch {
      return invalid('Invalid JWT: malformed');
    }
    const key = typeof claims.iss === 'string' ? this.accounts.get(claims.iss) : undefined;
    if (!key) return invalid('Invalid grant: account not found');
    const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature ?? '', 'base64url'));
    if (!signed) return invalid('Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_AUD) return invalid('Invalid JWT: Failed audience check.');
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now || typeof claims.iat !== 'number' || claims.exp - claims.iat > 3600) return invalid('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(TASKS_SCOPE)) return invalid('Invalid OAuth scope or ID token audience provided.', 400, 'invalid_scope');
    const sub = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
    if (!sub) return invalid('This fake only serves domain-wide delegation: sub is required', 401, 'unauthorized_client');
    if (!this.users.has(sub)) return invalid('Invalid email or User ID');
    this.grants.push({ iss: claims.iss as string, sub, scope: claims.scope as string, aud: claims.aud });
    const accessToken = `ya29.fake-${this.nextToken++}`;
    this.tokens.set(accessToken, sub);
    this.send(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }

  private route(method: string, path: string, query: Record<string, string>, body: unknown, user: string, res: ServerResponse): void {
    if (path !== '/tasks/v1/lists/@default/tasks') return this.googleError(res, 404, `Not Found: ${method} ${path}`, 'NOT_FOUND');
    if (method === 'GET') return this.list(res, query, user);
    if (method === 'POST') return this.insert(res, body, user);
    return this.googleError(res, 405, 'Method not allowed', 'INVALID_ARGUMENT');
  }

  private view(task: FakeTask) {
    return {
      kind: 'tasks#task',
      id: task.id,
      etag: `"${task.id}-${task.updated}"`,
      title: task.title,
      updated: task.updated,
      selfLink: `${this.url}/tasks/v1/lists/MDEfake/tasks/${task.id}`,
      position: '00000000000000000000',
      status: task.status,
      ...(task.notes !== undefined ? { notes: task.notes } : {}),
      ...(task.due !== undefined ? { due: task.due } : {}),
      ...(task.hidden ? { hidden: true } : {}),
      links: [],
      webViewLink: `https://tasks.google.com/task/${task.id}`,
    };
  }

  private list(res: ServerResponse, query: Record<string, string>, user: string): void {
    const showCompleted = query.showCompleted !== 'false';
    const showHidden = query.showHidden === 'true';
    const updatedMin = query.updatedMin ? Date.parse(query.updatedMin) : null;
    const max = Math.min(Number(query.maxResults ?? 20) || 20, 100, this.pageSize);
    const visible = this.listOf(user).filter(
      (t) => (showCompleted || t.status !== 'completed') && (showHidden || !t.hidden) && (updatedMin === null || Date.parse(t.updated) >= updatedMin),
    );
    const start = query.pageToken ? Number(query.pageToken.replace(/^page-/, '')) : 0;
    const page = visible.slice(start, start + max);
    const next = start + max < visible.length ? `page-${start + max}` : undefined;
    this.send(res, 200, { kind: 'tasks#tasks', etag: '"fake-etag"', items: page.map((t) => this.view(t)), ...(next ? { nextPageToken: next } : {}) });
  }

  private insert(res: ServerResponse, body: unknown, user: string): void {
    const input = (body ?? {}) as { title?: unknown; notes?: unknown; due?: unknown };
    if (typeof input.title !== 'string') return this.googleError(res, 400, 'Invalid value for: title', 'INVALID_ARGUMENT');
    if (input.title.length > 1024 || (typeof input.notes === 'string' && input.notes.length > 8192)) return this.googleError(res, 400, 'Invalid value: too long', 'INVALID_ARGUMENT');
    let due: string | undefined;
    if (input.due !== undefined) {
      // RFC 3339 required; Google keeps the date only.
      if (typeof input.due !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(input.due)) {
        return this.googleError(res, 400, `Invalid value for: ${String(input.due)} is not a valid RFC 3339 date-time`, 'INVALID_ARGUMENT');
      }
      due = `${input.due.slice(0, 10)}T00:00:00.000Z`;
    }
    const task = this.add(user, { title: input.title, ...(typeof input.notes === 'string' ? { notes: input.notes } : {}), ...(due ? { due } : {}) });
    this.send(res, 200, this.view(task));
  }

  private googleError(res: ServerResponse, code: number, message: string, status: string, headers: Record<string, string> = {}): void {
    this.send(res, code, { error: { code, message, errors: [{ message, domain: 'global', reason: status.toLowerCase() }], status } }, headers);
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }
}
