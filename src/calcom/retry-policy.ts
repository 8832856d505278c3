/**
 * How long to wait before retrying Cal.com. Pure functions: the transport feeds them headers, the
 * attempt number and a random source, so tests need not wait or guess.
 */

const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** Cal.com's throttler blocks for 60 s after the limit is hit; never wait much longer than that. */
const MAX_RATE_LIMIT_WAIT_MS = 65_000;
/** A reset header this large is an epoch time, not a number of seconds. */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/**
 * Exponential backoff with jitter: 500 ms, 1 s, 2 s, ... capped at 30 s, each scaled by a random factor
 * from 0.5 to 1 so that many clients hit by the same outage do not retry in step.
 */
export function backoffDelayMs(attempt: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(exponential * (0.5 + random() * 0.5));
}

/**
 * Milliseconds until Cal.com's rate-limit window resets, from the headers its throttler sends on every
 * answer (apps/api/v2/src/lib/throttler/throttler-guard.ts): `X-RateLimit-Reset-Default` (the named
 * "default" limit; custom limits use other suffixes) or plain `X-RateLimit-Reset`, in seconds.
 * `Retry-After` is honoured too. Null when no header says.
 */
export function rateLimitResetMs(headers: Headers, nowMs: number): number | null {
  const candidates = [
    headers.get("x-ratelimit-reset-default"),
    headers.get("x-ratelimit-reset"),
    ...namedResetHeaders(headers),
    headers.get("retry-after"),
  ];
  for (const value of candidates) {
    if (value === null) continue;
    const seconds = Number(value.trim());
    if (!Number.isFinite(seconds) || seconds < 0) continue;
    const ms = seconds >= EPOCH_SECONDS_THRESHOLD ? seconds * 1000 - nowMs : seconds * 1000;
    return Math.max(0, ms);
  }
  return null;
}

/**
 * The wait before retrying a 429: the server's reset time plus a little jitter (so that a fleet does not
 * return in the same millisecond), or plain backoff when the server gave no reset; never over ~1 minute.
 */
export function rateLimitWaitMs(
  headers: Headers,
  attempt: number,
  random: () => number,
  nowMs: number,
): number {
  const resetMs = rateLimitResetMs(headers, nowMs);
  const wait = resetMs === null ? backoffDelayMs(attempt, random) : resetMs + Math.round(random() * 250);
  return Math.min(wait, MAX_RATE_LIMIT_WAIT_MS);
}

/** `X-RateLimit-Reset-<Name>` for custom throttler names other than Default. */
function namedResetHeaders(headers: Headers): string[] {
  const values: string[] = [];
  headers.forEach((value, name) => {
    if (name.startsWith("x-ratelimit-reset-") && name !== "x-ratelimit-reset-default") values.push(value);
  });
  return values;
}
