/**
 * When to try a failed call again: the one Retry-After reading and the one backoff curve for
 * every worker and adapter that retries (the CRM outbox and its connectors, the scheduled-send
 * worker and the Gmail adapter, the mailbox adapters). Pure: the clock and the randomness are
 * parameters, so the server passes `new Date()` / `Math.random` and tests pass fixed ones.
 */

/** Longest wait a Retry-After may ask for that we honour as given (a day); longer is capped here. */
export const RETRY_AFTER_MAX_MS = 86_400_000;

/**
 * A Retry-After header (RFC 9110 §10.2.3) as milliseconds from `now`: either delay-seconds
 * (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). A date in the past is 0 (retry at
 * once). Anything else — absent, empty, negative, fractional, garbage — is undefined, so the
 * caller falls back to its own backoff instead of trusting a value it could not read.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(RETRY_AFTER_MAX_MS, Number(text) * 1000);
  // Only the date forms HTTP allows (they all name a weekday or a month): Date.parse alone would
  // also take "1.5" or "2026" as dates.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, at - now.getTime()));
}

export interface BackoffOptions {
  /** The first retry's delay; doubles per attempt. */
  baseMs: number;
  /** No delay grows beyond this. */
  capMs: number;
  /** 0 ≤ random() < 1; Math.random in production. */
  random: () => number;
}

/**
 * Exponential backoff with ±25 % jitter, so items that failed together do not all come back
 * together: attempt 1 → base, 2 → 2×base, 3 → 4×base … capped at `capMs` (before the jitter).
 */
export function backoffMs(attempt: number, options: BackoffOptions): number {
  const base = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + options.random() * 0.5));
}

/** The wait before the next attempt: the backoff, or longer when the other side asked for it. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, options: BackoffOptions): number {
  return Math.max(retryAfterMs ?? 0, backoffMs(attempt, options));
}
