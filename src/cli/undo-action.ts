import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { failureStatus } from "../errors.ts";
import { type UndoResult, undoRun } from "../sync/undo-run.ts";
import { EXIT, exitAfterOutput, exitWithError } from "./exit.ts";
import type { UndoOptions } from "./undo-command.ts";

/** What `calsync undo` does (its arguments and options are in undo-command.ts). */
export async function runUndoCommand(runId: string, options: UndoOptions): Promise<void> {
  let runtime: Runtime;
  try {
    const config = loadConfig(process.env);
    requireSystems(config, ["sheets"]);
    runtime = await createRuntime(config);
  } catch (error) {
    return exitWithError(error, options);
  }
  const result = await undoRun(runtime.ctx, {
    runId,
    trigger: "cli",
    dryRun: options.dryRun ?? false,
    calcomApiUrl: runtime.config.calcom.apiUrl,
  });
  await runtime.close();
  if (result.error) process.stderr.write(`calsync: ${result.error.message}\n`);
  process.stdout.write(`${options.json ? JSON.stringify(result) : formatUndoResult(result)}\n`);
  return exitAfterOutput(result.success ? EXIT.OK : failureStatus(result.error?.code).exit);
}

export function formatUndoResult(result: UndoResult): string {
  const lines = [result.message];
  if (result.runId !== null)
    lines.push(`  recorded as run ${result.runId} (undo it with \`calsync undo ${result.runId}\`)`);
  const verb = result.dryRun ? "would restore" : "restored";
  for (const cell of result.restored)
    lines.push(`  ${verb}  row ${cell.row}  ${cell.column}  "${cell.value}"`);
  for (const cell of result.skipped)
    lines.push(`  skipped   row ${cell.row}  ${cell.column}: ${cell.reason}`);
  for (const action of result.notUndone) {
    lines.push(
      `  ${action.reason}: ${action.action} of booking ${action.newBookingUid ?? action.bookingUid}${action.row ? ` (row ${action.row}, ${action.name})` : ""}  ${action.url}`,
    );
  }
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  return lines.join("\n");
}
