import type { StoredBooking } from "../core/booking-merge.ts";
import { detectSheetEdits } from "../core/detect-sheet-edits.ts";
import { leadDocumentUpdate } from "../core/lead-document.ts";
import { type PlanInput, planBookingSync, type SyncPlan } from "../core/plan-booking-sync.ts";
import { readSheetLeads } from "../core/sheet-leads.ts";
import { loadBookings, saveLinks } from "../db/booking-ledger.ts";
import { loadLeadLedger } from "../db/lead-ledger.ts";
import { recordRun } from "../db/run-history.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { deferEvents, markEventsApplied } from "../db/webhook-events.ts";
import { CalsyncError } from "../errors.ts";
import type { OwnedCellsWrite } from "../sheets/lead-sheet.ts";
import { ingestDueEvents } from "../webhooks/ingest-events.ts";
import { applySheetEdits } from "./apply-sheet-edits.ts";
import type { SyncContext } from "./context.ts";
import { fetchBookings } from "./fetch-bookings.ts";
import { publishLeadDocuments } from "./publish-dashboard.ts";
import { readLeadSheet } from "./read-lead-sheet.ts";
import {
  buildResult,
  callsSince,
  describeError,
  emptyProgress,
  type RunProgress,
  type SyncRunResult,
} from "./sync-result.ts";
import { writePlanToSheet } from "./write-sheet.ts";

export type SyncTrigger = "cli" | "http" | "cron" | "schedule" | "webhook" | "dashboard" | "sheet-edit";

export type SyncOptions = {
  trigger: SyncTrigger;
  dryRun?: boolean;
  /**
   * Where the news comes from: `calcom` reads Cal.com (the scheduled and manual runs); `webhook-events`
   * applies the stored webhook deliveries that are due, without asking Cal.com. Both then follow the same
   * path to the sheet and the dashboard, so a webhook and a poll can never disagree.
   */
  source?: "calcom" | "webhook-events";
  /** Take the Cal.com actions of sheet edits even past MAX_REVERSE_ACTIONS_PER_RUN (a person checked them). */
  confirmReverse?: boolean;
  /** First retry delay for webhook deliveries whose application failed (doubles per attempt, up to 5 minutes). */
  retryBaseMs?: number;
};

const MAX_EVENT_RETRY_MS = 5 * 60_000;

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

  const events: { ids: number[]; attempts: number } = { ids: [], attempts: 0 };
  try {
    const lock = dryRun
      ? null
      : await acquireRunLock(ctx.db, { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs });
    try {
      await syncOnce(ctx, { ...options, dryRun }, progress, events);
      await markEventsApplied(ctx.db, events.ids);
    } catch (thrown) {
      const retryAt = new Date(
        ctx.clock().getTime() +
          Math.min(MAX_EVENT_RETRY_MS, (options.retryBaseMs ?? 2_000) * 2 ** events.attempts),
      );
      await deferEvents(ctx.db, events.ids, retryAt, describeError(thrown).message).catch(() => undefined);
      throw thrown;
    } finally {
      await lock?.release();
    }
  } catch (thrown) {
    error = describeError(thrown);
    ctx.log.error("sync run failed", { trigger: options.trigger, error: error.message });
  }
  if (options.source === "webhook-events" && events.ids.length === 0 && !error) {
    return buildResult({ progress, dryRun, apiCalls: callsSince(ctx.apiCalls, callsBefore), durationMs: 0 });
  }

  const result = buildResult({
    progress,
    dryRun,
    apiCalls: callsSince(ctx.apiCalls, callsBefore),
    durationMs: ctx.clock().getTime() - startedAt.getTime(),
    error,
  });
  if (!dryRun && !(options.source === "webhook-events" && events.ids.length === 0))
    await recordRun(ctx.db, { trigger: options.trigger, startedAt, result }).catch(() => undefined);
  return result;
}

async function syncOnce(
  ctx: SyncContext,
  options: SyncOptions & { dryRun: boolean },
  progress: RunProgress,
  events: { ids: number[]; attempts: number },
) {
  const now = ctx.clock();
  let fetched: { bookingsFound: number; bookings: StoredBooking[]; links: Map<string, string> };
  let read: Awaited<ReturnType<typeof readLeadSheet>>;
  if (options.source === "webhook-events") {
    const ingested = await ingestDueEvents(ctx);
    events.ids = ingested.ids;
    events.attempts = ingested.attempts;
    // Nothing due: no need to read the sheet (this keeps idle webhook ticks free of API calls).
    if (ingested.ids.length === 0) return;
    fetched = { bookingsFound: 0, ...(await loadBookings(ctx.db)) };
    read = await readLeadSheet(ctx);
  } else {
    // Cal.com and the sheet are read at the same time: neither depends on the other until planning.
    [fetched, read] = await Promise.all([fetchBookings(ctx, { dryRun: options.dryRun }), readLeadSheet(ctx)]);
  }
  progress.bookingsFound = fetched.bookingsFound;

  const { layout: sheetLayout, ...sheet } = read;
  const layout = { value: sheetLayout };

  const leads = readSheetLeads(sheet.grid, layout.value, ctx.rules.region);
  let planInput: PlanInput = {
    grid: sheet.grid,
    leads,
    layout: layout.value,
    bookings: fetched.bookings,
    links: fetched.links,
    ledger: await loadLeadLedger(ctx.db),
    now,
    rules: ctx.rules,
  };
  let plan = planBookingSync(planInput);

  // People's edits in the sheet act on Cal.com before the plan is final (one code path for both directions).
  const edits = detectSheetEdits({
    leads,
    ledger: planInput.ledger,
    bookingsOfLead: bookingsByLead(planInput.bookings, plan.links),
    now,
    rules: { ...ctx.rules, cancelWords: ctx.reverse.cancelWords },
  });
  let extraWrites: OwnedCellsWrite[] = [];
  if (edits.length > 0) {
    const applied = await applySheetEdits({
      ctx,
      edits,
      provisionalPlan: plan,
      ledger: planInput.ledger,
      bookings: planInput.bookings,
      noteColumn: layout.value.note !== null,
      confirm: options.confirmReverse ?? false,
      dryRun: options.dryRun,
      progress,
    });
    extraWrites = applied.extraWrites;
    if (applied.bookings.length > 0) {
      const reloaded = await loadBookings(ctx.db);
      planInput = { ...planInput, bookings: reloaded.bookings, links: reloaded.links };
      plan = planBookingSync(planInput);
    }
  }
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
    extraWrites,
    progress,
  });
  const documents = written.plan.leads
    .filter((lead) => !written.unsettled.has(lead.leadKey))
    .map((lead) =>
      leadDocumentUpdate({ ...lead, row: lead.row ?? written.appendedRows.get(lead.leadKey) ?? null }),
    )
    .filter((doc) => doc.fields.sheetRow !== null);
  await publishLeadDocuments(ctx, documents, progress.warnings);
  if (written.unsettled.size > 0) throw new SheetMovedError(written.unsettled.size);
}

function bookingsByLead(
  bookings: readonly StoredBooking[],
  links: ReadonlyMap<string, string>,
): Map<string, StoredBooking[]> {
  const byLead = new Map<string, StoredBooking[]>();
  for (const booking of bookings) {
    const key = links.get(booking.uid);
    if (!key) continue;
    const list = byLead.get(key);
    if (list) list.push(booking);
    else byLead.set(key, [booking]);
  }
  return byLead;
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
