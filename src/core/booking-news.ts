import type { StoredBooking } from "./booking-merge.ts";

/**
 * What Cal.com reported about a booking, as a run learned it (a poll's read, or a webhook delivery): the
 * lead page's "bookings as Cal.com reported them", and, for a poll, a change no webhook may have reported.
 */
export type BookingNewsKind = "created" | "requested" | "rescheduled" | "cancelled" | "rejected";

export type BookingNews = {
  /** The ledger's uid (a seat's is `<booking>/<seat>`). */
  bookingUid: string;
  /** Cal.com's booking uid, which a webhook delivery names. */
  calcomUid: string;
  kind: BookingNewsKind;
  status: StoredBooking["status"];
  start: string | null;
  rescheduledFromUid: string | null;
  source: "poll" | "webhook";
  /** The webhook delivery (webhook_events id) that carried it. */
  deliveryId: number | null;
};

/** The webhook triggers that report each kind of change (a delivery of any of them counts as reported). */
export const REPORTED_BY: Readonly<Record<BookingNewsKind, readonly string[]>> = {
  created: ["BOOKING_CREATED", "BOOKING_REQUESTED"],
  requested: ["BOOKING_REQUESTED", "BOOKING_CREATED"],
  rescheduled: ["BOOKING_RESCHEDULED", "BOOKING_CREATED"],
  cancelled: ["BOOKING_CANCELLED", "BOOKING_REJECTED"],
  rejected: ["BOOKING_REJECTED", "BOOKING_CANCELLED"],
};

/**
 * The change a merge made to a booking the ledger held (`before`), if it is one Cal.com sends a webhook for:
 * a booking new to calsync (created, requested, or a reschedule's new booking), or one cancelled or rejected.
 * The old side of a reschedule is not news of its own (its new booking is), nor is a stub that only names it.
 */
export function bookingNewsKind(
  before: StoredBooking | undefined,
  after: StoredBooking,
): BookingNewsKind | null {
  if (after.start === null) return null;
  if (!before) {
    if (after.rescheduledFromUid) return "rescheduled";
    switch (after.status) {
      case "pending":
        return "requested";
      case "accepted":
        return "created";
      case "cancelled":
        return after.rescheduledToUid ? null : "cancelled";
      case "rejected":
        return "rejected";
    }
  }
  if (before.start === null) return null;
  const ended = (booking: StoredBooking) => booking.status === "cancelled" || booking.status === "rejected";
  if (!ended(before) && ended(after) && !after.rescheduledToUid) {
    return after.status === "rejected" ? "rejected" : "cancelled";
  }
  return null;
}

export function newsOf(
  before: StoredBooking | undefined,
  after: StoredBooking,
  source: BookingNews["source"],
  deliveryId: number | null = null,
): BookingNews | null {
  const kind = bookingNewsKind(before, after);
  if (!kind) return null;
  return {
    bookingUid: after.uid,
    calcomUid: after.seat?.bookingUid ?? after.uid,
    kind,
    status: after.status,
    start: after.start,
    rescheduledFromUid: after.rescheduledFromUid,
    source,
    deliveryId,
  };
}
