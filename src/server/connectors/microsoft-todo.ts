import { createHash } from 'node:crypto';
import { classifyHttpFailure, settingsUrl, type ConnectorAdapter, type DeliveryResult, type TaskCreatedEvent } from './types.js';
import { LRUCache } from 'lru-cache';

/**
 * A task destination, not a CRM: puts each `task.created` into the **assignee's** Microsoft To Do
 * (their default list, `wellknownListName: "defaultList"`) through Microsoft Graph v1.0, with
 * plain `fetch` (no SDK). `email.logged` events are acknowledged and ignored.
 *
 * Configured once per company: an Entra ID app registration with the application permission
 * `Tasks.ReadWrite.All` (admin-consented). The adapter gets an app-only token by the client
 * credentials grant (`POST {authority}/{tenantId}/oauth2/v2.0/token`, scope
 * `https://graph.microsoft.com/.default`) and acts on `/users/{assignee}/todo/…` for each rep.
 * Tokens are cached per (authority, tenant, client, secret) until five minutes before
 * `expires_in` runs out; a cached token Graph answers 401 to is dropped and one fresh token tried.
 *
 * The task: `title`; `body` (text) = the task's notes, the Message-ID when the task came from a
 * mail, the client-local due time, and the line `tradepane event <event id>`; `dueDateTime` = the
 * client's wall-clock time in their IANA zone when `dueLocal` names one (RFC 9557 suffix,
 * `2025-03-06T10:00:00+04:00[Asia/Dubai]`), else `dueAt` in UTC; and a `linkedResource`
 * `{applicationName: 'tradepane', displayName: 'tradepane task', externalId: <event id>}`,
 * created inline with the task (app-only tokens may not POST linkedResources separately).
 *
 * Idempotency (the outbox may deliver an event again after a crash): before creating, the adapter
 * pages through the default list's tasks with `$expand=linkedResources` (following
 * `@odata.nextLink`) and treats a task with a tradepane linked resource whose `externalId` is the
 * event id as already delivered. Graph does not document `$filter` over linkedResources, so the
 * match is done here rather than trusted to an undocumented server-side filter.
 *
 * Failures come back as DeliveryResults (see classifyHttpFailure): 429/5xx retryable with
 * Retry-After honoured, other 4xx permanent (bad secret, unknown tenant, unknown user, no
 * mailbox); network failures and timeouts retryable. The adapter never retries by itself.
 */

export interface MicrosoftTodoSettings {
  /** Directory (tenant) ID or a verified domain of the tenant. */
  tenantId: string;
  /** Identity platform root, `https://login.microsoftonline.com` unless a test points it elsewhere. */
  authority?: string;
  /** Graph root, `https://graph.microsoft.com/v1.0` unless a test points it elsewhere. */
  graphUrl?: string;
}

export const MICROSOFT_DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
export const GRAPH_DEFAULT_URL = 'https://graph.microsoft.com/v1.0';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const TODO_APPLICATION_NAME = 'tradepane';

const TIMEOUT_MS = 30_000;
const TOKEN_MARGIN_MS = 5 * 60_000;
const TITLE_MAX = 255;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const todoEventMarker = (eventId: string) => `tradepane event ${eventId}`;

/** Stops the delivery with this result (a failed HTTP call, or a permanent problem with the event). */
class Stop extends Error {
  constructor(
    readonly result: DeliveryResult & { ok: false },
    readonly status?: number,
  ) {
    super(result.reason);
  }
}

const permanent = (reason: string) => new Stop({ ok: false, retryable: false, reason });

interface CachedToken {
  token: string;
  expiresAt: number;
}
const tokens = new LRUCache<string, CachedToken>({ max: 200 });

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new Stop({ ok: false, retryable: true, reason: `could not reach ${what}: ${(error as Error)?.message ?? String(error)}` });
  }
}

async function failed(res: Response): Promise<Stop> {
  const body = await res.text().catch(() => '');
  const result = classifyHttpFailure(res.status, body, res.headers.get('retry-after'));
  return new Stop(result as DeliveryResult & { ok: false }, res.status);
}

async function accessToken(settings: MicrosoftTodoSettings, clientId: string, clientSecret: string): Promise<{ key: string; token: string; cached: boolean }> {
  const authority = settings.authority ?? MICROSOFT_DEFAULT_AUTHORITY;
  const key = [authority, settings.tenantId.toLowerCase(), clientId, createHash('sha256').update(clientSecret).digest('hex')].join('\n');
  const hit = tokens.get(key);
  if (hit && hit.expiresAt - TOKEN_MARGIN_MS > Date.now()) return { key, token: hit.token, cached: true };
  tokens.delete(key);

  const res = await call(
    `${authority}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, scope: GRAPH_SCOPE, grant_type: 'client_credentials' }).toString(),
    },
    'the Microsoft identity platform',
  );
  if (!res.ok) throw await failed(res);
  const data = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; token_type?: unknown } | null;
  if (!data || typeof data.access_token !== 'string' || !data.access_token) {
    throw new Stop({ ok: false, retryable: true, reason: 'the Microsoft identity platform answered without an access_token' });
  }
  const expiresIn = Number(data.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn * 1000 > TOKEN_MARGIN_MS) {
    tokens.set(key, { token: data.access_token, expiresAt: Date.now() + expiresIn * 1000 });
  }
  return { key, token: data.access_token, cached: false };
}

class Graph {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** `path` is relative to the Graph root, or an `@odata.nextLink` (only ever followed on the same root). */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
    if (!url.startsWith(`${this.base}/`)) throw permanent(`Graph sent a link outside ${this.base}: ${url}`);
    const res = await call(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
      'Microsoft Graph',
    );
    if (!res.ok) throw await failed(res);
    return (await res.json()) as T;
  }

  async *pages<T>(path: string): AsyncGenerator<T[]> {
    let next: string | undefined = path;
    for (let page = 0; next && page < 1000; page++) {
      const data: { value?: T[]; '@odata.nextLink'?: string } = await this.request('GET', next);
      yield data.value ?? [];
      next = data['@odata.nextLink'];
    }
  }
}

interface TodoList {
  id: string;
  displayName?: string;
  wellknownListName?: string;
}

interface LinkedResource {
  id?: string;
  applicationName?: string;
  displayName?: string;
  externalId?: string;
  webUrl?: string;
}

interface TodoTask {
  id: string;
  title?: string;
  linkedResources?: LinkedResource[];
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?:\[([^\]]+)\])?$/;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The client's wall clock in their IANA zone when `dueLocal` names one; else `dueAt` in UTC; else none. */
export function todoDue(task: TaskCreatedEvent['task']): DateTimeTimeZone | undefined {
  const local = task.dueLocal ? LOCAL.exec(task.dueLocal.trim()) : null;
  // The client's zone: named in the event (dueTimeZone), or as an RFC 9557 [Zone] suffix.
  const zone = task.dueTimeZone && validZone(task.dueTimeZone) ? task.dueTimeZone : local?.[4];
  if (local && zone && validZone(zone)) return { dateTime: `${local[1]}T${local[2]}:${local[3] ?? '00'}`, timeZone: zone };
  if (task.dueAt) {
    const ms = Date.parse(task.dueAt);
    if (Number.isNaN(ms)) throw permanent(`task.dueAt: "${task.dueAt}" is not a date`);
    return { dateTime: new Date(ms).toISOString().slice(0, 19), timeZone: 'UTC' };
  }
  return undefined;
}

function bodyFor(event: TaskCreatedEvent): string {
  const t = event.task;
  return [
    t.notes.trim(),
    event.messageId ? `Message-ID <${event.messageId.replace(/^<|>$/g, '')}>` : '',
    t.dueLocal ? `Due at the client: ${t.dueLocal}` : '',
    todoEventMarker(event.id),
  ]
    .filter(Boolean)
    .join('\n');
}

const isOurs = (task: TodoTask, eventId: string) =>
  (task.linkedResources ?? []).some((link) => link.externalId === eventId && (link.applicationName ?? TODO_APPLICATION_NAME) === TODO_APPLICATION_NAME);

async function deliverOnce(graph: Graph, event: TaskCreatedEvent, user: string): Promise<DeliveryResult> {
  let list: TodoList | undefined;
  for await (const page of graph.pages<TodoList>(`/users/${user}/todo/lists`)) {
    list = page.find((l) => l.wellknownListName === 'defaultList');
    if (list) break;
  }
  if (!list) throw permanent(`no default To Do list for ${event.task.assignee}`);
  const tasksPath = `/users/${user}/todo/lists/${encodeURIComponent(list.id)}/tasks`;

  for await (const page of graph.pages<TodoTask>(`${tasksPath}?$expand=linkedResources&$top=100`)) {
    const already = page.find((task) => isOurs(task, event.id));
    if (already) return { ok: true, externalId: already.id };
  }

  const due = todoDue(event.task);
  const created = await graph.request<TodoTask>('POST', tasksPath, {
    title: event.task.title.trim().slice(0, TITLE_MAX) || '(untitled)',
    body: { content: bodyFor(event), contentType: 'text' },
    ...(due ? { dueDateTime: due } : {}),
    linkedResources: [{ applicationName: TODO_APPLICATION_NAME, displayName: 'tradepane task', externalId: event.id }],
  });
  return { ok: true, externalId: created.id };
}

async function deliverTask(event: TaskCreatedEvent, settings: MicrosoftTodoSettings, clientId: string, clientSecret: string): Promise<DeliveryResult> {
  const assignee = event.task.assignee?.trim().toLowerCase();
  if (!assignee || !EMAIL.test(assignee)) throw permanent(`task.assignee: "${event.task.assignee}" is not an e-mail address`);
  todoDue(event.task); // a bad date fails before any call
  const user = encodeURIComponent(assignee);
  for (let attempt = 0; ; attempt++) {
    const { key, token, cached } = await accessToken(settings, clientId, clientSecret);
    try {
      return await deliverOnce(new Graph(settings.graphUrl ?? GRAPH_DEFAULT_URL, token), event, user);
    } catch (error) {
      // A token Graph no longer accepts: drop it; when it came from the cache, try one fresh token.
      if (error instanceof Stop && error.status === 401) {
        tokens.delete(key);
        if (cached && attempt === 0) continue;
      }
      throw error;
    }
  }
}


export const microsoftTodoAdapter: ConnectorAdapter<MicrosoftTodoSettings> = {
  kind: 'microsoft-todo',
  validate(settings, secrets) {
    if (settings !== undefined && settings !== null && (typeof settings !== 'object' || Array.isArray(settings))) throw new Error('settings: must be an object');
    const s = (settings ?? {}) as { tenantId?: unknown; authority?: unknown; graphUrl?: unknown };
    const tenantId = typeof s.tenantId === 'string' ? s.tenantId.trim() : '';
    if (!tenantId) throw new Error('settings.tenantId: is required');
    if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) throw new Error('settings.tenantId: must be the directory (tenant) ID or a domain of the tenant');
    const authority = trimmedSettingsUrl(s.authority, 'authority');
    const graphUrl = trimmedSettingsUrl(s.graphUrl, 'graphUrl');
    const clientId = typeof secrets.clientId === 'string' ? secrets.clientId.trim() : '';
    if (!clientId) throw new Error('secrets.clientId: is required');
    if (!GUID.test(clientId)) throw new Error('secrets.clientId: must be the application (client) ID, a GUID');
    if (typeof secrets.clientSecret !== 'string' || !secrets.clientSecret.trim()) throw new Error('secrets.clientSecret: is required');
    return {
      tenantId,
      ...(authority && authority !== MICROSOFT_DEFAULT_AUTHORITY ? { authority } : {}),
      ...(graphUrl && graphUrl !== GRAPH_DEFAULT_URL ? { graphUrl } : {}),
    };
  },
  async deliver(event, settings, secrets) {
    // A task destination: mails are not logged anywhere.
    if (event.type !== 'task.created') return { ok: true };
    const clientId = secrets.clientId?.trim();
    const clientSecret = secrets.clientSecret?.trim();
    if (!settings.tenantId) return { ok: false, retryable: false, reason: 'settings.tenantId: is required' };
    if (!clientId) return { ok: false, retryable: false, reason: 'secrets.clientId: is required' };
    if (!clientSecret) return { ok: false, retryable: false, reason: 'secrets.clientSecret: is required' };
    try {
      return await deliverTask(event, settings, clientId, clientSecret);
    } catch (error) {
      if (error instanceof Stop) return error.result;
      return { ok: false, retryable: true, reason: `Microsoft Graph: ${(error as Error)?.message ?? String(error)}` };
    }
  },
};

const trimmedSettingsUrl = (value: unknown, field: string) => settingsUrl(value, field)?.replace(/\/+$/, '');
