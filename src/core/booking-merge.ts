import type { BookingSnapshot, BookingStatus } from "./booking.ts";

/**
 * How far a booking has travelled. Cal.com never moves a booking back (a cancelled booking stays
 * cancelled; a reschedule makes a new uid), so merging keeps the furthest state whatever order the
 * news arrived in: a duplicate or stale webhook, or a poll that crossed one, changes nothing.
 */
const STATUS_RANK: Record<BookingStatus, number> = { pending: 0, accepted: 1, cancelled: 2, rejected: 2 };

/** A booking the ledger may know only by its uid, e.g. the old side of a reschedule seen before its creation. */
export type StoredBooking = Omit<BookingSnapshot, "start" | "end"> & {
  start: string | null;
  end: string | null;
};

export function mergeBooking(known: StoredBooking | undefined, incoming: StoredBooking): StoredBooking {
  if (!known) return incoming;
  const incomingIsNewer = isNewer(incoming.updatedAt, known.updatedAt);
  const status =
    STATUS_RANK[incoming.status] > STATUS_RANK[known.status] ||
    (STATUS_RANK[incoming.status] === STATUS_RANK[known.status] && incomingIsNewer)
      ? incoming.status
      : known.status;
  const details = incomingIsNewer || !known.start ? incoming : known;
  const other = details === incoming ? known : incoming;
  return {
    uid: known.uid,
    status,
    start: details.start ?? other.start,
    end: details.end ?? other.end,
    eventTypeId: details.eventTypeId ?? other.eventTypeId,
    attendee: {
      name: details.attendee.name || other.attendee.name,
      firstName: details.attendee.firstName ?? other.attendee.firstName,
      lastName: details.attendee.lastName ?? other.attendee.lastName,
      email: details.attendee.email ?? other.attendee.email,
      phone: details.attendee.phone ?? other.attendee.phone,
      ...((details.attendee.locationPhone ?? other.attendee.locationPhone)
        ? { locationPhone: details.attendee.locationPhone ?? other.attendee.locationPhone }
        : {}),
      timeZone: details.attendee.timeZone ?? other.attendee.timeZone,
    },
    rescheduledFromUid: known.rescheduledFromUid ?? incoming.rescheduledFromUid,
    rescheduledToUid: known.rescheduledToUid ?? incoming.rescheduledToUid,
    updatedAt: maxTime(known.updatedAt, incoming.updatedAt),
    // Only a webhook says so; a later poll showing the same cancellation must not forget it.
    ...(known.rescheduleRequested || incoming.rescheduleRequested ? { rescheduleRequested: true } : {}),
    ...((known.seat ?? incoming.seat) ? { seat: known.seat ?? incoming.seat } : {}),
  };
}

/** True when merging would change what the ledger holds. */
export function bookingChanged(before: StoredBooking | undefined, after: StoredBooking): boolean {
  return !before || JSON.stringify(before) !== JSON.stringify(after);
}

function isNewer(a: string | null, b: string | null): boolean {
  if (!a) return false;
  if (!b) return true;
  return Date.parse(a) > Date.parse(b);
}

function maxTime(a: string | null, b: string | null): string | null {
  return isNewer(b, a) ? b : a;
}

/** The stub a reschedule leaves for an old uid the ledger has not seen yet. */
export function replacedBookingStub(oldUid: string, newUid: string): StoredBooking {
  return {
    uid: oldUid,
    status: "cancelled",
    start: null,
    end: null,
    eventTypeId: null,
    attendee: { name: "", email: null, phone: null },
    rescheduledFromUid: null,
    rescheduledToUid: newUid,
    updatedAt: null,
  };
}
