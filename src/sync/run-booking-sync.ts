
import { leadDocumentUpdate } from "../core/lead-document.ts";
import { type PlanInput, planBookingSync, type SyncPlan } from "../core/plan-booking-sync.ts";
import { describeMissingHeaders, resolveSheetLayout } from "../core/sheet-layout.ts";
import { loadBookings, saveLinks } from "../db/booking-ledger.ts";
import { loadLeadLedger } from "../db/lead-ledger.ts";
import { recordRun } from "../db/run-history.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { CalsyncError, SheetLayoutError } from "../errors.ts";
import type { SyncContext } from "./context.ts";
import { fetchBookings } from "./fetch-bookings.ts";
import { publishLeadDocuments } from "./publish-dashboard.ts";
import { type ApiCalls, buildResult, emptyProgress, type RunProgress, type SyncRunResult } from "./sync-result.ts";
import { writePlanToSheet } from "./write-sheet.ts";

export type SyncTrigger = "cli" | "http" | "cron" | "schedule" | "webhook" | "dashboard";

export type SyncOptions = {
  trigger: SyncTrigger;
  dryRun?: boolean;
  /** False when the ledger already holds the news (a webhook batch): the sheet and dashboard are brought in line without asking Cal.com. */
  fetchFromCalcom?: boolean;
};

/**
 * One sync run, the guide's flow with its gaps closed:
 * read Cal.com into the ledger → read the sheet → plan → write the sheet (checked per row) → append new
 * leads → send changed leads to the dashboard. Runs are serialized; a dry run plans and writes nothing.
 */
export async function runBookingSync(ctx: SyncContext, options: SyncOptions): Promise<SyncRunResult> {
  const dryRun = options.dryRun ?? false;
  const startedAt = ctx.clock();
  const callsBefore = { ...ctx.apiCalls };
  const progress = emptyProgress();
  let error: { code: string; message: string } | undefined;

  try {
    const lock = dryRun ? null : await acquireRunLock(ctx.db, { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs });
    try {
      await syncOnce(ctx, { ...options, dryRun }, progress);
    } finally {
      await lock?.release();
    }
  } catch (thrown) {
    error = describeError(thrown);
    ctx.log.error("sync run failed", { trigger: options.trigger, error: error.message });
  }

  const result = buildResult({
    progress,
    dryRun,
    apiCalls: callsSince(ctx.apiCalls, callsBefore),
    durationMs: ctx.clock().getTime() - startedAt.getTime(),
    error,
  });
  if (!dryRun) await recordRun(ctx.db, { trigger: options.trigger, startedAt, result }).catch(() => undefined);
  return result;
}

async function syncOnce(ctx: SyncContext, options: SyncOptions & { dryRun: boolean }, progress: RunProgress) {
  const now = ctx.clock();
  const fetched =
    options.fetchFromCalcom === false
      ? { bookingsFound: 0, ...(await loadBookings(ctx.db)) }
      : await fetchBookings(ctx, { dryRun: options.dryRun });
  progress.bookingsFound = fetched.bookingsFound;

  const sheet = await ctx.sheet.read();
  const layout = resolveSheetLayout(sheet.grid[0] ?? [], ctx.headers);
  if (!layout.ok) throw new SheetLayoutError(describeMissingHeaders(layout.error));

  const planInput: PlanInput = {
    grid: sheet.grid,
    layout: layout.value,
    bookings: fetched.bookings,
    links: fetched.links,
    ledger: await loadLeadLedger(ctx.db),
    now,
    rules: ctx.rules,
  };
  const plan = planBookingSync(planInput);
  report(plan, progress);

  if (options.dryRun) {
    progress.updates.push(...plan.writes.map((w) => w.update));
    plan.appends.forEach((a, i) => {
      progress.updates.push({ row: Math.max(1, sheet.grid.length) + 1 + i, ...a.update });
    });
    return;
  }

  await saveLinks(ctx.db, plan.links);
  const written = await writePlanToSheet({
    ctx,
    sheetTitle: sheet.sheetTitle,
    layout: layout.value,
    plan,
    planInput,
    progress,
  });
  const documents = written.plan.leads
    .filter((lead) => !written.unsettled.has(lead.leadKey))
    .map((lead) => leadDocumentUpdate({ ...lead, row: lead.row ?? written.appendedRows.get(lead.leadKey) ?? null }))
    .filter((doc) => doc.fields.sheetRow !== null);
  await publishLeadDocuments(ctx, documents, progress.warnings);
  if (written.unsettled.size > 0) throw new SheetMovedError(written.unsettled.size);
}

function report(plan: SyncPlan, progress: RunProgress): void {
  progress.matchesFound = plan.matchesFound;
  progress.unmatched = plan.unmatched;
  progress.ambiguous = plan.ambiguous;
  progress.pending = plan.pending;
}

class SheetMovedError extends CalsyncError {
  readonly code = "CONFLICT";
  constructor(count: number) {
    super(`${count} row(s) kept moving while calsync wrote to the sheet; the next run will write them.`);
  }
}

function describeError(thrown: unknown): { code: string; message: string } {
  if (thrown instanceof CalsyncError) return { code: thrown.code, message: thrown.message };
  return { code: "INTERNAL", message: thrown instanceof Error ? thrown.message : String(thrown) };
}

function callsSince(now: ApiCalls, before: ApiCalls): ApiCalls {
  return { calcom: now.calcom - before.calcom, sheets: now.sheets - before.sheets, sanity: now.sanity - before.sanity };
}


