import { describe, expect, it } from '@jest/globals';
import { backoffMs, parseRetryAfter, RETRY_AFTER_MAX_MS, retryDelayMs } from '../../src/core/retry.js';
import { classifyHttpFailure } from '../../src/server/connectors/types.js';
import { gmailFailure } from '../../src/server/google/gmail-api.js';

const NOW = new Date('2026-03-02T09:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 7 ', 7_000],
    ['0', 0],
    // HTTP-date, IMF-fixdate: 90 s after NOW
    ['Mon, 02 Mar 2026 09:01:30 GMT', 90_000],
    // the obsolete RFC 850 and asctime forms HTTP still allows
    ['Monday, 02-Mar-26 09:00:10 GMT', 10_000],
    ['Mon Mar  2 09:00:05 2026', 5_000],
    // a date already past: retry now, never a negative wait
    ['Mon, 02 Mar 2026 08:00:00 GMT', 0],
    // a week away is capped at a day
    ['604800', RETRY_AFTER_MAX_MS],
  ])('%j → %d ms', (header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it.each([[undefined], [null], [''], ['   '], ['-5'], ['1.5'], ['12abc'], ['soon'], ['Mon, 99 Foo 2026 GMT']])('%j is not read (undefined)', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  const options = (random: number) => ({ baseMs: 5_000, capMs: 3_600_000, random: () => random });

  it('doubles per attempt from the base, without jitter at random = 0.5', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, options(0.5)))).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it('jitters ±25 %: random 0 → 0.75×, random just under 1 → 1.25×', () => {
    expect(backoffMs(2, options(0))).toBe(7_500);
    expect(backoffMs(2, options(0.999999))).toBe(12_500);
  });

  it('stops growing at the cap (attempt 20: 5 s × 2^19 would be 30 days)', () => {
    expect(backoffMs(20, options(0.5))).toBe(3_600_000);
  });

  it('treats attempt 0 like attempt 1', () => {
    expect(backoffMs(0, options(0.5))).toBe(5_000);
  });

  it('retryDelayMs waits the longer of the backoff and what the server asked', () => {
    expect(retryDelayMs(1, 60_000, options(0.5))).toBe(60_000);
    expect(retryDelayMs(3, 1_000, options(0.5))).toBe(20_000);
    expect(retryDelayMs(3, undefined, options(0.5))).toBe(20_000);
  });
});

describe('the adapters read Retry-After through the one helper', () => {
  it('a CRM connector honours an HTTP-date Retry-After (it used to read only seconds)', () => {
    expect(classifyHttpFailure(429, 'slow down', 'Mon, 02 Mar 2026 09:02:00 GMT', NOW)).toEqual({ ok: false, retryable: true, reason: 'HTTP 429: slow down', retryAfterMs: 120_000 });
    expect(classifyHttpFailure(503, '', '30', NOW)).toMatchObject({ retryAfterMs: 30_000 });
    expect(classifyHttpFailure(400, 'bad', 'soon', NOW)).toEqual({ ok: false, retryable: false, reason: 'HTTP 400: bad' });
  });

  it('the Gmail adapter measures an HTTP-date from the clock it is given', () => {
    const error = { response: { status: 429, data: { error: { message: 'busy', errors: [{ reason: 'rateLimitExceeded' }] } }, headers: { 'retry-after': 'Mon, 02 Mar 2026 09:00:45 GMT' } } };
    expect(gmailFailure(error, 'drafts.send d1', NOW)).toMatchObject({ kind: 'retryable', retryAfterMs: 45_000 });
  });
});
