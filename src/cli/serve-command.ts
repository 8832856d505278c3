import type { Command } from "commander";
import { createRuntime } from "../app/runtime.ts";
import { startServer } from "../app/start-server.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { EXIT, exitWithError } from "./exit.ts";

/** `calsync serve`: the HTTP server (routes, webhooks, dashboard) and the scheduled jobs, until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Start the HTTP server (sync routes, webhooks, dashboard) and the scheduled syncs")
    .action(async () => {
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["calcom", "sheets", "sanity"]);
        const running = await startServer(await createRuntime(config), "0.0.0.0");
        const stop = async () => {
          await running.stop();
          process.exit(EXIT.OK);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      } catch (error) {
        exitWithError(error, {});
      }
    });
}
