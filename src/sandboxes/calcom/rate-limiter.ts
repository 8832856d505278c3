/**
 * Cal.com's per-key throttle (apps/api/v2/src/lib/throttler/throttler-guard.ts): 120 requests per 60 s
 * per API key by default; going over blocks the key for the block duration (here: one window). Every
 * answer carries the state in `X-RateLimit-*` headers, the reset in seconds.
 */
export type RateLimitOptions = { limit: number; windowMs: number };

export type RateLimitState = { limited: boolean; limit: number; remaining: number; resetSeconds: number };

export type RateLimiter = { hit(key: string): RateLimitState };

type Bucket = { windowStart: number; hits: number; blockedUntil: number | null };

export function createRateLimiter(options: RateLimitOptions & { now: () => Date }): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const { limit, windowMs } = options;

  return {
    hit(key) {
      const now = options.now().getTime();
      let bucket = buckets.get(key);
      if (bucket?.blockedUntil != null && now < bucket.blockedUntil) {
        return { limited: true, limit, remaining: 0, resetSeconds: secondsUntil(bucket.blockedUntil, now) };
      }
      if (!bucket || bucket.blockedUntil != null || now >= bucket.windowStart + windowMs) {
        bucket = { windowStart: now, hits: 0, blockedUntil: null };
        buckets.set(key, bucket);
      }
      bucket.hits++;
      if (bucket.hits > limit) {
        bucket.blockedUntil = now + windowMs;
        return { limited: true, limit, remaining: 0, resetSeconds: secondsUntil(bucket.blockedUntil, now) };
      }
      return {
        limited: false,
        limit,
        remaining: Math.max(0, limit - bucket.hits),
        resetSeconds: secondsUntil(bucket.windowStart + windowMs, now),
      };
    },
  };
}

/** Both header families live answers carry: the plain names and the `-Default` throttler's. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const values = {
    Limit: String(state.limit),
    Remaining: String(state.remaining),
    Reset: String(state.resetSeconds),
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    headers[`X-RateLimit-${name}`] = value;
    headers[`X-RateLimit-${name}-Default`] = value;
  }
  return headers;
}

function secondsUntil(time: number, now: number): number {
  return Math.max(1, Math.ceil((time - now) / 1000));
}
