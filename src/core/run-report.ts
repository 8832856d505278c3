import type { AmbiguousReport, BookingReport, PendingReport, RowUpdate } from "./plan-booking-sync.ts";

/** A Cal.com action taken (or, on a dry run, that would be taken) because of a person's edit in the sheet. */
export type ReverseAction = {
  row: number;
  name: string;
  uid: string;
  action: "cancel" | "reschedule";
  to?: string;
  /** Cal.com answered the reschedule as awaiting the host's confirmation. */
  pending?: boolean;
};
/** A sheet edit calsync could not act on: the cell was put back to the real booking time. */
export type EditPutBack = { row: number; name: string; typed: string; restoredTo: string; reason: string };
/** The sheet and Cal.com both changed a lead since the last run: Cal.com won. */
export type EditConflict = { row: number; name: string; sheetValue: string; calcomValue: string };

/**
 * Requests sent to each API. `sheetsWrites` is the part of `sheets` that counts against Google's write
 * quota (60 a minute per user), which is separate from the read quota (also 60): webhook batches are paced
 * by each on its own.
 */
export type ApiCalls = { calcom: number; sheets: number; sheetsWrites: number; sanity: number };

/**
 * The answer of one sync run, for the HTTP routes, `calsync sync --json` and the run history alike: the JSON
 * of the original hourly sync (`success`, `message`, `bookingsFound`, `matchesFound`, `updatesApplied`,
 * `updates`), extended. `updates` lists every row written and `updatesApplied` is its length. `runId` names the
 * run in the history (its page, `calsync history`, `calsync undo`); null for a dry run, which is not kept.
 */
export type SyncRunResult = {
  runId: number | null;
  success: boolean;
  message: string;
  bookingsFound: number;
  matchesFound: number;
  updatesApplied: number;
  updates: RowUpdate[];
  cancellations: number;
  reschedules: number;
  added: number;
  unmatched: BookingReport[];
  ambiguous: AmbiguousReport[];
  pending: PendingReport[];
  warnings: string[];
  reverseActions: ReverseAction[];
  reverseActionsHeld: number;
  editsPutBack: EditPutBack[];
  conflicts: EditConflict[];
  dryRun: boolean;
  apiCalls: ApiCalls;
  durationMs: number;
  error?: { code: string; message: string };
};

/** What the steps of a run found and did: each step returns its part, and the run adds them up. */
export type RunReport = Pick<
  SyncRunResult,
  | "bookingsFound"
  | "matchesFound"
  | "updates"
  | "unmatched"
  | "ambiguous"
  | "pending"
  | "warnings"
  | "reverseActions"
  | "reverseActionsHeld"
  | "editsPutBack"
  | "conflicts"
>;

export const emptyReport = (): RunReport => ({
  bookingsFound: 0,
  matchesFound: 0,
  updates: [],
  unmatched: [],
  ambiguous: [],
  pending: [],
  warnings: [],
  reverseActions: [],
  reverseActionsHeld: 0,
  editsPutBack: [],
  conflicts: [],
});

/** The parts of a run added up: lists are joined in order; a count a later part states replaces the earlier. */
export function combineReports(parts: readonly Partial<RunReport>[]): RunReport {
  const total = emptyReport();
  for (const part of parts) {
    if (part.bookingsFound !== undefined) total.bookingsFound = part.bookingsFound;
    if (part.matchesFound !== undefined) total.matchesFound = part.matchesFound;
    if (part.reverseActionsHeld !== undefined) total.reverseActionsHeld = part.reverseActionsHeld;
    total.updates.push(...(part.updates ?? []));
    total.unmatched.push(...(part.unmatched ?? []));
    total.ambiguous.push(...(part.ambiguous ?? []));
    total.pending.push(...(part.pending ?? []));
    total.warnings.push(...(part.warnings ?? []));
    total.reverseActions.push(...(part.reverseActions ?? []));
    total.editsPutBack.push(...(part.editsPutBack ?? []));
    total.conflicts.push(...(part.conflicts ?? []));
  }
  return total;
}

/** The run's answer from its report. The message says what happened in one sentence. */
export function buildResult(args: {
  report: RunReport;
  dryRun: boolean;
  apiCalls: ApiCalls;
  durationMs: number;
  error?: { code: string; message: string } | undefined;
}): SyncRunResult {
  const { report, error } = args;
  const count = (action: RowUpdate["action"]) => report.updates.filter((u) => u.action === action).length;
  const updates = [...report.updates].sort((a, b) => a.row - b.row);
  const message = error
    ? `Cal.com sync failed: ${error.message}`
    : args.dryRun
      ? `Dry run: ${updates.length} row(s) would be written`
      : updates.length === 0
        ? "Cal.com sync completed: nothing to change"
        : `Cal.com sync completed: ${updates.length} row(s) written`;
  return {
    runId: null,
    success: !error,
    message,
    bookingsFound: report.bookingsFound,
    matchesFound: report.matchesFound,
    updatesApplied: updates.length,
    updates,
    cancellations: count("cancelled"),
    reschedules: count("rescheduled"),
    added: count("added"),
    unmatched: report.unmatched,
    ambiguous: report.ambiguous,
    pending: report.pending,
    warnings: report.warnings,
    reverseActions: report.reverseActions,
    reverseActionsHeld: report.reverseActionsHeld,
    editsPutBack: report.editsPutBack,
    conflicts: report.conflicts,
    dryRun: args.dryRun,
    apiCalls: args.apiCalls,
    durationMs: args.durationMs,
    ...(error ? { error } : {}),
  };
}

/** API calls made since `before` (runs are serialized, so the difference is this run's). */
export function callsSince(now: ApiCalls, before: ApiCalls): ApiCalls {
  return {
    calcom: now.calcom - before.calcom,
    sheets: now.sheets - before.sheets,
    sheetsWrites: now.sheetsWrites - before.sheetsWrites,
    sanity: now.sanity - before.sanity,
  };
}
