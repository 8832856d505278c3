import type { Command } from "commander";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig } from "../config/config.ts";
import { type RunDetails, runDetails } from "../core/run-details.ts";
import { changesOfRuns, latestRuns } from "../db/change-log.ts";
import { InputError } from "../errors.ts";
import { redactDeep } from "../log/redact.ts";
import { EXIT, exitWithError, printOut } from "./exit.ts";

/**
 * `calsync history [--json] [--limit N]`: the last runs, newest first, each with every cell it changed
 * (row, column as headed in row 1, before, after, why) and every Cal.com action it took, as the run page
 * shows them. Exit 0, or 2 for a bad --limit or configuration.
 */
export function registerHistoryCommand(program: Command): void {
  program
    .command("history")
    .description("List the last runs with every cell change and Cal.com action, and why")
    .option("--json", 'print {"runs":[…]} on stdout')
    .option("--limit <n>", "how many runs, newest first (1 to 1000)", "20")
    .action(async (options: { json?: boolean; limit: string }) => {
      let runtime: Runtime;
      let limit: number;
      try {
        limit = parseLimit(options.limit);
        runtime = await createRuntime(loadConfig(process.env));
      } catch (error) {
        exitWithError(error, options);
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
        await printOut(options.json ? JSON.stringify({ runs: shown }) : formatHistory(details));
        process.exit(EXIT.OK);
      } catch (error) {
        exitWithError(error, options);
      }
    });
}

export function parseLimit(text: string, max = 1000): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new InputError(`--limit expects a whole number from 1 to ${max}, got "${text}"`);
  }
  return Number(text);
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
