import { convert } from 'html-to-text';
import pLimit from 'p-limit';
import { messageIdList, parseAddressList } from '../../core/mail/headers.js';
import { GMAIL_SCOPES, type GoogleCredentials } from '../google/credentials.js';
import { createDraft, getFullMessages, getProfile, gmailClient, GMAIL_BATCH_MAX, GmailError, listAddedSince, listMessageIds, sendMessage, type FullMessage, type Gmail } from '../google/gmail-api.js';
import { autoHeadersOf, boundedText, headerMap } from './message-text.js';
import { MailboxError, type FetchedMessage, type MailAddress, type MailboxAdapter, type NextPageOptions, type OutgoingMail, type SyncPage, type DraftMail, type FiledDraft } from './types.js';

/**
 * Google Workspace mailboxes through the store's one Gmail adapter (google/gmail-api.ts), acting
 * as the mailbox's user the way the send worker does (google/credentials.ts): a service account
 * with domain-wide delegation, or the user's own grant.
 *
 * `createGmailMailbox(options)`:
 *   credentials  the store's GoogleCredentials (googleCredentialsFromConfig)
 *   tenantId     the company
 *   userId       the store user whose mailbox this is, for a per-user grant; null for a mailbox no
 *                rep owns (an info@ account): then only domain-wide delegation can reach it
 *   address      the mailbox's address (the delegated `sub`)
 *   rootUrl      Gmail API root (default credentials.settings.apiRootUrl)
 *   timeoutMs    per request (default 30 s)
 *   bodies       'full' (default): messages.get format=full — headers, attachment names, the text
 *                body (64 KiB at most); 'headers': format=metadata — no attachments, no body
 *   concurrency  batch requests at once (default 2: a page of 100 in two batches of 50)
 *
 * Scopes: gmail.readonly to sync (messages.list takes a search query only with it), gmail.compose
 * to send — what the per-user grant already holds and what the Workspace admin authorises for the
 * service account's client id.
 *
 * Sync: a backfill (null cursor) notes the mailbox's historyId first (getProfile), then pages
 * messages.list(q = `after:{since, epoch seconds} -in:drafts -in:chats`) and gets its messages in
 * batches of 50 (Gmail's batch endpoint: one HTTP request for fifty messages.get);
 * after its last page the cursor becomes that historyId, and every later page is
 * users.history.list(startHistoryId, historyTypes=messageAdded), whose last page gives the next
 * start. Anything that arrived during the backfill comes again from history: the engine dedupes on
 * Message-ID. Gmail's threadId is the thread hint; SENT among the labels makes it 'sent', anything
 * else received is 'inbox'; drafts, spam, trash and chats are skipped.
 *
 * Failures: history 404 (start too old) or an unusable cursor → `cursor-expired` (the engine
 * backfills again); 429 and usage-limit 403 → `throttled` with Google's Retry-After when given;
 * refused grants, missing delegation or scopes → `auth` in an admin's words; network and 5xx →
 * `unreachable`.
 */

export interface GmailMailboxOptions {
  credentials: GoogleCredentials;
  tenantId: string;
  userId: string | null;
  address: string;
  rootUrl?: string | undefined;
  timeoutMs?: number | undefined;
  bodies?: 'full' | 'headers' | undefined;
  concurrency?: number | undefined;
}

const SYNC_SCOPES = [GMAIL_SCOPES.readonly];
const SEND_SCOPES = [GMAIL_SCOPES.compose];
/** When Google throttles without saying how long to wait. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
const MAX_PAGE_SIZE = 500;
const SKIPPED_LABELS = new Set(['DRAFT', 'SPAM', 'TRASH', 'CHAT']);
const CURSOR_PREFIX = 'gmail1:';

type GmailCursor =
  /** Backfilling: messages.list pages of `q`; `h` is the history id noted before the first page. */
  | { v: 1; m: 'full'; h: string; q: string; p: string | null }
  /** Following history from `h`; `p` is history.list's page token within that start. */
  | { v: 1; m: 'hist'; h: string; p: string | null };

function encodeCursor(c: GmailCursor): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(raw: string): GmailCursor {
  const bad = (why: string) => new MailboxError('cursor-expired', `the stored Gmail sync cursor is unusable (${why}); the mailbox syncs again from the start`);
  if (!raw.startsWith(CURSOR_PREFIX)) throw bad('not a Gmail cursor');
  let c: GmailCursor;
  try {
    c = JSON.parse(Buffer.from(raw.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')) as GmailCursor;
  } catch {
    throw bad('not readable');
  }
  if (c?.v !== 1 || typeof c.h !== 'string' || !/^\d+$/.test(c.h) || !(c.p === null || typeof c.p === 'string')) throw bad('made by another version');
  if (c.m === 'full' && typeof c.q === 'string') return c;
  if (c.m === 'hist') return c;
  throw bad('made by another version');
}

const oneLine = (text: string, max = 240) => text.replace(/\s+/g, ' ').trim().slice(0, max);

/** Leftover RFC 2047 encoded words (Gmail decodes most headers itself). */
function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (whole, charset: string, encoding: string, text: string) => {
    if (!/^(utf-?8|us-ascii|iso-8859-1|latin1)$/i.test(charset)) return whole;
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1');
  });
}

function addresses(value: string | null): MailAddress[] {
  return parseAddressList(value === null ? null : decodeWords(value)).map((a) => (a.name ? { address: a.address, name: a.name } : { address: a.address }));
}

/** The text of a message: its text/plain part, else its HTML part as text. */
function textOf(message: FullMessage): string | null {
  const plain = message.parts.find((p) => p.mimeType === 'text/plain' && p.text !== null);
  if (plain?.text) return boundedText(plain.text);
  const html = message.parts.find((p) => p.mimeType === 'text/html' && p.text !== null);
  if (html?.text) return boundedText(convert(html.text.slice(0, 1024 * 1024), { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { ignoreHref: true } }] }));
  return null;
}

export function mapGmailMessage(message: FullMessage): FetchedMessage {
  const headers = headerMap(message.headers);
  const header = (name: string) => headers.get(name) ?? null;
  const from = addresses(header('from'))[0] ?? null;
  const attachments = message.parts
    // An inline image (Content-ID, disposition inline) is part of the body, not something sent along.
    .filter((p) => p.filename && !(p.contentId && (p.disposition ?? '').toLowerCase().startsWith('inline')))
    .map((p) => ({ name: p.filename.replace(/\u0000/g, '').slice(0, 255), contentType: p.mimeType }));
  const autoHeaders = autoHeadersOf(header);
  if (autoHeaders.contentType === undefined && message.mimeType) autoHeaders.contentType = message.mimeType;
  return {
    providerId: message.id,
    folder: message.labelIds.includes('SENT') ? 'sent' : 'inbox',
    messageId: header('message-id')?.trim() || null,
    inReplyTo: messageIdList(header('in-reply-to'))[0] ?? null,
    references: messageIdList(header('references')),
    providerThreadId: message.threadId,
    from,
    replyTo: addresses(header('reply-to')),
    to: addresses(header('to')),
    cc: addresses(header('cc')),
    dateHeader: header('date'),
    receivedAt: new Date(message.internalDate).toISOString(),
    subject: decodeWords(header('subject') ?? '').replace(/\u0000/g, ''),
    sizeBytes: message.sizeEstimate,
    attachments,
    autoHeaders,
    textBody: textOf(message),
  };
}

class GmailMailbox implements MailboxAdapter {
  readonly provider = 'gmail' as const;
  private readonly address: string;
  private readonly clients = new Map<string, Gmail>();

  constructor(private readonly o: GmailMailboxOptions) {
    if (!o.address?.includes('@')) throw new MailboxError('auth', `Gmail mailbox: "${String(o.address).slice(0, 100)}" is not an address`);
    this.address = o.address.trim().toLowerCase();
  }

  private failure(error: unknown, what: string): MailboxError {
    if (error instanceof MailboxError) return error;
    if (!(error instanceof GmailError)) return new MailboxError('protocol', `${this.address}: ${what}: ${oneLine(String((error as Error)?.message ?? error))}`);
    const where = `${this.address}: ${error.message}`;
    if (error.kind === 'retryable') {
      if (error.status === 429 || error.status === 403) return new MailboxError('throttled', `${where}: Gmail asks to slow down`, error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
      return new MailboxError('unreachable', where);
    }
    if (error.kind === 'auth') {
      const delegated = this.o.credentials.delegated;
      this.o.credentials.forgetTokens();
      this.clients.clear();
      const fix = delegated
        ? `a Workspace admin must authorise the service account's client id for ${SYNC_SCOPES.join(', ')} (and ${SEND_SCOPES.join(', ')} to send) in the Admin console ▸ Security ▸ Access and data control ▸ API controls ▸ Domain-wide delegation, and ${this.address} must be an active user of the domain`
        : `${this.address} must connect their Google account to tradepane again (the access they granted was removed, expired or lacks the Gmail permissions)`;
      return new MailboxError('auth', `${where}. Google refused access: ${fix}`);
    }
    if (error.kind === 'not-found') return new MailboxError('not-found', where);
    return new MailboxError('protocol', where);
  }

  private async gmail(scopes: string[]): Promise<Gmail> {
    const key = scopes.join(' ');
    const cached = this.clients.get(key);
    if (cached) return cached;
    let creds;
    try {
      creds = await this.o.credentials.forUser({ tenantId: this.o.tenantId, userId: this.o.userId ?? '', email: this.address }, scopes);
    } catch (error) {
      throw new MailboxError('unreachable', `${this.address}: could not load the Google credentials: ${oneLine(String((error as Error)?.message ?? error))}`);
    }
    if (!creds || (creds.source === 'user-grant' && !this.o.userId)) {
      throw new MailboxError('auth', this.o.userId
        ? `the store cannot act for ${this.address}: there is no domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE) and ${this.address} has not connected their Google account to tradepane`
        : `the store cannot act for ${this.address}: a mailbox no tradepane user owns needs domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE, authorised for ${SYNC_SCOPES.join(', ')})`);
    }
    const client = gmailClient(creds.auth, { rootUrl: this.o.rootUrl ?? this.o.credentials.settings.apiRootUrl, timeoutMs: this.o.timeoutMs });
    this.clients.set(key, client);
    return client;
  }

  private async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.failure(error, what);
    }
  }

  async test(): Promise<{ address: string; folders: string[] }> {
    const gmail = await this.gmail(SYNC_SCOPES);
    const profile = await this.run('getProfile', () => getProfile(gmail));
    if (profile.emailAddress && profile.emailAddress !== this.address) throw new MailboxError('auth', `Google answered for ${profile.emailAddress}, not ${this.address}`);
    return { address: profile.emailAddress || this.address, folders: ['INBOX', 'SENT'] };
  }

  async nextPage(cursor: string | null, options: NextPageOptions): Promise<SyncPage> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize)));
    const gmail = await this.gmail(SYNC_SCOPES);
    let state: GmailCursor;
    if (cursor === null) {
      // Noted before listing, so nothing that arrives during the backfill falls between the two.
      const profile = await this.run('getProfile', () => getProfile(gmail));
      if (!/^\d+$/.test(profile.historyId)) throw new MailboxError('protocol', `${this.address}: getProfile answered no historyId`);
      state = { v: 1, m: 'full', h: profile.historyId, q: `after:${Math.floor(options.since.getTime() / 1000)} -in:drafts -in:chats`, p: null };
    } else {
      state = decodeCursor(cursor);
    }

    if (state.m === 'full') {
      const full = state;
      const page = await this.run('messages.list', () => listMessageIds(gmail, { q: full.q, pageToken: full.p ?? undefined, maxResults: pageSize })).catch((error: unknown) => {
        // A page token Gmail no longer accepts: start the backfill again.
        if (error instanceof MailboxError && error.code === 'protocol' && full.p) throw new MailboxError('cursor-expired', `${error.message}; the backfill starts again`);
        throw error;
      });
      const messages = await this.fetch(gmail, page.refs.map((r) => r.id));
      const next: GmailCursor = page.nextPageToken ? { ...full, p: page.nextPageToken } : { v: 1, m: 'hist', h: full.h, p: null };
      // Not caught up yet: what arrived during the backfill is in history after `h`.
      return { messages, cursor: encodeCursor(next), caughtUp: false };
    }

    const hist = state;
    const page = await this.run('history.list', () => listAddedSince(gmail, { startHistoryId: hist.h, pageToken: hist.p ?? undefined, maxResults: pageSize })).catch((error: unknown) => {
      if (error instanceof MailboxError && error.code === 'not-found') throw new MailboxError('cursor-expired', `${error.message}: Gmail no longer keeps history from ${hist.h}; the mailbox syncs again from the start`);
      throw error;
    });
    const wanted = [...new Set(page.added.filter((a) => !a.labelIds.some((l) => SKIPPED_LABELS.has(l))).map((a) => a.id))];
    const messages = await this.fetch(gmail, wanted);
    const next: GmailCursor = page.nextPageToken ? { v: 1, m: 'hist', h: hist.h, p: page.nextPageToken } : { v: 1, m: 'hist', h: page.historyId, p: null };
    return { messages, cursor: encodeCursor(next), caughtUp: !page.nextPageToken };
  }

  /** The messages behind these ids, in order; gone ones (deleted since) and drafts/spam/trash/chats left out. */
  private async fetch(gmail: Gmail, ids: string[]): Promise<FetchedMessage[]> {
    const format = this.o.bodies === 'headers' ? 'metadata' : 'full';
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += GMAIL_BATCH_MAX) batches.push(ids.slice(i, i + GMAIL_BATCH_MAX));
    const limit = pLimit(this.o.concurrency ?? 2);
    // After a failure no further batch is sent; the page fails once those in flight are back (none left running).
    let failed = false;
    const settled = await Promise.allSettled(
      batches.map((batch) =>
        limit(async () => {
          if (failed) return [];
          return this.run('messages.get', () => getFullMessages(gmail, batch, format)).catch((error: unknown) => {
            failed = true;
            throw error;
          });
        }),
      ),
    );
    const rejected = settled.find((r) => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    const found = settled.map((r) => (r.status === 'fulfilled' ? r.value : []));
    return found.flat().filter((m): m is FullMessage => m !== null && !m.labelIds.some((l) => SKIPPED_LABELS.has(l))).map(mapGmailMessage);
  }

  /**
   * users.messages.send as this mailbox (scope gmail.compose); the Message-ID given is kept. An
   * answer goes in the thread of the mail it answers (`threadId`, with In-Reply-To/References and
   * the "Re:" subject Gmail needs to keep it there) when this mailbox holds that mail.
   */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const gmail = await this.gmail(SEND_SCOPES);
    const sent = await this.run('messages.send', () =>
      sendMessage(gmail, {
        threadId: (mail.inReplyTo && mail.answering?.threadId) || undefined,
        to: mail.to.map((a) => a.address),
        cc: mail.cc?.map((a) => a.address),
        subject: mail.subject,
        html: mail.html,
        inReplyTo: mail.inReplyTo,
        references: mail.references?.join(' '),
        from: mail.from?.address,
        messageId: mail.messageId,
        autoSubmitted: mail.autoSubmitted,
      }),
    );
    if (!sent.rfc822MessageId) throw new MailboxError('protocol', `${this.address}: the mail was sent (id ${sent.id}) but Gmail showed no Message-ID`);
    return { messageId: sent.rfc822MessageId };
  }

  /** users.drafts.create in the thread it answers (scope gmail.compose), with In-Reply-To so Gmail threads it. */
  async createDraft(mail: DraftMail): Promise<FiledDraft> {
    const gmail = await this.gmail(SEND_SCOPES);
    const draft = await this.run('drafts.create', () =>
      createDraft(gmail, {
        threadId: mail.threadId ?? undefined,
        to: mail.to.map((a) => a.address),
        cc: mail.cc?.map((a) => a.address),
        subject: mail.subject,
        html: mail.html,
        inReplyTo: mail.inReplyTo,
        references: mail.references?.join(' '),
        from: mail.from?.address,
      }),
    );
    // Gmail's own link to a draft: the drafts view with its message id opens it in the composer.
    const webLink = draft.id ? `https://mail.google.com/mail/u/0/#drafts?compose=${encodeURIComponent(draft.id)}` : null;
    return { folder: 'Drafts', webLink };
  }

  async close(): Promise<void> {
    this.clients.clear();
  }
}

export function createGmailMailbox(options: GmailMailboxOptions): MailboxAdapter {
  return new GmailMailbox(options);
}
