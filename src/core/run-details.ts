import { calcomBookingUrl } from "./calcom-links.ts";
import type { CalcomActionChange, CellChange, ChangeSource, DocumentChange, Recorded } from "./change-log.ts";

/**
 * One run as the run page and `calsync history` show it: its counts, every cell it changed (before, after,
 * why), every Cal.com action it took (with a link), the Sanity documents it wrote, and the warnings and
 * conflicts of its answer.
 */
export type RunDetails = {
  id: number;
  kind: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  success: boolean;
  /** The run's own one-line message, or why it failed. */
  message: string;
  counts: {
    changes: number;
    calcomActions: number;
    documents: number;
    warnings: number;
    conflicts: number;
    editsPutBack: number;
  };
  changes: {
    row: number;
    column: string;
    before: string | null;
    after: string;
    reason: string;
    lead: string;
    bookingUid: string | null;
    source: ChangeSource;
    at: string;
  }[];
  calcomActions: {
    action: CalcomActionChange["action"];
    bookingUid: string;
    newBookingUid: string | null;
    to: string | null;
    row: number | null;
    lead: string;
    reason: string;
    source: ChangeSource;
    url: string;
    at: string;
  }[];
  documents: {
    action: DocumentChange["action"];
    documentId: string;
    row: number | null;
    lead: string;
    after: string | null;
    reason: string;
  }[];
  warnings: string[];
  conflicts: { row: number; name: string; sheetValue: string; calcomValue: string }[];
  editsPutBack: { row: number; name: string; typed: string; restoredTo: string; reason: string }[];
  /** The run undone, for an undo. */
  undoes: number | null;
};

export function runDetails(
  run: {
    id: number;
    kind: string;
    trigger: string;
    startedAt: string;
    finishedAt: string | null;
    success: boolean;
    result: unknown;
  },
  changes: readonly Recorded[],
  calcomApiUrl: string,
): RunDetails {
  const answer = record(run.result);
  const cells = changes.filter((change): change is Recorded<CellChange> => change.kind === "cell");
  const actions = changes.filter(
    (change): change is Recorded<CalcomActionChange> => change.kind === "calcom",
  );
  const documents = changes.filter(
    (change): change is Recorded<DocumentChange> => change.kind === "document",
  );
  const warnings = list(answer.warnings).map(String);
  const conflicts = list(answer.conflicts).map((item) => {
    const conflict = record(item);
    return {
      row: num(conflict.row),
      name: text(conflict.name),
      sheetValue: text(conflict.sheetValue),
      calcomValue: text(conflict.calcomValue),
    };
  });
  const editsPutBack = list(answer.editsPutBack).map((item) => {
    const edit = record(item);
    return {
      row: num(edit.row),
      name: text(edit.name),
      typed: text(edit.typed),
      restoredTo: text(edit.restoredTo),
      reason: text(edit.reason),
    };
  });
  const error = record(answer.error);
  const message =
    run.finishedAt === null
      ? "running, or stopped before it finished: its changes so far are listed"
      : typeof error.message === "string"
        ? error.message
        : text(answer.message);
  return {
    id: run.id,
    kind: run.kind,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    success: run.success,
    message,
    counts: {
      changes: cells.length,
      calcomActions: actions.length,
      documents: documents.length,
      warnings: warnings.length,
      conflicts: conflicts.length,
      editsPutBack: editsPutBack.length,
    },
    changes: cells.map((change) => ({
      row: change.row,
      column: change.column,
      before: change.before,
      after: change.after,
      reason: change.reason,
      lead: change.leadName,
      bookingUid: change.bookingUid,
      source: change.source,
      at: change.at,
    })),
    calcomActions: actions.map((action) => ({
      action: action.action,
      bookingUid: action.bookingUid,
      newBookingUid: action.newBookingUid,
      to: action.to,
      row: action.row,
      lead: action.leadName,
      reason: action.reason,
      source: action.source,
      url: calcomBookingUrl(calcomApiUrl, action.newBookingUid ?? action.bookingUid),
      at: action.at,
    })),
    documents: documents.map((doc) => ({
      action: doc.action,
      documentId: doc.documentId,
      row: doc.row,
      lead: doc.leadName,
      after: doc.after,
      reason: doc.reason,
    })),
    warnings,
    conflicts,
    editsPutBack,
    undoes: typeof answer.undoes === "number" ? answer.undoes : null,
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}
