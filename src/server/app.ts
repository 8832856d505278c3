import { Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { registerDashboard } from "../dashboard/routes.ts";
import type { SessionKeys } from "../dashboard/session.ts";
import { bookCallRoute } from "./routes/book-call.ts";
import { calcomWebhookRoute } from "./routes/calcom-webhook.ts";
import { healthRoute } from "./routes/health.ts";
import { syncCalcomBookingsRoute } from "./routes/sync-calcom-bookings.ts";
import { syncSheetsRoute } from "./routes/sync-sheets.ts";

export type AppOptions = {
  /** How stored webhook deliveries get applied: a background worker (Node) or inline before answering (Vercel). */
  webhooks: { notify(): void; inline?: () => Promise<unknown> };
  /** Routes only some deployments have, e.g. the demo's control page (which shares the dashboard's session). */
  extraRoutes?: (app: Hono, dashboardKeys: SessionKeys) => void;
};

/** The HTTP app: thin routes that translate requests into orchestration calls and results into statuses. */
export function createApp(runtime: Runtime, options: AppOptions): Hono {
  const app = new Hono();
  healthRoute(app, runtime);
  syncCalcomBookingsRoute(app, runtime);
  syncSheetsRoute(app, runtime);
  // The dashboard before the JSON routes: its Book call form posts to /api/book-call too, and answers first.
  const dashboard = registerDashboard(app, runtime);
  bookCallRoute(app, runtime);
  calcomWebhookRoute(app, runtime, options.webhooks);
  options.extraRoutes?.(app, dashboard.keys);
  app.notFound((c) => c.json({ success: false, message: `No route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    runtime.log.error("unhandled error", { path: c.req.path, error });
    return c.json({ success: false, message: "Internal error; see the server log." }, 500);
  });
  return app;
}
