import { RateLimitedError, UpstreamError } from "../errors.ts";
import { type BackoffOptions, isTransientNetworkError, withBackoff } from "../http/backoff.ts";

/**
 * Runs one Sanity request with calsync's backoff (429 and 5xx are retried; the client itself retries
 * nothing) and turns what is left into an error that says what to check.
 */
export function sanityCall<T>(fn: () => Promise<T>, backoff?: BackoffOptions): Promise<T> {
  return withBackoff(fn, retrySanity, backoff).catch((error: unknown) => {
    throw toCalsyncError(error);
  });
}

type ClientErrorLike = { statusCode?: number; message?: string };

/** Transactions are safe to repeat: createIfNotExists and patch.set of the same values land the same. */
function retrySanity(error: unknown) {
  const status = (error as ClientErrorLike)?.statusCode;
  const retry = status === 429 || (status !== undefined && status >= 500) || isTransientNetworkError(error);
  return retry ? { retry: true as const } : { retry: false as const };
}

function toCalsyncError(error: unknown): Error {
  const e = error as ClientErrorLike;
  if (e?.statusCode === 429) return new RateLimitedError("sanity", 1_000);
  const hint =
    e?.statusCode === 401 || e?.statusCode === 403
      ? " (check SANITY_TOKEN: it needs write access to the dataset)"
      : e?.statusCode === 404
        ? " (check SANITY_PROJECT_ID and SANITY_DATASET)"
        : "";
  return new UpstreamError("sanity", `${e?.message ?? String(error)}${hint}`, e?.statusCode, {
    cause: error,
  });
}
