import type { AmbiguousReport, BookingReport, PendingReport } from "../core/plan-booking-sync.ts";
import { latestRuns } from "../db/change-log.ts";
import type { Queryable } from "../db/database.ts";
import { getMeta } from "../db/meta.ts";
import { recentRuns } from "../db/run-history.ts";
import { latestRunOf } from "../db/run-records.ts";
import { webhookEventCounts } from "../db/webhook-event-counts.ts";
import { redactText } from "../log/redact.ts";
import { SHEET_COPY_KIND, SHEET_COPY_LAST_RUN_KEY } from "../sync/copy-sheet-to-sanity.ts";
import { UNDO_KIND } from "../sync/undo-run.ts";

/**
 * What the dashboard reads from calsync's own database: the stored answers of past runs (each run's JSON,
 * whose shape depends on its kind, read here field by field) and the webhook event counts. Every text taken
 * from a stored answer is redacted again on its way to the page: runs stored before redaction existed, or
 * with a secret the configuration has only now, show no secret either.
 */
export type Problem = { at: string; severity: "warning" | "error"; text: string };

export type AttentionReport = {
  /** When the booking sync whose lists are shown ran; null before its first successful run. */
  runAt: string | null;
  unmatched: BookingReport[];
  ambiguous: AmbiguousReport[];
  pending: PendingReport[];
  /** Warnings and errors of recent runs (sheet edits put back, conflicts, failures), newest first. */
  problems: Problem[];
  /** Cal.com actions from sheet edits the last run held back (MAX_REVERSE_ACTIONS_PER_RUN), awaiting a confirm. */
  heldReverseActions: number;
};

export async function attentionReport(db: Queryable): Promise<AttentionReport> {
  const last = await latestRunOf(db, "booking-sync", { successfulOnly: true });
  const result = record(last?.result);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const run of await recentRuns(db, 50)) {
    const answer = record(run.result);
    const texts: Problem[] = [
      ...(typeof answer.error === "object" && answer.error !== null
        ? [
            {
              at: run.startedAt,
              severity: "error" as const,
              text: String(record(answer.error).message ?? ""),
            },
          ]
        : []),
      ...list(answer.editsPutBack).map((item) => {
        const edit = record(item);
        return {
          at: run.startedAt,
          severity: "warning" as const,
          text: `Row ${num(edit.row)} (${String(edit.name ?? "")}): "${String(edit.typed ?? "")}" was put back to "${String(edit.restoredTo ?? "")}": ${String(edit.reason ?? "")}`,
        };
      }),
      ...list(answer.conflicts).map((item) => {
        const conflict = record(item);
        return {
          at: run.startedAt,
          severity: "warning" as const,
          text: `Row ${num(conflict.row)} (${String(conflict.name ?? "")}): conflict, Cal.com won: the sheet said "${String(conflict.sheetValue ?? "")}", Cal.com says "${String(conflict.calcomValue ?? "") || "cleared"}"`,
        };
      }),
      ...list(answer.warnings).map((text) => ({
        at: run.startedAt,
        severity: "warning" as const,
        text: String(text),
      })),
    ];
    for (const problem of texts) {
      // The same warning every run (a row without a phone, say) is listed once, at its latest.
      const text = redactText(problem.text);
      if (text === "" || seen.has(text)) continue;
      seen.add(text);
      problems.push({ ...problem, text });
    }
  }
  return {
    runAt: last?.startedAt ?? null,
    unmatched: list(result.unmatched) as BookingReport[],
    ambiguous: list(result.ambiguous) as AmbiguousReport[],
    pending: list(result.pending) as PendingReport[],
    problems: problems.slice(0, 30),
    heldReverseActions: num(result.reverseActionsHeld),
  };
}

export type RunLine = {
  id: number;
  kind: string;
  trigger: string;
  startedAt: string;
  /** False while the run is going, or when it stopped without finishing. */
  finished: boolean;
  success: boolean;
  summary: string;
  apiCalls: { calcom: number; sheets: number; sanity: number };
  durationMs: number;
  error: string | null;
};

export type HistoryReport = {
  runs: RunLine[];
  /** Deliveries received in the last day (EVENTS_WINDOW_MS), and those still pending or failing. */
  events: { received: number; pending: number; failing: number };
  /** The sheet copy's last run, even one that changed nothing (those are not kept in the run list). */
  lastSheetCopy: { at: string; success: boolean; written: number; archived: number } | null;
};

/** The window the history page counts received webhook deliveries over. */
export const EVENTS_WINDOW_MS = 86_400_000;

export async function historyReport(db: Queryable, now: Date, limit = 30): Promise<HistoryReport> {
  const runs = (await latestRuns(db, limit)).map((run): RunLine => {
    const answer = record(run.result);
    const calls = record(answer.apiCalls);
    return {
      id: run.id,
      kind: run.kind,
      trigger: run.trigger,
      startedAt: run.startedAt,
      finished: run.finishedAt !== null,
      success: run.success,
      // A failed run's counts say how far it got, which the error line explains better.
      summary: !run.success
        ? ""
        : run.kind === SHEET_COPY_KIND
          ? sheetCopySummary(answer)
          : run.kind === UNDO_KIND
            ? undoSummary(answer)
            : bookingSyncSummary(answer),
      apiCalls: { calcom: num(calls.calcom), sheets: num(calls.sheets), sanity: num(calls.sanity) },
      durationMs: num(answer.durationMs),
      error: answer.error ? redactText(String(record(answer.error).message ?? "failed")) : null,
    };
  });
  const note = await getMeta(db, SHEET_COPY_LAST_RUN_KEY);
  let lastSheetCopy: HistoryReport["lastSheetCopy"] = null;
  if (note) {
    const parsed = record(safeJson(note));
    if (typeof parsed.at === "string") {
      lastSheetCopy = {
        at: parsed.at,
        success: parsed.success === true,
        written: num(parsed.written),
        archived: num(parsed.archived),
      };
    }
  }
  const events = await webhookEventCounts(db, new Date(now.getTime() - EVENTS_WINDOW_MS));
  return { runs, events, lastSheetCopy };
}

function bookingSyncSummary(answer: Record<string, unknown>): string {
  const parts = [
    `${num(answer.bookingsFound)} booking(s) read`,
    `${num(answer.matchesFound)} matched`,
    `${num(answer.updatesApplied)} row(s) written`,
  ];
  if (num(answer.added) > 0) parts.push(`${num(answer.added)} added`);
  if (num(answer.cancellations) > 0) parts.push(`${num(answer.cancellations)} cancelled`);
  if (num(answer.reschedules) > 0) parts.push(`${num(answer.reschedules)} rescheduled`);
  return parts.join(", ");
}

function undoSummary(answer: Record<string, unknown>): string {
  return `undid run ${num(answer.undoes)}: ${list(answer.restored).length} cell(s) restored, ${list(answer.skipped).length} skipped`;
}

function sheetCopySummary(answer: Record<string, unknown>): string {
  return `${num(answer.written)} lead(s) copied, ${num(answer.archived)} archived, of ${num(answer.leads)}`;
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
