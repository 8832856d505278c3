import type { StoredBooking } from "./booking-merge.ts";
import { describeBookingTimeError, parseBookingTime } from "./booking-time.ts";
import { isCurrent, isReplaced } from "./lead-decision.ts";
import type { LeadLedgerEntry } from "./plan-booking-sync.ts";
import { leadName, type SheetLead } from "./sheet-leads.ts";

/**
 * What a person did in the sheet that calsync should act on in Cal.com, found by comparing each row with what
 * calsync last wrote there (the ledger): calsync's own writes match the ledger, so they never look like edits.
 */
export type SheetEdit =
  | { kind: "cancel"; row: number; leadKey: string; name: string; typed: string; uids: string[] }
  | { kind: "reschedule"; row: number; leadKey: string; name: string; typed: string; uid: string; to: Date }
  | {
      kind: "putBack";
      row: number;
      leadKey: string;
      name: string;
      typed: string;
      restoreTo: string;
      reason: string;
    };

export type EditRules = {
  timeZone: string;
  statusBooked: string;
  statusCancelled: string;
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
  const edits: SheetEdit[] = [];
  for (const lead of input.leads) {
    const written = lead.key ? input.ledger.get(lead.key) : undefined;
    if (!lead.key || !written?.decision.startsWith("booked:")) continue;
    const base = { row: lead.row, leadKey: lead.key, name: leadName(lead) };
    // Only bookings this row is linked to: a reverse action never reaches another lead's booking.
    const upcoming = (input.bookingsOfLead.get(lead.key) ?? []).filter(
      (b) => b.status === "accepted" && !isReplaced(b) && isCurrent(b, now),
    );

    const status = lead.status.toUpperCase();
    const statusEdited =
      written.statusWritten?.toUpperCase() === rules.statusBooked.toUpperCase() &&
      status !== rules.statusBooked.toUpperCase();
    if (statusEdited && cancelWords.has(status)) {
      // Only the call the row showed: another booking the lead made meanwhile was never in front of the
      // person who typed the cancel (after this one is cancelled, the row shows that one).
      const shown = upcoming.filter((b) => b.uid === written.bookingUid);
      if (shown.length > 0)
        edits.push({ ...base, kind: "cancel", typed: lead.status, uids: shown.map((b) => b.uid) });
      continue;
    }

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
      kind: "reschedule",
      typed: lead.bookingText,
      uid: written.bookingUid ?? "",
      to: parsed.value,
    });
  }
  return edits;
}
