import { createHistoryPruner } from "../app/history-pruner.ts";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { formatSyncResult } from "../core/format-sync-result.ts";
import { buildResult, emptyReport } from "../core/run-report.ts";
import { CalsyncError, ConfigError } from "../errors.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { EXIT, exitAfterOutput, exitStatusOf, exitWithError } from "./exit.ts";
import type { SyncOptions } from "./sync-command.ts";

/** What `calsync sync` does (its options are in sync-command.ts). */
export async function runSyncCommand(options: SyncOptions): Promise<void> {
  const print = (text: string) => process.stdout.write(`${text}\n`);
  let runtime: Runtime;
  try {
    const config = loadConfig(process.env);
    requireSystems(config, ["calcom", "sheets", "sanity"]);
    runtime = await createRuntime(config);
  } catch (error) {
    if (error instanceof ConfigError || !(error instanceof CalsyncError))
      return exitWithError(error, options);
    // Could not start the run (e.g. another run holds the embedded database): answer as a failed run.
    const result = buildResult({
      report: emptyReport(),
      dryRun: options.dryRun ?? false,
      apiCalls: { calcom: 0, sheets: 0, sheetsWrites: 0, sanity: 0 },
      durationMs: 0,
      error: { code: error.code, message: error.message },
    });
    process.stderr.write(`calsync: ${error.message}\n`);
    print(options.json ? JSON.stringify(result) : formatSyncResult(result));
    return exitAfterOutput(EXIT.FAILED);
  }
  const result = await runBookingSync(runtime.ctx, {
    trigger: "cli",
    dryRun: options.dryRun ?? false,
    confirmReverse: options.confirmReverse ?? false,
  });
  // People who run `calsync sync` from their own cron have no server to prune history: this run does.
  if (!options.dryRun) await createHistoryPruner(runtime).runIfDue();
  await runtime.close();
  print(options.json ? JSON.stringify(result) : formatSyncResult(result));
  return exitAfterOutput(exitStatusOf(result));
}
