import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-fake.js';

/**
 * A small Microsoft identity platform + Graph v1.0 To Do, speaking the documented shapes:
 *   POST /{tenant}/oauth2/v2.0/token  form client_id, client_secret, scope=https://graph.microsoft.com/.default,
 *        grant_type=client_credentials → 200 {token_type: 'Bearer', expires_in, ext_expires_in, access_token}
 *        wrong secret → 401 {error: 'invalid_client', error_description: 'AADSTS7000215: …'}; unknown tenant → 400 invalid_request
 *   GET  /v1.0/users/{id|upn}/todo/lists → {value: [{id, displayName, isOwner, isShared, wellknownListName}], @odata.nextLink?}
 *   GET  /v1.0/users/{u}/todo/lists/{list}/tasks[?$expand=linkedResources&$top=n&$skip=n] → {value: [todoTask], @odata.nextLink?}
 *   POST /v1.0/users/{u}/todo/lists/{list}/tasks {title, body, dueDateTime, linkedResources} → 201 todoTask
 * Graph calls need `Authorization: Bearer <a token this fake issued>` (401 InvalidAuthenticationToken
 * otherwise); unknown users → 404. `failNext` makes the next N calls answer 500/429 (+ Retry-After).
 */

export interface FakeLinkedResource {
  id: string;
  applicationName?: string;
  displayName?: string;
  externalId?: string;
  webUrl?: string;
}

export interface FakeTodoTask {
  id: string;
  listId: string;
  title: string;
  body: { content: string; contentType: string };
  dueDateTime?: { dateTime: string; timeZone: string };
  status: 'notStarted' | 'completed';
  linkedResources: FakeLinkedResource[];
  createdDateTime: string;
}

export interface FakeTodoList {
  id: string;
  owner: string;
  displayName: string;
  wellknownListName: 'defaultList' | 'flaggedEmails' | 'none';
}

export interface FailureOptions {
  retryAfter?: string;
  path?: RegExp;
  method?: string;
  afterCommit?: boolean;
}

interface Failure extends FailureOptions {
  status: number;
}

export class FakeGraphTodo extends LoopbackFake {
  readonly lists: FakeTodoList[] = [];
  readonly tasks: FakeTodoTask[] = [];
  readonly requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }> = [];
  /** Token requests as received (form fields). */
  readonly tokenRequests: Array<Record<string, string>> = [];
  private readonly issued = new Set<string>();
  private readonly users = new Set<string>();
  private failures: Failure[] = [];
  private nextId = 1;
  /** Page size cap for lists and tasks, to exercise paging with few items. */
  pageSize = 100;
  expiresIn = 3599;

  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    super();
  }

  /** A user with a mailbox: their "Tasks" default list and a "Flagged email" list (listed first). */
  addUser(upn: string): FakeTodoList {
    const owner = upn.toLowerCase();
    this.users.add(owner);
    this.lists.push({ id: `AAMk-flagged-${this.nextId++}=`, owner, displayName: 'Flagged email', wellknownListName: 'flaggedEmails' });
    const list: FakeTodoList = { id: `AAMk-default-${this.nextId++}=`, owner, displayName: 'Tasks', wellknownListName: 'defaultList' };
    this.lists.push(list);
    return list;
  }

  addList(upn: string, displayName: string): FakeTodoList {
    const list: FakeTodoList = { id: `AAMk-list-${this.nextId++}=`, owner: upn.toLowerCase(), displayName, wellknownListName: 'none' };
    this.lists.push(list);
    return list;
  }

  defaultList(upn: string): FakeTodoList {
    return this.lists.find((l) => l.owner === upn.toLowerCase() && l.wellknownListName === 'defaultList')!;
  }

  tasksOf(upn: string): FakeTodoTask[] {
    const list = this.defaultList(upn);
    return this.tasks.filter((t) => t.listId === list.id);
  }

  addTask(list: FakeTodoList, task: Partial<FakeTodoTask> & { title: string }): FakeTodoTask {
    const stored: FakeTodoTask = {
      id: `AAMk-task-${this.nextId++}=`,
      listId: list.id,
      body: { content: '', contentType: 'text' },
      status: 'notStarted',
      linkedResources: [],
      createdDateTime: new Date().toISOString(),
      ...task,
    };
    this.tasks.push(stored);
    return stored;
  }

  failNext(count: number, status: number, options: FailureOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  revokeTokens(): void {
    this.issued.clear();
  }

  /** Tokens survive `reset` (the adapter caches them); lists and users too. */
  reset(): void {
    this.tasks.length = 0;
    this.requests.length = 0;
    this.tokenRequests.length = 0;
    this.failures = [];
    this.pageSize = 100;
    this.expiresIn = 3599;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? '';

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      this.requests.push({ method, path, query, body: form });
      this.tokenRequests.push(form);
      const failure = this.takeFailure(method, path);
      if (failure) return this.fail(res, failure);
      return this.token(res, method, decodeURIComponent(token[1]!), req.headers['content-type'] ?? '', form);
    }

    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.graphError(res, 400, 'BadRequest', 'Unable to read JSON request payload.');
    }
    this.requests.push({ method, path: decodeURIComponent(path), query, body });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.issued.has(bearer)) return this.graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const failure = this.takeFailure(method, path);
    if (failure?.afterCommit) this.route(method, path, query, body, { writeHead: () => res, end: () => res } as unknown as ServerResponse);
    if (failure) return this.fail(res, failure);
    this.route(method, path, query, body, res);
  }

  private takeFailure(method: string, path: string): Failure | undefined {
    const index = this.failures.findIndex((f) => (!f.path || f.path.test(path)) && (!f.method || f.method === method));
    return index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
  }

  private fail(res: ServerResponse, failure: Failure): void {
    if (failure.status === 429) {
      return this.graphError(res, 429, 'TooManyRequests', 'Too many requests.', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    return this.graphError(res, failure.status, 'generalException', 'An unexpected error occurred.');
  }

  private token(res: ServerResponse, method: string, tenant: string, contentType: string, form: Record<string, string>): void {
    const error = (status: number, code: string, description: string) =>
      this.send(res, status, { error: code, error_description: `${description}\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2025-01-01 00:00:00Z`, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: '2025-01-01 00:00:00Z' });
    if (method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) return error(400, 'invalid_request', 'AADSTS900144: The request body must contain the following parameter: grant_type.');
    if (tenant !== this.tenantId) return error(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
    if (form.grant_type !== 'client_credentials') return error(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    if (form.scope !== 'https://graph.microsoft.com/.default') return error(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
    if (form.client_id !== this.clientId) return error(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory.`);
    if (form.client_secret !== this.clientSecret) return error(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const accessToken = `eyJ0eXAi.fake-graph-${this.nextId++}`;
    this.issued.add(accessToken);
    this.send(res, 200, { token_type: 'Bearer', expires_in: this.expiresIn, ext_expires_in: this.expiresIn, access_token: accessToken });
  }

  private page<T>(res: ServerResponse, path: string, query: Record<string, string>, items: T[]): void {
    const top = Math.min(Number(query.$top ?? 100) || 100, this.pageSize);
    const skip = Number(query.$skip ?? 0) || 0;
    const slice = items.slice(skip, skip + top);
    const next = skip + top < items.length ? new URLSearchParams({ ...query, $top: String(top), $skip: String(skip + top) }) : null;
    this.send(res, 200, {
      '@odata.context': `${this.url}/v1.0/$metadata#…`,
      value: slice,
      ...(next ? { '@odata.nextLink': `${this.url}${path}?${next.toString()}` } : {}),
    });
  }

  private route(method: string, rawPath: string, query: Record<string, string>, body: unknown, res: ServerResponse): void {
    const m = /^\/v1\.0\/users\/([^/]+)\/todo\/lists(?:\/([^/]+)\/tasks)?$/.exec(rawPath);
    if (!m) return this.graphError(res, 400, 'BadRequest', `Resource not found for the segment '${rawPath}'.`);
    const user = decodeURIComponent(m[1]!).toLowerCase();
    if (!this.users.has(user)) return this.graphError(res, 404, 'ResourceNotFound', `User not found: ${user}`);
    if (!m[2]) {
      if (method !== 'GET') return this.graphError(res, 405, 'BadRequest', 'Method not allowed');
      const lists = this.lists.filter((l) => l.owner === user).map((l) => ({ '@odata.etag': 'W/"x"', displayName: l.displayName, isOwner: true, isShared: false, wellknownListName: l.wellknownListName, id: l.id }));
      return this.page(res, rawPath, query, lists);
    }
    const listId = decodeURIComponent(m[2]);
    const list = this.lists.find((l) => l.owner === user && l.id === listId);
    if (!list) return this.graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (method === 'GET') {
      const expand = query.$expand === 'linkedResources';
      const tasks = this.tasks.filter((t) => t.listId === list.id).map((t) => this.view(t, expand));
      return this.page(res, rawPath, query, tasks);
    }
    if (method === 'POST') return this.create(res, list, body);
    return this.graphError(res, 405, 'BadRequest', 'Method not allowed');
  }

  private view(task: FakeTodoTask, expand: boolean) {
    const { listId: _listId, linkedResources, ...rest } = task;
    return { '@odata.etag': 'W/"x"', importance: 'normal', isReminderOn: false, ...rest, ...(expand ? { linkedResources } : {}) };
  }

  private create(res: ServerResponse, list: FakeTodoList, body: unknown): void {
    const input = (body ?? {}) as {
      title?: unknown;
      body?: { content?: unknown; contentType?: unknown };
      dueDateTime?: { dateTime?: unknown; timeZone?: unknown };
      linkedResources?: Array<Record<string, unknown>>;
    };
    if (typeof input.title !== 'string' || !input.title) return this.graphError(res, 400, 'invalidRequest', 'Invalid request: title is required.');
    if (input.body && (typeof input.body.content !== 'string' || !['text', 'html'].includes(String(input.body.contentType)))) return this.graphError(res, 400, 'invalidRequest', 'Invalid body.');
    if (input.dueDateTime) {
      const { dateTime, timeZone } = input.dueDateTime;
      if (typeof dateTime !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(dateTime) || typeof timeZone !== 'string' || !timeZone) {
        return this.graphError(res, 400, 'invalidRequest', 'Invalid dueDateTime.');
      }
    }
    const task = this.addTask(list, {
      title: input.title,
      body: input.body ? { content: String(input.body.content), contentType: String(input.body.contentType) } : { content: '', contentType: 'text' },
      ...(input.dueDateTime ? { dueDateTime: input.dueDateTime as { dateTime: string; timeZone: string } } : {}),
      linkedResources: (input.linkedResources ?? []).map((l) => ({ id: `lr-${this.nextId++}`, ...(l as Omit<FakeLinkedResource, 'id'>) })),
    });
    this.send(res, 201, this.view(task, true));
  }

  private graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    this.send(res, status, { error: { code, message, innerError: { date: '2025-01-01T00:00:00', 'request-id': '0000', 'client-request-id': '0000' } } }, headers);
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
}
