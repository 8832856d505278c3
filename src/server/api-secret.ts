import type { Context } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { hasValidBearer } from "./bearer-auth.ts";

/**
 * The API routes' authentication, as `/api/sync-calcom-bookings` has it: `Authorization: Bearer
 * <SYNC_SECRET or CRON_SECRET>`. Answers 503 when neither is configured, 401 when the bearer is missing or
 * wrong, and null when the request may go on.
 */
export function refuseWithoutSyncSecret(c: Context, runtime: Runtime, route: string): Response | null {
  const { sync, cron } = runtime.config.secrets;
  if (!sync && !cron) {
    runtime.log.error(`refusing ${route}: set SYNC_SECRET (or CRON_SECRET on Vercel)`);
    return c.json(
      {
        success: false,
        message: "This route is disabled until SYNC_SECRET or CRON_SECRET is set on the server.",
      },
      503,
    );
  }
  if (!hasValidBearer(c.req.header("authorization"), [sync, cron])) {
    return c.json(
      { success: false, message: "Unauthorized: send Authorization: Bearer <SYNC_SECRET>." },
      401,
    );
  }
  return null;
}

/** Vercel Cron announces itself in the user agent; its runs are recorded as "cron", others as "http". */
export function httpTrigger(c: Context): "cron" | "http" {
  return c.req.header("user-agent")?.startsWith("vercel-cron") ? "cron" : "http";
}
