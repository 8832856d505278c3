import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import type { SheetCopyResult } from "../sync/copy-sheet-to-sanity.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { exitAfterOutput, exitStatusOf, exitWithError } from "./exit.ts";

/** What `calsync sheets-sync` does (its options are in sheets-sync-command.ts). */
export async function runSheetsSyncCommand(options: { json?: boolean }): Promise<void> {
  let runtime: Runtime;
  try {
    const config = loadConfig(process.env);
    requireSystems(config, ["sheets", "sanity"]);
    runtime = await createRuntime(config);
  } catch (error) {
    return exitWithError(error, options);
  }
  const result = await copySheetToSanity(runtime.ctx, { trigger: "cli" });
  await runtime.close();
  process.stdout.write(`${options.json ? JSON.stringify(result) : formatSheetCopyResult(result)}\n`);
  return exitAfterOutput(exitStatusOf(result));
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
