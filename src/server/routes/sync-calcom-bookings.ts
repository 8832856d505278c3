import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { runBookingSync } from "../../sync/run-booking-sync.ts";
import type { SyncRunResult } from "../../sync/sync-result.ts";
import { httpTrigger, refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * The guide's endpoint, `GET|POST /api/sync-calcom-bookings`, now authenticated: Vercel Cron sends
 * `Authorization: Bearer $CRON_SECRET`; people and scripts use SYNC_SECRET.
 */
export function syncCalcomBookingsRoute(app: Hono, runtime: Runtime): void {
  const handler = async (c: Context) => {
    const refused = refuseWithoutSyncSecret(c, runtime, c.req.path);
    if (refused) return refused;
    const flag = (name: string) => ["1", "true", "yes"].includes((c.req.query(name) ?? "").toLowerCase());
    const trigger = c.req.path === SHEET_EDITED_PATH ? "sheet-edit" : httpTrigger(c);
    const result = await runBookingSync(runtime.ctx, {
      trigger,
      dryRun: flag("dryRun"),
      confirmReverse: flag("confirmReverse"),
    });
    return c.json(result, httpStatusOf(result));
  };
  app.get("/api/sync-calcom-bookings", handler);
  app.post("/api/sync-calcom-bookings", handler);
  // Called by the Google Apps Script onEdit trigger (README): a sheet edit acts within seconds, not at the next run.
  app.post(SHEET_EDITED_PATH, handler);
}

const SHEET_EDITED_PATH = "/api/sheet-edited";

export function httpStatusOf(result: SyncRunResult): 200 | 409 | 500 | 502 | 503 {
  if (result.success) return 200;
  switch (result.error?.code) {
    case "LOCKED":
      return 409;
    case "UPSTREAM":
    case "RATE_LIMITED":
    case "CONFLICT":
      return 502;
    case "SHEET_LAYOUT":
    case "CONFIG":
      return 500;
    default:
      return 500;
  }
}
