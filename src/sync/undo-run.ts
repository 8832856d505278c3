import { calcomBookingUrl } from "../core/calcom-links.ts";
import {
  type CalcomActionChange,
  type CellChange,
  createCellRecorder,
  identityKey,
  type Recorded,
} from "../core/change-log.ts";
import type { LeadLedgerEntry, PlanInput, SyncPlan } from "../core/plan-booking-sync.ts";
import { type ApiCalls, callsSince } from "../core/run-report.ts";
import { readSheetLeads } from "../core/sheet-leads.ts";
import { planUndo, type UndoRestore } from "../core/undo-plan.ts";
import { laterCellChanges, loadRun, runChanges } from "../db/change-log.ts";
import { loadLeadLedger, saveLeadLedger } from "../db/lead-ledger.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { CalsyncError, describeError } from "../errors.ts";
import { redactDeep } from "../log/redact.ts";
import type { OwnedCellsWrite, SyncContext } from "./context.ts";
import { unwrapPartlyDone } from "./partly-done.ts";
import { readLeadSheet } from "./read-lead-sheet.ts";
import type { SyncTrigger } from "./run-booking-sync.ts";
import { createRunJournal } from "./run-journal.ts";
import { writePlanToSheet } from "./write-sheet.ts";

/** The run kind of an undo in sync_runs: an undo is a run of its own, recorded and undoable. */
export const UNDO_KIND = "undo";

export const NOT_UNDONE_REASON = "not undone: cancel or rebook in Cal.com";

export type NotUndone = {
  action: CalcomActionChange["action"];
  bookingUid: string;
  newBookingUid: string | null;
  row: number | null;
  name: string;
  reason: string;
  /** Where to do it by hand. */
  url: string;
};

/**
 * The answer of `calsync undo` and of the dashboard's undo. `runId` is the undo's own run (null for a dry
 * run, which is not kept); `undoes` the run undone.
 */
export type UndoResult = {
  success: boolean;
  runId: number | null;
  undoes: number;
  dryRun: boolean;
  message: string;
  restored: { row: number; column: string; value: string }[];
  skipped: { row: number; column: string; reason: string }[];
  notUndone: NotUndone[];
  warnings: string[];
  apiCalls: ApiCalls;
  durationMs: number;
  error?: { code: string; message: string };
};

/** The run asked for is not in the history (never was, was a dry run, or was pruned). */
export class UnknownRunError extends CalsyncError {
  readonly code = "NOT_FOUND";
  constructor(runId: string) {
    super(`There is no run ${runId} in the history (see \`calsync history\`).`);
    this.name = "UnknownRunError";
  }
}

const EMPTY_PLAN: SyncPlan = {
  writes: [],
  appends: [],
  leads: [],
  links: new Map(),
  unmatched: [],
  ambiguous: [],
  pending: [],
  matchesFound: 0,
};

/**
 * Undoes a run in the sheet: every owned cell that still holds what the run wrote, on a row that is still the
 * same lead, gets back the value it had before; every other cell is skipped with its reason (see planUndo).
 * The writes are checked against each row's identity as the sync's are. Cal.com is never called: the run's
 * Cal.com actions are listed as not undone, with a link. The lead ledger is updated to the restored values,
 * so the next sync leaves them, unless Cal.com has news for the lead.
 */
export async function undoRun(
  ctx: SyncContext,
  options: { runId: string; trigger: SyncTrigger; dryRun?: boolean; calcomApiUrl: string },
): Promise<UndoResult> {
  const dryRun = options.dryRun ?? false;
  const startedAt = ctx.clock();
  const callsBefore = { ...ctx.apiCalls };
  const id = /^\d{1,15}$/.test(options.runId) ? Number(options.runId) : null;
  const answer: Omit<UndoResult, "success" | "message" | "apiCalls" | "durationMs" | "runId"> = {
    undoes: id ?? 0,
    dryRun,
    restored: [],
    skipped: [],
    notUndone: [],
    warnings: [],
  };
  const finish = (error?: { code: string; message: string }): UndoResult => {
    const message = error
      ? `Undo failed: ${error.message}`
      : `${dryRun ? "Undo (dry run)" : "Undo"} of run ${answer.undoes}: ${answer.restored.length} cell(s) ${dryRun ? "would be " : ""}restored, ${answer.skipped.length} skipped${
          answer.notUndone.length > 0 ? `, ${answer.notUndone.length} Cal.com action(s) not undone` : ""
        }`;
    return redactDeep({
      success: !error,
      runId: null,
      message,
      ...answer,
      apiCalls: callsSince(ctx.apiCalls, callsBefore),
      durationMs: ctx.clock().getTime() - startedAt.getTime(),
      ...(error ? { error } : {}),
    });
  };

  const run = id === null ? null : await loadRun(ctx.db, id);
  if (id === null || !run) return finish(describeError(new UnknownRunError(options.runId)));

  const journal = dryRun
    ? null
    : createRunJournal(ctx, { kind: UNDO_KIND, trigger: options.trigger, startedAt });
  let error: { code: string; message: string } | undefined;
  try {
    const lock = dryRun
      ? null
      : await acquireRunLock(ctx.db, { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs });
    try {
      await undoOnce();
    } finally {
      await lock?.release();
    }
  } catch (thrown) {
    error = describeError(unwrapPartlyDone(thrown).cause);
    ctx.log.error("undo failed", { run: id, error: error.message });
  }
  const result = finish(error);
  if (!journal) return result;
  return journal.finish(result).catch(() => result);

  async function undoOnce(): Promise<void> {
    const changes = await runChanges(ctx.db, id as number);
    const cells = changes.filter((change): change is Recorded<CellChange> => change.kind === "cell");
    answer.notUndone = changes
      .filter((change): change is Recorded<CalcomActionChange> => change.kind === "calcom")
      .map((action) => ({
        action: action.action,
        bookingUid: action.bookingUid,
        newBookingUid: action.newBookingUid,
        row: action.row,
        name: action.leadName,
        reason: NOT_UNDONE_REASON,
        url: calcomBookingUrl(options.calcomApiUrl, action.newBookingUid ?? action.bookingUid),
      }));
    if (cells.length === 0) return;

    const lastId = Math.max(...changes.map((change) => change.id));
    const leadKeys = cells.flatMap((change) => (change.leadKey ? [change.leadKey] : []));
    const later = await laterCellChanges(ctx.db, lastId, leadKeys);
    const sheet = await readLeadSheet(ctx);
    const leads = readSheetLeads(sheet.grid, sheet.layout, ctx.rules.region);
    const decision = planUndo({ changes: cells, later, grid: sheet.grid, layout: sheet.layout, leads });
    answer.skipped = decision.skipped.map(({ row, column, reason }) => ({ row, column, reason }));
    const restoredAs = (restore: UndoRestore) => ({
      row: restore.row,
      column: restore.column,
      value: restore.value,
    });
    if (dryRun || !journal) {
      answer.restored = decision.restore.map(restoredAs);
      return;
    }

    const writes = new Map<string, OwnedCellsWrite>();
    for (const restore of decision.restore) {
      const key = `${restore.row}|${identityKey(restore.identity)}`;
      const write = writes.get(key) ?? { row: restore.row, identity: restore.identity };
      write[restore.field] = restore.value;
      writes.set(key, write);
    }
    const byCell = new Map(
      decision.restore.map((restore) => [
        `${restore.row}|${identityKey(restore.identity)}|${restore.field}`,
        restore,
      ]),
    );
    const landed = new Set<UndoRestore>();
    const record = createCellRecorder({
      read: { grid: sheet.grid, leads },
      layout: sheet.layout,
      region: ctx.rules.region,
      explain: (write, field) => {
        const restore = byCell.get(`${write.row}|${identityKey(write.identity)}|${field}`);
        return {
          source: restore ? "undo" : "repair",
          sourceRef: restore ? String(id) : null,
          bookingUid: null,
          action: restore ? "restored" : "repaired",
          leadKey: restore?.leadKey ?? null,
          ...(restore ? { leadName: restore.leadName } : {}),
          reason: restore
            ? `the undo of run ${id}: put back what the cell held before that run`
            : "put back what the row held before a write of calsync's landed on it while rows moved",
        };
      },
    });
    const planInput: PlanInput = {
      grid: sheet.grid,
      leads,
      layout: sheet.layout,
      bookings: [],
      links: new Map(),
      ledger: new Map(),
      now: ctx.clock(),
      rules: ctx.rules,
    };
    const written = await writePlanToSheet({
      ctx,
      sheet,
      plan: EMPTY_PLAN,
      planInput,
      extraWrites: [...writes.values()],
      onWritten: async (checks) => {
        for (const check of checks) {
          if (!check.landed) continue;
          for (const field of ["status", "booking", "note"] as const) {
            if (check.write[field] === undefined) continue;
            const restore = byCell.get(`${check.write.row}|${identityKey(check.write.identity)}|${field}`);
            if (restore && restore.value === check.write[field]) landed.add(restore);
          }
        }
        await journal.record(record(checks));
      },
    });
    answer.warnings.push(...written.warnings);
    for (const restore of decision.restore) {
      if (landed.has(restore)) answer.restored.push(restoredAs(restore));
      else
        answer.skipped.push({
          row: restore.row,
          column: restore.column,
          reason: "rows moved while calsync undid the run, so nothing was written here; undo the run again",
        });
    }
    await settleLedger([...landed]);
  }

  /** What calsync now stands by for the leads whose cells went back: the restored values, same decision. */
  async function settleLedger(restored: readonly UndoRestore[]): Promise<void> {
    const ledger = await loadLeadLedger(ctx.db);
    const entries = new Map<string, LeadLedgerEntry>();
    for (const restore of restored) {
      if (!restore.leadKey || restore.field === "note") continue;
      const entry = entries.get(restore.leadKey) ?? ledger.get(restore.leadKey);
      if (!entry) continue;
      entries.set(restore.leadKey, {
        ...entry,
        row: restore.row,
        ...(restore.field === "status"
          ? { statusWritten: restore.value }
          : { bookingWritten: restore.value }),
      });
    }
    await saveLeadLedger(ctx.db, [...entries.values()]);
  }
}
