import { Cron } from "croner";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import type { Config } from "../config/config.ts";
import { type LocalServer, serveLocal } from "../http/serve-local.ts";
import { type AppOptions, createApp } from "../server/app.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { startEventWorker } from "../webhooks/event-worker.ts";

/** `calsync serve`: the HTTP server plus the scheduled sync, until Ctrl-C. */
export async function serveCommand(
  config: Config,
  options: { hostname?: string } = {},
): Promise<RunningServer> {
  const runtime = await createRuntime(config);
  const running = await startServer(runtime, options.hostname ?? "0.0.0.0");
  const stop = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return running;
}

export type RunningServer = { url: string; runtime: Runtime; stop(): Promise<void> };

export async function startServer(runtime: Runtime, hostname: string): Promise<RunningServer> {
  const { config, log } = runtime;
  const worker = startEventWorker(runtime.ctx);
  const server: LocalServer = await serveLocal(
    createApp(runtime, { webhooks: worker }),
    config.port,
    hostname,
  );
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
  return {
    url: server.url,
    runtime,
    stop: async () => {
      for (const job of jobs) job.stop();
      worker.stop();
      await server.close();
      await runtime.close();
    },
  };
}
