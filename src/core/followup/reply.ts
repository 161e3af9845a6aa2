import { getDomain } from 'tldts';
import { readEmailDomain } from '../clienttime/countries.js';
import type { AutoVerdict } from '../conversation/auto-reply.js';

/**
 * What counts as the buyer answering a mail the rep is waiting on:
 * - in the same conversation, a person at the buyer's company — the same registrable business
 *   domain as a recipient (sales.acme.com.sa and acme.com.sa are one company), not only the
 *   recipient; for free mail (gmail.com, qq.com) only the same address, since a domain proves
 *   nothing there;
 * - in a new thread, the same contact (an address the mail went to), within the window;
 * - never an automatic mail: out-of-office notices, auto-replies, bounces, read receipts and list
 *   mail are shown but do not count (an out-of-office may move the reminder, see return-date.ts);
 * - never our own mail, nor mail older than the send.
 */

/** The company an address belongs to: its registrable domain, or the address itself for free mail. */
export function companyKey(address: string): string {
  const clean = address.trim().toLowerCase();
  const verdict = readEmailDomain(clean);
  if (verdict.kind === 'country' || verdict.kind === 'generic') return getDomain(verdict.domain) ?? verdict.domain;
  return clean;
}

export interface AwaitedMail {
  /** The outside addresses the rep's mail went to (To and Cc). */
  recipients: string[];
  sentAt: string;
  /** How long a new thread from the same contact still counts (ms after the send). */
  newThreadWindowMs: number;
}

export interface ArrivingMail {
  from: string | null;
  direction: 'inbound' | 'outbound' | 'internal';
  verdict: AutoVerdict;
  receivedAt: string;
  /** Threaded into the awaited mail's conversation (or it references the awaited Message-ID). */
  sameConversation: boolean;
}

export type ReplyJudgement =
  | { kind: 'reply' }
  /** The buyer's side, but an automatic mail: an out-of-office may carry a return date. */
  | { kind: 'automatic'; verdict: Exclude<AutoVerdict, 'none'> }
  | { kind: 'unrelated' };

export function judgeReply(awaited: AwaitedMail, mail: ArrivingMail): ReplyJudgement {
  if (mail.direction !== 'inbound' || !mail.from) return { kind: 'unrelated' };
  if (Date.parse(mail.receivedAt) < Date.parse(awaited.sentAt)) return { kind: 'unrelated' };
  const from = mail.from.trim().toLowerCase();
  const recipients = awaited.recipients.map((r) => r.trim().toLowerCase());
  let buyerSide: boolean;
  if (mail.sameConversation) {
    const companies = new Set(recipients.map(companyKey));
    buyerSide = companies.has(companyKey(from));
  } else {
    buyerSide = recipients.includes(from) && Date.parse(mail.receivedAt) - Date.parse(awaited.sentAt) <= awaited.newThreadWindowMs;
  }
  if (!buyerSide) return { kind: 'unrelated' };
  return mail.verdict === 'none' ? { kind: 'reply' } : { kind: 'automatic', verdict: mail.verdict };
}
