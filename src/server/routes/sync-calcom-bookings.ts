import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { failureStatus } from "../../errors.ts";
import { runBookingSync } from "../../sync/run-booking-sync.ts";
import { httpTrigger, refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * `GET|POST /api/sync-calcom-bookings`, the original hourly sync's endpoint, now authenticated: Vercel Cron sends
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
    return c.json(result, result.success ? 200 : failureStatus(result.error?.code).http);
  };
  app.get("/api/sync-calcom-bookings", handler);
  app.post("/api/sync-calcom-bookings", handler);
  // Called by the Google Apps Script onEdit trigger (README): a sheet edit acts within seconds, not at the next run.
  app.post(SHEET_EDITED_PATH, handler);
}

const SHEET_EDITED_PATH = "/api/sheet-edited";
