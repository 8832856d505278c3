/**
 * A budget of calls: `burst` at most in hand, refilled at `perMinute`. Spending may go below zero (a batch
 * is charged what it actually used), and then the next batch waits until the budget is back to one.
 */
export type TokenBucket = {
  /** How long until at least `calls` (default 1, at most the burst) are in the budget; 0 when they are now. */
  waitMs(calls?: number): number;
  spend(calls: number): void;
};

export function createTokenBucket(options: {
  perMinute: number;
  burst: number;
  now: () => number;
}): TokenBucket {
  const perMs = options.perMinute / 60_000;
  let tokens = options.burst;
  let updatedAt = options.now();
  const refill = () => {
    const now = options.now();
    tokens = Math.min(options.burst, tokens + (now - updatedAt) * perMs);
    updatedAt = now;
  };
  return {
    waitMs(calls = 1) {
      refill();
      const needed = Math.min(calls, options.burst);
      return tokens >= needed ? 0 : Math.ceil((needed - tokens) / perMs);
    },
    spend(calls) {
      refill();
      tokens -= calls;
    },
  };
}
