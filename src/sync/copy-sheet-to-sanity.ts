import type { DocumentChange } from "../core/change-log.ts";
import { type ApiCalls, callsSince } from "../core/run-report.ts";
import {
  inBatches,
  planSheetCopy,
  type SheetCopyDocument,
  type SheetCopyState,
  sheetCopyDocuments,
} from "../core/sheet-copy.ts";
import { describeMissingHeaders, resolveSheetLayout } from "../core/sheet-layout.ts";
import { setMeta } from "../db/meta.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { loadSheetCopyState, saveSheetCopyState } from "../db/sheet-copy-state.ts";
import { describeError, SheetLayoutError } from "../errors.ts";
import { redactDeep } from "../log/redact.ts";
import type { SheetCopyTarget, SyncContext } from "./context.ts";
import { createRequestPacer } from "./request-pacer.ts";
import type { SyncTrigger } from "./run-booking-sync.ts";
import { createRunJournal, type RunJournal } from "./run-journal.ts";

export type SheetCopyOptions = {
  trigger: SyncTrigger;
  /** Leads per transaction (two mutations each). Default 100. */
  leadsPerTransaction?: number;
  /** Transactions per second; Sanity allows 25 mutation requests per second, default 20 leaves room. */
  transactionsPerSecond?: number;
};

export type SheetCopyResult = {
  /** The run in the history; null for a copy that changed nothing (those are only noted, not kept). */
  runId: number | null;
  success: boolean;
  message: string;
  /** Lead rows with a key (phone or email) in the sheet. */
  leads: number;
  written: number;
  archived: number;
  unchanged: number;
  transactions: number;
  warnings: string[];
  apiCalls: ApiCalls;
  durationMs: number;
  error?: { code: string; message: string };
};

/** The sheet copy's run kind in sync_runs, and where its last run is noted for the dashboard. */
export const SHEET_COPY_KIND = "sheet-copy";
export const SHEET_COPY_LAST_RUN_KEY = "sheetCopy.lastRun";

/**
 * The sheet → dashboard copy behind `/api/sync-sheets`: copies every lead row into its `dbrLead` document, incrementally (only
 * rows whose content changed since the last copy are sent), in transactions paced under Sanity's mutation
 * rate; documents whose row left the sheet are archived, never deleted.
 *
 * It holds the booking sync's run lock throughout. The booking sync writes a lead's status to the sheet and
 * then to Sanity; a copy that read the sheet before that write and sent its (older) status after it would
 * undo it on the dashboard. Serialized, every copy reads the sheet after the last booking sync has written
 * both, so the status it copies is never older than the one in Sanity.
 */
export async function copySheetToSanity(
  ctx: SyncContext,
  options: SheetCopyOptions,
): Promise<SheetCopyResult> {
  const startedAt = ctx.clock();
  const callsBefore = { ...ctx.apiCalls };
  const progress = { leads: 0, written: 0, archived: 0, unchanged: 0, transactions: 0 };
  const warnings: string[] = [];
  const journal = createRunJournal(ctx, { kind: SHEET_COPY_KIND, trigger: options.trigger, startedAt });
  let error: { code: string; message: string } | undefined;
  try {
    const lock = await acquireRunLock(ctx.db, { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs });
    try {
      await copyOnce(ctx, ctx.sheetCopy, options, progress, warnings, journal);
    } finally {
      await lock.release();
    }
  } catch (thrown) {
    error = describeError(thrown);
    ctx.log.error("sheet copy failed", { trigger: options.trigger, error: error.message });
  }

  // Its warnings quote what Sanity and Sheets said: redacted like the logs before it is kept or returned.
  const result: SheetCopyResult = redactDeep({
    runId: null,
    success: !error,
    message: error
      ? `Sheet copy failed: ${error.message}`
      : progress.written + progress.archived === 0
        ? "Sheet copy completed: nothing to change"
        : `Sheet copy completed: ${progress.written} lead(s) written, ${progress.archived} archived`,
    ...progress,
    warnings,
    apiCalls: callsSince(ctx.apiCalls, callsBefore),
    durationMs: ctx.clock().getTime() - startedAt.getTime(),
    ...(error ? { error } : {}),
  });
  return noteRun(ctx, options, startedAt, result, journal);
}

/**
 * After an action changed the sheet (a call booked, a booker added), the copy brings the row's other
 * columns to the dashboard now rather than at its next scheduled run. Its failure is not the action's: the
 * schedule retries it.
 */
export async function copySheetAfterAction(ctx: SyncContext): Promise<void> {
  await copySheetToSanity(ctx, { trigger: "dashboard" }).catch(() => undefined);
}

async function copyOnce(
  ctx: SyncContext,
  target: SheetCopyTarget,
  options: SheetCopyOptions,
  progress: { leads: number; written: number; archived: number; unchanged: number; transactions: number },
  warnings: string[],
  journal: RunJournal,
): Promise<void> {
  const sheet = await ctx.sheet.read();
  const layout = resolveSheetLayout(sheet.grid[0] ?? [], ctx.headers);
  if (!layout.ok) throw new SheetLayoutError(describeMissingHeaders(layout.error));
  const { documents, keylessRows } = sheetCopyDocuments(sheet.grid, layout.value, ctx.rules.region);
  if (keylessRows.length > 0) {
    warnings.push(
      `${keylessRows.length} row(s) have no phone or email of their own (rows ${describeRows(keylessRows)}), so they are not on the dashboard.`,
    );
  }
  const live = new Map((await target.listDocuments()).map((doc) => [doc.id, doc]));
  const plan = planSheetCopy({ documents, state: await loadSheetCopyState(ctx.db), live });
  progress.leads = documents.length;
  progress.unchanged = plan.unchanged;

  const archivedState = (id: string): SheetCopyState => ({ id, leadKey: null, hash: null, archived: true });
  await saveSheetCopyState(ctx.db, plan.gone.map(archivedState));

  // Archives count as leads in a batch: each is one mutation where a write is two, so batches only get smaller.
  const work: ({ kind: "write"; doc: SheetCopyDocument } | { kind: "archive"; id: string })[] = [
    ...plan.writes.map((doc) => ({ kind: "write" as const, doc })),
    ...plan.archives.map((id) => ({ kind: "archive" as const, id })),
  ];
  const pacer = createRequestPacer({ perSecond: options.transactionsPerSecond ?? 20 });
  for (const batch of inBatches(work, options.leadsPerTransaction ?? 100)) {
    const writes = batch.flatMap((item) => (item.kind === "write" ? [item.doc] : []));
    const archives = batch.flatMap((item) => (item.kind === "archive" ? [item.id] : []));
    await pacer.wait();
    await target.commit({ writes, archives });
    progress.transactions++;
    // Remembered per transaction: a copy that fails halfway resends only what did not land.
    await saveSheetCopyState(ctx.db, [
      ...writes.map((doc) => ({ id: doc.id, leadKey: doc.leadKey, hash: doc.hash, archived: false })),
      ...archives.map(archivedState),
    ]);
    progress.written += writes.length;
    progress.archived += archives.length;
    await journal.record([
      ...writes.map((doc) => documentChange("copy", doc.id, doc.leadKey, doc.fields)),
      ...archives.map((id) => documentChange("archive", id, null, null)),
    ]);
  }
}

function documentChange(
  action: "copy" | "archive",
  documentId: string,
  leadKey: string | null,
  fields: SheetCopyDocument["fields"] | null,
): DocumentChange {
  return {
    kind: "document",
    action,
    documentId,
    row: fields?.sheetRow ?? null,
    leadKey,
    leadName: fields ? `${fields.firstName} ${fields.lastName}`.trim() : "",
    after: fields ? fields.contactStatus || "no status" : "archived",
    source: "sheet-copy",
    sourceRef: null,
    bookingUid: null,
    reason:
      action === "copy"
        ? "the row changed in the sheet since the last copy"
        : "the row has left the sheet: the document is archived, not deleted",
  };
}

/**
 * The copy runs every two minutes: a run that changed nothing is only noted (the dashboard shows when the
 * copy last ran), so sync_runs keeps the runs worth reading rather than 720 empty ones a day.
 */
async function noteRun(
  ctx: SyncContext,
  options: SheetCopyOptions,
  startedAt: Date,
  result: SheetCopyResult,
  journal: RunJournal,
): Promise<SheetCopyResult> {
  const note = JSON.stringify({
    at: startedAt.toISOString(),
    trigger: options.trigger,
    success: result.success,
    written: result.written,
    archived: result.archived,
  });
  await setMeta(ctx.db, SHEET_COPY_LAST_RUN_KEY, note).catch(() => undefined);
  if (result.success && result.written + result.archived === 0) return result;
  return journal.finish(result).catch(() => result);
}

function describeRows(rows: readonly number[]): string {
  return rows.length > 10 ? `${rows.slice(0, 10).join(", ")}, …` : rows.join(", ");
}
