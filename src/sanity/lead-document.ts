import type { BookingStatus } from "../core/booking.ts";

/**
 * The lead document the dashboard reads, as calsync writes it. Field names and meanings are those of the
 * Studio schema in `sanity/schemas/dbrLead.ts`; `lead-document.test.ts` checks that the two agree.
 */
export const DBR_LEAD_TYPE = "dbrLead";

/**
 * One Cal.com booking matched to the lead. Every array item needs a `_key` (Sanity addresses items by it);
 * `_type` may be left out because the array has a single member type, which Studio then assumes.
 */
export type DbrLeadBooking = {
  _key: string;
  _type?: "booking";
  uid: string;
  /** ISO 8601 UTC; null for a booking known only by its uid (the old side of a reschedule seen first). */
  start: string | null;
  end: string | null;
  status: BookingStatus;
  eventTypeId: number | null;
  rescheduledFromUid: string | null;
  rescheduledToUid: string | null;
};

/** One column of the lead's sheet row, in sheet order. */
export type DbrLeadSheetField = { _key: string; _type?: "sheetField"; header: string; value: string };

/** The lead's content: what calsync sends in a mutation. */
export type DbrLeadFields = {
  firstName: string | null;
  lastName: string | null;
  /** E.164, e.g. `+447700900123`. */
  phone: string | null;
  email: string | null;
  /** The sheet's status text, e.g. `CALL_BOOKED`. */
  contactStatus: string | null;
  /** The sheet's booking text as written there, e.g. `17:00 27/10/2025`; null when empty. */
  callBooked: string | null;
  /** The booked call's start, ISO 8601 UTC; null when no call is booked. */
  callBookedAt: string | null;
  /** The host asked the booker to pick another time and no new call is booked yet. */
  waitingToRebook: boolean;
  /** 1-based row number in the sheet (the header is row 1); null for a lead that is not in the sheet. */
  sheetRow: number | null;
  /** The row has left the sheet; the document stays for the dashboard's history. */
  archived: boolean;
  sheetFields: DbrLeadSheetField[];
  bookings: DbrLeadBooking[];
};

/** A lead as Sanity returns it: content plus id, type and the system fields Sanity maintains. */
export type DbrLeadDocument = DbrLeadFields & {
  _id: string;
  _type: typeof DBR_LEAD_TYPE;
  _rev: string;
  _createdAt: string;
  _updatedAt: string;
};

/** Every booking status, in the schema's order. */
export const DBR_LEAD_BOOKING_STATUSES = [
  "accepted",
  "pending",
  "cancelled",
  "rejected",
] as const satisfies readonly BookingStatus[];
