import type { StoredBooking } from "./booking-merge.ts";
import { leadDocumentId } from "./lead-identity.ts";
import type { LeadOutcome } from "./plan-booking-sync.ts";

/**
 * The booking side of a `dbrLead` document: the fields the booking sync owns. The sheet copy (a later job)
 * owns the row's other columns; each writes only its own fields, so neither overwrites the other.
 */
export type LeadBookingFields = {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  contactStatus: string;
  callBooked: string | null;
  callBookedAt: string | null;
  waitingToRebook: boolean;
  sheetRow: number | null;
  bookings: {
    _key: string;
    uid: string;
    start: string | null;
    end: string | null;
    status: StoredBooking["status"];
    eventTypeId: number | null;
    rescheduledFromUid: string | null;
    rescheduledToUid: string | null;
  }[];
};

export type LeadDocumentUpdate = { id: string; leadKey: string; fields: LeadBookingFields };

export function leadDocumentUpdate(
  lead: Pick<
    LeadOutcome,
    | "leadKey"
    | "row"
    | "firstName"
    | "lastName"
    | "phone"
    | "email"
    | "status"
    | "bookingText"
    | "nextBooking"
    | "waitingToRebook"
    | "bookings"
  >,
): LeadDocumentUpdate {
  return {
    id: leadDocumentId(lead.leadKey),
    leadKey: lead.leadKey,
    fields: {
      firstName: lead.firstName,
      lastName: lead.lastName,
      phone: lead.phone,
      email: lead.email,
      contactStatus: lead.status,
      callBooked: lead.bookingText === "" ? null : lead.bookingText,
      callBookedAt: lead.nextBooking?.start ?? null,
      waitingToRebook: lead.waitingToRebook,
      sheetRow: lead.row,
      bookings: lead.bookings.map((b) => ({
        _key: sanityKey(b.uid),
        uid: b.uid,
        start: b.start,
        end: b.end,
        status: b.status,
        eventTypeId: b.eventTypeId,
        rescheduledFromUid: b.rescheduledFromUid,
        rescheduledToUid: b.rescheduledToUid,
      })),
    },
  };
}

/** Sanity array keys allow letters, digits, `_` and `-`; Cal.com uids are already in that alphabet. */
function sanityKey(uid: string): string {
  return uid.replace(/[^A-Za-z0-9_-]/g, "_");
}
