import { Cron } from "croner";
import { type LocalServer, serveLocal } from "../http/serve-local.ts";
import { type AppOptions, createApp } from "../server/app.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { type EventWorker, startEventWorker } from "../webhooks/event-worker.ts";
import { createHistoryPruner } from "./history-pruner.ts";
import type { Runtime } from "./runtime.ts";

/** Retention's daily run, at a quiet hour in TIMEZONE. */
const DAILY_PRUNE = "17 3 * * *";

export type RunningServer = {
  url: string;
  runtime: Runtime;
  /** The background application of stored webhook deliveries; `idle()` resolves once none is due. */
  webhooks: Pick<EventWorker, "idle">;
  stop(): Promise<void>;
};

/**
 * The running service: the HTTP app, the webhook worker and the schedules (the Cal.com sync on SYNC_SCHEDULE,
 * the sheet copy on SHEETS_SYNC_SCHEDULE, retention daily), on one runtime. `calsync serve` and the demo both
 * start it. The address it listens on decides, with the runtime's sandboxes, whether the dashboard is open.
 */
export async function startServer(
  runtime: Runtime,
  hostname: string,
  options: Pick<AppOptions, "extraRoutes"> = {},
): Promise<RunningServer> {
  const { config, log } = runtime;
  // Retention first: old history is gone before the first page shows it.
  const pruner = createHistoryPruner(runtime);
  await pruner.runIfDue();
  const worker = startEventWorker(runtime.ctx);
  let server: LocalServer;
  try {
    const app = createApp(runtime, { webhooks: worker, listenHost: hostname, ...options });
    server = await serveLocal(app, config.port, hostname);
  } catch (error) {
    // The port is taken, say: the worker's timer would otherwise keep the process alive.
    worker.stop();
    throw error;
  }
  log.info("calsync is listening", { url: server.url.replace("0.0.0.0", "localhost") });
  const jobs: Cron[] = [];
  if (config.syncSchedule !== "off") {
    // protect: a run still going when the next tick comes is not started twice (the lock would wait anyway).
    jobs.push(
      new Cron(config.syncSchedule, { timezone: config.timeZone, protect: true }, async () => {
        const result = await runBookingSync(runtime.ctx, { trigger: "schedule" });
        log.info("scheduled sync finished", { success: result.success, updates: result.updatesApplied });
      }),
    );
  }
  if (config.sheetsSyncSchedule !== "off") {
    jobs.push(
      new Cron(config.sheetsSyncSchedule, { timezone: config.timeZone, protect: true }, async () => {
        const result = await copySheetToSanity(runtime.ctx, { trigger: "schedule" });
        log.info("scheduled sheet copy finished", { success: result.success, written: result.written });
      }),
    );
  }
  jobs.push(new Cron(DAILY_PRUNE, { timezone: config.timeZone, protect: true }, () => pruner.runIfDue()));
  return {
    url: server.url,
    runtime,
    webhooks: worker,
    stop: async () => {
      for (const job of jobs) job.stop();
      await worker.stop();
      await server.close();
      await runtime.close();
    },
  };
}
