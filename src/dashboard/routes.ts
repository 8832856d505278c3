import { Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { limitBody, TOO_LARGE_MESSAGE } from "../http/body-limit.ts";
import type { ClientAddress } from "../http/client-address.ts";
import { redactText } from "../log/redact.ts";
import { accessMode } from "./access.ts";
import { dashboardActions } from "./actions.ts";
import { bookCallFormRoute } from "./book-call-form.ts";
import { type DashboardAccess, type DashboardEnv, dashboardGuard, errorPage } from "./guard.ts";
import { loginRoutes } from "./login-routes.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { pageHeaders } from "./page-headers.ts";
import { dashboardPages } from "./pages.ts";
import { createReachabilityProbe } from "./reachability.ts";
import { createSessionKeys } from "./session.ts";

export type DashboardOptions = {
  /** The address the server listens on; undefined when unknown (Vercel). */
  listenHost: string | undefined;
  /** Who sent a request, for counting failed logins per client. */
  clientAddress: ClientAddress;
};

/**
 * The web dashboard under /dashboard: server-rendered pages and plain forms, no client framework.
 * Returns what its guard decides with, which the demo's controls share.
 */
export function registerDashboard(app: Hono, runtime: Runtime, options: DashboardOptions): DashboardAccess {
  const { secrets } = runtime.config;
  const access: DashboardAccess = {
    mode: accessMode({
      password: secrets.dashboardPassword,
      sandboxes: runtime.sandboxes,
      listenHost: options.listenHost,
    }),
    listenHost: options.listenHost,
    keys: createSessionKeys({ secret: runtime.sessionSecret, password: secrets.dashboardPassword }),
  };
  const dashboard = new Hono<DashboardEnv>();
  dashboard.use("*", pageHeaders());
  dashboard.use("*", dashboardBodyLimit());
  dashboard.use("*", dashboardGuard(runtime, access));
  loginRoutes(dashboard, runtime, {
    access,
    throttle: createLoginThrottle(),
    clientAddress: options.clientAddress,
  });
  dashboardPages(dashboard, runtime, createReachabilityProbe(runtime));
  dashboardActions(dashboard, runtime);
  dashboard.notFound((c) => c.html(errorPage("Not found", `There is no page ${c.req.path}.`), 404));
  dashboard.onError((error, c) => {
    runtime.log.error("dashboard error", { path: c.req.path, error });
    const message = redactText(error instanceof Error ? error.message : String(error));
    return c.html(errorPage("Something failed", `The page could not be made: ${message}`), 502);
  });
  bookCallFormRoute(app, runtime, access);
  app.get("/dashboard/", (c) => c.redirect("/dashboard", 301));
  app.route("/dashboard", dashboard);
  return access;
}

/** The dashboard's forms, and the demo's, are small: 413 before the guard reads anything. */
export function dashboardBodyLimit() {
  return limitBody((c) =>
    c.html(errorPage("The form is too large", `${TOO_LARGE_MESSAGE} Nothing was done.`), 413),
  );
}
