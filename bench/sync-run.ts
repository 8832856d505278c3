/**
 * One measured sync: a `calsync sync --json` process (or the guide's algorithm as a process of its own) against
 * the sandboxes, with the sandboxes' own request counts for that run, and the counts its JSON answer gave.
 */
import { fileURLToPath } from "node:url";
import type { CaseDatabase } from "./database.ts";
import { CALSYNC_BIN, type ProcessRun, runMeasured } from "./process-run.ts";
import type { BenchSandboxes, SystemStats } from "./sandboxes.ts";

const GUIDE_CLI = fileURLToPath(new URL("./guide-cli.ts", import.meta.url));
/** tsx resolved from here: the guide's process runs in a temporary directory, where `tsx` alone resolves to nothing. */
const TSX = import.meta.resolve("tsx");

export type SyncRun = {
  process: ProcessRun;
  ok: boolean;
  bookings: number;
  matched: number;
  /** Existing rows written. */
  updated: number;
  /** New leads appended (calsync only). */
  added: number;
  /** Why the run failed or stopped, or its warnings; null when there is nothing to say. */
  note: string | null;
  stats: SystemStats;
};

/** calsync's answer, as far as the bench reads it (src/core/run-report.ts SyncRunResult). */
type CalsyncAnswer = {
  success: boolean;
  bookingsFound: number;
  matchesFound: number;
  updatesApplied: number;
  added: number;
  warnings: string[];
  error?: { code: string; message: string };
};

type GuideAnswer = {
  success: boolean;
  bookingsFound: number;
  matchesFound: number;
  updatesApplied: number;
  stopped: string | null;
  sanityWarning: string | null;
};

/** `node bin/calsync.js sync --json` in the case's directory, on its database. */
export async function runCalsync(sandboxes: BenchSandboxes, database: CaseDatabase): Promise<SyncRun> {
  await sandboxes.resetStats();
  const run = await runMeasured(
    [CALSYNC_BIN, "sync", "--json"],
    { ...sandboxes.env, ...database.env },
    database.cwd,
  );
  const stats = await sandboxes.stats();
  const answer = parseAnswer<CalsyncAnswer>(run);
  if (!answer) return failed(run, stats);
  const note = answer.error
    ? `${answer.error.code}: ${answer.error.message}`
    : answer.warnings.length > 0
      ? answer.warnings.join(" | ")
      : null;
  return {
    process: run,
    ok: answer.success && run.code === 0,
    bookings: answer.bookingsFound,
    matched: answer.matchesFound,
    updated: answer.updatesApplied - answer.added,
    added: answer.added,
    note,
    stats,
  };
}

/** The guide's algorithm (bench/guide-cli.ts) as its own process, in `cwd`. It keeps no database. */
export async function runGuide(sandboxes: BenchSandboxes, cwd: string): Promise<SyncRun> {
  await sandboxes.resetStats();
  const run = await runMeasured(["--import", TSX, GUIDE_CLI], sandboxes.env, cwd);
  const stats = await sandboxes.stats();
  const answer = parseAnswer<GuideAnswer>(run);
  if (!answer) return failed(run, stats);
  return {
    process: run,
    ok: answer.success,
    bookings: answer.bookingsFound,
    matched: answer.matchesFound,
    updated: answer.updatesApplied,
    added: 0,
    note: answer.stopped ?? answer.sanityWarning,
    stats,
  };
}

/** The last line of stdout is the JSON answer (logs go to stderr). */
function parseAnswer<T>(run: ProcessRun): T | null {
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as T;
  } catch {
    return null;
  }
}

function failed(run: ProcessRun, stats: SystemStats): SyncRun {
  const printed = (run.stderr.trim() || run.stdout.trim()).split("\n").filter((text) => text.trim() !== "");
  // A stack trace's first error line says what happened; the last lines say where a log ended.
  const error = printed.find((text) => /Error\b/.test(text));
  const said = [...(error ? [error] : []), ...printed.slice(-2)].join(" | ").slice(0, 500);
  return {
    process: run,
    ok: false,
    bookings: 0,
    matched: 0,
    updated: 0,
    added: 0,
    note: `exit ${run.code ?? run.signal}, no JSON answer: ${said}`,
    stats,
  };
}
