import type { Command } from "commander";
import { loadConfig, requireSystems } from "../config/config.ts";
import { exitWithError } from "./exit.ts";
import { serveCommand } from "./serve.ts";

/** `calsync serve`: the HTTP server (routes, webhooks, dashboard) and the scheduled jobs, until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Start the HTTP server (sync routes, webhooks, dashboard) and the scheduled syncs")
    .action(async () => {
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["calcom", "sheets", "sanity"]);
        await serveCommand(config);
      } catch (error) {
        exitWithError(error, {});
      }
    });
}
