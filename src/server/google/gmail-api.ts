import { OAuth2Client } from 'google-auth-library';
// Gmail's module alone, not googleapis' index of every Google API (seconds to load; docs/performance.md).
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import type { GoogleAuth } from './credentials.js';
import { parseRetryAfter } from '../../core/retry.js';
import { batchRequest, parseBatchResponse } from './batch.js';

/**
 * THE one Gmail REST adapter of the store (googleapis, Gmail API v1). Every call acts for one
 * user (`userId: 'me'` under that user's credentials, see credentials.ts) and answers plain
 * shapes; every failure comes out as a `GmailError` whose `kind` says what the caller should do:
 *
 *   retryable  429, 5xx, 408, a usage-limit 403, network trouble — try again later (retryAfterMs
 *              carries Google's Retry-After when it sent one)
 *   auth       401/403 or a refused grant (invalid_grant: access revoked, delegation withdrawn,
 *              user suspended) — permanent until someone fixes the access
 *   not-found  404 — the draft or message does not exist (any more)
 *   invalid    other 4xx — e.g. 400 "Invalid To header": permanent, the rep must fix the draft
 *
 * googleapis' own retries are off (`retry: false`): the callers own retry policy (the send worker
 * backs off with jitter and honours Retry-After). Each request has a timeout so a hung call
 * cannot outlive the worker's lease (see docs/scheduled-send.md).
 */

export const GMAIL_DEFAULT_ROOT_URL = 'https://gmail.googleapis.com/';
/** Well under the send worker's lease, so a request is over before anyone else may take the item. */
export const GMAIL_REQUEST_TIMEOUT_MS = 30_000;

export type GmailFailureKind = 'retryable' | 'auth' | 'not-found' | 'invalid';

export class GmailError extends Error {
  constructor(
    readonly kind: GmailFailureKind,
    message: string,
    readonly status: number | null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface GmailClientOptions {
  /** API root, `https://gmail.googleapis.com/` unless a test points it elsewhere. */
  rootUrl?: string | undefined;
  timeoutMs?: number | undefined;
}

export type Gmail = gmail_v1.Gmail;

/** A Gmail API client acting for whoever `auth` stands for. */
export function gmailClient(auth: GoogleAuth, options: GmailClientOptions = {}): Gmail {
  return new gmail_v1.Gmail({ auth, rootUrl: options.rootUrl ?? GMAIL_DEFAULT_ROOT_URL, retry: false, timeout: options.timeoutMs ?? GMAIL_REQUEST_TIMEOUT_MS });
}

/**
 * A client for an add-on request, acting with the tokens Google put in the event: the user's
 * OAuth token (`authorizationEventObject.userOAuthToken`) and, for the open message, the
 * per-message `gmail.accessToken`, sent as `X-Goog-Gmail-Access-Token` as Google documents.
 */
export function addonGmailClient(userOAuthToken: string, gmailAccessToken: string | undefined, options: GmailClientOptions = {}): Gmail {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: userOAuthToken });
  return new gmail_v1.Gmail({
    auth,
    rootUrl: options.rootUrl ?? GMAIL_DEFAULT_ROOT_URL,
    retry: false,
    timeout: options.timeoutMs ?? GMAIL_REQUEST_TIMEOUT_MS,
    ...(gmailAccessToken ? { headers: { 'X-Goog-Gmail-Access-Token': gmailAccessToken } } : {}),
  });
}

/** The headers of a mail that the store reads (metadata only, never the body). */
export interface MessageHeaders {
  /** Gmail's id of the message. */
  id: string;
  threadId: string | null;
  labelIds: string[];
  /** RFC 822 Message-ID with its angle brackets, as in the header. */
  rfc822MessageId: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  date: string | null;
  inReplyTo: string | null;
  references: string | null;
  /** Gmail's plain-text snippet of the body (the start of the sender's words; in the metadata format too). */
  snippet?: string;
}

export interface DraftInfo extends MessageHeaders {
  draftId: string;
}

const HEADER_NAMES = ['Message-ID', 'From', 'To', 'Cc', 'Bcc', 'Subject', 'Date', 'In-Reply-To', 'References'];

function headerOf(message: gmail_v1.Schema$Message, name: string): string | null {
  const lower = name.toLowerCase();
  const header = message.payload?.headers?.find((h) => h.name?.toLowerCase() === lower);
  return typeof header?.value === 'string' ? header.value : null;
}

/** Addresses of an address-list header: `"Ann B" <ann@x.com>, bob@y.com` → ann@x.com, bob@y.com. */
export function addressesOf(value: string | null): string[] {
  if (!value) return [];
  const out: string[] = [];
  // Commas inside quoted display names do not separate addresses.
  for (const part of value.match(/(?:"[^"]*"|[^,])+/g) ?? []) {
    const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(part);
    const bare = angle?.[1] ?? /([^\s<>"]+@[^\s<>",]+)/.exec(part)?.[1];
    if (bare) out.push(bare.toLowerCase());
  }
  return out;
}

function headersOf(message: gmail_v1.Schema$Message): MessageHeaders {
  return {
    id: message.id ?? '',
    threadId: message.threadId ?? null,
    labelIds: message.labelIds ?? [],
    rfc822MessageId: headerOf(message, 'Message-ID') ?? headerOf(message, 'Message-Id'),
    from: headerOf(message, 'From'),
    to: addressesOf(headerOf(message, 'To')),
    cc: addressesOf(headerOf(message, 'Cc')),
    bcc: addressesOf(headerOf(message, 'Bcc')),
    subject: headerOf(message, 'Subject') ?? '',
    date: headerOf(message, 'Date'),
    inReplyTo: headerOf(message, 'In-Reply-To'),
    references: headerOf(message, 'References'),
    snippet: message.snippet ?? '',
  };
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, unknown>;
  const value = record[name] ?? record[name.toLowerCase()];
  return typeof value === 'string' ? value : null;
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'dailyLimitExceeded', 'backendError', 'quotaExceeded']);
const AUTH_GRANT_ERRORS = new Set(['invalid_grant', 'unauthorized_client', 'access_denied', 'invalid_client']);

/** Turns whatever googleapis / gaxios threw into a GmailError. */
export function gmailFailure(error: unknown, what: string, now: Date = new Date()): GmailError {
  if (error instanceof GmailError) return error;
  const e = error as { response?: { status?: unknown; data?: unknown; headers?: unknown }; message?: string; code?: unknown } | null;
  const status = typeof e?.response?.status === 'number' ? e.response.status : null;
  const data = e?.response?.data as { error?: unknown; error_description?: unknown } | string | undefined;
  const apiError = data && typeof data === 'object' && data.error && typeof data.error === 'object' ? (data.error as { message?: unknown; errors?: { reason?: unknown }[] }) : undefined;
  const grantError = data && typeof data === 'object' && typeof data.error === 'string' ? data.error : undefined;
  const detail = (apiError && typeof apiError.message === 'string' ? apiError.message : undefined) ?? (grantError ? `${grantError}${typeof (data as { error_description?: unknown }).error_description === 'string' ? `: ${(data as { error_description: string }).error_description}` : ''}` : undefined) ?? (typeof data === 'string' && data ? data.slice(0, 200) : undefined) ?? e?.message ?? String(error);
  const reasons = (apiError?.errors ?? []).map((x) => String(x.reason ?? ''));
  const retryAfterRaw = headerValue(e?.response?.headers, 'retry-after');
  const retryAfterMs = parseRetryAfter(retryAfterRaw, now);
  const message = `${what}: ${status ? `HTTP ${status}: ` : ''}${detail.replace(/\s+/g, ' ').slice(0, 300)}`;
  if (grantError && AUTH_GRANT_ERRORS.has(grantError)) return new GmailError('auth', message, status);
  if (status === null) return new GmailError('retryable', message, null);
  if (status === 429 || status === 408 || status >= 500) return new GmailError('retryable', message, status, retryAfterMs);
  if (status === 403 && reasons.some((r) => RATE_REASONS.has(r))) return new GmailError('retryable', message, status, retryAfterMs);
  if (status === 401 || status === 403) return new GmailError('auth', message, status);
  if (status === 404) return new GmailError('not-found', message, status);
  return new GmailError('invalid', message, status);
}

async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw gmailFailure(error, what);
  }
}

/** The draft's headers (To, Subject, Message-ID …), or null when there is no such draft. */
export async function getDraft(gmail: Gmail, draftId: string): Promise<DraftInfo | null> {
  try {
    const res = await call(`drafts.get ${draftId}`, () => gmail.users.drafts.get({ userId: 'me', id: draftId, format: 'metadata' }));
    if (!res.data.message) return null;
    return { draftId: res.data.id ?? draftId, ...headersOf(res.data.message) };
  } catch (error) {
    if (error instanceof GmailError && error.kind === 'not-found') return null;
    throw error;
  }
}

/** A draft's whole RFC 822 source (format raw: scope gmail.compose), or null when there is no such draft. */
export async function getDraftRaw(gmail: Gmail, draftId: string): Promise<{ draftId: string; threadId: string | null; raw: Buffer } | null> {
  try {
    const res = await call(`drafts.get ${draftId} raw`, () => gmail.users.drafts.get({ userId: 'me', id: draftId, format: 'raw' }));
    const raw = res.data.message?.raw;
    if (typeof raw !== 'string') return null;
    return { draftId: res.data.id ?? draftId, threadId: res.data.message?.threadId ?? null, raw: Buffer.from(raw, 'base64url') };
  } catch (error) {
    if (error instanceof GmailError && error.kind === 'not-found') return null;
    throw error;
  }
}

/**
 * Replaces a draft's message with `raw` (drafts.update), keeping the draft id and, with
 * `threadId`, its thread. Gmail gives the draft a new message id; the draft id stays.
 */
export async function updateDraftRaw(gmail: Gmail, draftId: string, raw: Uint8Array, threadId: string | null): Promise<{ draftId: string; messageId: string | null }> {
  const requestBody = { id: draftId, message: { raw: Buffer.from(raw).toString('base64url'), ...(threadId ? { threadId } : {}) } };
  const res = await call(`drafts.update ${draftId}`, () => gmail.users.drafts.update({ userId: 'me', id: draftId, requestBody }));
  return { draftId: res.data.id ?? draftId, messageId: res.data.message?.id ?? null };
}

/** Sends an existing draft as it is now; Gmail removes the draft. Answers the sent message's ids. */
export async function sendDraft(gmail: Gmail, draftId: string): Promise<{ id: string; threadId: string | null }> {
  const res = await call(`drafts.send ${draftId}`, () => gmail.users.drafts.send({ userId: 'me', requestBody: { id: draftId } }));
  return { id: res.data.id ?? '', threadId: res.data.threadId ?? null };
}

/**
 * The user's sent message carrying this RFC 822 Message-ID, or null. `rfc822msgid:` matches the
 * draft too, so only a message with the SENT label (and without DRAFT) counts.
 */
export async function findSentByMessageId(gmail: Gmail, rfc822MessageId: string): Promise<MessageHeaders | null> {
  const bare = rfc822MessageId.trim().replace(/^<|>$/g, '');
  const res = await call('messages.list rfc822msgid', () => gmail.users.messages.list({ userId: 'me', q: `rfc822msgid:${bare}`, includeSpamTrash: true, maxResults: 10 }));
  for (const ref of res.data.messages ?? []) {
    if (!ref.id) continue;
    const message = await getMessageHeaders(gmail, ref.id);
    if (message && message.labelIds.includes('SENT') && !message.labelIds.includes('DRAFT')) return message;
  }
  return null;
}

/** A message's metadata headers (never its body), or null when it does not exist. */
export async function getMessageHeaders(gmail: Gmail, messageId: string): Promise<MessageHeaders | null> {
  try {
    const res = await call(`messages.get ${messageId}`, () => gmail.users.messages.get({ userId: 'me', id: messageId, format: 'metadata', metadataHeaders: HEADER_NAMES }));
    return headersOf(res.data);
  } catch (error) {
    if (error instanceof GmailError && error.kind === 'not-found') return null;
    throw error;
  }
}

export interface ReplyDraftInput {
  /** The thread to reply in; Gmail also needs In-Reply-To/References and the same subject. */
  threadId?: string | undefined;
  to: string[];
  cc?: string[] | undefined;
  subject: string;
  html: string;
  /** RFC 822 Message-ID of the mail being answered. */
  inReplyTo?: string | undefined;
  references?: string | undefined;
  from?: string | undefined;
  /** RFC 822 Message-ID to give the mail (`<local@domain>`); Gmail assigns one when absent. */
  messageId?: string | undefined;
  /** An automatic answer: Auto-Submitted: auto-replied (RFC 3834). */
  autoSubmitted?: boolean | undefined;
}

const HEADER_UNSAFE = /[\r\n]+/g;
/** RFC 2047 encoded-word for non-ASCII header text. */
const encodeHeader = (value: string) => {
  const clean = value.replace(HEADER_UNSAFE, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
};
const ADDRESS = /^[^\s@<>,"]+@[^\s@<>,"]+$/;

/** The RFC 822 source of a new HTML mail (base64 body, so any script and line length is safe). */
export function buildMime(input: ReplyDraftInput): string {
  for (const address of [...input.to, ...(input.cc ?? []), ...(input.from ? [input.from] : [])]) {
    if (!ADDRESS.test(address)) throw new GmailError('invalid', `"${address.slice(0, 100)}" is not an e-mail address`, null);
  }
  if (input.messageId !== undefined && !/^<[^<>\s@]+@[^<>\s@]+>$/.test(input.messageId)) throw new GmailError('invalid', `"${input.messageId.slice(0, 100)}" is not a Message-ID (<local@domain>)`, null);
  const lines = [
    ...(input.from ? [`From: ${input.from}`] : []),
    ...(input.messageId ? [`Message-ID: ${input.messageId}`] : []),
    `To: ${input.to.join(', ')}`,
    ...(input.cc?.length ? [`Cc: ${input.cc.join(', ')}`] : []),
    `Subject: ${encodeHeader(input.subject)}`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo.replace(HEADER_UNSAFE, '')}`] : []),
    ...(input.references || input.inReplyTo ? [`References: ${(input.references ?? input.inReplyTo ?? '').replace(HEADER_UNSAFE, ' ')}`] : []),
    ...(input.autoSubmitted ? ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    (Buffer.from(input.html, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'),
  ];
  return lines.join('\r\n');
}

/** Creates a draft (a reply in `threadId` when given) with an HTML body; answers its headers. */
export async function createDraft(gmail: Gmail, input: ReplyDraftInput): Promise<DraftInfo> {
  const raw = Buffer.from(buildMime(input), 'utf8').toString('base64url');
  const res = await call('drafts.create', () => gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw, ...(input.threadId ? { threadId: input.threadId } : {}) } } }));
  const draftId = res.data.id ?? '';
  // drafts.create answers ids only; read the headers Gmail stored (its Message-ID among them).
  return (await getDraft(gmail, draftId)) ?? { draftId, id: res.data.message?.id ?? '', threadId: res.data.message?.threadId ?? input.threadId ?? null, labelIds: ['DRAFT'], rfc822MessageId: null, from: input.from ?? null, to: input.to, cc: input.cc ?? [], bcc: [], subject: input.subject, date: null, inReplyTo: input.inReplyTo ?? null, references: input.references ?? null };
}

/** One page of the user's drafts (ids only), newest first. */
export async function listDrafts(gmail: Gmail, options: { pageToken?: string; maxResults?: number } = {}): Promise<{ drafts: { draftId: string; messageId: string | null; threadId: string | null }[]; nextPageToken: string | null }> {
  const res = await call('drafts.list', () => gmail.users.drafts.list({ userId: 'me', maxResults: options.maxResults ?? 100, ...(options.pageToken ? { pageToken: options.pageToken } : {}) }));
  return {
    drafts: (res.data.drafts ?? []).map((d) => ({ draftId: d.id ?? '', messageId: d.message?.id ?? null, threadId: d.message?.threadId ?? null })),
    nextPageToken: res.data.nextPageToken ?? null,
  };
}

export interface SendAs {
  sendAsEmail: string;
  displayName: string | null;
  isPrimary: boolean;
  isDefault: boolean;
  signature: string;
  verificationStatus: string | null;
}

const sendAsOf = (s: gmail_v1.Schema$SendAs): SendAs => ({
  sendAsEmail: (s.sendAsEmail ?? '').toLowerCase(),
  displayName: s.displayName ?? null,
  isPrimary: s.isPrimary === true,
  isDefault: s.isDefault === true,
  signature: s.signature ?? '',
  verificationStatus: s.verificationStatus ?? null,
});

/** The user's send-as addresses with their signatures (scope gmail.settings.basic or readonly). */
export async function listSendAs(gmail: Gmail): Promise<SendAs[]> {
  const res = await call('settings.sendAs.list', () => gmail.users.settings.sendAs.list({ userId: 'me' }));
  return (res.data.sendAs ?? []).map(sendAsOf);
}

export async function getSendAs(gmail: Gmail, sendAsEmail: string): Promise<SendAs | null> {
  try {
    const res = await call(`settings.sendAs.get ${sendAsEmail}`, () => gmail.users.settings.sendAs.get({ userId: 'me', sendAsEmail }));
    return sendAsOf(res.data);
  } catch (error) {
    if (error instanceof GmailError && error.kind === 'not-found') return null;
    throw error;
  }
}

/** Sets the signature of one send-as address (Gmail sanitises it); answers what Gmail stored. */
export async function patchSendAsSignature(gmail: Gmail, sendAsEmail: string, signature: string): Promise<SendAs> {
  const res = await call(`settings.sendAs.patch ${sendAsEmail}`, () => gmail.users.settings.sendAs.patch({ userId: 'me', sendAsEmail, requestBody: { signature } }));
  return sendAsOf(res.data);
}

// ---------------------------------------------------------------------------------------------
// Mailbox sync (mail/gmail.ts): profile, history, listing, whole messages, sending

export interface GmailProfile {
  emailAddress: string;
  /** The mailbox's current history id: history.list from here sees only what happens next. */
  historyId: string;
}

export async function getProfile(gmail: Gmail): Promise<GmailProfile> {
  const res = await call('getProfile', () => gmail.users.getProfile({ userId: 'me' }));
  return { emailAddress: (res.data.emailAddress ?? '').toLowerCase(), historyId: String(res.data.historyId ?? '') };
}

export interface MessageRef {
  id: string;
  threadId: string | null;
  labelIds: string[];
}

/**
 * One page of the messages added after `startHistoryId` (history.list, historyTypes messageAdded).
 * `historyId` is the mailbox's history id when the page was read: the next start once the last
 * page is in. A start Gmail no longer keeps (about a week, sometimes less) answers 404 →
 * GmailError 'not-found'.
 */
export async function listAddedSince(gmail: Gmail, options: { startHistoryId: string; pageToken?: string | undefined; maxResults: number }): Promise<{ added: MessageRef[]; nextPageToken: string | null; historyId: string }> {
  const res = await call('history.list', () =>
    gmail.users.history.list({ userId: 'me', startHistoryId: options.startHistoryId, historyTypes: ['messageAdded'], maxResults: options.maxResults, ...(options.pageToken ? { pageToken: options.pageToken } : {}) }),
  );
  const added: MessageRef[] = [];
  for (const record of res.data.history ?? []) {
    for (const a of record.messagesAdded ?? []) {
      if (a.message?.id) added.push({ id: a.message.id, threadId: a.message.threadId ?? null, labelIds: a.message.labelIds ?? [] });
    }
  }
  return { added, nextPageToken: res.data.nextPageToken ?? null, historyId: String(res.data.historyId ?? options.startHistoryId) };
}

/** One page of messages.list (newest first) for a search such as `after:1730419200`. */
export async function listMessageIds(gmail: Gmail, options: { q: string; pageToken?: string | undefined; maxResults: number }): Promise<{ refs: { id: string; threadId: string | null }[]; nextPageToken: string | null }> {
  const res = await call('messages.list', () => gmail.users.messages.list({ userId: 'me', q: options.q, maxResults: options.maxResults, ...(options.pageToken ? { pageToken: options.pageToken } : {}) }));
  return { refs: (res.data.messages ?? []).filter((m) => m.id).map((m) => ({ id: m.id!, threadId: m.threadId ?? null })), nextPageToken: res.data.nextPageToken ?? null };
}

/** A leaf of a message's MIME tree. */
export interface MessagePart {
  mimeType: string;
  filename: string;
  /** Content-Disposition and Content-ID say whether a part is an inline image. */
  disposition: string | null;
  contentId: string | null;
  size: number;
  /** The decoded text of a text/plain or text/html leaf (Gmail inlines small bodies); null otherwise. */
  text: string | null;
}

export interface FullMessage {
  id: string;
  threadId: string | null;
  labelIds: string[];
  /** When Gmail received it, ms since the epoch. */
  internalDate: number;
  sizeEstimate: number;
  snippet: string;
  /** The top-level headers in order, as Gmail returns them. */
  headers: { name: string; value: string }[];
  /** The top part's MIME type (multipart/report marks bounces). */
  mimeType: string;
  parts: MessagePart[];
}

/** Text parts larger than this are not decoded (the adapter keeps 64 KiB anyway). */
const TEXT_PART_MAX_BYTES = 1024 * 1024;

function leaves(part: gmail_v1.Schema$MessagePart | undefined, out: MessagePart[], depth = 0): void {
  if (!part || depth > 20) return;
  if (part.parts?.length) {
    for (const child of part.parts) leaves(child, out, depth + 1);
    return;
  }
  const header = (name: string) => part.headers?.find((h) => h.name?.toLowerCase() === name)?.value ?? null;
  const mimeType = (part.mimeType ?? 'application/octet-stream').toLowerCase();
  const data = part.body?.data;
  const isText = (mimeType === 'text/plain' || mimeType === 'text/html') && !part.filename;
  out.push({
    mimeType,
    filename: part.filename ?? '',
    disposition: header('content-disposition'),
    contentId: header('content-id'),
    size: part.body?.size ?? 0,
    text: isText && typeof data === 'string' && data.length <= (TEXT_PART_MAX_BYTES * 4) / 3 + 4 ? Buffer.from(data, 'base64url').toString('utf8') : null,
  });
}

function fullMessageOf(m: gmail_v1.Schema$Message, messageId: string, format: 'full' | 'metadata'): FullMessage {
  const parts: MessagePart[] = [];
  if (format === 'full') leaves(m.payload, parts);
  return {
    id: m.id ?? messageId,
    threadId: m.threadId ?? null,
    labelIds: m.labelIds ?? [],
    internalDate: Number(m.internalDate ?? 0),
    sizeEstimate: m.sizeEstimate ?? 0,
    snippet: m.snippet ?? '',
    headers: (m.payload?.headers ?? []).filter((h) => typeof h.name === 'string' && typeof h.value === 'string').map((h) => ({ name: h.name!, value: h.value! })),
    mimeType: (m.payload?.mimeType ?? '').toLowerCase(),
    parts,
  };
}

/** Calls in one batch request: Gmail takes 100 and advises at most 50 (larger batches trip its rate limits). */
export const GMAIL_BATCH_MAX = 50;

/**
 * Whole messages (format 'full': headers, MIME tree, small bodies inline) or their headers only
 * ('metadata': no parts), in the order of `ids`, null for one that does not exist (any more).
 *
 * One request for up to GMAIL_BATCH_MAX of them through Gmail's batch endpoint (google/batch.ts):
 * a mailbox's backfill reads tens of thousands, and one HTTP exchange each was most of what the
 * store spent per message outside its database. Google counts every call in a batch against the
 * quota as before. A call's own failure (429, 5xx, 401 …) throws as a GmailError like a single
 * call's; a call left unanswered is retryable.
 */
export async function getFullMessages(gmail: Gmail, ids: readonly string[], format: 'full' | 'metadata' = 'full'): Promise<(FullMessage | null)[]> {
  if (ids.length === 0) return [];
  if (ids.length > GMAIL_BATCH_MAX) throw new Error(`getFullMessages: ${ids.length} ids, at most ${GMAIL_BATCH_MAX} a batch`);
  const options = gmail.context._options;
  const auth = options.auth as OAuth2Client;
  const what = `messages.get (${ids.length} in a batch)`;
  const request = batchRequest(ids.map((id) => ({ method: 'GET', path: `/gmail/v1/users/me/messages/${encodeURIComponent(id)}?format=${format}` })));
  const res = await call(what, () =>
    auth.request<string>({ url: new URL('batch/gmail/v1', options.rootUrl ?? GMAIL_DEFAULT_ROOT_URL).toString(), method: 'POST', headers: { 'Content-Type': request.contentType }, data: request.body, responseType: 'text', timeout: options.timeout ?? GMAIL_REQUEST_TIMEOUT_MS, retry: false }),
  );
  let answers;
  try {
    answers = parseBatchResponse(headerValue(res.headers, 'content-type') ?? '', typeof res.data === 'string' ? res.data : '');
  } catch (error) {
    throw new GmailError('retryable', `${what}: ${(error as Error).message}`, res.status);
  }
  return ids.map((id, i) => {
    const answer = answers.get(String(i));
    if (!answer) throw new GmailError('retryable', `${what}: Gmail's answer left out messages.get ${id}`, null);
    let data: unknown;
    try {
      data = answer.body ? JSON.parse(answer.body) : null;
    } catch {
      data = answer.body.slice(0, 200);
    }
    if (answer.status === 200 && data && typeof data === 'object') return fullMessageOf(data as gmail_v1.Schema$Message, id, format);
    if (answer.status === 404) return null;
    throw gmailFailure({ response: { status: answer.status === 200 ? 502 : answer.status, data, headers: answer.headers } }, `messages.get ${id}`);
  });
}

/** Sends a new HTML mail (users.messages.send; scope gmail.send or gmail.compose); answers its ids and Message-ID. */
export async function sendMessage(gmail: Gmail, input: ReplyDraftInput): Promise<{ id: string; threadId: string | null; rfc822MessageId: string | null }> {
  const raw = Buffer.from(buildMime(input), 'utf8').toString('base64url');
  const res = await call('messages.send', () => gmail.users.messages.send({ userId: 'me', requestBody: { raw, ...(input.threadId ? { threadId: input.threadId } : {}) } }));
  const id = res.data.id ?? '';
  // The answer carries ids only; the Message-ID is the one given, or the one Gmail stamped.
  const rfc822MessageId = input.messageId ?? (id ? ((await getMessageHeaders(gmail, id))?.rfc822MessageId ?? null) : null);
  return { id, threadId: res.data.threadId ?? null, rfc822MessageId };
}

/**
 * A draft's body as the payment check reads it (drafts.get format=full: scope gmail.compose): its
 * HTML part, else its plain-text part; null when there is no such draft.
 */
export async function getDraftBody(gmail: Gmail, draftId: string): Promise<{ body: string; format: 'html' | 'text' } | null> {
  try {
    const res = await call(`drafts.get ${draftId} full`, () => gmail.users.drafts.get({ userId: 'me', id: draftId, format: 'full' }));
    if (!res.data.message) return null;
    const parts: MessagePart[] = [];
    leaves(res.data.message.payload, parts);
    const html = parts.find((p) => p.mimeType === 'text/html' && p.text !== null);
    if (html) return { body: html.text!, format: 'html' };
    const text = parts.find((p) => p.mimeType === 'text/plain' && p.text !== null);
    return { body: text?.text ?? '', format: 'text' };
  } catch (error) {
    if (error instanceof GmailError && error.kind === 'not-found') return null;
    throw error;
  }
}
