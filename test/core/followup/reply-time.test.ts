import { describe, expect, it } from '@jest/globals';
import { median, replyTimesMs, type TimedMail } from '../../../src/core/followup/index.js';

const HOUR = 3_600_000;
const m = (conversationId: string, direction: TimedMail['direction'], at: string, verdict: TimedMail['verdict'] = 'none'): TimedMail => ({ conversationId, direction, verdict, at });

describe('reply time to buyers', () => {
  it('measures from the first unanswered buyer mail to the rep’s next mail, per conversation', () => {
    const times = replyTimesMs([
      m('a', 'inbound', '2026-06-01T08:00:00Z'),
      m('a', 'inbound', '2026-06-01T09:00:00Z'), // same run: still from 08:00
      m('a', 'outbound', '2026-06-01T11:00:00Z'), // 3 h
      m('a', 'outbound', '2026-06-01T12:00:00Z'), // nothing to answer
      m('b', 'inbound', '2026-06-01T10:00:00Z', 'auto-reply'), // an out-of-office is not the buyer writing
      m('b', 'outbound', '2026-06-01T10:30:00Z'),
      m('b', 'inbound', '2026-06-02T10:00:00Z'),
      m('b', 'internal', '2026-06-02T10:10:00Z'), // a colleague's note is no answer
      m('b', 'outbound', '2026-06-02T11:00:00Z'), // 1 h
      m('c', 'inbound', '2026-06-02T10:00:00Z'), // still waiting: no time
    ]);
    expect(times.sort((x, y) => x - y)).toEqual([1 * HOUR, 3 * HOUR]);
  });

  it('takes the median', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});
