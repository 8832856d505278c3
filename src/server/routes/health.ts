import type { Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";

/**
 * `GET /api/health`: whether calsync is up and how each system is configured, without calling any of them
 * (a load balancer polls this; it must not spend Cal.com or Sheets quota).
 */
export function healthRoute(app: Hono, runtime: Runtime): void {
  app.get("/api/health", async (c) => {
    const { config } = runtime;
    let database: "ok" | "unavailable" = "ok";
    try {
      await runtime.db.query("select 1");
    } catch {
      database = "unavailable";
    }
    const configured = (ready: boolean) => (ready ? "configured" : "not configured");
    return c.json(
      {
        ok: database === "ok",
        version: runtime.version,
        systems: {
          calcom: { status: configured(Boolean(config.calcom.apiKey)), url: config.calcom.apiUrl },
          sheets: {
            status: configured(Boolean(config.sheets.spreadsheetId)),
            url: config.sheets.apiUrl,
          },
          sanity: {
            status: configured(Boolean(config.sanity.projectId && config.sanity.dataset)),
            url: config.sanity.apiHost,
          },
          database: { status: database, kind: runtime.db.kind },
        },
      },
      database === "ok" ? 200 : 503,
    );
  });
}
