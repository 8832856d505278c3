import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import type { SheetCopyResult } from "../../sync/copy-sheet-to-sanity.ts";
import { runSheetCopy } from "../../sync/sheet-copy-job.ts";
import { httpTrigger, refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * The guide's `/api/sync-sheets` (GET for Vercel Cron, POST for people and scripts): copies the sheet into
 * the dashboard's lead documents. Same authentication as `/api/sync-calcom-bookings`.
 */
export function syncSheetsRoute(app: Hono, runtime: Runtime): void {
  const handler = async (c: Context) => {
    const refused = refuseWithoutSyncSecret(c, runtime, "/api/sync-sheets");
    if (refused) return refused;
    const result = await runSheetCopy(runtime, { trigger: httpTrigger(c) });
    return c.json(result, sheetCopyStatus(result));
  };
  app.get("/api/sync-sheets", handler);
  app.post("/api/sync-sheets", handler);
}

export function sheetCopyStatus(result: SheetCopyResult): 200 | 409 | 500 | 502 {
  if (result.success) return 200;
  switch (result.error?.code) {
    case "LOCKED":
      return 409;
    case "UPSTREAM":
    case "RATE_LIMITED":
      return 502;
    default:
      return 500;
  }
}
