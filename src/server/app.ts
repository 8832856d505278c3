import { Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { healthRoute } from "./routes/health.ts";
import { syncCalcomBookingsRoute } from "./routes/sync-calcom-bookings.ts";

/** The HTTP app: thin routes that translate requests into orchestration calls and results into statuses. */
export function createApp(runtime: Runtime): Hono {
  const app = new Hono();
  healthRoute(app, runtime);
  syncCalcomBookingsRoute(app, runtime);
  app.notFound((c) => c.json({ success: false, message: `No route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    runtime.log.error("unhandled error", { path: c.req.path, error });
    return c.json({ success: false, message: "Internal error; see the server log." }, 500);
  });
  return app;
}
