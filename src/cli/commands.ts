import type { Command } from "commander";
import { createRuntime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { EXIT, exitWithError } from "./exit.ts";
import { formatSyncResult } from "./format-result.ts";
import { serveCommand } from "./serve.ts";

export function registerCommands(program: Command): void {
  program
    .command("sync")
    .description("Run the Cal.com → sheet → Sanity sync once")
    .option("--dry-run", "plan and print what would be written, writing nothing")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      let runtime: Awaited<ReturnType<typeof createRuntime>> | undefined;
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["calcom", "sheets", "sanity"]);
        runtime = await createRuntime(config);
      } catch (error) {
        exitWithError(error, options);
      }
      const result = await runBookingSync(runtime.ctx, { trigger: "cli", dryRun: options.dryRun ?? false });
      await runtime.close();
      process.stdout.write(`${options.json ? JSON.stringify(result) : formatSyncResult(result)}\n`);
      process.exit(result.success ? EXIT.OK : EXIT.FAILED);
    });

  program
    .command("serve")
    .description("Start the HTTP server (routes, webhooks, dashboard) and the scheduled syncs")
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
