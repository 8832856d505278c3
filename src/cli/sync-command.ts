import type { Command } from "commander";
import { createHistoryPruner } from "../app/history-pruner.ts";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { formatSyncResult } from "../core/format-sync-result.ts";
import { buildResult, emptyReport } from "../core/run-report.ts";
import { CalsyncError, ConfigError } from "../errors.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { EXIT, exitStatusOf, exitWithError, printOut } from "./exit.ts";

/** `calsync sync [--dry-run] [--json]`: one run; exit 0 success, 1 failed run, 2 bad configuration. */
export function registerSyncCommand(program: Command): void {
  program
    .command("sync")
    .description("Run the Cal.com → sheet → Sanity sync once")
    .option("--dry-run", "plan and print what would be written, writing nothing")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .option(
      "--confirm-reverse",
      "take the Cal.com actions of sheet edits even past MAX_REVERSE_ACTIONS_PER_RUN",
    )
    .action(async (options: { dryRun?: boolean; json?: boolean; confirmReverse?: boolean }) => {
      let runtime: Runtime;
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["calcom", "sheets", "sanity"]);
        runtime = await createRuntime(config);
      } catch (error) {
        if (error instanceof ConfigError || !(error instanceof CalsyncError)) exitWithError(error, options);
        // Could not start the run (e.g. another run holds the embedded database): answer as a failed run.
        const result = buildResult({
          report: emptyReport(),
          dryRun: options.dryRun ?? false,
          apiCalls: { calcom: 0, sheets: 0, sheetsWrites: 0, sanity: 0 },
          durationMs: 0,
          error: { code: error.code, message: error.message },
        });
        process.stderr.write(`calsync: ${error.message}\n`);
        await printOut(options.json ? JSON.stringify(result) : formatSyncResult(result));
        process.exit(EXIT.FAILED);
      }
      const result = await runBookingSync(runtime.ctx, {
        trigger: "cli",
        dryRun: options.dryRun ?? false,
        confirmReverse: options.confirmReverse ?? false,
      });
      // People who run `calsync sync` from their own cron have no server to prune history: this run does.
      if (!options.dryRun) await createHistoryPruner(runtime).runIfDue();
      await runtime.close();
      await printOut(options.json ? JSON.stringify(result) : formatSyncResult(result));
      process.exit(exitStatusOf(result));
    });
}
