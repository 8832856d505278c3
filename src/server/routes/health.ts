import type { Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { readWebhookHealth } from "../../db/webhook-health.ts";
import { hasValidBearer } from "../bearer-auth.ts";

/**
 * `GET /api/health`: whether calsync is up and how each system is configured, without calling any of them
 * (a load balancer polls this; it must not spend Cal.com or Sheets quota). Anyone gets the status per
 * system and the version; where each system is (its URL, the database's kind) only with the bearer secret,
 * since it tells an attacker what to aim at. URLs are shown without any `user:password@`. With the secret it
 * also says whether Cal.com's webhooks arrive: `webhooks: {received24h, missed24h, status}` (see
 * core/webhook-health.ts); a degraded status does not make calsync unhealthy (the polls still run).
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
    // Deliveries received and missed over the last day: a few indexed counts, and only for the secret's holder.
    const webhooks =
      detailed && database === "ok"
        ? await readWebhookHealth(runtime.db, {
            now: runtime.ctx.clock(),
            silenceHours: config.webhookSilenceHours,
            configured: Boolean(config.calcom.webhookSecret),
          }).then(
            (health) => ({
              webhooks: {
                received24h: health.received24h,
                missed24h: health.missed24h,
                status: health.status,
              },
            }),
            () => ({}),
          )
        : {};
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
        ...webhooks,
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
