import { createHash, createPrivateKey } from 'node:crypto';
import { JWT } from 'google-auth-library';
// The Tasks API's module alone, not googleapis' index of every Google API (seconds to load).
import { tasks_v1 } from 'googleapis/build/src/apis/tasks/v1.js';
import { GOOGLE_DEFAULT_TOKEN_URL, routeTokenRequests } from '../google/credentials.js';
import { classifyHttpFailure, settingsUrl, type ConnectorAdapter, type DeliveryResult, type TaskCreatedEvent } from './types.js';
import { LRUCache } from 'lru-cache';

/**
 * A task destination, not a CRM: puts each `task.created` into the **assignee's** Google Tasks
 * (their default list, `@default`) through the official `googleapis` client (Tasks API v1).
 * `email.logged` events are acknowledged and ignored — there is nothing to log a mail into.
 *
 * Configured once per company: a service account with domain-wide delegation for the scope
 * `https://www.googleapis.com/auth/tasks` (secrets `clientEmail`, `privateKey`). For every task
 * the adapter signs a JWT-bearer grant whose `sub` is the assignee's address, so the task is
 * created as — and lands in the list of — that rep. Tokens are cached per (account, rep) until
 * shortly before they expire (google-auth-library does this inside the JWT client); a cached token
 * the API answers 401 (revoked, key rotated) is dropped and one fresh grant tried at once.
 *
 * The task: `title`; `notes` = the task's notes, the Message-ID when the task came from a mail,
 * and the marker line `tradepane event <event id>`; `due` = the client-local date (Google keeps
 * the date only and ignores the time), taken from `dueLocal` when present, else the UTC date of
 * `dueAt`, as `YYYY-MM-DDT00:00:00.000Z`.
 *
 * Idempotency (the outbox may deliver an event again after a crash): before inserting, the adapter
 * pages through the assignee's `@default` list — completed and hidden tasks included, limited by
 * `updatedMin` to tasks touched since one day before the event occurred (a task we created was
 * necessarily updated after that) — and treats a task whose notes carry the marker line as
 * already delivered. Tasks the rep deleted meanwhile are not looked at (and would be recreated).
 *
 * Retries belong to the outbox: the client's retry is off (`retry: false`, and the token request's
 * own retry is disabled), so every HTTP failure comes back as a DeliveryResult — 429/5xx
 * retryable with Retry-After honoured, other 4xx (a refused grant, delegation not allowed, a
 * user outside the domain) permanent.
 *
 * Settings: `rootUrl` (API root, default `https://tasks.googleapis.com/`) and `tokenUrl` (OAuth
 * token endpoint, default `https://oauth2.googleapis.com/token`); both only ever differ in tests.
 * gtoken (under google-auth-library's JWT) has the token URL hard-coded, so a non-default
 * `tokenUrl` is applied by a request interceptor on the JWT client's own transporter that
 * rewrites requests aimed at Google's token endpoint. The signed assertion keeps Google's token
 * URL as its `aud`, as Google requires.
 */

export interface GoogleTasksSettings {
  /** Tasks API root, `https://tasks.googleapis.com/` unless a test points it elsewhere. */
  rootUrl?: string;
  /** OAuth 2.0 token endpoint, `https://oauth2.googleapis.com/token` unless a test points it elsewhere. */
  tokenUrl?: string;
}

export const GOOGLE_TASKS_DEFAULT_ROOT_URL = 'https://tasks.googleapis.com/';
export const GOOGLE_TASKS_SCOPE = 'https://www.googleapis.com/auth/tasks';

const TITLE_MAX = 1024;
const NOTES_MAX = 8192;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const googleTasksEventMarker = (eventId: string) => `tradepane event ${eventId}`;

class PermanentFailure extends Error {}

/** Service-account keys are often pasted from the JSON file with literal `\n` sequences. */
function normalizeKey(key: string): string {
  return key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
}

type Jwt = JWT;

/** JWT clients (and so their cached tokens) per service account, rep and token endpoint. */
const clients = new LRUCache<string, Jwt>({ max: 500 });

function jwtFor(settings: GoogleTasksSettings, clientEmail: string, privateKey: string, subject: string): { key: string; jwt: Jwt; cached: boolean } {
  const tokenUrl = settings.tokenUrl ?? GOOGLE_DEFAULT_TOKEN_URL;
  const key = [tokenUrl, clientEmail, subject.toLowerCase(), createHash('sha256').update(privateKey).digest('hex')].join('\n');
  const cached = clients.get(key);
  if (cached) return { key, jwt: cached, cached: true };

  const jwt = new JWT({
    email: clientEmail,
    key: privateKey,
    scopes: [GOOGLE_TASKS_SCOPE],
    subject,
    // Node's own fetch rather than gaxios' lazily imported node-fetch.
    transporterOptions: { fetchImplementation: fetch },
  });
  // The outbox retries a failed delivery; gtoken must not retry the token POST itself.
  routeTokenRequests(jwt, tokenUrl);
  clients.set(key, jwt);
  return { key, jwt, cached: false };
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, unknown>;
  const value = record[name] ?? record[name.toLowerCase()];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

/** gaxios errors carry `response.status`, `response.data` and `response.headers`; anything else is a network failure. */
function failure(error: unknown): DeliveryResult {
  const e = error as { response?: { status?: unknown; data?: unknown; headers?: unknown }; message?: string } | null;
  const status = e?.response?.status;
  if (typeof status === 'number' && status >= 100 && status <= 599) {
    const data = e!.response!.data;
    const body = typeof data === 'string' ? data : JSON.stringify(data ?? e?.message ?? '');
    return classifyHttpFailure(status, body, headerValue(e!.response!.headers, 'retry-after'));
  }
  return { ok: false, retryable: true, reason: `could not reach Google: ${e?.message ?? String(error)}` };
}

/** The client-local due date (Google Tasks keeps only the date) as the RFC 3339 value the API expects. */
export function googleDue(task: TaskCreatedEvent['task']): string | undefined {
  const local = task.dueLocal ? /^(\d{4}-\d{2}-\d{2})/.exec(task.dueLocal)?.[1] : undefined;
  if (local) return `${local}T00:00:00.000Z`;
  if (task.dueAt) {
    const ms = Date.parse(task.dueAt);
    if (Number.isNaN(ms)) throw new PermanentFailure(`task.dueAt: "${task.dueAt}" is not a date`);
    return `${new Date(ms).toISOString().slice(0, 10)}T00:00:00.000Z`;
  }
  return undefined;
}

function notesFor(event: TaskCreatedEvent): string {
  const marker = googleTasksEventMarker(event.id);
  const tail = [event.messageId ? `Message-ID <${event.messageId.replace(/^<|>$/g, '')}>` : '', marker].filter(Boolean).join('\n');
  const room = NOTES_MAX - tail.length - 2;
  let notes = event.task.notes.trim();
  if (notes.length > room) notes = `${notes.slice(0, Math.max(0, room - 1))}…`;
  return notes ? `${notes}\n\n${tail}` : tail;
}

const carriesMarker = (task: tasks_v1.Schema$Task, marker: string) =>
  typeof task.notes === 'string' && task.notes.split(/\r?\n/).some((line) => line.trim() === marker);

async function findDelivered(api: tasks_v1.Tasks, event: TaskCreatedEvent): Promise<tasks_v1.Schema$Task | null> {
  const marker = googleTasksEventMarker(event.id);
  const occurred = Date.parse(event.occurredAt);
  const updatedMin = Number.isNaN(occurred) ? undefined : new Date(occurred - 24 * 3600_000).toISOString();
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await api.tasks.list({
      tasklist: '@default',
      showCompleted: true,
      showHidden: true,
      maxResults: 100,
      ...(updatedMin ? { updatedMin } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    const hit = (res.data.items ?? []).find((task) => carriesMarker(task, marker));
    if (hit) return hit;
    pageToken = res.data.nextPageToken ?? undefined;
    if (!pageToken) return null;
  }
  return null;
}

async function deliverTask(event: TaskCreatedEvent, settings: GoogleTasksSettings, clientEmail: string, privateKey: string): Promise<DeliveryResult> {
  const assignee = event.task.assignee?.trim().toLowerCase();
  if (!assignee || !EMAIL.test(assignee)) throw new PermanentFailure(`task.assignee: "${event.task.assignee}" is not an e-mail address`);
  const due = googleDue(event.task);
  for (let attempt = 0; ; attempt++) {
    const { key, jwt, cached } = jwtFor(settings, clientEmail, privateKey, assignee);
    const api = new tasks_v1.Tasks({ auth: jwt, rootUrl: settings.rootUrl ?? GOOGLE_TASKS_DEFAULT_ROOT_URL, retry: false });
    try {
      const already = await findDelivered(api, event);
      if (already) return { ok: true, ...(already.id ? { externalId: already.id } : {}) };
      const created = await api.tasks.insert({
        tasklist: '@default',
        requestBody: { title: event.task.title.trim().slice(0, TITLE_MAX) || '(untitled)', notes: notesFor(event), ...(due ? { due } : {}) },
      });
      return { ok: true, ...(created.data.id ? { externalId: created.data.id } : {}) };
    } catch (error) {
      // A refused grant or a rejected bearer: start from a fresh grant next time. A cached token
      // Google no longer accepts (revoked, rotated key) gets one fresh grant right away.
      const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
      if (status === 400 || status === 401 || status === 403) clients.delete(key);
      if (status === 401 && cached && attempt === 0) continue;
      throw error;
    }
  }
}


export const googleTasksAdapter: ConnectorAdapter<GoogleTasksSettings> = {
  kind: 'google-tasks',
  validate(settings, secrets) {
    if (settings !== undefined && settings !== null && (typeof settings !== 'object' || Array.isArray(settings))) throw new Error('settings: must be an object');
    const s = (settings ?? {}) as { rootUrl?: unknown; tokenUrl?: unknown };
    let rootUrl = settingsUrl(s.rootUrl, 'rootUrl');
    if (rootUrl && !rootUrl.endsWith('/')) rootUrl += '/';
    const tokenUrl = settingsUrl(s.tokenUrl, 'tokenUrl');
    const clientEmail = typeof secrets.clientEmail === 'string' ? secrets.clientEmail.trim() : '';
    if (!clientEmail) throw new Error('secrets.clientEmail: is required');
    if (!EMAIL.test(clientEmail)) throw new Error('secrets.clientEmail: must be the service account e-mail address');
    const privateKey = typeof secrets.privateKey === 'string' ? normalizeKey(secrets.privateKey.trim()) : '';
    if (!privateKey) throw new Error('secrets.privateKey: is required');
    try {
      createPrivateKey(privateKey);
    } catch {
      throw new Error('secrets.privateKey: must be the PEM private key of the service account');
    }
    return { ...(rootUrl && rootUrl !== GOOGLE_TASKS_DEFAULT_ROOT_URL ? { rootUrl } : {}), ...(tokenUrl && tokenUrl !== GOOGLE_DEFAULT_TOKEN_URL ? { tokenUrl } : {}) };
  },
  async deliver(event, settings, secrets) {
    // A task destination: mails are not logged anywhere.
    if (event.type !== 'task.created') return { ok: true };
    const clientEmail = secrets.clientEmail?.trim();
    const privateKey = secrets.privateKey ? normalizeKey(secrets.privateKey.trim()) : '';
    if (!clientEmail) return { ok: false, retryable: false, reason: 'secrets.clientEmail: is required' };
    if (!privateKey) return { ok: false, retryable: false, reason: 'secrets.privateKey: is required' };
    try {
      createPrivateKey(privateKey);
    } catch {
      return { ok: false, retryable: false, reason: 'secrets.privateKey: must be the PEM private key of the service account' };
    }
    try {
      return await deliverTask(event, settings, clientEmail, privateKey);
    } catch (error) {
      if (error instanceof PermanentFailure) return { ok: false, retryable: false, reason: error.message };
      return failure(error);
    }
  },
};
