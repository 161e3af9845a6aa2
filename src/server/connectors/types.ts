import { parseRetryAfter } from '../../core/retry.js';

/**
 * What every CRM connector implements. The store writes its own log first, then queues one
 * delivery per configured connector (the outbox); a worker calls `deliver` until it succeeds,
 * fails for good, or runs out of attempts (dead letter). Connectors must be idempotent: the same
 * event may be delivered again after a crash between the CRM's answer and our bookkeeping, so
 * each adapter looks for what it created before (by the event id or the mail's Message-ID).
 */

export interface CrmContact {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
}

export interface CrmCompany {
  name: string;
  domains: string[];
}

export interface EmailLoggedEvent {
  type: 'email.logged';
  /** Stable for this event across retries: the idempotency key. */
  id: string;
  occurredAt: string;
  activity: {
    messageId: string;
    threadId: string | null;
    direction: 'inbound' | 'outbound';
    occurredAt: string;
    from: string;
    to: string[];
    subject: string;
    snippet: string;
    loggedBy: string;
  };
  contact: CrmContact;
  company: CrmCompany | null;
}

export interface TaskCreatedEvent {
  type: 'task.created';
  id: string;
  occurredAt: string;
  /** dueLocal is the client's wall clock with its offset; dueTimeZone names the client's IANA zone. */
  task: { id: string; title: string; notes: string; dueAt: string | null; dueLocal: string | null; dueTimeZone?: string | null; assignee: string };
  contact: CrmContact | null;
  /** Message-ID of the mail the task came from, when it did. */
  messageId: string | null;
}

export type CrmEvent = EmailLoggedEvent | TaskCreatedEvent;

/** A scheduled send as events describe it (services/scheduled-sends.ts). */
export interface SendEventItem {
  id: string;
  provider: 'gmail' | 'outlook';
  draftId: string;
  threadId: string | null;
  /** The rep who scheduled it (whose mailbox sends). */
  user: string;
  recipients: string[];
  subject: string;
  sendAt: string;
}

export interface SendScheduledEvent {
  type: 'send.scheduled';
  /** `send.scheduled:<send id>:<revision>`: a reschedule is a new event. */
  id: string;
  occurredAt: string;
  send: SendEventItem;
}

export interface SendSentEvent {
  type: 'send.sent';
  id: string;
  occurredAt: string;
  send: SendEventItem;
  sentAt: string;
  /** RFC 822 Message-ID of the mail that went out (to match it in a CRM's mail log), when known. */
  messageId: string | null;
  /** The mail provider's id of the sent message (Gmail message id). */
  providerMessageId: string | null;
}

export interface SendFailedEvent {
  type: 'send.failed';
  id: string;
  occurredAt: string;
  send: SendEventItem;
  /** failed: it could not be sent (reason says why); gone: the draft was sent or deleted by hand. */
  status: 'failed' | 'gone';
  reason: string;
}

/** Scheduled-send events: only connectors that accept them (the webhook) receive them. */
export type SendEvent = SendScheduledEvent | SendSentEvent | SendFailedEvent;

/** A person's mail (not automatic, not internal) the mailbox sync stored, after the backfill. */
export interface ConversationEvent {
  /** started: the first mail of a new conversation; message: any later one. */
  type: 'conversation.started' | 'conversation.message';
  /** `<type>:<stored message id>` */
  id: string;
  occurredAt: string;
  conversation: { id: string; subject: string; customerIds: string[]; lastWriter: 'buyer' | 'us' | null; lastInboundAt: string | null; lastOutboundAt: string | null };
  message: { messageId: string | null; mailbox: string; direction: 'inbound' | 'outbound'; from: string | null; to: string[]; subject: string; receivedAt: string; excerpt: string };
}

/** The inbound payment guard found a mail suspicious (look-alike sender, other bank details, "new account" …); live mail only. */
export interface PaymentSuspiciousEvent {
  type: 'payment.suspicious';
  /** `payment.suspicious:<stored message id>` */
  id: string;
  occurredAt: string;
  message: { messageId: string | null; mailbox: string; from: string; subject: string; receivedAt: string };
  /** The company the mail speaks for (the one a look-alike imitates), when known. */
  customerId: string | null;
  /** core/payment finding codes with their parameters. */
  findings: { code: string; severity: 'alert' | 'notice'; params: Record<string, string> }[];
}

/** The team inbox's response clock (docs/team-inbox.md): 75 % of the target passed, or the target missed. Once per clock. */
export interface TeamInboxEvent {
  type: 'team-inbox.warning' | 'team-inbox.breached';
  /** `<type>:<conversation id>:<clock start>` */
  id: string;
  occurredAt: string;
  inbox: { id: string; address: string; managerEmail: string | null };
  conversation: { id: string; subject: string; buyer: string | null; assigneeEmail: string | null; clockStartedAt: string; dueAt: string };
}

/** Everything the outbox carries. */
export type OutboxEvent = CrmEvent | SendEvent | ConversationEvent | PaymentSuspiciousEvent | TeamInboxEvent;

export const CRM_EVENT_TYPES = ['email.logged', 'task.created'] as const;
export const SEND_EVENT_TYPES = ['send.scheduled', 'send.sent', 'send.failed'] as const;
export const CONVERSATION_EVENT_TYPES = ['conversation.started', 'conversation.message'] as const;
export const PAYMENT_EVENT_TYPES = ['payment.suspicious'] as const;
export const TEAM_INBOX_EVENT_TYPES = ['team-inbox.warning', 'team-inbox.breached'] as const;

export type DeliveryResult =
  | { ok: true; externalId?: string }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface ConnectorAdapter<Settings> {
  kind: string;
  /** Event types it can take; the CRM events when not given (connectors without send.* support). */
  accepts?: readonly OutboxEvent['type'][];
  /** Checks an admin's settings (non-secret) and secrets; throws an Error naming the bad field. */
  validate(settings: unknown, secrets: Record<string, string>): Settings;
  deliver(event: CrmEvent, settings: Settings, secrets: Record<string, string>): Promise<DeliveryResult>;
}

/**
 * 429 and 5xx are worth retrying; other 4xx are permanent (bad credentials, bad request).
 * Retry-After is read as seconds or an HTTP-date (core/retry.ts), measured from `now`.
 */
export function classifyHttpFailure(status: number, body: string, retryAfterHeader?: string | null, now: Date = new Date()): DeliveryResult {
  const retryable = status === 429 || status >= 500 || status === 408;
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  return {
    ok: false,
    retryable,
    reason: `HTTP ${status}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Plain http is allowed only to this machine (tests, local subscribers); anything else must be https. */
export const isLoopbackHost = (host: string): boolean => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

/**
 * A URL an admin configured for a connector: https (or http to loopback), no query or fragment.
 * Returns origin + path, or undefined when not given; throws an Error naming the field.
 */
export function settingsUrl(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`settings.${field}: must be an https URL`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`settings.${field}: "${value}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) throw new Error(`settings.${field}: must be an https URL`);
  if (parsed.search || parsed.hash) throw new Error(`settings.${field}: must not carry a query or fragment`);
  return `${parsed.origin}${parsed.pathname}`;
}
