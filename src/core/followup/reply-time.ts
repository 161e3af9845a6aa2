import type { AutoVerdict } from '../conversation/auto-reply.js';

/**
 * How long a rep takes to answer buyers: for each conversation, every run of buyer mail (a person
 * writing, not an automatic mail) is answered by the rep's next mail in it; the time from the
 * first unanswered buyer mail of the run to that answer is one reply time. Unanswered runs count
 * nothing (they are the "waiting" list, not a time).
 */
export interface TimedMail {
  conversationId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  verdict: AutoVerdict;
  at: string;
}

export function replyTimesMs(mails: readonly TimedMail[]): number[] {
  const byConversation = new Map<string, TimedMail[]>();
  for (const m of mails) {
    const list = byConversation.get(m.conversationId) ?? [];
    list.push(m);
    byConversation.set(m.conversationId, list);
  }
  const times: number[] = [];
  for (const list of byConversation.values()) {
    list.sort((a, b) => a.at.localeCompare(b.at));
    let waitingSince: number | null = null;
    for (const m of list) {
      if (m.direction === 'inbound' && m.verdict === 'none') waitingSince ??= Date.parse(m.at);
      else if (m.direction === 'outbound' && waitingSince !== null) {
        times.push(Date.parse(m.at) - waitingSince);
        waitingSince = null;
      }
    }
  }
  return times;
}

/** The median (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
