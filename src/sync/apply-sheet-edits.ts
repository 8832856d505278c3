import { mergeBooking, replacedBookingStub, type StoredBooking } from "../core/booking-merge.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import type { CalcomActionChange } from "../core/change-log.ts";
import type { SheetEdit } from "../core/detect-sheet-edits.ts";
import type { LeadLedgerEntry, SyncPlan } from "../core/plan-booking-sync.ts";
import type { RunReport } from "../core/run-report.ts";
import { saveBookings, saveLinks } from "../db/booking-ledger.ts";
import { saveLeadLedger } from "../db/lead-ledger.ts";
import { getMeta, setMeta } from "../db/meta.ts";
import { UpstreamError } from "../errors.ts";
import type { OwnedCellsWrite, SyncContext } from "./context.ts";
import { PartlyDone } from "./partly-done.ts";

export const CANCELLED_FROM_SHEET = "Cancelled from the lead sheet by the sales team (via calsync).";
const RESCHEDULED_FROM_SHEET = "Rescheduled from the lead sheet by the sales team (via calsync).";

const HELD_KEY = "reverse.heldEdits";

async function heldEdits(ctx: SyncContext): Promise<Set<string>> {
  try {
    return new Set(JSON.parse((await getMeta(ctx.db, HELD_KEY)) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

type ActionEdit = Extract<SheetEdit, { kind: "cancel" | "reschedule" }>;

function editKey(edit: ActionEdit): string {
  return `${edit.leadKey}|${edit.kind}|${edit.typed}`;
}

export type AppliedEdits = {
  /** Bookings Cal.com changed at our request, merged: the plan is re-made with them. */
  bookings: StoredBooking[];
  /** Cells to write besides the plan's: edits put back and notes. */
  extraWrites: OwnedCellsWrite[];
  /** What calsync now stands by for leads whose call it moved (already saved): the plan is re-made on it. */
  ledger: LeadLedgerEntry[];
  report: EditsReport;
};

/** What the edits came to: the Cal.com actions taken (or held), edits put back, conflicts, and why. */
export type EditsReport = Pick<
  RunReport,
  "reverseActions" | "reverseActionsHeld" | "editsPutBack" | "conflicts" | "warnings"
>;

/**
 * Acts in Cal.com on what people changed in the sheet.
 *
 * Rules: when Cal.com also changed the lead since the last run, Cal.com wins (the booker acted there) and
 * the edit is reported as a conflict (the plan overwrites it). Past `maxActionsPerRun` actions in one run,
 * nothing is done (a paste or a sort gone wrong looks like hundreds of edits) until a person confirms.
 * Rows whose change may be cells that moved (a sort or paste of some columns) act on Cal.com only once a
 * person confirms; cells that certainly moved are put back in line. A cancel typed over a protected status
 * is reported, not acted on. A time that cannot be read, is past, or that Cal.com refuses is put back and
 * the reason reported. Each Cal.com action is recorded (bookings, links, the lead's ledger entry) as soon
 * as Cal.com answers, so a run that stops part-way never repeats it; PartlyDone reports what was done.
 */
export async function applySheetEdits(args: {
  ctx: SyncContext;
  edits: readonly SheetEdit[];
  provisionalPlan: SyncPlan;
  ledger: ReadonlyMap<string, LeadLedgerEntry>;
  bookings: readonly StoredBooking[];
  noteColumn: boolean;
  confirm: boolean;
  dryRun: boolean;
  /** Told of each Cal.com action as soon as Cal.com has answered it (the run's change log). */
  onCalcomAction?: (action: CalcomActionChange) => Promise<void>;
}): Promise<AppliedEdits> {
  const { ctx } = args;
  const report: EditsReport = {
    reverseActions: [],
    reverseActionsHeld: 0,
    editsPutBack: [],
    conflicts: [],
    warnings: [],
  };
  const extraWrites: OwnedCellsWrite[] = [];
  const outcomeOf = new Map(args.provisionalPlan.leads.map((lead) => [lead.leadKey, lead]));
  const identityOf = (leadKey: string): OwnedCellsWrite["identity"] => {
    const lead = outcomeOf.get(leadKey);
    return { phone: lead?.phone ?? null, email: lead?.email ?? null };
  };
  const note = (text: string) =>
    args.noteColumn ? { note: `calsync ${formatBookingTime(ctx.clock(), ctx.rules.timeZone)}: ${text}` } : {};
  /** Puts a typed cell back to what calsync wrote, and reports it (run result, notes column). */
  const putBack = (
    edit: SheetEdit,
    cells: Pick<OwnedCellsWrite, "status" | "booking">,
    restoredTo: string,
    reason: string,
  ) => {
    report.editsPutBack.push({ row: edit.row, name: edit.name, typed: edit.typed, restoredTo, reason });
    extraWrites.push({
      row: edit.row,
      identity: (edit.kind === "putBack" ? edit.identity : undefined) ?? identityOf(edit.leadKey),
      ...cells,
      ...note(`"${edit.typed}" was put back: ${reason}`),
    });
  };
  const decisionChanged = new Set(
    args.provisionalPlan.leads
      .filter((lead) => lead.ledger && lead.ledger.decision !== args.ledger.get(lead.leadKey)?.decision)
      .map((lead) => lead.leadKey),
  );

  const actions: ActionEdit[] = [];
  let movedCells = 0;
  for (const edit of args.edits) {
    const identity = identityOf(edit.leadKey);
    if (edit.kind === "protectedCancel") {
      report.warnings.push(
        `Row ${edit.row} (${edit.name}): "${edit.typed}" was typed over the protected status ${edit.protectedStatus}; calsync never changes a protected row, so the call was not cancelled. Cancel it in Cal.com, or set the status back to ${edit.protectedStatus}.`,
      );
    } else if (edit.kind === "putBack" && edit.reason.startsWith("the cell moved")) {
      movedCells++;
      // Cal.com has news for this lead: the plan writes what is true now, from the cell as it reads.
      if (decisionChanged.has(edit.leadKey)) continue;
      const cells = edit.column === "status" ? { status: edit.restoreTo } : { booking: edit.restoreTo };
      putBack(edit, cells, edit.restoreTo, edit.reason);
    } else if (decisionChanged.has(edit.leadKey)) {
      const calcomValue =
        edit.kind === "cancel"
          ? (outcomeOf.get(edit.leadKey)?.status ?? "")
          : (outcomeOf.get(edit.leadKey)?.bookingText ?? "");
      report.conflicts.push({ row: edit.row, name: edit.name, sheetValue: edit.typed, calcomValue });
      const text = `your edit "${edit.typed}" was undone: the booking changed in Cal.com at the same time (${calcomValue || "cleared"})`;
      if (args.noteColumn) extraWrites.push({ row: edit.row, identity, ...note(text) });
    } else if (edit.kind === "putBack") {
      putBack(edit, { booking: edit.restoreTo }, edit.restoreTo, edit.reason);
    } else {
      actions.push(edit);
    }
  }
  if (movedCells > 0) {
    report.warnings.push(
      `${movedCells} of calsync's cells had moved with a sort or paste of some columns and stood beside other leads; they were put back in line from what calsync last wrote (nothing was sent to Cal.com).`,
    );
  }

  const count = (list: readonly ActionEdit[]) =>
    list.reduce((n, edit) => n + (edit.kind === "cancel" ? edit.uids.length : 1), 0);
  // A held batch stays held until a person confirms or puts the rows back: fixing a pasted column one row
  // at a time must not let the rest through once fewer than the limit remain.
  const held = await heldEdits(ctx);
  const stillHeld = actions.some((edit) => held.has(editKey(edit)));
  if (!args.confirm && (count(actions) > ctx.reverse.maxActionsPerRun || stillHeld)) {
    report.reverseActionsHeld = count(actions);
    report.warnings.push(
      `${count(actions)} Cal.com action(s) from sheet edits are held: more than MAX_REVERSE_ACTIONS_PER_RUN (${ctx.reverse.maxActionsPerRun}) in one run looks like a paste or sort accident. Check the sheet, then confirm with \`calsync sync --confirm-reverse\` or on the dashboard.`,
    );
    if (!args.dryRun) await setMeta(ctx.db, HELD_KEY, JSON.stringify(actions.map(editKey)));
    return { bookings: [], extraWrites, ledger: [], report };
  }
  // Rows that may be cells that moved rather than edits: nothing goes to Cal.com for them until confirmed.
  const doubtful = args.confirm ? [] : actions.filter((edit) => edit.doubt);
  if (doubtful.length > 0) {
    report.reverseActionsHeld = count(doubtful);
    report.warnings.push(
      `${count(doubtful)} Cal.com action(s) from sheet edits are held: ${doubtful[0]?.doubt}. Rows ${doubtful.map((edit) => edit.row).join(", ")}: check them, then confirm with \`calsync sync --confirm-reverse\` or on the dashboard.`,
    );
    if (!args.dryRun) await setMeta(ctx.db, HELD_KEY, JSON.stringify(doubtful.map(editKey)));
    actions.splice(0, actions.length, ...actions.filter((edit) => !edit.doubt));
  } else if (!args.dryRun && held.size > 0) await setMeta(ctx.db, HELD_KEY, "[]");

  const byUid = new Map(args.bookings.map((b) => [b.uid, b]));
  const changed = new Map<string, StoredBooking>();
  const links = new Map<string, string>();
  const ledgerChanges: LeadLedgerEntry[] = [];
  const keep = (booking: StoredBooking) => {
    const merged = mergeBooking(changed.get(booking.uid) ?? byUid.get(booking.uid), booking);
    changed.set(booking.uid, merged);
  };

  try {
    await takeActions();
  } catch (error) {
    // Cal.com failed part-way: what it did is kept in the ledger, and the run reports it before failing.
    if (!args.dryRun) await saveEdits();
    throw new PartlyDone(report, error);
  }
  if (!args.dryRun) await saveEdits();
  return { bookings: [...changed.values()], extraWrites, ledger: ledgerChanges, report };

  async function saveEdits() {
    await saveBookings(ctx.db, [...changed.values()]);
    await saveLinks(ctx.db, links);
  }

  /** What calsync now stands by for a lead whose call it moved: the new booking, at the time typed. */
  function afterReschedule(
    edit: Extract<ActionEdit, { kind: "reschedule" }>,
    moved: StoredBooking,
  ): LeadLedgerEntry {
    const before = args.ledger.get(edit.leadKey);
    const shown = moved.start ? formatBookingTime(moved.start, ctx.rules.timeZone) : edit.typed;
    return {
      leadKey: edit.leadKey,
      row: edit.row,
      // A pending booking is not a booked call yet: the row is left to the person until the host decides.
      decision: moved.status === "pending" ? `pending:${moved.uid}` : `booked:${moved.uid}@${shown}`,
      statusWritten: before?.statusWritten ?? null,
      bookingWritten: moved.status === "pending" ? edit.typed : shown,
      bookingUid: moved.uid,
      identity: before?.identity,
    };
  }

  async function takeActions() {
    for (const edit of actions) {
      if (edit.kind === "cancel") {
        for (const uid of edit.uids) {
          if (args.dryRun) {
            report.reverseActions.push({ row: edit.row, name: edit.name, uid, action: "cancel" });
            continue;
          }
          const cancelled = await cancelInCalcom(ctx, uid);
          if (cancelled.ok) {
            keep(cancelled.booking);
            // Recorded at once: a run that stops after this never cancels it again.
            await saveEdits();
            report.reverseActions.push({ row: edit.row, name: edit.name, uid, action: "cancel" });
            await args.onCalcomAction?.({
              kind: "calcom",
              action: "cancel",
              bookingUid: uid,
              newBookingUid: null,
              to: null,
              row: edit.row,
              leadKey: edit.leadKey,
              leadName: edit.name,
              source: "sheet-edit",
              sourceRef: null,
              reason: `"${edit.typed}" was typed in the status cell: calsync cancelled the call in Cal.com`,
            });
            continue;
          }
          // Cal.com refused (the host's policy, a booking it no longer has): put the status back, say why.
          const restoreTo = args.ledger.get(edit.leadKey)?.statusWritten ?? ctx.rules.statusBooked;
          putBack(edit, { status: restoreTo }, restoreTo, `Cal.com refused to cancel: ${cancelled.reason}`);
        }
        continue;
      }
      const to = formatBookingTime(edit.to, ctx.rules.timeZone);
      const action = { row: edit.row, name: edit.name, uid: edit.uid, action: "reschedule", to } as const;
      if (args.dryRun) {
        report.reverseActions.push(action);
        continue;
      }
      try {
        const moved = await ctx.calcom.rescheduleBooking(edit.uid, {
          start: edit.to,
          reason: RESCHEDULED_FROM_SHEET,
        });
        keep({ ...moved, rescheduledFromUid: moved.rescheduledFromUid ?? edit.uid });
        keep(replacedBookingStub(edit.uid, moved.uid));
        links.set(moved.uid, edit.leadKey);
        // Recorded at once, the lead's ledger included: a run that stops after this neither moves the call
        // again nor takes the typed time for an edit of a booking that no longer exists.
        await saveEdits();
        const entry = afterReschedule(edit, moved);
        await saveLeadLedger(ctx.db, [entry]);
        ledgerChanges.push(entry);
        await args.onCalcomAction?.({
          kind: "calcom",
          action: "reschedule",
          bookingUid: edit.uid,
          newBookingUid: moved.uid,
          to,
          row: edit.row,
          leadKey: edit.leadKey,
          leadName: edit.name,
          source: "sheet-edit",
          sourceRef: null,
          reason: `"${edit.typed}" was typed in the booking cell: calsync moved the call in Cal.com${moved.status === "pending" ? " (awaiting the host's confirmation)" : ""}`,
        });
        if (moved.status === "pending") {
          report.reverseActions.push({ ...action, pending: true });
          report.warnings.push(
            `Row ${edit.row} (${edit.name}): the call was moved to ${to} and awaits the host's confirmation in Cal.com; the row keeps the new time.`,
          );
        } else report.reverseActions.push(action);
      } catch (error) {
        // Cal.com answered and said no (slot taken, outside availability): put the real time back.
        if (!(error instanceof UpstreamError) || error.status === undefined || error.status >= 500)
          throw error;
        const restoreTo = args.ledger.get(edit.leadKey)?.bookingWritten ?? "";
        putBack(edit, { booking: restoreTo }, restoreTo, `Cal.com refused ${to}: ${error.message}`);
      }
    }
  }
}

/**
 * Cancels one booking. A 4xx answer is not an outage: the booking may already be cancelled (the booker's own
 * webhook not yet seen), which is the outcome asked for; anything else refused is reported, not thrown, so one
 * booking Cal.com will not cancel never holds up every other lead's update.
 */
async function cancelInCalcom(
  ctx: SyncContext,
  uid: string,
): Promise<{ ok: true; booking: StoredBooking } | { ok: false; reason: string }> {
  try {
    return { ok: true, booking: await ctx.calcom.cancelBooking(uid, CANCELLED_FROM_SHEET) };
  } catch (error) {
    if (!(error instanceof UpstreamError) || error.status === undefined || error.status >= 500) throw error;
    const current = await ctx.calcom.getBooking(uid).catch(() => null);
    if (current && (current.status === "cancelled" || current.status === "rejected")) {
      return { ok: true, booking: current };
    }
    return { ok: false, reason: error.message };
  }
}
