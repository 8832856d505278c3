import { setTimeout as delay } from "node:timers/promises";
import { Hono } from "hono";
import { jsonResponse } from "./http-response.ts";
import { requestKindOf } from "./request-stats.ts";
import { docRoute } from "./routes/doc-route.ts";
import { mutateRoute } from "./routes/mutate-route.ts";
import { queryRoute } from "./routes/query-route.ts";
import type { SandboxContext } from "./sandbox-context.ts";
import { errorForStatus, gatewayError, rateLimited, SanityHttpError } from "./sanity-errors.ts";

/**
 * The sandbox's HTTP API. Each request passes, in order: the simulated network delay, the outage switch,
 * injected faults, the mutation rate limit, then the route (token, dataset, work). Every request is
 * recorded with the status it got.
 */
export function buildSandboxApp(context: SandboxContext): Hono {
  const app = new Hono();

  app.use(async (c, next) => {
    if (context.latencyMs > 0) await delay(context.latencyMs);
    await next();
    const url = new URL(c.req.url);
    context.stats.record({
      method: c.req.method,
      path: url.pathname,
      search: url.search,
      kind: requestKindOf(url.pathname),
      status: c.res.status,
    });
  });

  app.use(async (c, next) => {
    if (context.isDown()) throw gatewayError(503, "The Sanity sandbox is down (setDown)");
    const faultStatus = context.faults.take(requestKindOf(c.req.path));
    if (faultStatus !== undefined) throw errorForStatus(faultStatus, context.mutationLimiter.perSecond);
    await next();
  });

  app.use("/:version/data/mutate/*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const allowance = context.mutationLimiter.take();
    if (!allowance.allowed) throw rateLimited(allowance.retryAfterSeconds, context.mutationLimiter.perSecond);
    await next();
    // The counters Sanity's gateway puts on every mutation response.
    c.res.headers.set("x-ratelimit-limit-second", String(context.mutationLimiter.perSecond));
    c.res.headers.set("x-ratelimit-remaining-second", String(allowance.remaining));
  });

  app.post("/:version/data/mutate/:dataset", (c) => mutateRoute(c, context));
  app.get("/:version/data/query/:dataset", (c) => queryRoute(c, context));
  app.post("/:version/data/query/:dataset", (c) => queryRoute(c, context));
  app.get("/:version/data/doc/:dataset/:ids", (c) => docRoute(c, context));

  app.notFound((c) => {
    const error = gatewayError(404, `The Sanity sandbox has no ${c.req.method} ${c.req.path}`);
    return jsonResponse(error.body, error.status);
  });
  app.onError((error) => {
    if (error instanceof SanityHttpError) return jsonResponse(error.body, error.status, error.headers);
    // A bug in the sandbox: say so plainly rather than imitate Sanity.
    const failure = gatewayError(500, `Sanity sandbox bug: ${error.message}`);
    return jsonResponse(failure.body, failure.status);
  });
  return app;
}
