import type { AmbiguousReport, BookingReport, PendingReport, RowUpdate } from "../core/plan-booking-sync.ts";
import { CalsyncError } from "../errors.ts";

/** A Cal.com action taken (or, on a dry run, that would be taken) because of a person's edit in the sheet. */
export type ReverseAction = {
  row: number;
  name: string;
  uid: string;
  action: "cancel" | "reschedule";
  to?: string;
};
/** A sheet edit calsync could not act on: the cell was put back to the real booking time. */
export type EditPutBack = { row: number; name: string; typed: string; restoredTo: string; reason: string };
/** The sheet and Cal.com both changed a lead since the last run: Cal.com won. */
export type EditConflict = { row: number; name: string; sheetValue: string; calcomValue: string };

export type ApiCalls = { calcom: number; sheets: number; sanity: number };

/**
 * The answer of one sync run, for the HTTP route and `calsync sync --json` alike: the guide's JSON,
 * extended. `updates` lists every row written and `updatesApplied` is its length.
 */
export type SyncRunResult = {
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

/** What a run has done so far: kept up to date as it goes, so a failure still reports what landed. */
export type RunProgress = Pick<
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

export const emptyProgress = (): RunProgress => ({
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

export function buildResult(args: {
  progress: RunProgress;
  dryRun: boolean;
  apiCalls: ApiCalls;
  durationMs: number;
  error?: { code: string; message: string } | undefined;
}): SyncRunResult {
  const { progress, error } = args;
  const count = (action: RowUpdate["action"]) => progress.updates.filter((u) => u.action === action).length;
  const updates = [...progress.updates].sort((a, b) => a.row - b.row);
  const message = error
    ? `Cal.com sync failed: ${error.message}`
    : args.dryRun
      ? `Dry run: ${updates.length} row(s) would be written`
      : updates.length === 0
        ? "Cal.com sync completed: nothing to change"
        : `Cal.com sync completed: ${updates.length} row(s) written`;
  return {
    success: !error,
    message,
    bookingsFound: progress.bookingsFound,
    matchesFound: progress.matchesFound,
    updatesApplied: updates.length,
    updates,
    cancellations: count("cancelled"),
    reschedules: count("rescheduled"),
    added: count("added"),
    unmatched: progress.unmatched,
    ambiguous: progress.ambiguous,
    pending: progress.pending,
    warnings: progress.warnings,
    reverseActions: progress.reverseActions,
    reverseActionsHeld: progress.reverseActionsHeld,
    editsPutBack: progress.editsPutBack,
    conflicts: progress.conflicts,
    dryRun: args.dryRun,
    apiCalls: args.apiCalls,
    durationMs: args.durationMs,
    ...(error ? { error } : {}),
  };
}

/** The error of a failed run as the answer shows it: our errors keep their code, anything else is a bug. */
export function describeError(thrown: unknown): { code: string; message: string } {
  if (thrown instanceof CalsyncError) return { code: thrown.code, message: thrown.message };
  return { code: "INTERNAL", message: thrown instanceof Error ? thrown.message : String(thrown) };
}

/** API calls made since `before` (runs are serialized, so the difference is this run's). */
export function callsSince(now: ApiCalls, before: ApiCalls): ApiCalls {
  return {
    calcom: now.calcom - before.calcom,
    sheets: now.sheets - before.sheets,
    sanity: now.sanity - before.sanity,
  };
}
