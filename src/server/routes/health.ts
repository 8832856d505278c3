import type { Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { hasValidBearer } from "../bearer-auth.ts";

/**
 * `GET /api/health`: whether calsync is up and how each system is configured, without calling any of them
 * (a load balancer polls this; it must not spend Cal.com or Sheets quota). Anyone gets the status per
 * system and the version; where each system is (its URL, the database's kind) only with the bearer secret,
 * since it tells an attacker what to aim at. URLs are shown without any `user:password@`.
 */
export function healthRoute(app: Hono, runtime: Runtime): void {
  app.get("/api/health", async (c) => {
    const { config } = runtime;
    const { sync, cron } = config.secrets;
    const detailed = hasValidBearer(c.req.header("authorization"), [sync, cron]);
    let database: "ok" | "unavailable" = "ok";
    try {
      await runtime.db.query("select 1");
    } catch {
      database = "unavailable";
    }
    const configured = (ready: boolean) => (ready ? "configured" : "not configured");
    const where = (url: string) => (detailed ? { url: withoutCredentials(url) } : {});
    return c.json(
      {
        ok: database === "ok",
        version: runtime.version,
        systems: {
          calcom: { status: configured(Boolean(config.calcom.apiKey)), ...where(config.calcom.apiUrl) },
          sheets: {
            status: configured(Boolean(config.sheets.spreadsheetId)),
            ...where(config.sheets.apiUrl),
          },
          sanity: {
            status: configured(Boolean(config.sanity.projectId && config.sanity.dataset)),
            ...where(config.sanity.apiHost),
          },
          database: { status: database, ...(detailed ? { kind: runtime.db.kind } : {}) },
        },
      },
      database === "ok" ? 200 : 503,
    );
  });
}

/** The configuration refuses credentials in these URLs; this makes sure no answer ever carries any. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(not a URL)";
  }
}
