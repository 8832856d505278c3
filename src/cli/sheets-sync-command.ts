import type { Command } from "commander";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import type { SheetCopyResult } from "../sync/copy-sheet-to-sanity.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { exitStatusOf, exitWithError, printOut } from "./exit.ts";

/** `calsync sheets-sync [--json]`: one sheet → Sanity copy; exit 0 success, 1 failed run, 2 bad configuration. */
export function registerSheetsSyncCommand(program: Command): void {
  program
    .command("sheets-sync")
    .description("Copy the sheet's leads into the Sanity dashboard once (only rows that changed)")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .action(async (options: { json?: boolean }) => {
      let runtime: Runtime;
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["sheets", "sanity"]);
        runtime = await createRuntime(config);
      } catch (error) {
        exitWithError(error, options);
      }
      const result = await copySheetToSanity(runtime.ctx, { trigger: "cli" });
      await runtime.close();
      await printOut(options.json ? JSON.stringify(result) : formatSheetCopyResult(result));
      process.exit(exitStatusOf(result));
    });
}

/** The readable summary `calsync sheets-sync` prints without --json. */
export function formatSheetCopyResult(result: SheetCopyResult): string {
  const lines = [result.message];
  lines.push(
    `  leads ${result.leads}: written ${result.written}, archived ${result.archived}, unchanged ${result.unchanged}` +
      ` (${result.transactions} transaction(s))`,
  );
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  const calls = result.apiCalls;
  lines.push(`  API calls: Sheets ${calls.sheets}, Sanity ${calls.sanity} · ${result.durationMs} ms`);
  return lines.join("\n");
}
