import { Hono } from "hono";
import { handle } from "hono/vercel";
import { createRuntime, type Runtime } from "../src/app/runtime.ts";
import { loadConfig, requireSystems } from "../src/config/config.ts";
import { ConfigError } from "../src/errors.ts";
import { createApp } from "../src/server/app.ts";
import { runBookingSync } from "../src/sync/run-booking-sync.ts";

/**
 * The Vercel entry point: every route of the Node server, as one function. Vercel keeps no background
 * worker, so a webhook delivery is stored and then applied inline before the answer (see README, "Vercel").
 * The embedded database does not persist there: DATABASE_URL must name a hosted PostgreSQL.
 */
let ready: Promise<{ runtime: Runtime; app: Hono }> | undefined;

function vercelApp(): Promise<{ runtime: Runtime; app: Hono }> {
  ready ??= (async () => {
    const config = loadConfig(process.env);
    requireSystems(config, ["calcom", "sheets", "sanity"]);
    if (!config.database.url) {
      throw new ConfigError([
        {
          variable: "DATABASE_URL",
          problem: "required on Vercel: a hosted PostgreSQL (the embedded database does not persist)",
        },
      ]);
    }
    const runtime = await createRuntime(config);
    const inline = () => runBookingSync(runtime.ctx, { trigger: "webhook", source: "webhook-events" });
    return { runtime, app: createApp(runtime, { webhooks: { notify: () => undefined, inline } }) };
  })();
  return ready;
}

const app = new Hono().all("*", async (c) => (await vercelApp()).app.fetch(c.req.raw));

export const GET = handle(app);
export const POST = handle(app);
export const PATCH = handle(app);
export const DELETE = handle(app);
