import { withBookerPhones } from "../core/booker-phones.ts";
import type { StoredBooking } from "../core/booking-merge.ts";
import { detectSheetEdits } from "../core/detect-sheet-edits.ts";
import { followIdentityChanges } from "../core/follow-identity.ts";
import { leadDocumentUpdate } from "../core/lead-document.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import { buildMatchIndex } from "../core/match-index.ts";
import { type PlanInput, planBookingSync, replan, type SyncPlan } from "../core/plan-booking-sync.ts";
import {
  buildResult,
  callsSince,
  combineReports,
  type RunReport,
  type SyncRunResult,
} from "../core/run-report.ts";
import { leadLookups, readSheetLeads } from "../core/sheet-leads.ts";
import { loadBookings, saveLinks } from "../db/booking-ledger.ts";
import { forgetLeadKeys, loadLeadLedger } from "../db/lead-ledger.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { deferEvents, markEventsApplied } from "../db/webhook-events.ts";
import { CalsyncError, describeError } from "../errors.ts";
import { redactDeep } from "../log/redact.ts";
import { applySheetEdits } from "./apply-sheet-edits.ts";
import type { OwnedCellsWrite, SyncContext } from "./context.ts";
import { fetchBookings } from "./fetch-bookings.ts";
import { PartlyDone, unwrapPartlyDone } from "./partly-done.ts";
import { publishLeadDocuments } from "./publish-dashboard.ts";
import { readSheetForRun } from "./read-sheet-for-run.ts";
import { createRunRecorder, type RunCauses, type RunOrigin } from "./record-changes.ts";
import { createRunJournal, type RunJournal } from "./run-journal.ts";
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
  /** The dashboard action this run follows: recorded in the run, and named as the cause of what it brings. */
  origin?: RunOrigin;
};

const MAX_EVENT_RETRY_MS = 5 * 60_000;

/** The webhook deliveries a run applied: marked applied when it succeeds, deferred for a retry when not. */
type AppliedEvents = { ids: number[]; attempts: number };

/**
 * One sync run: read Cal.com (or the stored webhook deliveries) into the ledger → read the sheet → act on
 * people's edits → plan → write the sheet (checked per row) → append new leads → send changed leads to the
 * dashboard. Runs are serialized; a dry run plans and writes nothing. The answer says what landed, also
 * when the run failed part-way.
 */
export async function runBookingSync(ctx: SyncContext, options: SyncOptions): Promise<SyncRunResult> {
  const dryRun = options.dryRun ?? false;
  const startedAt = ctx.clock();
  const callsBefore = { ...ctx.apiCalls };
  const events: AppliedEvents = { ids: [], attempts: 0 };
  // Every change the run makes is recorded as it lands; a dry run changes nothing and is not kept.
  const journal = dryRun
    ? null
    : createRunJournal(ctx, { kind: "booking-sync", trigger: options.trigger, startedAt });
  const causes: RunCauses = {
    trigger: options.trigger,
    source: options.source ?? "calcom",
    deliveries: [],
    origin: options.origin,
    sheetEdits: new Map(),
  };
  let parts: Partial<RunReport>[] = [];
  let error: ReturnType<typeof describeError> | undefined;

  try {
    // What the dashboard action did before this run belongs to it, whatever happens next.
    if (journal && options.origin) await journal.record(options.origin.changes);
    const lock = dryRun
      ? null
      : await acquireRunLock(ctx.db, { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs });
    try {
      parts = await syncOnce(ctx, { ...options, dryRun }, events, { journal, causes });
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
    const { cause, done } = unwrapPartlyDone(thrown);
    parts = done;
    error = describeError(cause);
    ctx.log.error("sync run failed", { trigger: options.trigger, error: error.message });
  }

  // An idle webhook tick (nothing was due) is no run: it is neither timed nor recorded.
  const idleTick = options.source === "webhook-events" && events.ids.length === 0 && !error;
  // Its warnings and reasons quote what Cal.com, Sheets and Sanity said: the answer is redacted like the
  // logs before it is kept in run history or returned.
  const result = redactDeep(
    buildResult({
      report: combineReports(parts),
      dryRun,
      apiCalls: callsSince(ctx.apiCalls, callsBefore),
      durationMs: idleTick ? 0 : ctx.clock().getTime() - startedAt.getTime(),
      error,
    }),
  );
  if (journal && !(options.source === "webhook-events" && events.ids.length === 0 && !options.origin)) {
    return journal.finish(result).catch((thrown: unknown) => {
      ctx.log.warn("could not record the run in its history", { error: describeError(thrown).message });
      return result;
    });
  }
  return result;
}

/** The run's steps, in order; each returns its part of the report. */
async function syncOnce(
  ctx: SyncContext,
  options: SyncOptions & { dryRun: boolean },
  events: AppliedEvents,
  audit: { journal: RunJournal | null; causes: RunCauses },
): Promise<Partial<RunReport>[]> {
  const { journal, causes } = audit;
  const now = ctx.clock();
  const news = await readNews(ctx, options, events);
  if (!news) return [];
  const { fetched, sheet, leads, index, leadLedger } = news;
  causes.deliveries = fetched.deliveries;
  // A poll's findings count as missed webhooks unless a delivery reported them (not on the first read, nor
  // when calsync takes no webhooks).
  await journal?.news(fetched.news, {
    expectWebhook: ctx.webhooksExpected && fetched.source === "poll" && !fetched.firstRead,
  });

  // Planning sees a location number as the booker's phone only where it cannot be the organizer's.
  const bookings = withBookerPhones(fetched.bookings, ctx.rules.region);
  // A lead whose phone or email was edited keeps its bookings and what calsync last wrote for it.
  const storedLedger = await leadLedger;
  const identities = followIdentityChanges({
    leads,
    index,
    ledger: storedLedger,
    links: fetched.links,
    bookings,
    region: ctx.rules.region,
  });
  let planInput: PlanInput = {
    grid: sheet.grid,
    leads,
    index,
    layout: sheet.layout,
    bookings,
    links: identities.links,
    ledger: identities.ledger,
    doubtful: new Map(identities.doubts.flatMap((doubt) => doubt.uids.map((uid) => [uid, doubt.rows]))),
    now,
    rules: ctx.rules,
  };
  let plan = planBookingSync(planInput);
  const parts: Partial<RunReport>[] = [{ bookingsFound: fetched.bookingsFound, warnings: fetched.warnings }];

  // People's edits in the sheet act on Cal.com before the plan is final (one code path for both directions).
  // A lead whose identity is in doubt has no edits either: its row may be someone else's now.
  const inDoubt = new Set(identities.doubts.map((doubt) => doubt.from));
  const edits = detectSheetEdits({
    leads,
    ledger: new Map([...planInput.ledger].filter(([key]) => !inDoubt.has(key))),
    bookingsOfLead: bookingsByLead(planInput.bookings, plan.links),
    now,
    rules: { ...ctx.rules, cancelWords: ctx.reverse.cancelWords },
  });
  let extraWrites: OwnedCellsWrite[] = [];
  let editsReport: Pick<RunReport, "editsPutBack" | "conflicts"> = { editsPutBack: [], conflicts: [] };
  let ledgerSavedByEdits: readonly { leadKey: string }[] = [];
  if (edits.length > 0) {
    const applied = await applySheetEdits({
      ctx,
      edits,
      provisionalPlan: plan,
      ledger: planInput.ledger,
      // As stored: what Cal.com answers is merged into these and saved.
      bookings: fetched.bookings,
      noteColumn: sheet.layout.note !== null,
      confirm: options.confirmReverse ?? false,
      dryRun: options.dryRun,
      onCalcomAction: async (action) => {
        if (action.leadKey) causes.sheetEdits.set(action.leadKey, action);
        await journal?.record([action]);
      },
    }).catch((error: unknown) => {
      throw withEarlierParts(parts, error);
    });
    parts.push(applied.report);
    extraWrites = applied.extraWrites;
    editsReport = applied.report;
    ledgerSavedByEdits = applied.ledger;
    if (applied.bookings.length > 0) {
      const reloaded = await loadBookings(ctx.db);
      ({ input: planInput, plan } = replan(planInput, {
        ledger: new Map([
          ...planInput.ledger,
          ...applied.ledger.map((entry) => [entry.leadKey, entry] as const),
        ]),
        bookings: withBookerPhones(reloaded.bookings, ctx.rules.region),
        // The new bookings' links, with this run's identity moves kept on top.
        links: new Map([...reloaded.links, ...identities.links]),
      }));
    }
  }
  parts.push(planFindings(plan));

  if (options.dryRun) {
    const appendedFrom = Math.max(1, sheet.grid.length) + 1;
    parts.push({
      updates: [
        ...plan.writes.map((w) => w.update),
        ...plan.appends.map((a, i) => ({ row: appendedFrom + i, ...a.update })),
      ],
    });
    return parts;
  }

  // The links as read are what the database holds unless sheet edits saved some since: only the others are
  // sent (saveLinks changes no row whose lead is already the one given, so the result is the same).
  await saveLinks(ctx.db, edits.length === 0 ? linksChangedFrom(fetched.links, plan.links) : plan.links);
  await forgetLeadKeys(
    ctx.db,
    identities.moves.map((move) => move.from),
  );
  // What the database holds now: without the keys just forgotten, nor the entries sheet edits saved since.
  const stored = new Map(storedLedger);
  for (const move of identities.moves) stored.delete(move.from);
  for (const entry of ledgerSavedByEdits) stored.delete(entry.leadKey);
  const recorder = journal
    ? createRunRecorder({
        ctx,
        journal,
        causes,
        read: { grid: sheet.grid, leads, layout: sheet.layout },
        plan,
        extraWrites,
        editsPutBack: editsReport.editsPutBack,
        conflicts: editsReport.conflicts,
      })
    : null;
  const written = await writePlanToSheet({
    ctx,
    sheet: news.raw,
    plan,
    planInput,
    extraWrites,
    storedLedger: stored,
    ...(recorder ? { onWritten: recorder.written } : {}),
  }).catch((error: unknown) => {
    throw withEarlierParts(parts, error);
  });
  parts.push({ updates: written.updates, warnings: written.warnings });
  await recorder?.appended(written.plan, written.appendedRows);

  const documents = written.plan.leads
    .filter((lead) => !written.unsettled.has(lead.leadKey))
    .map((lead) =>
      leadDocumentUpdate({ ...lead, row: lead.row ?? written.appendedRows.get(lead.leadKey) ?? null }),
    )
    .filter((doc) => doc.fields.sheetRow !== null);
  const retired = identities.moves.map((move) => leadDocumentId(move.from));
  const published = await publishLeadDocuments(ctx, documents, retired).catch((error: unknown) => {
    throw withEarlierParts(parts, error);
  });
  parts.push({ warnings: published.warnings });
  await recorder?.published(published.published, published.retired);
  if (written.unsettled.size > 0) throw withEarlierParts(parts, new SheetMovedError(written.unsettled.size));
  return parts;
}

/**
 * What is new since the last run, and the sheet to apply it to. From Cal.com, both are read at once
 * (neither depends on the other until planning). From stored webhook deliveries, null when none is due:
 * an idle tick makes no API call at all.
 */
async function readNews(ctx: SyncContext, options: SyncOptions & { dryRun: boolean }, events: AppliedEvents) {
  if (options.source === "webhook-events") {
    const ingested = await ctx.webhookEvents.ingestDue(ctx.clock());
    events.ids = ingested.ids;
    events.attempts = ingested.attempts;
    if (ingested.ids.length === 0) return null;
    const { view, raw, leads, index } = await readSheetAndLeads(ctx);
    return {
      leads,
      index,
      leadLedger: loadLeadLedger(ctx.db),
      fetched: {
        bookingsFound: 0,
        warnings: [],
        ...(await loadBookings(ctx.db)),
        news: ingested.news,
        deliveries: ingested.deliveries,
        source: "webhook" as const,
        firstRead: false,
      },
      sheet: view,
      raw,
    };
  }
  // The sheet's leads and their index depend on the sheet alone: they are read while Cal.com's pages are
  // still on their way, rather than after the last one.
  // So are the ledgers, once the sheet is in (reading them sooner would hold up the first requests): nothing
  // else writes them while the run holds its lock, and the fetch saves bookings only after it has read them.
  const sheetRead = readSheetAndLeads(ctx);
  const sheetIn = sheetRead.then(
    () => undefined,
    () => undefined,
  );
  const known = sheetIn.then(() => loadBookings(ctx.db));
  const leadLedger = sheetIn.then(() => loadLeadLedger(ctx.db));
  // Awaited later or not at all (when the run fails first): a failure is then the run's, not an unhandled one.
  known.catch(() => undefined);
  leadLedger.catch(() => undefined);
  const [fetched, { view, raw, leads, index }] = await Promise.all([
    fetchBookings(ctx, { dryRun: options.dryRun, known }),
    sheetRead,
  ]);
  return {
    fetched: { ...fetched, deliveries: [], source: "poll" as const },
    sheet: view,
    raw,
    leads,
    index,
    leadLedger,
  };
}

/** The sheet for the run, with its leads read and indexed (what planning and identity checks match on). */
async function readSheetAndLeads(ctx: SyncContext) {
  const { view, raw } = await readSheetForRun(ctx);
  const leads = readSheetLeads(view.grid, view.layout, ctx.rules.region);
  // Made now, while Cal.com's pages are on their way: identity checks and planning look leads up in them.
  leadLookups(leads);
  return { view, raw, leads, index: buildMatchIndex(leads) };
}

function planFindings(plan: SyncPlan): Partial<RunReport> {
  return {
    matchesFound: plan.matchesFound,
    unmatched: plan.unmatched,
    ambiguous: plan.ambiguous,
    pending: plan.pending,
  };
}

/** A failure after earlier steps reported: they are kept in front of whatever the failing step had done. */
function withEarlierParts(parts: readonly Partial<RunReport>[], error: unknown): PartlyDone {
  return new PartlyDone([...parts], error);
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

class SheetMovedError extends CalsyncError {
  readonly code = "CONFLICT";
  constructor(count: number) {
    super(`${count} row(s) kept moving while calsync wrote to the sheet; the next run will write them.`);
  }
}

/** The links of `next` that `stored` does not already hold as they are. */
function linksChangedFrom(
  stored: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
): Map<string, string> {
  const changed = new Map<string, string>();
  for (const [uid, leadKey] of next) if (stored.get(uid) !== leadKey) changed.set(uid, leadKey);
  return changed;
}
