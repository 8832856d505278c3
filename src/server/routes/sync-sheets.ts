import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { failureStatus } from "../../errors.ts";
import { copySheetToSanity } from "../../sync/copy-sheet-to-sanity.ts";
import { httpTrigger, refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * `/api/sync-sheets`, the original sheet → dashboard copy's endpoint (GET for Vercel Cron, POST for people and scripts): copies the sheet into
 * the dashboard's lead documents. Same authentication as `/api/sync-calcom-bookings`.
 */
export function syncSheetsRoute(app: Hono, runtime: Runtime): void {
  const handler = async (c: Context) => {
    const refused = refuseWithoutSyncSecret(c, runtime, "/api/sync-sheets");
    if (refused) return refused;
    const result = await copySheetToSanity(runtime.ctx, { trigger: httpTrigger(c) });
    return c.json(result, result.success ? 200 : failureStatus(result.error?.code).http);
  };
  app.get("/api/sync-sheets", handler);
  app.post("/api/sync-sheets", handler);
}
