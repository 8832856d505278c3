/**
 * Sanity limits mutation requests per client IP per second: 25 by default ("Maximum mutation rate:
 * 25 req/s, POST to /data/mutate"), a request being one transaction however many mutations it holds.
 * https://www.sanity.io/docs/content-lake/technical-limits
 * The gateway counts in whole-second windows, so a refused caller may retry when the second ends.
 */
export class MutationRateLimiter {
  #window = Number.NaN;
  #used = 0;

  constructor(
    readonly perSecond: number,
    private readonly now: () => Date,
  ) {}

  /** Takes one request from the current second's allowance, or says how long until the next second. */
  take(): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const millis = this.now().getTime();
    const window = Math.floor(millis / 1000);
    if (window !== this.#window) {
      this.#window = window;
      this.#used = 0;
    }
    if (this.#used >= this.perSecond) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * 1000 - millis) / 1000)),
      };
    }
    this.#used += 1;
    return { allowed: true, remaining: this.perSecond - this.#used };
  }
}
