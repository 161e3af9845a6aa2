import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

/**
 * A small Gmail on a loopback port, speaking the documented REST shapes the `googleapis` client
 * sends, plus Google's OAuth token endpoint:
 *
 *   POST /token   jwt-bearer grant (RS256 assertion of a registered service account, aud Google's
 *                 token URL, `sub` = a mailbox of this fake, a Gmail scope) or refresh_token grant
 *                 (client id/secret + a refresh token handed out by `issueRefreshToken` or a code
 *                 exchange) → {access_token, expires_in, token_type, scope};
 *                 authorization_code grant (client id/secret, a code from `issueAuthorizationCode`
 *                 or `consent`, the redirect_uri it was issued for; a code works once)
 *                 → also {refresh_token, id_token (RS256, iss accounts.google.com, aud = client id,
 *                 email, email_verified, the auth request's nonce)} when `openid` was granted;
 *                 refused → 400 {error: 'invalid_grant' | 'redirect_uri_mismatch' | …}
 *   POST /revoke  token=<refresh or access token> → 200 {}; unknown → 400 {error: 'invalid_token'}
 *   GET    /gmail/v1/users/me/drafts[/:id?format=metadata]        drafts.list / drafts.get
 *   GET    /gmail/v1/users/me/drafts/:id?format=raw                       the draft's RFC 822 source
 *   POST   /gmail/v1/users/me/drafts        {message: {raw, threadId}}   drafts.create
 *   PUT    /gmail/v1/users/me/drafts/:id    {id, message: {raw, threadId}}  drafts.update (new message id, same draft id)
 *   POST   /gmail/v1/users/me/drafts/send   {id}                         drafts.send
 *   GET    /gmail/v1/users/me/messages?q=rfc822msgid:…                   messages.list
 *   GET    /gmail/v1/users/me/messages/:id?format=metadata&metadataHeaders=…
 *   GET    /gmail/v1/users/me/settings/sendAs[/:email]   PATCH …/sendAs/:email {signature}
 *   GET    /gmail/v1/users/me/profile                                    getProfile (historyId)
 *   GET    /gmail/v1/users/me/history?startHistoryId&historyTypes=messageAdded&maxResults&pageToken
 *          history.list: records after the start, paged; a start older than what the mailbox
 *          keeps (`expireHistory`) → 404, as Gmail answers for a too-old historyId
 *   GET    /gmail/v1/users/me/messages?q=after:<epoch s> -in:drafts&maxResults&pageToken   (newest first)
 *   GET    /gmail/v1/users/me/messages/:id?format=full      the MIME tree of a `deliver`ed mail
 *   POST   /gmail/v1/users/me/messages/send   {raw, threadId}               messages.send: the mail
 *          stays in `threadId` only when it answers a mail of that thread (In-Reply-To/References)
 *          under the same subject, as Gmail's threading rule says; else it gets a thread of its own;
 *          an unknown threadId → 404
 *   GET    /admin/directory/v1/users?customer&maxResults&pageToken&orderBy&viewType
 *          Admin SDK Directory API users.list: needs a token with DIRECTORY_READONLY_SCOPE (a
 *          service account may ask for it only once `authorizeDirectory` allowed it, as a Workspace
 *          admin adds the scope to the client ID's delegation) acting as an administrator
 *          (`makeAdmin`; others get 403 "Not Authorized to access this resource/api"); customer
 *          `my_customer` or DIRECTORY_CUSTOMER_ID; pages of `directoryPageSize`
 *
 * Mailbox sync calls check the token's scopes like Gmail: history, search queries and format=full
 * need gmail.readonly (or modify); messages.send needs gmail.send, compose or modify.
 *
 * Every API call needs `Authorization: Bearer <a token this fake issued>` (401 otherwise); the
 * token decides the mailbox ("me"). A path may start with `/w/<tag>/` (a worker's own rootUrl) so
 * tests can tell callers apart. Like real Gmail, drafts.send is not atomic: it reads the draft,
 * takes `sendLatencyMs`, then sends — two concurrent sends of one draft both go out, and
 * `sendsOf(draftId)` counts it. Failures are injectable (`failNext`, `chaos`), including
 * "carry the call out, then answer 500" and "carry it out, then never answer".
 */

export const GOOGLE_TOKEN_AUD = 'https://oauth2.googleapis.com/token';
export const GMAIL_SCOPE_PREFIX = 'https://www.googleapis.com/auth/gmail.';
export const DIRECTORY_READONLY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
export const DIRECTORY_CUSTOMER_ID = 'C03az79cb';

/** A user as the Directory API's users.list answers it (the fields directory sync reads). */
export interface FakeDirectoryUser {
  primaryEmail: string;
  name?: { fullName?: string; givenName?: string; familyName?: string };
  organizations?: { title?: string; department?: string; primary?: boolean }[];
  phones?: { value: string; type: string; primary?: boolean }[];
  suspended?: boolean;
  archived?: boolean;
}

export interface FakeMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  headers: { name: string; value: string }[];
  owner: string;
  snippet?: string;
  /** ms since the epoch when Gmail received it (default: when it was added). */
  internalDate?: number;
  sizeEstimate?: number;
  /** The MIME tree below the top-level headers, as format=full answers it. */
  payload?: FakePart;
  /** The RFC 822 source (drafts made by drafts.create / update or `addDraft`), what format=raw answers. */
  source?: Buffer;
}

/** A MIME part as Gmail's format=full shows it (`data` base64url; absent for attachments). */
export interface FakePart {
  mimeType: string;
  filename?: string;
  headers?: { name: string; value: string }[];
  body?: { size: number; data?: string; attachmentId?: string };
  parts?: FakePart[];
}

interface Mailbox {
  drafts: Map<string, FakeMessage>;
  messages: Map<string, FakeMessage>;
  sendAs: { sendAsEmail: string; displayName: string; isPrimary: boolean; isDefault: boolean; signature: string; verificationStatus: string }[];
  /** messageAdded records, oldest first; ids grow with every change. */
  history: { id: number; message: { id: string; threadId: string; labelIds: string[] } }[];
  historyId: number;
  /** history.list from a start below this answers 404. */
  historyFloor: number;
}

export interface FailureOptions {
  /** Only calls whose path (without the /w/<tag> prefix) matches. */
  path?: RegExp;
  method?: string;
  /** Only calls from this worker tag. */
  tag?: string;
  retryAfter?: string;
  /** Carry the call out, then answer the failure anyway (the answer is lost, the write is not). */
  afterCommit?: boolean;
  /** Carry the call out and never answer (the caller hangs until its timeout or death). */
  hang?: boolean;
  /** Only once this many drafts.send by the same tag have succeeded (a failure mid-batch). */
  afterSends?: number;
  /** The 403's reason: 'rateLimitExceeded' is a usage limit (retry), anything else a refusal. */
  reason?: string;
  /** Called when this failure is used. */
  onUse?: (tag: string | null) => void;
}

interface Failure extends FailureOptions {
  status: number;
}

interface AuthorizationCode {
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  emailVerified: boolean;
  used: boolean;
}

export const GOOGLE_ID_ISSUER = 'https://accounts.google.com';

export interface RecordedRequest {
  method: string;
  path: string;
  tag: string | null;
  user: string | null;
  query: Record<string, string>;
  body: unknown;
}

function b64json(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export class FakeGmail {
  private server: Server | null = null;
  url = '';
  readonly requests: RecordedRequest[] = [];
  /** Every successful drafts.send: which draft, which mailbox, which message it became. */
  readonly sends: { draftId: string; owner: string; messageId: string; rfc822MessageId: string; tag: string | null; at: number }[] = [];
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly tokens = new Map<string, string>();
  /** The scopes each access token was issued with (absent: not checked, as before mailbox sync). */
  private readonly tokenScopes = new Map<string, string[]>();
  private readonly accounts = new Map<string, KeyObject>();
  private readonly refreshTokens = new Map<string, string>();
  /** Scopes each refresh token carries (absent: compose + readonly, as `issueRefreshToken` always gave). */
  private readonly refreshScopes = new Map<string, string>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private idTokenKey: KeyObject | null = null;
  /** Every refresh token a code exchange handed out, with its mailbox (tests look for it at rest). */
  readonly issuedRefreshTokens: { email: string; refreshToken: string }[] = [];
  /** Every token revoked through /revoke. */
  readonly revocations: string[] = [];
  private readonly revoked = new Set<string>();
  private readonly hanging: ServerResponse[] = [];
  private failures: Failure[] = [];
  private chaosRate = 0;
  private chaosSeed = 1;
  private chaosStatuses: number[] = [];
  private nextId = 1;
  oauthClient = { id: 'fake-client-id.apps.googleusercontent.com', secret: 'fake-client-secret' };
  /** Time drafts.send takes between reading the draft and sending it. */
  sendLatencyMs = 0;
  private readonly directoryUsers: FakeDirectoryUser[] = [];
  private readonly directoryAdmins = new Set<string>();
  private readonly directoryDelegates = new Set<string>();
  /** users.list page size cap (Google's is 500). */
  directoryPageSize = 500;
  /** Time every request (API and token endpoint) takes before it is answered, as a remote Google would (the bench's 300 ms). */
  latencyMs = 0;
  /** The stand-in's clock: when messages.send sends. */
  now: () => number = Date.now;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error: unknown) => this.json(res, 500, { error: { code: 500, message: String(error) } })));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging.splice(0)) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The token endpoint URL and the Gmail root URL (optionally tagged for one worker). */
  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  rootUrl(tag?: string): string {
    return tag ? `${this.url}/w/${tag}/` : `${this.url}/`;
  }

  addServiceAccount(email: string, publicKeyPem: string): void {
    this.accounts.set(email, createPublicKey(publicKeyPem));
  }

  /** A Directory API user; `admin` also makes it a mailbox that may list users. */
  addDirectoryUser(user: FakeDirectoryUser): void {
    this.directoryUsers.push(user);
  }

  /** An administrator the service account may act as to list users (also a mailbox, so it can get a token). */
  makeAdmin(email: string): void {
    this.addUser(email);
    this.directoryAdmins.add(email.toLowerCase());
  }

  /** The Workspace admin added DIRECTORY_READONLY_SCOPE to this service account's domain-wide delegation. */
  authorizeDirectory(serviceAccountEmail: string): void {
    this.directoryDelegates.add(serviceAccountEmail);
  }

  addUser(email: string, sendAs: { displayName?: string; signature?: string } = {}): void {
    const address = email.toLowerCase();
    if (this.mailboxes.has(address)) return;
    this.mailboxes.set(address, {
      drafts: new Map(),
      messages: new Map(),
      sendAs: [{ sendAsEmail: address, displayName: sendAs.displayName ?? '', isPrimary: true, isDefault: true, signature: sendAs.signature ?? '', verificationStatus: 'accepted' }],
      history: [],
      historyId: 1000,
      historyFloor: 0,
    });
  }

  /** Google refuses grants for this mailbox from now on (revoked access / suspended user). */
  revokeUser(email: string): void {
    this.revoked.add(email.toLowerCase());
    for (const [token, user] of this.tokens) if (user === email.toLowerCase()) this.tokens.delete(token);
  }

  issueRefreshToken(email: string, scopes?: string[]): string {
    const token = `1//fake-refresh-${randomBytes(8).toString('hex')}`;
    this.refreshTokens.set(token, email.toLowerCase());
    if (scopes) this.refreshScopes.set(token, scopes.join(' '));
    return token;
  }

  /**
   * An authorization code as Google's consent page would hand it to `redirectUri` after `email`
   * consented to `scopes` (default: compose, readonly, openid, email). Works once, at the token
   * endpoint, for `clientId` (default: this fake's client) and exactly that redirect_uri.
   */
  issueAuthorizationCode(email: string, options: { redirectUri: string; scopes?: string[]; nonce?: string; clientId?: string; emailVerified?: boolean }): string {
    const code = `4/0fake-${randomBytes(12).toString('base64url')}`;
    this.codes.set(code, {
      email: email.toLowerCase(),
      clientId: options.clientId ?? this.oauthClient.id,
      redirectUri: options.redirectUri,
      scopes: options.scopes ?? [`${GMAIL_SCOPE_PREFIX}compose`, `${GMAIL_SCOPE_PREFIX}readonly`, 'openid', 'email'],
      nonce: options.nonce,
      emailVerified: options.emailVerified ?? true,
      used: false,
    });
    return code;
  }

  /**
   * What Google's consent page does with a consent URL (accounts.google.com/o/oauth2/v2/auth?…)
   * when `email` signs in and allows it: the code for the URL's client, redirect_uri, nonce and
   * scopes (or only `grant`, when the user unticks some), and the state to bring back unchanged.
   */
  consent(consentUrl: string, email: string, options: { grant?: string[]; emailVerified?: boolean } = {}): { code: string; state: string; redirectUri: string; asked: string[] } {
    const url = new URL(consentUrl);
    const param = (name: string) => {
      const value = url.searchParams.get(name);
      if (!value) throw new Error(`fake Google: the consent URL has no ${name}`);
      return value;
    };
    if (param('response_type') !== 'code') throw new Error('fake Google: response_type must be code');
    const asked = param('scope').split(' ');
    const redirectUri = param('redirect_uri');
    const nonce = url.searchParams.get('nonce') ?? undefined;
    const code = this.issueAuthorizationCode(email, { redirectUri, scopes: options.grant ?? asked, clientId: param('client_id'), ...(nonce ? { nonce } : {}), ...(options.emailVerified === undefined ? {} : { emailVerified: options.emailVerified }) });
    return { code, state: param('state'), redirectUri, asked };
  }

  /** Gmail add-on tokens: the event's userOAuthToken and its gmail.accessToken (X-Goog-Gmail-Access-Token). */
  readonly addonAccessTokens = new Map<string, string>();

  issueAddonTokens(email: string): { userOAuthToken: string; gmailAccessToken: string } {
    const userOAuthToken = `ya29.addon-${randomBytes(9).toString('base64url')}`;
    const gmailAccessToken = `gmail-access-${randomBytes(9).toString('base64url')}`;
    this.tokens.set(userOAuthToken, email.toLowerCase());
    this.addonAccessTokens.set(gmailAccessToken, email.toLowerCase());
    return { userOAuthToken, gmailAccessToken };
  }

  /** A received mail in the mailbox (what a rep opens in Gmail). */
  addMessage(owner: string, mail: { from: string; to: string[]; subject: string; date: string; messageId: string; threadId?: string; snippet?: string }): { id: string; threadId: string } {
    const message: FakeMessage = {
      ...(mail.snippet !== undefined ? { snippet: mail.snippet } : {}),
      id: this.newMessageId(),
      threadId: mail.threadId ?? this.newMessageId(),
      labelIds: ['INBOX'],
      owner: owner.toLowerCase(),
      headers: [
        { name: 'From', value: mail.from },
        { name: 'To', value: mail.to.join(', ') },
        { name: 'Subject', value: mail.subject },
        { name: 'Date', value: mail.date },
        { name: 'Message-ID', value: mail.messageId },
      ],
    };
    this.mailbox(owner).messages.set(message.id, message);
    this.recordAdded(owner, message);
    return { id: message.id, threadId: message.threadId };
  }

  /** A draft in the mailbox, as the rep would have written it in Gmail. */
  addDraft(owner: string, draft: { to: string[]; subject: string; threadId?: string; messageId?: string; cc?: string[]; inReplyTo?: string; html?: string }): { draftId: string; messageId: string; rfc822MessageId: string } {
    const mailbox = this.mailbox(owner);
    const draftId = `r-${100000 + this.nextId++}`;
    const rfc822MessageId = draft.messageId ?? `<CAfake${this.nextId++}.${randomBytes(4).toString('hex')}@mail.gmail.com>`;
    const headers = [
      { name: 'From', value: owner },
      { name: 'To', value: draft.to.join(', ') },
      ...(draft.cc?.length ? [{ name: 'Cc', value: draft.cc.join(', ') }] : []),
      { name: 'Subject', value: draft.subject },
      { name: 'Message-ID', value: rfc822MessageId },
      ...(draft.inReplyTo ? [{ name: 'In-Reply-To', value: draft.inReplyTo }, { name: 'References', value: draft.inReplyTo }] : []),
    ];
    // Gmail's own drafts: an HTML body, quoted-printable, under MIME-Version and Content-Type.
    const source = draft.html === undefined
      ? undefined
      : Buffer.from([...headers.map((h) => `${h.name}: ${h.value}`), 'MIME-Version: 1.0', 'Content-Type: text/html; charset="UTF-8"', 'Content-Transfer-Encoding: 8bit', '', draft.html].join('\r\n'), 'utf8');
    const message: FakeMessage = {
      id: this.newMessageId(),
      threadId: draft.threadId ?? this.newMessageId(),
      labelIds: ['DRAFT'],
      owner: owner.toLowerCase(),
      headers,
      ...(source ? { source } : {}),
      ...(draft.html === undefined ? {} : { payload: { mimeType: 'text/html', body: { size: Buffer.byteLength(draft.html), data: Buffer.from(draft.html, 'utf8').toString('base64url') } } }),
    };
    mailbox.drafts.set(draftId, message);
    return { draftId, messageId: message.id, rfc822MessageId };
  }

  deleteDraft(owner: string, draftId: string): void {
    this.mailbox(owner).drafts.delete(draftId);
  }

  /** The ids of the drafts the user has now. */
  draftIds(owner: string): string[] {
    return [...this.mailbox(owner).drafts.keys()];
  }

  hasDraft(owner: string, draftId: string): boolean {
    return this.mailbox(owner).drafts.has(draftId);
  }

  /** A draft's message as stored now (its source when it has one), or undefined. */
  draft(owner: string, draftId: string): FakeMessage | undefined {
    return this.mailbox(owner).drafts.get(draftId);
  }

  sendsOf(draftId: string): number {
    return this.sends.filter((s) => s.draftId === draftId).length;
  }

  sentMessages(owner: string): FakeMessage[] {
    return [...this.mailbox(owner).messages.values()].filter((m) => m.labelIds.includes('SENT'));
  }

  sendAsOf(owner: string) {
    return this.mailbox(owner).sendAs;
  }

  /**
   * A mail arriving in (labelIds INBOX) or sent from (SENT) the mailbox, with its full MIME tree;
   * recorded in history like every added message. Answers its ids and the history id it made.
   */
  deliver(owner: string, mail: { labelIds: string[]; headers: { name: string; value: string }[]; internalDate: number; payload?: FakePart; threadId?: string; sizeEstimate?: number }): { id: string; threadId: string; historyId: number } {
    const message: FakeMessage = {
      id: this.newMessageId(),
      threadId: mail.threadId ?? this.newMessageId(),
      labelIds: mail.labelIds,
      owner: owner.toLowerCase(),
      headers: mail.headers,
      internalDate: mail.internalDate,
      ...(mail.sizeEstimate === undefined ? {} : { sizeEstimate: mail.sizeEstimate }),
      ...(mail.payload ? { payload: mail.payload } : {}),
    };
    this.mailbox(owner).messages.set(message.id, message);
    this.recordAdded(owner, message);
    return { id: message.id, threadId: message.threadId, historyId: this.mailbox(owner).historyId };
  }

  private sorted = new WeakMap<Mailbox, { key: string; messages: FakeMessage[] }>();

  /** The mailbox's messages, newest first, sorted again only when one was added or deleted (a 50,000-message backfill lists 500 pages). */
  private newestFirst(mailbox: Mailbox): FakeMessage[] {
    const key = `${mailbox.historyId}:${mailbox.messages.size}`;
    const cached = this.sorted.get(mailbox);
    if (cached?.key === key) return cached.messages;
    const messages = [...mailbox.messages.values()].sort((a, b) => (b.internalDate ?? 0) - (a.internalDate ?? 0));
    this.sorted.set(mailbox, { key, messages });
    return messages;
  }

  /** Deletes a message for good (history keeps its messageAdded record, as Gmail's does). */
  deleteMessage(owner: string, id: string): void {
    this.mailbox(owner).messages.delete(id);
  }

  /** Gmail stops keeping the history so far: a start below the current history id answers 404. */
  expireHistory(owner: string): void {
    const mailbox = this.mailbox(owner);
    mailbox.historyFloor = mailbox.historyId;
  }

  private recordAdded(owner: string, message: FakeMessage): void {
    const mailbox = this.mailbox(owner);
    // Gmail's history ids grow by more than one per change.
    mailbox.historyId += 7;
    mailbox.history.push({ id: mailbox.historyId, message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] } });
  }

  failNext(count: number, status: number, options: FailureOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, ...options });
  }

  /** A share of all API calls fails at random (seeded, reproducible) with one of `statuses`. */
  chaos(rate: number, statuses: number[] = [500, 429], seed = 7): void {
    this.chaosRate = rate;
    this.chaosStatuses = statuses;
    this.chaosSeed = seed;
  }

  private random(): number {
    // mulberry32: a reproducible sequence for the chaos failures.
    let t = (this.chaosSeed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private mailbox(owner: string): Mailbox {
    const mailbox = this.mailboxes.get(owner.toLowerCase());
    if (!mailbox) throw new Error(`fake Gmail: no mailbox ${owner}`);
    return mailbox;
  }

  /** Gmail's rule for a sent mail given a threadId: it answers a mail of that thread (In-Reply-To / References) and keeps its subject. */
  private belongsTo(mailbox: Mailbox, threadId: string, headers: { name: string; value: string }[]): boolean {
    const header = (list: { name: string; value: string }[], name: string) => list.find((h) => h.name.toLowerCase() === name)?.value ?? '';
    const decoded = (value: string) => value.replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_w, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
    const topic = (subject: string) => decoded(subject).replace(/^\s*((re|fw|fwd|aw|sv|rv)\s*:\s*|回复[:：]\s*)+/i, '').trim().toLowerCase();
    const answered = `${header(headers, 'in-reply-to')} ${header(headers, 'references')}`.match(/<[^<>\s]+>/g) ?? ([] as string[]);
    const thread = [...mailbox.messages.values()].filter((m) => m.threadId === threadId);
    return thread.some((m) => answered.includes(header(m.headers, 'message-id')) && topic(header(m.headers, 'subject')) === topic(header(headers, 'subject')));
  }

  private newMessageId(): string {
    return (0x18c0000000 + this.nextId++).toString(16);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const batch = /^(\/w\/[^/]+)?\/batch\/gmail\/v1$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (batch && req.method === 'POST') return this.batch(req, raw, batch[1] ?? '', res);
    await this.serve({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, raw }, res);
  }

  /**
   * Gmail's batch endpoint: a multipart/mixed body of at most 100 `application/http` calls, each
   * served as if it came alone with the outer request's Authorization (and recorded in `requests`
   * as such), answered as one multipart/mixed body whose parts carry `Content-ID: <response-…>`,
   * in reverse order (Google promises no order).
   */
  private async batch(req: IncomingMessage, raw: string, prefix: string, res: ServerResponse): Promise<void> {
    this.requests.push({ method: 'POST', path: '/batch/gmail/v1', tag: prefix ? prefix.slice(3) : null, user: null, query: {}, body: null });
    const boundary = /^multipart\/mixed;\s*boundary="?([^";]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (!boundary) return this.googleError(res, 400, 'Content-Type must be multipart/mixed with a boundary', 'INVALID_ARGUMENT');
    const parts = raw.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--'));
    if (parts.length > 100) return this.googleError(res, 400, 'A batch request cannot contain more than 100 requests.', 'INVALID_ARGUMENT');
    const answers = await Promise.all(
      parts.map(async (part) => {
        const [head = '', inner = ''] = part.replace(/^\r\n/, '').split(/\r\n\r\n/, 2);
        const contentId = /^content-id:\s*<([^>]*)>/im.exec(head)?.[1] ?? '';
        const line = /^(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP\/1\.1/.exec(inner);
        const answer = { status: 400, headers: {} as Record<string, string>, body: '' };
        const collect = {
          headersSent: false,
          destroyed: false,
          writeHead(status: number, headers: Record<string, string>) {
            answer.status = status;
            answer.headers = headers;
            this.headersSent = true;
          },
          end(body: string) {
            answer.body = body;
          },
        };
        if (!line) answer.body = JSON.stringify({ error: { code: 400, message: 'Malformed batch part', status: 'INVALID_ARGUMENT' } });
        else await this.serve({ method: line[1]!, url: `${prefix}${line[2]!}`, headers: { authorization: req.headers.authorization }, raw: '' }, collect as unknown as ServerResponse);
        return { contentId, ...answer };
      }),
    );
    const out = `batch_fake_${this.nextId++}`;
    const reasons: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' };
    const body =
      answers
        .reverse()
        .map((a) => `--${out}\r\nContent-Type: application/http\r\nContent-ID: <response-${a.contentId}>\r\n\r\nHTTP/1.1 ${a.status} ${reasons[a.status] ?? 'Error'}\r\n${Object.entries(a.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${a.body}\r\n`)
        .join('') + `--${out}--\r\n`;
    res.writeHead(200, { 'content-type': `multipart/mixed; boundary=${out}` });
    res.end(body);
  }

  private async serve(req: { method: string; url: string; headers: IncomingMessage['headers']; raw: string }, res: ServerResponse): Promise<void> {
    const raw = req.raw;
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    let tag: string | null = null;
    const tagged = /^\/w\/([^/]+)(\/.*)$/.exec(path);
    if (tagged) {
      tag = tagged[1]!;
      path = tagged[2]!;
    }
    const query = Object.fromEntries(url.searchParams);
    // A repeated parameter (metadataHeaders=From&metadataHeaders=To) keeps every value.
    if (url.searchParams.has('metadataHeaders')) query.metadataHeaders = url.searchParams.getAll('metadataHeaders').join('\n');
    const method = req.method;

    if (path === '/token') {
      this.requests.push({ method, path, tag, user: null, query, body: raw });
      return this.token(res, method, req.headers['content-type'] ?? '', raw);
    }
    if (path === '/revoke') {
      this.requests.push({ method, path, tag, user: null, query, body: raw });
      return this.revoke(res, method, query.token ?? new URLSearchParams(raw).get('token') ?? '');
    }

    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.googleError(res, 400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = bearer ? this.tokens.get(bearer) ?? null : null;
    const scopes = bearer ? this.tokenScopes.get(bearer) : undefined;
    this.requests.push({ method, path, tag, user, query, body });
    if (!user) return this.googleError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'UNAUTHENTICATED');
    const addonToken = req.headers['x-goog-gmail-access-token'];
    if (typeof addonToken === 'string' && this.addonAccessTokens.get(addonToken) !== user) return this.googleError(res, 401, 'Invalid Gmail add-on access token.', 'UNAUTHENTICATED');

    const failure = this.takeFailure(method, path, tag);
    if (failure) {
      failure.onUse?.(tag);
      if (failure.afterCommit || failure.hang) await this.route(method, path, query, body, user, tag, null);
      if (failure.hang) {
        this.hanging.push(res);
        return;
      }
      return this.fail(res, failure);
    }
    if (path.startsWith('/admin/directory/v1/')) return this.directory(res, method, path, query, user, scopes ?? []);
    const needed = this.scopesNeeded(method, path, query);
    if (needed && scopes && !scopes.some((s) => needed.includes(s))) return this.googleError(res, 403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', {}, 'insufficientPermissions');
    await this.route(method, path, query, body, user, tag, res);
  }

  /** The Directory API's users.list, as much of it as directory sync uses. */
  private directory(res: ServerResponse, method: string, path: string, query: Record<string, string>, user: string, scopes: string[]): void {
    if (method !== 'GET' || path !== '/admin/directory/v1/users') return this.googleError(res, 404, 'Not Found', 'NOT_FOUND');
    if (!scopes.includes(DIRECTORY_READONLY_SCOPE)) return this.googleError(res, 403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', {}, 'insufficientPermissions');
    if (!this.directoryAdmins.has(user)) return this.googleError(res, 403, 'Not Authorized to access this resource/api', 'PERMISSION_DENIED', {}, 'forbidden');
    if (!query.customer && !query.domain) return this.googleError(res, 400, 'Bad Request', 'INVALID_ARGUMENT', {}, 'badRequest');
    if (query.customer && query.customer !== 'my_customer' && query.customer !== DIRECTORY_CUSTOMER_ID) return this.googleError(res, 400, 'Bad Request', 'INVALID_ARGUMENT', {}, 'badRequest');
    const size = Math.min(Number(query.maxResults ?? 100) || 100, this.directoryPageSize, 500);
    const start = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8')) : 0;
    const sorted = [...this.directoryUsers].sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail));
    const users = sorted.slice(start, start + size).map((u) => ({ kind: 'admin#directory#user', id: String(100_000 + sorted.indexOf(u)), ...u }));
    const next = start + size < sorted.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
    this.json(res, 200, { kind: 'admin#directory#users', etag: '"fake"', users, ...(next ? { nextPageToken: next } : {}) });
  }

  /** Scopes of which a mailbox-sync call needs one (undefined: the call predates the check). */
  private scopesNeeded(method: string, path: string, query: Record<string, string>): string[] | undefined {
    const read = [`${GMAIL_SCOPE_PREFIX}readonly`, `${GMAIL_SCOPE_PREFIX}modify`, 'https://mail.google.com/'];
    const rest = path.replace(/^\/gmail\/v1\/users\/me/, '');
    if (rest === '/history' || (rest === '/messages' && method === 'GET' && /after:/.test(query.q ?? '')) || (/^\/messages\/[^/]+$/.test(rest) && query.format === 'full')) return read;
    if (rest === '/profile') return [...read, `${GMAIL_SCOPE_PREFIX}metadata`, `${GMAIL_SCOPE_PREFIX}compose`, `${GMAIL_SCOPE_PREFIX}send`];
    if (rest === '/messages/send') return [`${GMAIL_SCOPE_PREFIX}send`, `${GMAIL_SCOPE_PREFIX}compose`, `${GMAIL_SCOPE_PREFIX}modify`, 'https://mail.google.com/'];
    if (/^\/drafts\/[^/]+$/.test(rest) && (method === 'PUT' || query.format === 'raw')) return [`${GMAIL_SCOPE_PREFIX}compose`, `${GMAIL_SCOPE_PREFIX}modify`, 'https://mail.google.com/', ...(method === 'GET' ? read : [])];
    return undefined;
  }

  private takeFailure(method: string, path: string, tag: string | null): Failure | undefined {
    const index = this.failures.findIndex((f) => (!f.path || f.path.test(path)) && (!f.method || f.method === method) && (!f.tag || f.tag === tag) && (f.afterSends === undefined || this.sends.filter((s) => s.tag === tag).length >= f.afterSends));
    if (index >= 0) return this.failures.splice(index, 1)[0];
    if (this.chaosRate > 0 && this.random() < this.chaosRate) {
      const status = this.chaosStatuses[Math.floor(this.random() * this.chaosStatuses.length)] ?? 500;
      // Some 500s come after the work was done: the answer is lost, the send is not.
      return { status, retryAfter: status === 429 ? '1' : undefined, afterCommit: status >= 500 && this.random() < 0.5 } as Failure;
    }
    return undefined;
  }

  private fail(res: ServerResponse, failure: Failure): void {
    if (failure.status === 429) return this.googleError(res, 429, 'Too many concurrent requests for user', 'RESOURCE_EXHAUSTED', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}, 'rateLimitExceeded');
    if (failure.status === 401) return this.googleError(res, 401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED');
    if (failure.status === 403 && failure.reason === 'rateLimitExceeded') return this.googleError(res, 403, 'Rate Limit Exceeded', 'PERMISSION_DENIED', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}, 'rateLimitExceeded');
    if (failure.status === 403) return this.googleError(res, 403, 'Delegation denied for the user', 'PERMISSION_DENIED', {}, 'forbidden');
    if (failure.status === 404) return this.googleError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', {}, 'notFound');
    if (failure.status === 400) return this.googleError(res, 400, 'Invalid To header', 'INVALID_ARGUMENT', {}, 'invalidArgument');
    return this.googleError(res, failure.status, 'Internal error encountered.', 'INTERNAL', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}, 'backendError');
  }

  private revoke(res: ServerResponse, method: string, token: string): void {
    if (method !== 'POST') return this.json(res, 405, { error: 'invalid_request' });
    if (this.refreshTokens.delete(token)) {
      this.revocations.push(token);
      return this.json(res, 200, {});
    }
    if (this.tokens.delete(token)) {
      this.revocations.push(token);
      return this.json(res, 200, {});
    }
    this.json(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
  }

  private async idToken(code: AuthorizationCode): Promise<string> {
    this.idTokenKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const now = Math.floor(Date.now() / 1000);
    // Like Google: the e-mail claims only when the `email` scope was granted.
    const email = code.scopes.includes('email') ? { email: code.email, email_verified: code.emailVerified } : {};
    return new SignJWT({ azp: code.clientId, ...email, ...(code.nonce ? { nonce: code.nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-google-1', typ: 'JWT' })
      .setIssuer(GOOGLE_ID_ISSUER)
      .setAudience(code.clientId)
      .setSubject(`1${Buffer.from(code.email).toString('hex').slice(0, 20)}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.idTokenKey);
  }

  private async token(res: ServerResponse, method: string, contentType: string, raw: string): Promise<void> {
    const invalid = (description: string, status = 400, error = 'invalid_grant') => this.json(res, status, { error, error_description: description });
    if (method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) return invalid('Bad Request', 400, 'invalid_request');
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type');
    let sub: string;
    let scope: string;
    if (grantType === 'refresh_token') {
      if (form.get('client_id') !== this.oauthClient.id || form.get('client_secret') !== this.oauthClient.secret) return invalid('The OAuth client was not found.', 401, 'invalid_client');
      const refreshToken = form.get('refresh_token') ?? '';
      const owner = this.refreshTokens.get(refreshToken);
      if (!owner) return invalid('Token has been expired or revoked.');
      sub = owner;
      scope = this.refreshScopes.get(refreshToken) ?? `${GMAIL_SCOPE_PREFIX}compose ${GMAIL_SCOPE_PREFIX}readonly`;
    } else if (grantType === 'authorization_code') {
      if (form.get('client_id') !== this.oauthClient.id || form.get('client_secret') !== this.oauthClient.secret) return invalid('The OAuth client was not found.', 401, 'invalid_client');
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.clientId !== this.oauthClient.id) return invalid('Malformed auth code.');
      if (code.used) return invalid('Bad Request');
      if (form.get('redirect_uri') !== code.redirectUri) return invalid('Bad Request', 400, 'redirect_uri_mismatch');
      code.used = true;
      if (!this.mailboxes.has(code.email) || this.revoked.has(code.email)) return invalid('Bad Request');
      const accessToken = `ya29.fake-${randomBytes(9).toString('base64url')}`;
      this.tokens.set(accessToken, code.email);
      const gmailScopes = code.scopes.filter((s) => s.startsWith(GMAIL_SCOPE_PREFIX));
      const refreshToken = this.issueRefreshToken(code.email, gmailScopes);
      this.issuedRefreshTokens.push({ email: code.email, refreshToken });
      // Google answers the granted scopes in its own order, with openid spelled out.
      const granted = code.scopes.map((s) => (s === 'email' ? 'https://www.googleapis.com/auth/userinfo.email' : s));
      return this.json(res, 200, {
        access_token: accessToken,
        expires_in: 3599,
        token_type: 'Bearer',
        refresh_token: refreshToken,
        scope: granted.join(' '),
        ...(code.scopes.includes('openid') ? { id_token: await this.idToken(code) } : {}),
      });
    } else if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
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
      if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature ?? '', 'base64url'))) return invalid('Invalid JWT Signature.');
      if (claims.aud !== GOOGLE_TOKEN_AUD) return invalid('Invalid JWT: Failed audience check.');
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp < now) return invalid('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
      scope = typeof claims.scope === 'string' ? claims.scope : '';
      const asked = scope.split(' ');
      if (asked.includes(DIRECTORY_READONLY_SCOPE) && !this.directoryDelegates.has(String(claims.iss))) return invalid('Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.', 401, 'unauthorized_client');
      if (!asked.some((s) => s.startsWith(GMAIL_SCOPE_PREFIX) || s === DIRECTORY_READONLY_SCOPE)) return invalid('Invalid OAuth scope or ID token audience provided.', 400, 'invalid_scope');
      sub = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
      if (!sub) return invalid('domain-wide delegation needs sub', 401, 'unauthorized_client');
    } else {
      return invalid('Invalid grant_type', 400, 'unsupported_grant_type');
    }
    if (!this.mailboxes.has(sub)) return invalid('Invalid email or User ID');
    if (this.revoked.has(sub)) return invalid('Token has been expired or revoked.');
    const accessToken = `ya29.fake-${randomBytes(9).toString('base64url')}`;
    this.tokens.set(accessToken, sub);
    this.tokenScopes.set(accessToken, scope.split(' ').filter(Boolean));
    this.json(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer', scope });
  }

  private view(message: FakeMessage, format: string | undefined, only?: string[]) {
    const headers = only?.length ? message.headers.filter((h) => only.some((o) => o.toLowerCase() === h.name.toLowerCase())) : message.headers;
    const times = message.internalDate === undefined ? {} : { internalDate: String(message.internalDate), sizeEstimate: message.sizeEstimate ?? 1024, historyId: String(this.mailbox(message.owner).historyId) };
    const tree = message.payload;
    return {
      id: message.id,
      threadId: message.threadId,
      labelIds: message.labelIds,
      ...times,
      ...(format === 'minimal'
        ? {}
        : format === 'full' && tree
          ? { snippet: message.snippet ?? '', payload: { partId: '', ...tree, headers } }
          : { snippet: message.snippet ?? '', payload: { mimeType: tree?.mimeType ?? 'text/html', headers } }),
    };
  }

  /** `res` null: carry the call out without answering (afterCommit / hang failures). */
  private async route(method: string, path: string, query: Record<string, string>, body: unknown, user: string, tag: string | null, res: ServerResponse | null): Promise<void> {
    const reply = (status: number, payload: unknown) => (res ? this.json(res, status, payload) : undefined);
    const notFound = () => (res ? this.googleError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', {}, 'notFound') : undefined);
    const mailbox = this.mailbox(user);
    const base = '/gmail/v1/users/me';
    if (!path.startsWith(`${base}/`)) return notFound();
    const rest = path.slice(base.length);
    let m: RegExpExecArray | null;

    if (rest === '/drafts/send' && method === 'POST') {
      const draftId = (body as { id?: unknown } | null)?.id;
      if (typeof draftId !== 'string') return res ? this.googleError(res, 400, 'Invalid draft id', 'INVALID_ARGUMENT') : undefined;
      const draft = mailbox.drafts.get(draftId);
      if (!draft) return notFound();
      if (this.sendLatencyMs) await new Promise((r) => setTimeout(r, this.sendLatencyMs));
      const to = draft.headers.find((h) => h.name === 'To')?.value ?? '';
      if (!to.includes('@')) return res ? this.googleError(res, 400, 'Invalid To header', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
      mailbox.drafts.delete(draftId);
      const sent: FakeMessage = { ...draft, id: draft.id, labelIds: ['SENT'] };
      mailbox.messages.set(sent.id, sent);
      this.recordAdded(user, sent);
      const rfc822MessageId = draft.headers.find((h) => h.name === 'Message-ID')?.value ?? '';
      this.sends.push({ draftId, owner: user, messageId: sent.id, rfc822MessageId, tag, at: Date.now() });
      return reply(200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
    }
    if (rest === '/drafts' && method === 'POST') {
      const message = (body as { message?: { raw?: unknown; threadId?: unknown } } | null)?.message;
      if (!message || typeof message.raw !== 'string') return res ? this.googleError(res, 400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'INVALID_ARGUMENT') : undefined;
      const source = Buffer.from(message.raw, 'base64url').toString('utf8');
      const head = source.split(/\r?\n\r?\n/)[0] ?? '';
      const headers = head.split(/\r?\n/).map((line) => /^([^:]+):\s?(.*)$/.exec(line)).filter((x): x is RegExpExecArray => Boolean(x)).map((x) => ({ name: x[1]!, value: x[2]! }));
      if (!headers.some((h) => h.name.toLowerCase() === 'message-id')) headers.push({ name: 'Message-ID', value: `<CAfake${this.nextId++}@mail.gmail.com>` });
      const draftId = `r-${100000 + this.nextId++}`;
      const stored: FakeMessage = { id: this.newMessageId(), threadId: typeof message.threadId === 'string' ? message.threadId : this.newMessageId(), labelIds: ['DRAFT'], headers, owner: user, source: Buffer.from(message.raw, 'base64url') };
      mailbox.drafts.set(draftId, stored);
      return reply(200, { id: draftId, message: { id: stored.id, threadId: stored.threadId, labelIds: stored.labelIds } });
    }
    if (rest === '/drafts' && method === 'GET') {
      return reply(200, { drafts: [...mailbox.drafts.entries()].reverse().map(([id, msg]) => ({ id, message: { id: msg.id, threadId: msg.threadId } })), resultSizeEstimate: mailbox.drafts.size });
    }
    if ((m = /^\/drafts\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const draft = mailbox.drafts.get(m[1]!);
      if (!draft) return notFound();
      if (query.format === 'raw') {
        // A draft known by its headers only is given an empty plain-text body, as Gmail would store it.
        const source = draft.source ?? Buffer.from(`${draft.headers.map((h) => `${h.name}: ${h.value}`).join('\r\n')}\r\n\r\n`, 'utf8');
        return reply(200, { id: m[1], message: { id: draft.id, threadId: draft.threadId, labelIds: draft.labelIds, raw: source.toString('base64url') } });
      }
      return reply(200, { id: m[1], message: this.view(draft, query.format) });
    }
    if ((m = /^\/drafts\/([^/]+)$/.exec(rest)) && method === 'PUT') {
      // drafts.update: the message is replaced (a new message id), the draft id stays; the thread is the one given.
      const draft = mailbox.drafts.get(m[1]!);
      if (!draft) return notFound();
      const message = (body as { message?: { raw?: unknown; threadId?: unknown } } | null)?.message;
      if (!message || typeof message.raw !== 'string') return res ? this.googleError(res, 400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'INVALID_ARGUMENT') : undefined;
      const source = Buffer.from(message.raw, 'base64url');
      const head = source.toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
      const headers = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).map((line) => /^([^:]+):\s?(.*)$/.exec(line)).filter((x): x is RegExpExecArray => Boolean(x)).map((x) => ({ name: x[1]!, value: x[2]! }));
      const updated: FakeMessage = { id: this.newMessageId(), threadId: typeof message.threadId === 'string' ? message.threadId : this.newMessageId(), labelIds: ['DRAFT'], headers, owner: user, source };
      mailbox.drafts.set(m[1]!, updated);
      return reply(200, { id: m[1], message: { id: updated.id, threadId: updated.threadId, labelIds: updated.labelIds } });
    }
    if (rest === '/profile' && method === 'GET') {
      return reply(200, { emailAddress: user, messagesTotal: mailbox.messages.size, threadsTotal: mailbox.messages.size, historyId: String(mailbox.historyId) });
    }
    if (rest === '/history' && method === 'GET') {
      const start = Number(query.startHistoryId);
      if (!query.startHistoryId || !Number.isInteger(start)) return res ? this.googleError(res, 400, 'Invalid startHistoryId', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
      if (start < mailbox.historyFloor) return notFound();
      if (query.historyTypes && query.historyTypes !== 'messageAdded') return res ? this.googleError(res, 400, 'Invalid historyTypes', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
      const records = mailbox.history.filter((h) => h.id > start);
      const offset = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8')) : 0;
      const size = Math.min(500, Number(query.maxResults ?? 100));
      const page = records.slice(offset, offset + size);
      const more = records.length > offset + page.length;
      return reply(200, {
        ...(page.length ? { history: page.map((h) => ({ id: String(h.id), messages: [h.message], messagesAdded: [{ message: h.message }] })) } : {}),
        historyId: String(mailbox.historyId),
        ...(more ? { nextPageToken: Buffer.from(String(offset + page.length)).toString('base64url') } : {}),
      });
    }
    if (rest === '/messages/send' && method === 'POST') {
      const raw = (body as { raw?: unknown; threadId?: unknown } | null)?.raw;
      if (typeof raw !== 'string') return res ? this.googleError(res, 400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'INVALID_ARGUMENT') : undefined;
      const source = Buffer.from(raw, 'base64url').toString('utf8');
      const head = source.split(/\r?\n\r?\n/)[0] ?? '';
      const headers = head.split(/\r?\n/).map((line) => /^([^:]+):\s?(.*)$/.exec(line)).filter((x): x is RegExpExecArray => Boolean(x)).map((x) => ({ name: x[1]!, value: x[2]! }));
      if (!headers.some((h) => h.name.toLowerCase() === 'to')) return res ? this.googleError(res, 400, 'Recipient address required', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
      if (!headers.some((h) => h.name.toLowerCase() === 'message-id')) headers.push({ name: 'Message-ID', value: `<CAfake${this.nextId++}@mail.gmail.com>` });
      const threadId = (body as { threadId?: unknown }).threadId;
      if (typeof threadId === 'string' && ![...mailbox.messages.values()].some((m) => m.threadId === threadId)) return notFound();
      // Gmail keeps a sent mail in the thread asked for only when it answers a mail of that thread
      // (In-Reply-To / References) under the same subject; otherwise it starts a thread of its own.
      const sent: FakeMessage = { id: this.newMessageId(), threadId: typeof threadId === 'string' && this.belongsTo(mailbox, threadId, headers) ? threadId : this.newMessageId(), labelIds: ['SENT'], headers, owner: user, internalDate: this.now() };
      mailbox.messages.set(sent.id, sent);
      this.recordAdded(user, sent);
      return reply(200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
    }
    if (rest === '/messages' && method === 'GET' && /after:/.test(query.q ?? '')) {
      const after = Number(/after:(\d+)/.exec(query.q ?? '')?.[1]) * 1000;
      const noDrafts = /-in:drafts/.test(query.q ?? '');
      const hits = (noDrafts ? this.newestFirst(mailbox) : [...mailbox.messages.values(), ...mailbox.drafts.values()].sort((a, b) => (b.internalDate ?? 0) - (a.internalDate ?? 0))).filter(
        (m) => (m.internalDate ?? Date.now()) > after && !m.labelIds.includes('SPAM') && !m.labelIds.includes('TRASH'),
      );
      const offset = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(offset)) return res ? this.googleError(res, 400, 'Invalid pageToken', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
      const size = Math.min(500, Number(query.maxResults ?? 100));
      const page = hits.slice(offset, offset + size);
      return reply(200, {
        ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(hits.length > offset + page.length ? { nextPageToken: Buffer.from(String(offset + page.length)).toString('base64url') } : {}),
        resultSizeEstimate: hits.length,
      });
    }
    if (rest === '/messages' && method === 'GET') {
      const wanted = /rfc822msgid:(\S+)/.exec(query.q ?? '')?.[1]?.replace(/^<|>$/g, '');
      const all = [...mailbox.messages.values(), ...mailbox.drafts.values()];
      const hits = wanted ? all.filter((msg) => msg.headers.some((h) => h.name.toLowerCase() === 'message-id' && h.value.replace(/^<|>$/g, '') === wanted)) : all;
      return reply(200, hits.length ? { messages: hits.map((h) => ({ id: h.id, threadId: h.threadId })), resultSizeEstimate: hits.length } : { resultSizeEstimate: 0 });
    }
    if ((m = /^\/messages\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const message = mailbox.messages.get(m[1]!) ?? [...mailbox.drafts.values()].find((d) => d.id === m![1]);
      if (!message) return notFound();
      const wantedHeaders = (query.metadataHeaders ?? '').split('\n').filter(Boolean);
      return reply(200, this.view(message, query.format, wantedHeaders));
    }
    if (rest === '/settings/sendAs' && method === 'GET') return reply(200, { sendAs: mailbox.sendAs });
    if ((m = /^\/settings\/sendAs\/([^/]+)$/.exec(rest))) {
      const entry = mailbox.sendAs.find((s) => s.sendAsEmail === m![1]!.toLowerCase());
      if (!entry) return notFound();
      if (method === 'GET') return reply(200, entry);
      if (method === 'PATCH') {
        const signature = (body as { signature?: unknown } | null)?.signature;
        if (typeof signature === 'string') {
          if (signature.length > 10_000) return res ? this.googleError(res, 400, 'Signature is too long', 'INVALID_ARGUMENT', {}, 'invalidArgument') : undefined;
          entry.signature = signature.replace(/<script[\s\S]*?<\/script>/gi, '');
        }
        return reply(200, entry);
      }
    }
    return notFound();
  }

  private googleError(res: ServerResponse, code: number, message: string, status: string, headers: Record<string, string> = {}, reason?: string): void {
    this.json(res, code, { error: { code, message, status, ...(reason ? { errors: [{ message, domain: 'global', reason }] } : {}) } }, headers);
  }

  private json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(payload));
  }

  /**
   * The same Gmail on a port of its own, every call on it counted as `tag`'s (the `/w/<tag>/` path
   * prefix, for callers that cannot keep a path in their root URL: googleapis resolves each
   * request path against a global `rootUrl` as an absolute path, dropping the root's own path).
   * Give a worker process `rootUrl` and `tokenUrl`; `close()` when done (after `stop()` is fine).
   */
  async listenFor(tag: string): Promise<{ rootUrl: string; tokenUrl: string; close: () => Promise<void> }> {
    if (!/^[A-Za-z0-9_-]+$/.test(tag)) throw new Error(`fake Gmail: tag "${tag}" must be letters, digits, - or _`);
    const server = createServer((req, res) => {
      req.url = `/w/${tag}${req.url ?? '/'}`;
      void this.handle(req, res).catch((error: unknown) => this.json(res, 500, { error: { code: 500, message: String(error) } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = async () => {
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { rootUrl: `${base}/`, tokenUrl: `${base}/token`, close };
  }
}
