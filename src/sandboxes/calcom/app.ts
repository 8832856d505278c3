import { Hono } from "hono";
import type { ApiBooking } from "../../calcom/types.ts";
import type { BookingActions } from "./booking-actions.ts";
import { bareServerError, httpFailure } from "./error-bodies.ts";
import type { FaultInjector } from "./faults.ts";
import { answerFailure, type SandboxEnv } from "./http-helpers.ts";
import {
  authenticate,
  injectFaults,
  logRequests,
  requireBookingsVersion,
  simulateLatency,
  throttle,
} from "./middleware.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestLog } from "./request-log.ts";
import { registerBookingRoutes } from "./routes-bookings.ts";
import { registerWebhookRoutes } from "./routes-webhooks.ts";
import type { BookingStore, StoredBooking } from "./store.ts";
import type { WebhookSubscriptions } from "./webhook-subscriptions.ts";

export type SandboxAppDeps = {
  store: BookingStore;
  actions: BookingActions;
  subscriptions: WebhookSubscriptions;
  toApi: (booking: StoredBooking) => ApiBooking;
  requestLog: RequestLog;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  rateLimit: { limit: number; windowMs: number };
  apiKeys: readonly string[];
  latencyMs: number;
  now: () => Date;
};

/**
 * The sandbox's HTTP surface, checks in the order the real API makes them: the throttler (a guard that
 * runs first), authentication, the bookings version header, then the route's own validation.
 */
export function createSandboxApp(deps: SandboxAppDeps): Hono<SandboxEnv> {
  const timestamp = () => deps.now().toISOString();
  const app = new Hono<SandboxEnv>();

  app.use("*", logRequests(deps.requestLog));
  app.use("*", simulateLatency(deps.latencyMs));
  app.use("*", injectFaults(deps.faults, deps.rateLimit, timestamp));
  app.use("/v2/*", throttle(deps.rateLimiter, timestamp));
  app.use("/v2/*", authenticate(deps.apiKeys, timestamp));
  app.use("/v2/bookings", requireBookingsVersion(timestamp));
  app.use("/v2/bookings/*", requireBookingsVersion(timestamp));

  registerBookingRoutes(app, deps);
  registerWebhookRoutes(app, deps);

  // NestJS's own 404 for an unknown route, through the envelope filter.
  app.notFound((c) =>
    answerFailure(c, httpFailure(404, `Cannot ${c.req.method} ${new URL(c.req.url).pathname}`), timestamp()),
  );
  app.onError((error, c) => {
    console.error("Cal.com sandbox: unhandled error", error);
    return c.json(bareServerError(500), 500);
  });
  return app;
}
