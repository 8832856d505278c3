import type { StoredBooking } from "./booking-merge.ts";
import { describeBookingTimeError, parseBookingTime } from "./booking-time.ts";
import { isCurrent, isReplaced } from "./lead-decision.ts";
import { findMovedCells } from "./moved-cells.ts";
import type { LeadLedgerEntry } from "./plan-booking-sync.ts";
import { leadName, type SheetLead } from "./sheet-leads.ts";

/**
 * What a person did in the sheet that calsync should act on in Cal.com, found by comparing each row with what
 * calsync last wrote there (the ledger): calsync's own writes match the ledger, so they never look like edits.
 */
export type SheetEdit =
  | (ActionEdit & { kind: "cancel"; uids: string[] })
  | (ActionEdit & { kind: "reschedule"; uid: string; to: Date })
  | {
      kind: "putBack";
      row: number;
      leadKey: string;
      name: string;
      typed: string;
      /** Which of calsync's cells goes back: the booking time (default), or the status. */
      column?: "status" | "booking";
      /** Who the row is, for a row calsync has no lead outcome for (a cell of calsync's that strayed there). */
      identity?: { phone: string | null; email: string | null };
      restoreTo: string;
      reason: string;
    }
  | {
      /** A cancel word typed over a protected status: reported, never acted on. */
      kind: "protectedCancel";
      row: number;
      leadKey: string;
      name: string;
      typed: string;
      protectedStatus: string;
    };

/** An edit that would act on Cal.com. `doubt`: why it may be cells that moved rather than a person's edit. */
type ActionEdit = { row: number; leadKey: string; name: string; typed: string; doubt?: string };

const MOVED_REASON =
  "the cell moved with a sort or paste of some columns, so it stood beside another lead; calsync put its own value back in line";
const DOUBT_REASON =
  "several rows changed at once as if cells had moved (a sort or paste of some columns); calsync cannot tell a move from edits";

export type EditRules = {
  timeZone: string;
  statusBooked: string;
  statusCancelled: string;
  protectedStatuses: readonly string[];
  cancelWords: readonly string[];
};

export function detectSheetEdits(input: {
  leads: readonly SheetLead[];
  ledger: ReadonlyMap<string, LeadLedgerEntry>;
  /** Bookings by the lead key they are linked to. */
  bookingsOfLead: ReadonlyMap<string, readonly StoredBooking[]>;
  now: Date;
  rules: EditRules;
}): SheetEdit[] {
  const { rules, now } = input;
  const cancelWords = new Set([rules.statusCancelled, ...rules.cancelWords].map((w) => w.toUpperCase()));
  const protectedStatuses = new Set(rules.protectedStatuses.map((status) => status.toUpperCase()));
  const statusMoves = findMovedCells(input.leads, input.ledger, "status");
  const bookingMoves = findMovedCells(input.leads, input.ledger, "booking");
  const edits: SheetEdit[] = [];
  for (const stray of bookingMoves.strays) {
    edits.push({
      kind: "putBack",
      row: stray.row,
      leadKey: stray.key as string,
      name: leadName(stray),
      typed: stray.bookingText,
      identity: { phone: stray.phone, email: stray.email },
      restoreTo: "",
      reason: MOVED_REASON,
    });
  }
  for (const lead of input.leads) {
    const written = lead.key ? input.ledger.get(lead.key) : undefined;
    if (!lead.key || !written) continue;
    const base = { row: lead.row, leadKey: lead.key, name: leadName(lead) };
    // calsync's own cells that moved go back in line, whatever the lead's decision.
    const statusMoved = statusMoves.moved.has(lead.key);
    const bookingMoved = bookingMoves.moved.has(lead.key);
    if (statusMoved) {
      edits.push({
        ...base,
        kind: "putBack",
        column: "status",
        typed: lead.status,
        restoreTo: written.statusWritten ?? "",
        reason: MOVED_REASON,
      });
    }
    if (bookingMoved) {
      edits.push({
        ...base,
        kind: "putBack",
        typed: lead.bookingText,
        restoreTo: written.bookingWritten ?? "",
        reason: MOVED_REASON,
      });
    }
    if (!written.decision.startsWith("booked:")) continue;
    const doubt =
      statusMoves.doubtful.has(lead.key) || bookingMoves.doubtful.has(lead.key)
        ? { doubt: DOUBT_REASON }
        : {};
    // Only bookings this row is linked to: a reverse action never reaches another lead's booking.
    const upcoming = (input.bookingsOfLead.get(lead.key) ?? []).filter(
      (b) => b.status === "accepted" && !isReplaced(b) && isCurrent(b, now),
    );

    const status = lead.status.toUpperCase();
    const writtenStatus = written.statusWritten?.toUpperCase() ?? "";
    const statusEdited = !statusMoved && status !== writtenStatus;
    if (statusEdited && cancelWords.has(status) && protectedStatuses.has(writtenStatus)) {
      // The row's status is one calsync never changes (CUSTOMER…): a cancel typed over it is reported.
      if (upcoming.some((b) => b.uid === written.bookingUid)) {
        edits.push({
          ...base,
          kind: "protectedCancel",
          typed: lead.status,
          protectedStatus: written.statusWritten ?? "",
        });
      }
      continue;
    }
    if (statusEdited && writtenStatus === rules.statusBooked.toUpperCase() && cancelWords.has(status)) {
      // Only the call the row showed: another booking the lead made meanwhile was never in front of the
      // person who typed the cancel (after this one is cancelled, the row shows that one).
      const shown = upcoming.filter((b) => b.uid === written.bookingUid);
      if (shown.length > 0)
        edits.push({ ...base, ...doubt, kind: "cancel", typed: lead.status, uids: shown.map((b) => b.uid) });
      continue;
    }
    if (bookingMoved) continue;

    const shown = written.bookingWritten ?? "";
    if (lead.bookingText === shown.trim()) continue;
    const current = upcoming.find((b) => b.uid === written.bookingUid);
    // The shown booking changed in Cal.com too (moved or cancelled): still an edit, which the caller reports as
    // a conflict. A booking that is merely over is not: past calls are left as they are.
    const shownBooking = (input.bookingsOfLead.get(lead.key) ?? []).find((b) => b.uid === written.bookingUid);
    const changedInCalcom =
      shownBooking !== undefined && (isReplaced(shownBooking) || shownBooking.status !== "accepted");
    if (!current && !changedInCalcom) continue;
    const putBack = (reason: string) =>
      edits.push({ ...base, kind: "putBack", typed: lead.bookingText, restoreTo: shown, reason });
    if (lead.bookingText === "") {
      putBack(`the booking time was cleared; to cancel the call, set the status to ${rules.statusCancelled}`);
      continue;
    }
    const parsed = parseBookingTime(lead.bookingText, rules.timeZone);
    if (!parsed.ok) {
      putBack(describeBookingTimeError(parsed.error));
      continue;
    }
    if (parsed.value.getTime() <= now.getTime()) {
      putBack(`"${lead.bookingText}" is in the past`);
      continue;
    }
    // The same time written another way is not a change.
    if (current?.start && parsed.value.getTime() === Date.parse(current.start)) continue;
    edits.push({
      ...base,
      ...doubt,
      kind: "reschedule",
      typed: lead.bookingText,
      uid: written.bookingUid ?? "",
      to: parsed.value,
    });
  }
  return edits;
}
