import { Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import type { DashboardAccess } from "../dashboard/guard.ts";
import { registerDashboard } from "../dashboard/routes.ts";
import { limitBody, TOO_LARGE_MESSAGE } from "../http/body-limit.ts";
import { type ClientAddress, nodeClientAddress } from "../http/client-address.ts";
import { bookCallRoute } from "./routes/book-call.ts";
import { calcomWebhookRoute } from "./routes/calcom-webhook.ts";
import { healthRoute } from "./routes/health.ts";
import { syncCalcomBookingsRoute } from "./routes/sync-calcom-bookings.ts";
import { syncSheetsRoute } from "./routes/sync-sheets.ts";

export type AppOptions = {
  /** How stored webhook deliveries get applied: a background worker (Node) or inline before answering (Vercel). */
  webhooks: { notify(): void; inline?: () => Promise<unknown> };
  /** Routes only some deployments have, e.g. the demo's control page (which shares the dashboard's guard). */
  extraRoutes?: (app: Hono, dashboardAccess: DashboardAccess) => void;
  /**
   * The address the server listens on. The dashboard opens without a password only on loopback; unknown
   * (Vercel, or a caller that does not say) counts as reachable from anywhere.
   */
  listenHost?: string;
  /** Who sent a request (failed logins are counted per client); default: the Node server's connection. */
  clientAddress?: ClientAddress;
};

/** The JSON routes that read a body: capped before authentication, so no stranger gets them parsed. */
const LIMITED_API_PATHS = [
  "/api/book-call",
  "/api/sheet-edited",
  "/api/sync-calcom-bookings",
  "/api/sync-sheets",
];

/** The HTTP app: thin routes that translate requests into orchestration calls and results into statuses. */
export function createApp(runtime: Runtime, options: AppOptions): Hono {
  const app = new Hono();
  const tooLarge = limitBody((c) => c.json({ success: false, message: TOO_LARGE_MESSAGE }, 413));
  for (const path of LIMITED_API_PATHS) app.use(path, tooLarge);
  healthRoute(app, runtime);
  syncCalcomBookingsRoute(app, runtime);
  syncSheetsRoute(app, runtime);
  // The dashboard before the JSON routes: its Book call form posts to /api/book-call too, and answers first.
  const dashboard = registerDashboard(app, runtime, {
    listenHost: options.listenHost,
    clientAddress: options.clientAddress ?? nodeClientAddress,
  });
  bookCallRoute(app, runtime);
  calcomWebhookRoute(app, runtime, options.webhooks);
  options.extraRoutes?.(app, dashboard);
  app.notFound((c) => c.json({ success: false, message: `No route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    runtime.log.error("unhandled error", { path: c.req.path, error });
    return c.json({ success: false, message: "Internal error; see the server log." }, 500);
  });
  return app;
}
