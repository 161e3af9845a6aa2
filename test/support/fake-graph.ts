import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

/**
 * Microsoft's sign-in endpoint and Microsoft Graph v1.0 on one loopback HTTPS port (msal-node and
 * the Graph client speak https only; the certificate is self-signed for 127.0.0.1 and handed to
 * the adapter as `ca`). It speaks the documented shapes:
 *
 *   POST /{tenant}/oauth2/v2.0/token   client_credentials: client_id + client_secret of an app
 *        registered here for that tenant, scope `{this origin}/.default` → {token_type, expires_in,
 *        access_token}; refused with the AADSTS errors Entra answers (7000215 bad secret,
 *        7000222 expired secret, 700016 unknown app, 90002 unknown tenant, 1002012 bad scope)
 *   GET  /v1.0/users/{mailbox}/mailFolders/{inbox|sentitems}[/messages/delta]
 *        delta: $select, $filter=receivedDateTime ge …, changeType=created, Prefer
 *        odata.maxpagesize / outlook.body-content-type="text"; pages with @odata.nextLink
 *        ($skiptoken) and a last page with @odata.deltaLink ($deltatoken); a token made invalid by
 *        `expireSyncState` answers 410 SyncStateNotFound
 *   GET  /v1.0/users/{mailbox}/messages/{id}/attachments
 *   GET  /v1.0/users/{mailbox}/messages?$filter=internetMessageId eq '<…>'&$select=id&$top=1
 *   POST /v1.0/users/{mailbox}/messages   JSON (custom internetMessageHeaders must be named x-…,
 *        else 400 InvalidInternetMessageHeader) or MIME (Content-Type text/plain, base64 RFC 822:
 *        its From/To/Cc/Subject/In-Reply-To/References kept)
 *   POST …/messages/{id}/createReply   {comment} or {message: writable properties} (both a
 *        comment and message.body → 400): a draft in the original's conversation, "RE: " subject,
 *        to its Reply-To or From, In-Reply-To/References set from the original
 *   POST …/messages/{id}/reply   the same, sent at once (202)
 *   POST …/messages/{id}/send   the draft goes to Sent Items
 *   GET  /v1.0/users   the directory (needs User.Read.All): $select, $top (default 100, at most
 *        999), pages with @odata.nextLink ($skiptoken); users added with `addDirectoryUser`
 *
 * Every Graph call needs a bearer token this fake issued; the token's app must hold the needed
 * application permission (Mail.Read or Mail.ReadWrite to read, Mail.ReadWrite to create, Mail.Send
 * to send), and when an application access policy is set for the app only the mailboxes in it
 * answer (403 ErrorAccessDenied otherwise). Unknown mailbox → 404 ErrorInvalidUser. `failNext`
 * injects 429 / 503 (with Retry-After) or any status. Received messages carry
 * internetMessageHeaders; sent ones do not (as in Exchange Online).
 */

export interface FakeGraphMessage {
  id: string;
  seq: number;
  folder: 'inbox' | 'sentitems';
  removed?: boolean;
  internetMessageId: string;
  internetMessageHeaders?: { name: string; value: string }[];
  conversationId: string;
  from: { name?: string; address: string };
  replyTo?: { name?: string; address: string }[];
  to: { name?: string; address: string }[];
  cc?: { name?: string; address: string }[];
  subject: string;
  receivedDateTime: string;
  sentDateTime: string;
  body: string;
  attachments?: { name: string; contentType: string; size: number; isInline?: boolean }[];
  /** What Exchange puts in the mail the recipient gets (sent mail: createReply, or a MIME draft's own headers). */
  inReplyTo?: string;
  references?: string[];
  /** The custom (x-) headers a client set on a draft. */
  customHeaders?: { name: string; value: string }[];
}

type Recipient = { emailAddress?: { address?: string; name?: string } };
interface MessageJson {
  subject?: string;
  body?: { contentType?: string; content?: string };
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  from?: Recipient;
  internetMessageHeaders?: { name?: string; value?: string }[];
}

interface App {
  tenant: string;
  clientId: string;
  secret: string;
  secretExpired?: boolean;
  roles: string[];
  /** Mailboxes an application access policy restricts the app to (undefined: all). */
  policy?: string[];
}

/** The message resource's properties in Graph v1.0 (no `size`: Graph answers 400 for a property it does not know). */
const MESSAGE_PROPERTIES = new Set(['id', 'bccRecipients', 'body', 'bodyPreview', 'categories', 'changeKey', 'ccRecipients', 'conversationId', 'conversationIndex', 'createdDateTime', 'flag', 'from', 'hasAttachments', 'importance', 'inferenceClassification', 'internetMessageHeaders', 'internetMessageId', 'isDeliveryReceiptRequested', 'isDraft', 'isRead', 'isReadReceiptRequested', 'lastModifiedDateTime', 'parentFolderId', 'receivedDateTime', 'replyTo', 'sender', 'sentDateTime', 'subject', 'toRecipients', 'uniqueBody', 'webLink']);

/**
 * What Graph refuses in the first request of a message delta round (learn.microsoft.com
 * message-delta: only $select, $top and $expand, and a $filter on receivedDateTime ge/gt;
 * changeType created/updated/deleted); null when it is accepted.
 */
export function deltaQueryError(query: Record<string, string>): { code: string; message: string } | null {
  for (const option of ['$search', '$orderby', '$skip', '$count']) if (query[option] !== undefined) return { code: 'ErrorInvalidUrlQuery', message: `The query parameter '${option}' is not supported with change tracking over the 'Message' resource.` };
  if (query.changeType && !['created', 'updated', 'deleted'].includes(query.changeType)) return { code: 'ErrorInvalidUrlQuery', message: 'changeType must be created, updated or deleted' };
  if (query.$filter && !/^receivedDateTime (ge|gt) \S+$/.test(query.$filter)) return { code: 'ErrorInvalidUrlQueryFilter', message: 'The query filter contains one or more invalid nodes.' };
  const unknown = (query.$select ?? '').split(',').filter((p) => p && !MESSAGE_PROPERTIES.has(p));
  if (unknown.length) return { code: 'RequestBroker--ParseUri', message: `Could not find a property named '${unknown[0]}' on type 'microsoft.graph.message'.` };
  return null;
}

interface SyncState {
  mailbox: string;
  folder: 'inbox' | 'sentitems';
  since: string | null;
  select: string[] | null;
  afterSeq: number;
  pageSize: number | null;
  expired?: boolean;
}

export interface GraphRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  prefer: string | null;
  clientId: string | null;
  body: string;
}

let certificate: { key: string; cert: string } | null = null;

/** A self-signed certificate for 127.0.0.1, made once per test process. */
function selfSigned(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'fake-graph-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    certificate = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class FakeGraph {
  private server: Server | null = null;
  url = '';
  ca = '';
  readonly requests: GraphRequestRecord[] = [];
  private readonly apps: App[] = [];
  private readonly tokens = new Map<string, App>();
  private readonly mailboxes = new Map<string, FakeGraphMessage[]>();
  private readonly states = new Map<string, SyncState>();
  private failures: { status: number; path?: RegExp; retryAfter?: string; code?: string }[] = [];
  private seq = 0;
  private ids = 0;
  private readonly directory: Record<string, unknown>[] = [];
  /** Graph may answer fewer users than $top asks for; tests lower this to see paging. */
  directoryPageSize = 999;
  /** Graph's own default page size for messages when no odata.maxpagesize is asked for. */
  defaultPageSize = 10;
  /** The stand-in's clock: when a draft is created or sent. */
  now: () => number = Date.now;

  async start(): Promise<string> {
    const { key, cert } = selfSigned();
    this.ca = cert;
    this.server = createServer({ key, cert }, (req, res) => void this.handle(req, res).catch((error: unknown) => this.json(res, 500, { error: { code: 'InternalServerError', message: String(error) } })));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  addApp(app: { tenant: string; clientId: string; secret: string; roles?: string[]; policy?: string[]; secretExpired?: boolean }): void {
    this.apps.push({ roles: ['Mail.Read'], ...app, policy: app.policy?.map((a) => a.toLowerCase()) });
  }

  /** A user of the directory, in Graph's `user` shape (displayName, jobTitle, businessPhones …). */
  addDirectoryUser(user: Record<string, unknown>): void {
    this.directory.push({ id: `user-${this.directory.length + 1}`, ...user });
  }

  addMailbox(address: string): void {
    if (!this.mailboxes.has(address.toLowerCase())) this.mailboxes.set(address.toLowerCase(), []);
  }

  /** A message arriving in (or sent from) a mailbox now; answers its Graph id. */
  addMessage(mailbox: string, message: Omit<FakeGraphMessage, 'id' | 'seq'> & { id?: string }): string {
    const list = this.box(mailbox);
    const id = message.id ?? `AAMkAD${String(++this.ids).padStart(6, '0')}-${randomBytes(6).toString('base64url')}=`;
    list.push({ ...message, id, seq: ++this.seq });
    return id;
  }

  /** The message leaves the folder: the next delta round reports it `@removed`. */
  removeMessage(mailbox: string, id: string): void {
    const m = this.box(mailbox).find((x) => x.id === id);
    if (m) {
      m.removed = true;
      m.seq = ++this.seq;
    }
  }

  /** Every access token handed out so far is refused (401) from now on, as after a rotated secret. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Every delta and skip token handed out so far answers 410 from now on. */
  expireSyncState(): void {
    for (const state of this.states.values()) state.expired = true;
  }

  failNext(status: number, options: { path?: RegExp; retryAfter?: string; code?: string; count?: number } = {}): void {
    for (let i = 0; i < (options.count ?? 1); i++) this.failures.push({ status, ...options });
  }

  messagesOf(mailbox: string): FakeGraphMessage[] {
    return this.box(mailbox);
  }

  private box(mailbox: string): FakeGraphMessage[] {
    const list = this.mailboxes.get(mailbox.toLowerCase());
    if (!list) throw new Error(`fake Graph: no mailbox ${mailbox}`);
    return list;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const app = bearer ? this.tokens.get(bearer) : undefined;
    this.requests.push({ method, path, query, prefer: typeof req.headers.prefer === 'string' ? req.headers.prefer : null, clientId: app?.clientId ?? null, body: raw });

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token) return this.token(res, decodeURIComponent(token[1]!), method, req.headers['content-type'] ?? '', raw);
    if (!path.startsWith('/v1.0/')) return this.json(res, 404, { error: { code: 'BadRequest', message: `Resource not found for the segment '${path}'.` } });
    if (!app) return this.graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');

    const failure = this.failures.findIndex((f) => !f.path || f.path.test(path));
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!;
      const code = f.code ?? (f.status === 429 ? 'TooManyRequests' : f.status === 503 ? 'ServiceUnavailable' : f.status === 410 ? 'SyncStateNotFound' : 'ErrorInternalServerError');
      return this.graphError(res, f.status, code, f.status === 429 ? 'Application is over its MailboxConcurrency limit.' : 'The service is unavailable.', f.retryAfter ? { 'retry-after': f.retryAfter } : {});
    }

    if (path === '/v1.0/users' && method === 'GET') {
      if (!app.roles.includes('User.Read.All')) return this.graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const top = Number(query.$top ?? 100);
      if (!Number.isInteger(top) || top < 1 || top > 999) return this.graphError(res, 400, 'Request_BadRequest', `Invalid page size specified: '${query.$top}'. Must be between 1 and 999 inclusive.`);
      const start = Number(query.$skiptoken ?? 0);
      const select = query.$select?.split(',');
      const size = Math.min(top, this.directoryPageSize);
      const page = this.directory.slice(start, start + size).map((u) => this.pick(u, select));
      const next = start + size < this.directory.length ? `${this.url}/v1.0/users?${new URLSearchParams({ ...(query.$select ? { $select: query.$select } : {}), $top: String(top), $skiptoken: String(start + size) }).toString()}` : null;
      return this.json(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#users`, value: page, ...(next ? { '@odata.nextLink': next } : {}) });
    }
    const m = /^\/v1\.0\/users\/([^/]+)(\/.*)$/.exec(path);
    if (!m) return this.graphError(res, 400, 'BadRequest', 'Unsupported request');
    const mailbox = decodeURIComponent(m[1]!).toLowerCase();
    const rest = m[2]!;
    const list = this.mailboxes.get(mailbox);
    if (!list) return this.graphError(res, 404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    if (app.policy && !app.policy.includes(mailbox)) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.');
    const canRead = app.roles.includes('Mail.Read') || app.roles.includes('Mail.ReadWrite');
    let f: RegExpExecArray | null;

    if ((f = /^\/mailFolders\/(inbox|sentitems)$/.exec(rest)) && method === 'GET') {
      if (!canRead) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return this.json(res, 200, { id: `folder-${f[1]}`, displayName: f[1] === 'inbox' ? 'Inbox' : 'Sent Items' });
    }
    if ((f = /^\/mailFolders\/(inbox|sentitems)\/messages\/delta$/.exec(rest)) && method === 'GET') {
      if (!canRead) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return this.delta(res, mailbox, f[1] as 'inbox' | 'sentitems', query, typeof req.headers.prefer === 'string' ? req.headers.prefer : '');
    }
    if ((f = /^\/messages\/([^/]+)\/attachments$/.exec(rest)) && method === 'GET') {
      if (!canRead) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const message = list.find((x) => x.id === decodeURIComponent(f![1]!) && !x.removed);
      if (!message) return this.graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const select = query.$select?.split(',');
      return this.json(res, 200, { value: (message.attachments ?? []).map((a, i) => this.pick({ '@odata.type': '#microsoft.graph.fileAttachment', id: `att-${i}`, ...a, isInline: a.isInline ?? false }, select)) });
    }
    if (rest === '/messages' && method === 'GET') {
      if (!canRead) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const wanted = /^internetMessageId eq '((?:[^']|'')*)'$/.exec(query.$filter ?? '')?.[1]?.replace(/''/g, "'");
      if (wanted === undefined) return this.graphError(res, 400, 'ErrorInvalidUrlQueryFilter', 'this stand-in filters messages on internetMessageId eq only');
      const hits = list.filter((x) => !x.removed && x.internetMessageId === wanted).slice(0, Number(query.$top ?? 10));
      return this.json(res, 200, { value: hits.map((x) => this.pick({ id: x.id, internetMessageId: x.internetMessageId, subject: x.subject }, query.$select?.split(','))) });
    }
    if (rest === '/messages' && method === 'POST') {
      if (!app.roles.includes('Mail.ReadWrite')) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      if ((req.headers['content-type'] ?? '').startsWith('text/plain')) {
        // MIME: the RFC 822 source in base64.
        if (!/^[A-Za-z0-9+/=\r\n]+$/.test(raw)) return this.graphError(res, 400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
        const mime = await simpleParser(Buffer.from(raw, 'base64'));
        const list2 = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).filter((v) => v.address).map((v) => ({ address: v.address!.toLowerCase(), ...(v.name ? { name: v.name } : {}) }));
        const references = typeof mime.references === 'string' ? [mime.references] : (mime.references ?? []);
        const draft = this.newDraft(mailbox, { subject: mime.subject ?? '', body: mime.html || mime.textAsHtml || '', to: list2(mime.to), cc: list2(mime.cc), from: list2(mime.from)[0] ?? { address: mailbox }, ...(mime.inReplyTo ? { inReplyTo: mime.inReplyTo } : {}), references });
        return this.json(res, 201, { id: draft.id, internetMessageId: draft.internetMessageId, subject: draft.subject, isDraft: true });
      }
      const body = JSON.parse(raw || '{}') as MessageJson;
      const refused = this.headersRefused(body);
      if (refused) return this.graphError(res, 400, 'InvalidInternetMessageHeader', refused);
      const draft = this.newDraft(mailbox, { ...this.fieldsOf(body, mailbox), subject: body.subject ?? '', body: body.body?.content ?? '' });
      return this.json(res, 201, { id: draft.id, internetMessageId: draft.internetMessageId, subject: draft.subject, isDraft: true });
    }
    if ((f = /^\/messages\/([^/]+)\/(createReply|reply)$/.exec(rest)) && method === 'POST') {
      const sendNow = f[2] === 'reply';
      if (!app.roles.includes(sendNow ? 'Mail.Send' : 'Mail.ReadWrite')) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const original = list.find((x) => x.id === decodeURIComponent(f![1]!) && !x.removed);
      if (!original) return this.graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      const request = JSON.parse(raw || '{}') as { comment?: string; message?: MessageJson };
      const message = request.message ?? {};
      if (request.comment !== undefined && message.body !== undefined) return this.graphError(res, 400, 'ErrorInvalidRequest', 'Specify either a comment or the body property of the message parameter, not both.');
      const refused = this.headersRefused(message);
      if (refused) return this.graphError(res, 400, 'InvalidInternetMessageHeader', refused);
      const fields = this.fieldsOf(message, mailbox);
      const quoted = `<hr><b>From:</b> ${original.from.address}<br><b>Subject:</b> ${original.subject}<br>${original.body}`;
      const originalReferences = original.internetMessageHeaders?.find((h) => h.name.toLowerCase() === 'references')?.value.split(/\s+/).filter(Boolean) ?? original.references ?? [];
      const draft = this.newDraft(mailbox, {
        ...fields,
        to: message.toRecipients ? fields.to : original.replyTo?.length ? original.replyTo : [original.from],
        subject: message.subject ?? `RE: ${original.subject}`,
        body: message.body?.content ?? `${request.comment ?? ''}${quoted}`,
        conversationId: original.conversationId,
        inReplyTo: original.internetMessageId,
        references: [...originalReferences, original.internetMessageId].slice(-20),
      });
      if (!sendNow) return this.json(res, 201, { id: draft.id, internetMessageId: draft.internetMessageId, subject: draft.subject, conversationId: draft.conversationId, isDraft: true });
      this.drafts.delete(draft.id);
      list.push({ ...draft, seq: ++this.seq, sentDateTime: new Date(this.now()).toISOString(), receivedDateTime: new Date(this.now()).toISOString() });
      res.writeHead(202).end();
      return;
    }
    if ((f = /^\/messages\/([^/]+)\/send$/.exec(rest)) && method === 'POST') {
      if (!app.roles.includes('Mail.Send')) return this.graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const entry = this.drafts.get(decodeURIComponent(f[1]!));
      if (!entry || entry.mailbox !== mailbox) return this.graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      this.drafts.delete(entry.draft.id);
      const at = new Date(this.now()).toISOString();
      list.push({ ...entry.draft, seq: ++this.seq, sentDateTime: at, receivedDateTime: at });
      res.writeHead(202).end();
      return;
    }
    return this.graphError(res, 400, 'BadRequest', `Unsupported request ${method} ${rest}`);
  }

  private readonly drafts = new Map<string, { mailbox: string; draft: FakeGraphMessage }>();

  /** A draft in the mailbox, with the Message-ID and conversation Exchange gives it. */
  private newDraft(mailbox: string, fields: Pick<FakeGraphMessage, 'subject' | 'body' | 'to' | 'from'> & Partial<Pick<FakeGraphMessage, 'cc' | 'conversationId' | 'inReplyTo' | 'references' | 'customHeaders'>>): FakeGraphMessage {
    const now = new Date(this.now()).toISOString();
    const n = ++this.ids;
    const draft: FakeGraphMessage = {
      id: `AAMkADdraft${n}=`,
      seq: 0,
      folder: 'sentitems',
      internetMessageId: `<DB9PR0${n}MB${randomBytes(4).toString('hex').toUpperCase()}@DB9PR04MB.eurprd04.prod.outlook.com>`,
      conversationId: fields.conversationId ?? `AAQkAD-conv-${n}`,
      receivedDateTime: now,
      sentDateTime: now,
      cc: [],
      ...fields,
    };
    this.drafts.set(draft.id, { mailbox, draft });
    return draft;
  }

  /** Graph sets only custom headers on a JSON message: each must be named x-…. */
  private headersRefused(message: MessageJson): string | null {
    const wrong = (message.internetMessageHeaders ?? []).find((h) => !/^x-/i.test(h.name ?? ''));
    return wrong ? `The internet message header name '${wrong.name ?? ''}' should start with 'x-' or 'X-'.` : null;
  }

  private fieldsOf(message: MessageJson, mailbox: string): Pick<FakeGraphMessage, 'to' | 'cc' | 'from' | 'customHeaders'> {
    const address = (r: Recipient) => ({ address: (r.emailAddress?.address ?? '').toLowerCase(), ...(r.emailAddress?.name ? { name: r.emailAddress.name } : {}) });
    return {
      to: (message.toRecipients ?? []).map(address),
      cc: (message.ccRecipients ?? []).map(address),
      from: message.from ? address(message.from) : { address: mailbox },
      customHeaders: (message.internetMessageHeaders ?? []).map((h) => ({ name: h.name ?? '', value: h.value ?? '' })),
    };
  }

  private token(res: ServerResponse, tenant: string, method: string, contentType: string, raw: string): void {
    const aad = (status: number, error: string, code: number, description: string) =>
      this.json(res, status, { error, error_description: `AADSTS${code}: ${description} Trace ID: 0 Correlation ID: 0 Timestamp: 2026-01-01 00:00:00Z`, error_codes: [code], timestamp: '2026-01-01 00:00:00Z', trace_id: '0', correlation_id: '0' });
    if (method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) return aad(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    const form = new URLSearchParams(raw);
    if (form.get('grant_type') !== 'client_credentials') return aad(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (!this.apps.some((a) => a.tenant === tenant)) return aad(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    const app = this.apps.find((a) => a.tenant === tenant && a.clientId === form.get('client_id'));
    if (!app) return aad(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'.`);
    if (form.get('client_secret') !== app.secret) return aad(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    if (app.secretExpired) return aad(401, 'invalid_client', 7000222, 'The provided client secret keys for app are expired.');
    const scope = form.get('scope') ?? '';
    if (scope !== `${this.url}/.default`) return aad(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    const accessToken = `eyJ0eXAiOiJKV1Qi.fake-graph.${randomBytes(12).toString('base64url')}`;
    this.tokens.set(accessToken, app);
    this.json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
  }

  private pick(object: Record<string, unknown>, select: string[] | undefined | null): Record<string, unknown> {
    if (!select) return object;
    return Object.fromEntries(Object.entries(object).filter(([k]) => k === 'id' || k.startsWith('@odata') || select.includes(k)));
  }

  private view(m: FakeGraphMessage, select: string[] | null, textBody: boolean): Record<string, unknown> {
    if (m.removed) return { '@odata.type': '#microsoft.graph.message', id: m.id, '@removed': { reason: 'deleted' } };
    const recipient = (r: { name?: string; address: string }) => ({ emailAddress: { name: r.name ?? r.address, address: r.address } });
    const full: Record<string, unknown> = {
      '@odata.type': '#microsoft.graph.message',
      '@odata.etag': `W/"CQAAABYAAAA${m.seq}"`,
      id: m.id,
      internetMessageId: m.internetMessageId,
      // Exchange stamps transport headers on received mail only.
      ...(m.folder === 'inbox' && m.internetMessageHeaders ? { internetMessageHeaders: m.internetMessageHeaders } : {}),
      conversationId: m.conversationId,
      from: recipient(m.from),
      sender: recipient(m.from),
      replyTo: (m.replyTo ?? []).map(recipient),
      toRecipients: m.to.map(recipient),
      ccRecipients: (m.cc ?? []).map(recipient),
      subject: m.subject,
      receivedDateTime: m.receivedDateTime,
      sentDateTime: m.sentDateTime,
      hasAttachments: (m.attachments ?? []).some((a) => !a.isInline),
      bodyPreview: m.body.replace(/<[^>]*>/g, '').slice(0, 255),
      body: textBody ? { contentType: 'text', content: m.body.replace(/<[^>]*>/g, '') } : { contentType: 'html', content: `<html><body>${m.body}</body></html>` },
    };
    return this.pick(full, select);
  }

  private delta(res: ServerResponse, mailbox: string, folder: 'inbox' | 'sentitems', query: Record<string, string>, prefer: string): void {
    const tokenValue = query.$skiptoken ?? query.$deltatoken;
    let state: SyncState;
    if (tokenValue) {
      const found = this.states.get(tokenValue);
      if (!found || found.mailbox !== mailbox || found.folder !== folder) return this.graphError(res, 400, 'ErrorInvalidUrlQuery', 'The sync state token is invalid.');
      if (found.expired) return this.graphError(res, 410, 'SyncStateNotFound', 'The sync state is no longer valid. Start a new synchronization.');
      state = found;
    } else {
      const refused = deltaQueryError(query);
      if (refused) return this.graphError(res, 400, refused.code, refused.message);
      // The fake tracks only creations (what the adapter asks for).
      if (query.changeType && query.changeType !== 'created') return this.graphError(res, 400, 'ErrorInvalidUrlQuery', 'this stand-in tracks changeType=created only');
      const since = /^receivedDateTime ge (\S+)$/.exec(query.$filter ?? '')?.[1] ?? null;
      if (query.$filter && !since) return this.graphError(res, 400, 'ErrorInvalidUrlQueryFilter', 'this stand-in filters on receivedDateTime ge only');
      state = { mailbox, folder, since, select: query.$select ? query.$select.split(',') : null, afterSeq: 0, pageSize: null };
    }
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? state.pageSize ?? this.defaultPageSize);
    const textBody = /outlook\.body-content-type="?text"?/.test(prefer);
    const pending = this.box(mailbox)
      .filter((m) => m.folder === folder && m.seq > state.afterSeq && (!state.since || m.receivedDateTime >= state.since))
      // A message created and removed within the same round is not news.
      .filter((m) => !(m.removed && state.afterSeq === 0))
      .sort((a, b) => a.seq - b.seq);
    const page = pending.slice(0, pageSize);
    const more = pending.length > page.length;
    const lastSeq = page.length ? page[page.length - 1]!.seq : state.afterSeq;
    const nextState: SyncState = { ...state, afterSeq: more ? lastSeq : Math.max(lastSeq, this.seq), pageSize, expired: false };
    const key = randomBytes(18).toString('base64url');
    this.states.set(key, nextState);
    const base = `${this.url}/v1.0/users/${encodeURIComponent(mailbox)}/mailFolders/${folder}/messages/delta`;
    this.json(res, 200, {
      '@odata.context': `${this.url}/v1.0/$metadata#Collection(message)`,
      value: page.map((m) => this.view(m, state.select, textBody)),
      ...(more ? { '@odata.nextLink': `${base}?$skiptoken=${key}` } : { '@odata.deltaLink': `${base}?$deltatoken=${key}` }),
    }, prefer ? { 'preference-applied': prefer } : {});
  }

  private graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    this.json(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex'), 'client-request-id': randomBytes(8).toString('hex') } } }, headers);
  }

  private json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  }
}
