import type { MiddlewareHandler } from "hono";
import { BOOKINGS_API_VERSION } from "../../calcom/types.ts";
import {
  type ApiFailure,
  badRequest,
  bareServerError,
  httpFailure,
  missingCredentialsFailure,
  throttledFailure,
  unknownApiKeyFailure,
} from "./error-bodies.ts";
import type { FaultInjector } from "./faults.ts";
import { answerFailure, type SandboxEnv } from "./http-helpers.ts";
import { type RateLimiter, type RateLimitState, rateLimitHeaders } from "./rate-limiter.ts";
import type { RequestLog } from "./request-log.ts";

type Middleware = MiddlewareHandler<SandboxEnv>;

/** Records every request with the status it got (null when the connection was dropped unanswered). */
export function logRequests(log: RequestLog): Middleware {
  return async (c, next) => {
    c.set("dropped", false);
    // The body as sent, for tests that assert what calsync asked Cal.com to do (read before the route does).
    const body =
      c.req.method === "GET"
        ? undefined
        : await c.req.raw
            .clone()
            .json()
            .catch(() => undefined);
    await next();
    const url = new URL(c.req.url);
    log.record({
      method: c.req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: c.get("dropped") ? null : c.res.status,
      ...(body === undefined ? {} : { body }),
    });
  };
}

export function simulateLatency(latencyMs: number): Middleware {
  return async (_c, next) => {
    if (latencyMs > 0) await new Promise((done) => setTimeout(done, latencyMs));
    await next();
  };
}

/**
 * Outages a test ordered: `setDown(true)` resets every connection without an answer (what a dead host or
 * a crashed load balancer looks like to a client); `failNext` answers as the live API fails: a bare body
 * for 5xx, the envelope for 401, the throttler's answer and headers for 429.
 */
export function injectFaults(
  faults: FaultInjector,
  rateLimit: { limit: number; windowMs: number },
  timestamp: () => string,
): Middleware {
  return async (c, next) => {
    if (faults.isDown()) {
      c.set("dropped", true);
      c.env.incoming.socket.destroy();
      return c.body(null, 503);
    }
    const status = faults.take(c.req.method, new URL(c.req.url).pathname);
    if (status === null) return next();
    if (status >= 500) return c.json(bareServerError(status), status as 500);
    if (status === 429) {
      const state: RateLimitState = {
        limited: true,
        limit: rateLimit.limit,
        remaining: 0,
        resetSeconds: Math.ceil(rateLimit.windowMs / 1000),
      };
      for (const [name, value] of Object.entries(rateLimitHeaders(state))) c.header(name, value);
      return answerFailure(c, throttledFailure(), timestamp());
    }
    const failure: ApiFailure =
      status === 401 ? unknownApiKeyFailure() : httpFailure(status, `Injected ${status} failure`);
    return answerFailure(c, failure, timestamp());
  };
}

/** The bearer token, which is also what the throttler counts by. */
function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() || null;
}

/**
 * Cal.com's throttler runs before authentication, counting per API key (per caller when there is none),
 * and sets `X-RateLimit-*` (plain and `-Default`) on every answer.
 */
export function throttle(limiter: RateLimiter, timestamp: () => string): Middleware {
  return async (c, next) => {
    const state = limiter.hit(bearerToken(c.req.header("authorization")) ?? "anonymous");
    const headers = rateLimitHeaders(state);
    if (state.limited) {
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      return answerFailure(c, throttledFailure(), timestamp());
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

export function authenticate(apiKeys: readonly string[], timestamp: () => string): Middleware {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (token === null) return answerFailure(c, missingCredentialsFailure(), timestamp());
    if (!apiKeys.includes(token)) return answerFailure(c, unknownApiKeyFailure(), timestamp());
    return next();
  };
}

/**
 * The bookings endpoints are versioned by the `cal-api-version` header. Without `2024-08-13` the real
 * API silently answers with its older (2024-04-15) booking shape; the sandbox does not emulate that
 * shape and answers 400 instead, so a client that forgot the header fails loudly in tests.
 */
export function requireBookingsVersion(timestamp: () => string): Middleware {
  return async (c, next) => {
    const version = c.req.header("cal-api-version");
    if (version === BOOKINGS_API_VERSION) return next();
    return answerFailure(
      c,
      badRequest(
        `cal-api-version must be "${BOOKINGS_API_VERSION}" (got ${version ? `"${version}"` : "none"}). The real API would answer with its older booking shape; the sandbox does not emulate it.`,
      ),
      timestamp(),
    );
  };
}
