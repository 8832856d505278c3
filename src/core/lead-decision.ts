import type { StoredBooking } from "./booking-merge.ts";
import { formatBookingTime } from "./booking-time.ts";

/**
 * What a lead's row should say, decided from all of the lead's bookings:
 * - any upcoming accepted booking (not replaced by a reschedule): the earliest one is booked;
 * - otherwise, an upcoming booking that was cancelled (a true cancellation, not a reschedule): cancelled,
 *   or waiting to rebook when the host cancelled it to ask the booker for another time;
 * - otherwise (only past, pending or rejected bookings): nothing to say, the row is left as it is.
 * The decision depends only on the bookings' latest states, never on the order news arrived in.
 */
export type LeadDecision =
  | {
      kind: "booked";
      booking: StoredBooking & { start: string; end: string };
      bookingText: string;
      key: string;
    }
  | { kind: "cancelled"; booking: StoredBooking; key: string }
  | { kind: "rescheduleRequested"; booking: StoredBooking; key: string }
  | { kind: "none" };

export function isReplaced(booking: StoredBooking): boolean {
  return booking.rescheduledToUid !== null;
}

/** Not over yet: Cal.com's "upcoming" means the end is still ahead. */
export function isCurrent(
  booking: StoredBooking,
  now: Date,
): booking is StoredBooking & { start: string; end: string } {
  return booking.start !== null && booking.end !== null && Date.parse(booking.end) > now.getTime();
}

export function decideLead(bookings: readonly StoredBooking[], now: Date, timeZone: string): LeadDecision {
  let next: (StoredBooking & { start: string; end: string }) | null = null;
  let cancelled: StoredBooking | null = null;
  for (const booking of bookings) {
    if (isReplaced(booking) || !isCurrent(booking, now)) continue;
    if (booking.status === "accepted" && (!next || booking.start < next.start)) next = booking;
    if (booking.status === "cancelled" && (!cancelled || (booking.start ?? "") > (cancelled.start ?? ""))) {
      cancelled = booking;
    }
  }
  if (next) {
    const bookingText = formatBookingTime(next.start, timeZone);
    return { kind: "booked", booking: next, bookingText, key: `booked:${next.uid}@${bookingText}` };
  }
  if (cancelled?.rescheduleRequested) {
    return { kind: "rescheduleRequested", booking: cancelled, key: `reschedule-requested:${cancelled.uid}` };
  }
  if (cancelled) return { kind: "cancelled", booking: cancelled, key: `cancelled:${cancelled.uid}` };
  return { kind: "none" };
}

/** True when `booking` descends from `ancestorUid` through reschedules. */
export function isRescheduleOf(
  booking: StoredBooking,
  ancestorUid: string,
  byUid: ReadonlyMap<string, StoredBooking>,
): boolean {
  let from = booking.rescheduledFromUid;
  for (let depth = 0; from && depth < 50; depth++) {
    if (from === ancestorUid) return true;
    from = byUid.get(from)?.rescheduledFromUid ?? null;
  }
  return false;
}
