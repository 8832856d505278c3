import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig } from "../config/config.ts";
import { type RunDetails, runDetails } from "../core/run-details.ts";
import { changesOfRuns, latestRuns } from "../db/change-log.ts";
import { redactDeep } from "../log/redact.ts";
import { EXIT, exitAfterOutput, exitWithError } from "./exit.ts";
import type { HistoryOptions } from "./history-command.ts";
import { parseLimit } from "./parse-limit.ts";

/** What `calsync history` does (its options are in history-command.ts). */
export async function runHistoryCommand(options: HistoryOptions): Promise<void> {
  let runtime: Runtime;
  let limit: number;
  try {
    limit = parseLimit(options.limit);
    runtime = await createRuntime(loadConfig(process.env));
  } catch (error) {
    return exitWithError(error, options);
  }
  try {
    const runs = await latestRuns(runtime.db, limit);
    const changes = await changesOfRuns(
      runtime.db,
      runs.map((run) => run.id),
    );
    const details = runs.map((run) =>
      runDetails(run, changes.get(run.id) ?? [], runtime.config.calcom.apiUrl),
    );
    await runtime.close();
    const shown = redactDeep(details.map(({ documents: _documents, ...run }) => run));
    process.stdout.write(`${options.json ? JSON.stringify({ runs: shown }) : formatHistory(details)}\n`);
    return exitAfterOutput(EXIT.OK);
  } catch (error) {
    return exitWithError(error, options);
  }
}

/** The readable history `calsync history` prints without --json. */
export function formatHistory(runs: readonly RunDetails[]): string {
  if (runs.length === 0) return "No runs yet.";
  const lines: string[] = [];
  for (const run of redactDeep(runs)) {
    const state = run.finishedAt === null ? "running or stopped" : run.success ? "ok" : "failed";
    lines.push(`Run ${run.id}  ${run.startedAt}  ${run.kind} (${run.trigger})  ${state}: ${run.message}`);
    const c = run.counts;
    lines.push(
      `  ${c.changes} cell change(s), ${c.calcomActions} Cal.com action(s), ${c.documents} Sanity document(s), ${c.warnings} warning(s), ${c.conflicts} conflict(s)`,
    );
    for (const change of run.changes) {
      lines.push(
        `  row ${change.row}  ${change.column}  ${quote(change.before)} → ${quote(change.after)}  ${change.lead}: ${change.reason}`,
      );
    }
    for (const action of run.calcomActions) {
      lines.push(
        `  Cal.com ${action.action}  booking ${action.bookingUid}${action.to ? ` → ${action.to}` : ""}  ${action.lead}${action.row ? ` (row ${action.row})` : ""}: ${action.reason}  ${action.url}`,
      );
    }
    for (const conflict of run.conflicts) {
      lines.push(
        `  conflict: row ${conflict.row} (${conflict.name}): the sheet said "${conflict.sheetValue}", Cal.com "${conflict.calcomValue}"`,
      );
    }
    for (const warning of run.warnings) lines.push(`  warning: ${warning}`);
  }
  return lines.join("\n");
}

function quote(value: string | null): string {
  return value === null ? "(unknown)" : `"${value}"`;
}
