import { readEmailDomain } from '../clienttime/countries.js';
import { messageIdKey } from '../crm/index.js';
import type { AutoVerdict } from './auto-reply.js';
import { isForwardSubject, subjectKey } from './subject.js';

/**
 * Which conversation a message belongs to. The store gathers the evidence (stored messages that
 * this one references or that reference it, the provider's thread, recent conversations with the
 * same subject) and this rule decides, in order:
 *
 * 1. **References / In-Reply-To** (In-Reply-To first, then References from the nearest back): the
 *    conversation of the first known one — looked up by Message-ID and by the second key (the
 *    original id Exchange keeps when it rewrites a Message-ID). A reply to bulk mail (a newsletter,
 *    a list) joins it only when it shares a participant, so a thousand buyers answering one
 *    newsletter make a thousand conversations.
 * 2. A stored message that references this one (it arrived first; mail is not delivered in order).
 * 3. The provider's thread id (Graph conversationId, Gmail threadId) in the same mailbox.
 * 4. The same subject (prefixes stripped) with a shared participant — the same address or the same
 *    business domain (free-mail domains prove nothing) — within the window: the buyer who answers
 *    in a new mail instead of pressing Reply.
 *
 * A forward ("Fwd:", "WG:", "转发：") joins by 1–3 only when it shares a participant: a quotation
 * forwarded to a supplier is a new conversation, not the buyer's.
 */

export type Direction = 'inbound' | 'outbound' | 'internal';

export interface ThreadableMessage {
  messageId: string | null;
  /** A second identity of the same message (Exchange's original Message-ID). */
  secondId?: string | null | undefined;
  inReplyTo: string | null;
  references: string[];
  providerThreadId: string | null;
  subject: string;
  from: string | null;
  to: string[];
  cc: string[];
  receivedAt: string;
  verdict: AutoVerdict;
}

export interface ThreadKeys {
  messageKey: string | null;
  secondKey: string | null;
  /** Normalised ids this message answers, nearest first, without its own. */
  referenceKeys: string[];
  subjectKey: string;
  forward: boolean;
  /** Addresses outside the company, lower case, sorted. */
  participants: string[];
}

export const normaliseAddress = (address: string): string => address.trim().toLowerCase();

/** The domain of an address when it names a company (not free mail, not unreadable). */
export function businessDomain(address: string): string | null {
  const verdict = readEmailDomain(address);
  return verdict.kind === 'country' || verdict.kind === 'generic' ? verdict.domain : null;
}

export function threadKeys(message: ThreadableMessage, isOwn: (address: string) => boolean): ThreadKeys {
  const messageKey = message.messageId ? messageIdKey(message.messageId) : null;
  const secondKey = message.secondId ? messageIdKey(message.secondId) : null;
  const candidates = [message.inReplyTo, ...[...message.references].reverse()];
  const referenceKeys: string[] = [];
  for (const raw of candidates) {
    const key = raw ? messageIdKey(raw) : null;
    if (key && key !== messageKey && key !== secondKey && !referenceKeys.includes(key)) referenceKeys.push(key);
  }
  const everyone = [message.from, ...message.to, ...message.cc].filter((a): a is string => Boolean(a)).map(normaliseAddress);
  const participants = [...new Set(everyone.filter((a) => !isOwn(a)))].sort();
  return { messageKey, secondKey, referenceKeys, subjectKey: subjectKey(message.subject), forward: isForwardSubject(message.subject), participants };
}

/** A message the store already holds, found by a reference key. */
export interface KnownMessage {
  /** The normalised Message-ID or second key it was found by. */
  key: string;
  conversationId: string;
  bulk: boolean;
}

export interface ConversationCandidate {
  conversationId: string;
  /** The conversation's outside participants. */
  participants: string[];
  lastMessageAt: string;
}

export interface ThreadEvidence {
  /** Stored messages whose Message-ID or second key is one of `referenceKeys`. */
  referenced: KnownMessage[];
  /** Conversations of stored messages that reference this message. */
  children: string[];
  /** The conversation holding the provider's thread id in this mailbox. */
  providerThread: string | null;
  /** Participants of every conversation named above and of the subject candidates. */
  conversations: ConversationCandidate[];
  /** Recent conversations with the same subject key. */
  subjectCandidates: string[];
}

export interface ThreadDecision {
  conversationId: string | null;
  by: 'reference' | 'child' | 'provider-thread' | 'subject' | 'new';
}

/** Subject keys too short or too common to say two mails belong together. */
const WEAK_SUBJECTS = new Set(['', 'hi', 'hello', 'inquiry', 'enquiry', 'question', 'test', 'order', 'quotation', 'quote', 'price', 'rfq', '询价', '询盘', '你好', 'no subject', '(no subject)', '无主题']);

function overlaps(a: string[], b: string[]): boolean {
  const addresses = new Set(a);
  if (b.some((x) => addresses.has(x))) return true;
  const domains = new Set(a.map(businessDomain).filter(Boolean));
  return b.some((x) => {
    const d = businessDomain(x);
    return d !== null && domains.has(d);
  });
}

export function decideConversation(keys: ThreadKeys, evidence: ThreadEvidence, message: Pick<ThreadableMessage, 'receivedAt' | 'verdict'>, windowMs: number): ThreadDecision {
  const byId = new Map(evidence.conversations.map((c) => [c.conversationId, c]));
  const shares = (conversationId: string) => overlaps(keys.participants, byId.get(conversationId)?.participants ?? []);
  for (const key of keys.referenceKeys) {
    const hit = evidence.referenced.find((r) => r.key === key);
    if (!hit) continue;
    if ((hit.bulk || keys.forward) && !shares(hit.conversationId)) continue;
    return { conversationId: hit.conversationId, by: 'reference' };
  }
  const child = evidence.children.find((c) => !keys.forward || shares(c));
  if (child) return { conversationId: child, by: 'child' };
  if (evidence.providerThread && (!keys.forward || shares(evidence.providerThread))) return { conversationId: evidence.providerThread, by: 'provider-thread' };
  if (message.verdict !== 'bulk' && !keys.forward && !WEAK_SUBJECTS.has(keys.subjectKey) && keys.participants.length > 0) {
    const at = Date.parse(message.receivedAt);
    const match = evidence.subjectCandidates
      .map((id) => byId.get(id))
      .filter((c): c is ConversationCandidate => c !== undefined && Math.abs(at - Date.parse(c.lastMessageAt)) <= windowMs && overlaps(keys.participants, c.participants))
      .sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : -1))[0];
    if (match) return { conversationId: match.conversationId, by: 'subject' };
  }
  return { conversationId: null, by: 'new' };
}

/** Outbound when the company wrote it to someone outside; internal when nobody outside is in it. */
export function directionOf(message: Pick<ThreadableMessage, 'from' | 'to' | 'cc'>, folder: 'inbox' | 'sent', isOwn: (address: string) => boolean): Direction {
  const recipients = [...message.to, ...message.cc].map(normaliseAddress);
  const fromOwn = folder === 'sent' || (message.from !== null && isOwn(normaliseAddress(message.from)));
  if (!fromOwn) return 'inbound';
  return recipients.some((r) => !isOwn(r)) ? 'outbound' : 'internal';
}

/** What a conversation knows about who wrote when; automatic mail and internal mail never change who wrote last. */
export interface ConversationSummary {
  firstMessageAt: string;
  lastMessageAt: string;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  lastWriter: 'buyer' | 'us' | null;
  messageCount: number;
  inboundCount: number;
  outboundCount: number;
}

export function addToSummary(summary: ConversationSummary | null, message: { receivedAt: string; direction: Direction; verdict: AutoVerdict }): ConversationSummary {
  const s: ConversationSummary = summary
    ? { ...summary }
    : { firstMessageAt: message.receivedAt, lastMessageAt: message.receivedAt, lastInboundAt: null, lastOutboundAt: null, lastWriter: null, messageCount: 0, inboundCount: 0, outboundCount: 0 };
  s.messageCount += 1;
  if (message.receivedAt < s.firstMessageAt) s.firstMessageAt = message.receivedAt;
  if (message.receivedAt > s.lastMessageAt) s.lastMessageAt = message.receivedAt;
  if (message.verdict === 'none' && message.direction === 'inbound') {
    s.inboundCount += 1;
    if (!s.lastInboundAt || message.receivedAt > s.lastInboundAt) s.lastInboundAt = message.receivedAt;
  }
  if (message.verdict === 'none' && message.direction === 'outbound') {
    s.outboundCount += 1;
    if (!s.lastOutboundAt || message.receivedAt > s.lastOutboundAt) s.lastOutboundAt = message.receivedAt;
  }
  // Messages may arrive out of order (backfill, two folders): decide from the two instants.
  s.lastWriter = s.lastInboundAt && (!s.lastOutboundAt || s.lastInboundAt > s.lastOutboundAt) ? 'buyer' : s.lastOutboundAt ? 'us' : null;
  return s;
}

/** The buyer wrote last and nobody has answered since `cutoff`. */
export function isUnanswered(summary: Pick<ConversationSummary, 'lastWriter' | 'lastInboundAt'>, cutoff: string): boolean {
  return summary.lastWriter === 'buyer' && summary.lastInboundAt !== null && summary.lastInboundAt <= cutoff;
}
