import { Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { dashboardActions } from "./actions.ts";
import { bookCallFormRoute } from "./book-call-form.ts";
import { type DashboardEnv, dashboardGuard, errorPage } from "./guard.ts";
import { loginRoutes } from "./login-routes.ts";
import { dashboardPages } from "./pages.ts";
import { createReachabilityProbe } from "./reachability.ts";
import { createSessionKeys, type SessionKeys } from "./session.ts";

/**
 * The web dashboard under /dashboard: server-rendered pages and plain forms, no client framework.
 * Returns the session keys, which the demo's controls share.
 */
export function registerDashboard(app: Hono, runtime: Runtime): { keys: SessionKeys } {
  const { secrets } = runtime.config;
  const keys = createSessionKeys({
    password: secrets.dashboardPassword,
    secret: secrets.sync ?? secrets.cron,
  });
  const dashboard = new Hono<DashboardEnv>();
  dashboard.use("*", dashboardGuard(runtime, keys));
  loginRoutes(dashboard, runtime, keys);
  dashboardPages(dashboard, runtime, createReachabilityProbe(runtime));
  dashboardActions(dashboard, runtime);
  dashboard.notFound((c) => c.html(errorPage("Not found", `There is no page ${c.req.path}.`), 404));
  dashboard.onError((error, c) => {
    runtime.log.error("dashboard error", { path: c.req.path, error });
    const message = error instanceof Error ? error.message : String(error);
    return c.html(errorPage("Something failed", `The page could not be made: ${message}`), 502);
  });
  bookCallFormRoute(app, runtime, keys);
  app.get("/dashboard/", (c) => c.redirect("/dashboard", 301));
  app.route("/dashboard", dashboard);
  return { keys };
}
