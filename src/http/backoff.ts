/**
 * Bounded exponential backoff with full jitter, for quota answers (429) and brief outages.
 * The caller says which failures are worth retrying and, when the service says so, how long to wait.
 */
export type BackoffOptions = {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export type RetryDecision = { retry: false } | { retry: true; afterMs?: number | undefined };

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withBackoff<T>(
  attempt: () => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  options: BackoffOptions = {},
): Promise<T> {
  const {
    maxRetries = 4,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    sleep = realSleep,
    random = Math.random,
  } = options;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || retry >= maxRetries) throw error;
      const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
      const jittered = exponential / 2 + random() * (exponential / 2);
      await sleep(Math.min(maxDelayMs, Math.max(decision.afterMs ?? 0, jittered)));
    }
  }
}

const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/**
 * A connection that broke before an answer: a pooled keep-alive socket the server had closed, a reset, a
 * brief outage. Worth retrying for requests that are safe to repeat.
 */
export function isTransientNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    if (typeof message === "string" && /socket hang up|other side closed/i.test(message)) return true;
    e = cause;
  }
  return false;
}
