/**
 * A budget of calls: `burst` at most in hand, refilled at `perMinute`. Spending may go below zero (a batch
 * is charged what it actually used), and then the next batch waits until the budget is back to one.
 */
export type TokenBucket = {
  /** How long until at least one call is in the budget; 0 when there is one now. */
  waitMs(): number;
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
    waitMs() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs);
    },
    spend(calls) {
      refill();
      tokens -= calls;
    },
  };
}
