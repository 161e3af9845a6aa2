/**
 * The one interface every mailbox provider adapter implements (Microsoft Graph, Gmail, IMAP/SMTP).
 * The sync engine knows only this: it asks for the next page after a cursor, stores the page's
 * messages and the new cursor in one transaction, and starts again from null when the provider
 * says the cursor is too old. Adapters never touch the database.
 */

export type MailProvider = 'graph' | 'gmail' | 'imap';

export interface MailAddress {
  address: string;
  name?: string;
}

/** Headers that decide whether a message is an automatic one (out-of-office, bounce, list mail). */
export interface AutoHeaders {
  autoSubmitted?: string;
  xAutoreply?: string;
  xAutorespond?: string;
  precedence?: string;
  xAutoResponseSuppress?: string;
  listId?: string;
  /** Content-Type of the top part: multipart/report marks bounces and read receipts. */
  contentType?: string;
}

export interface FetchedMessage {
  /** The provider's own id: Graph message id, Gmail message id, IMAP `${uidValidity}:${folder}:${uid}`. */
  providerId: string;
  folder: 'inbox' | 'sent';
  /** Message-ID header as found (with or without angle brackets); null when the mail has none. */
  messageId: string | null;
  /** A second identity of the same message: Exchange's original Message-ID where it rewrote the
   * header (X-Microsoft-Original-Message-ID); replies may reference either. Optional. */
  originalMessageId?: string | null | undefined;
  inReplyTo: string | null;
  references: string[];
  /** Graph conversationId, Gmail threadId; null for IMAP. */
  providerThreadId: string | null;
  from: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** The raw Date: header, which carries the sender's UTC offset; null when absent. */
  dateHeader: string | null;
  /** When the provider received or sent it, ISO-8601 UTC. */
  receivedAt: string;
  subject: string;
  sizeBytes: number;
  attachments: Array<{ name: string; contentType: string }>;
  autoHeaders: AutoHeaders;
  /** Plain text of the body when the adapter has it (bounded by the adapter to 64 KiB); the engine
   * takes the excerpt and the language from it and stores the body only where the mailbox keeps
   * bodies. */
  textBody: string | null;
}

export interface SyncPage {
  messages: FetchedMessage[];
  /** Opaque; stored with these messages and handed back for the next page. */
  cursor: string;
  /** True when the provider has nothing more right now (the end of a backfill or of the changes). */
  caughtUp: boolean;
  /** Messages the adapter knows are still to come (backfill progress); omit when it cannot tell. */
  remaining?: number | undefined;
}

export interface NextPageOptions {
  /** Largest number of messages in one page. */
  pageSize: number;
  /** With a null cursor (a backfill): only messages received since this instant. */
  since: Date;
}

export interface OutgoingMail {
  from?: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  subject: string;
  html: string;
  text?: string;
  inReplyTo?: string;
  references?: string[];
  /** Message-ID to use, so the sync recognises the sent copy. */
  messageId?: string;
  /** An automatic answer (the team inbox's acknowledgement): marked `Auto-Submitted: auto-replied`
   * (RFC 3834) so the buyer's own auto-responder does not answer it, and Exchange's
   * `X-Auto-Response-Suppress`. Graph can set only the X- header. */
  autoSubmitted?: boolean;
  /** The mail answered (`inReplyTo`) as this mailbox's provider holds it, where the sync saw it in
   * this mailbox: Graph answers it with createReply (Exchange threads the answer in its
   * conversation), Gmail sends in its thread. Without it Graph looks the mail up by its Message-ID,
   * and Gmail starts a thread of its own (the buyer's client threads by In-Reply-To either way). */
  answering?: { providerId: string | null; threadId: string | null } | undefined;
}

/** A draft to file: a mail, and the provider's thread it answers where the provider threads by id (Gmail). */
export interface DraftMail extends OutgoingMail {
  threadId?: string | null | undefined;
}

export interface FiledDraft {
  /** Where the user finds it: the IMAP folder's name, or "Drafts". */
  folder: string;
  /** A link that opens it, where the provider gives one (Outlook on the web's webLink, Gmail). */
  webLink: string | null;
}

export interface MailboxAdapter {
  readonly provider: MailProvider;
  /** Checks credentials and reachability. Throws MailboxError. */
  test(): Promise<{ address: string; folders: string[] }>;
  /** The next page after `cursor` (null: start a backfill). Throws MailboxError. */
  nextPage(cursor: string | null, options: NextPageOptions): Promise<SyncPage>;
  /** Sends a mail from this mailbox. Throws MailboxError. */
  send?(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Files a draft in this mailbox for the user to finish and send (the digest's "follow up"). Throws MailboxError. */
  createDraft?(mail: DraftMail): Promise<FiledDraft>;
  close(): Promise<void>;
}

export type MailboxErrorCode =
  /** Credentials refused, or a permission / grant is missing: an admin must act. */
  | 'auth'
  /** The server could not be reached (DNS, TCP, TLS, timeout): try again with backoff. */
  | 'unreachable'
  /** The stored cursor is too old or invalid (Graph 410, Gmail history 404, IMAP UIDVALIDITY changed): resync from null. */
  | 'cursor-expired'
  /** The provider asked us to slow down: wait `retryAfterMs`. */
  | 'throttled'
  /** The mailbox or folder does not exist. */
  | 'not-found'
  /** Anything else the provider answered that we did not expect. */
  | 'protocol';

export class MailboxError extends Error {
  override readonly name = 'MailboxError';
  constructor(
    readonly code: MailboxErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
