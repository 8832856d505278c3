import { Hono } from "hono";
import { handle } from "hono/vercel";
import { createHistoryPruner, type HistoryPruner } from "../src/app/history-pruner.ts";
import { createRuntime } from "../src/app/runtime.ts";
import { startOnce } from "../src/app/start-once.ts";
import { loadConfig, requireSystems } from "../src/config/config.ts";
import { ConfigError } from "../src/errors.ts";
import { vercelClientAddress } from "../src/http/client-address.ts";
import { createLogger } from "../src/log/logger.ts";
import { createApp } from "../src/server/app.ts";
import { runBookingSync } from "../src/sync/run-booking-sync.ts";

/**
 * The Vercel entry point: every route of the Node server, as one function. Vercel keeps no background
 * worker, so a webhook delivery is stored and then applied inline before the answer (see README, "Vercel"),
 * and retention runs on the first request of the day. The embedded database does not persist there:
 * DATABASE_URL must name a hosted PostgreSQL. A start that fails (the database briefly unreachable) answers
 * 503 and is tried again by the next request.
 */
const started = startOnce(async (): Promise<{ app: Hono; pruner: HistoryPruner }> => {
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
  const app = createApp(runtime, {
    webhooks: { notify: () => undefined, inline },
    clientAddress: vercelClientAddress,
  });
  return { app, pruner: createHistoryPruner(runtime) };
});

const log = createLogger("error");

const app = new Hono().all("*", async (c) => {
  let service: { app: Hono; pruner: HistoryPruner };
  try {
    service = await started();
  } catch (error) {
    log.error("calsync could not start; the next request tries again", { error });
    return c.json({ success: false, message: "calsync is starting or could not start; try again." }, 503);
  }
  await service.pruner.runIfDue();
  return service.app.fetch(c.req.raw);
});

export const GET = handle(app);
export const POST = handle(app);
export const PATCH = handle(app);
export const DELETE = handle(app);
