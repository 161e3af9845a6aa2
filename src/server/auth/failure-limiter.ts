/**
 * Counts failed authentications per client address in a sliding minute. Past the limit the
 * address's failures answer 429 (with Retry-After) instead of 401; a valid credential from the
 * same address still works. Per instance, in memory: it slows a guesser down; it is not a ledger.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxTracked = 10_000,
  ) {}

  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(address, list);
    else this.failures.delete(address);
    return list;
  }

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string, now = Date.now()): number {
    const list = this.recent(address, now);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000));
  }

  recordFailure(address: string, now = Date.now()): void {
    if (this.failures.size >= this.maxTracked && !this.failures.has(address)) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.recent(address, now).push(now);
    if (!this.failures.has(address)) this.failures.set(address, [now]);
  }
}
