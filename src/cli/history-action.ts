import { type RunDetails, runDetails } from "../core/run-details.ts";
import { changesOfRuns, latestRuns } from "../db/change-log.ts";
import { redactDeep } from "../log/redact.ts";
import type { HistoryOptions } from "./history-command.ts";
import { printFromDatabase } from "./print-from-database.ts";

/** What `calsync history` does (its options are in history-command.ts). */
export function runHistoryCommand(options: HistoryOptions): Promise<void> {
  return printFromDatabase(options, async (runtime, limit) => {
    const runs = await latestRuns(runtime.db, limit);
    const changes = await changesOfRuns(
      runtime.db,
      runs.map((run) => run.id),
    );
    const details = runs.map((run) =>
      runDetails(run, changes.get(run.id) ?? [], runtime.config.calcom.apiUrl),
    );
    const shown = redactDeep(details.map(({ documents: _documents, ...run }) => run));
    return options.json ? JSON.stringify({ runs: shown }) : formatHistory(details);
  });
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
