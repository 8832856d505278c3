import { parseBookingTime } from "./booking-time.ts";
import { leadDocumentId } from "./lead-identity.ts";
import { err, ok, type Result } from "./result.ts";
import { leadName, type SheetLead } from "./sheet-leads.ts";

/** Which lead to book: by its key (`tel:+44…`/`mailto:…`), its sheet row, or its dashboard document id. */
export type LeadTarget = { leadKey?: string; row?: number; leadId?: string };

/** The attendee of a Cal.com booking, in CreateBookingInput's shape. */
export type BookingAttendee = { name: string; email: string; timeZone: string; phoneNumber?: string };

/** Finds the lead a booking is for in the sheet as read now; a row must still hold a lead with a key. */
export function findLead(leads: readonly SheetLead[], target: LeadTarget): Result<SheetLead, string> {
  const lead =
    target.leadKey !== undefined
      ? leads.find((l) => l.key === target.leadKey)
      : target.leadId !== undefined
        ? leads.find((l) => l.key !== null && leadDocumentId(l.key) === target.leadId)
        : target.row !== undefined
          ? leads.find((l) => l.row === target.row)
          : undefined;
  if (target.leadKey === undefined && target.leadId === undefined && target.row === undefined) {
    return err("Say which lead to book: leadKey, row or leadId.");
  }
  if (!lead) return err("No lead in the sheet matches; it may have been removed or its phone/email changed.");
  if (!lead.key) {
    return err(`Row ${lead.row} has no phone or email of its own, so a booking could not be matched to it.`);
  }
  return ok(lead);
}

/** Cal.com needs a name and an email; the phone goes along when the sheet has one. */
export function attendeeFor(lead: SheetLead, timeZone: string): Result<BookingAttendee, string> {
  if (!lead.email) {
    return err(
      `${leadName(lead) || `Row ${lead.row}`} has no email in the sheet, and Cal.com needs one to book.`,
    );
  }
  return ok({
    name: leadName(lead) || lead.email,
    email: lead.email,
    timeZone,
    ...(lead.phone ? { phoneNumber: lead.phone } : {}),
  });
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::00(?:\.0+)?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A call's start: an ISO instant (`2025-10-28T10:00:00Z`, API callers), or a wall time without a zone
 * (`2025-10-28T10:00`, the form's datetime-local field), which is read in the team's time zone, as every
 * time the dashboard shows is.
 */
export function parseCallStart(text: string, timeZone: string): Result<Date, string> {
  const trimmed = text.trim();
  if (INSTANT.test(trimmed)) {
    const date = new Date(trimmed);
    return Number.isNaN(date.getTime()) ? err(`"${text}" is not a time.`) : ok(date);
  }
  const local = LOCAL_DATE_TIME.exec(trimmed);
  if (!local) return err(`"${text}" is not a time: send an ISO 8601 time such as 2025-10-28T10:00:00Z.`);
  const [, year, month, day, hour, minute] = local;
  const parsed = parseBookingTime(`${hour}:${minute} ${day}/${month}/${year}`, timeZone);
  if (!parsed.ok) return err(`${trimmed} is not a time that exists once in ${timeZone}.`);
  return ok(parsed.value);
}
