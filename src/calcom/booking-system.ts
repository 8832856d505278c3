import { type BookingSnapshot, canonicalInstant } from "../core/booking.ts";
import type { BookingSystem } from "../sync/context.ts";
import type { CalcomClient } from "./client.ts";
import { seatSnapshot, toBookingSnapshot, toBookingSnapshots } from "./to-snapshot.ts";
import type { ApiBooking } from "./types.ts";

/**
 * Cal.com's bookings as the sync sees them: API v2 requests through the typed client, answers translated
 * into the core's BookingSnapshot. A seat of a seated booking is an entry of its own (`<bookingUid>/<seatUid>`):
 * reading, cancelling or rescheduling it asks Cal.com about that seat only (`seatUid` in the body), never the
 * whole event.
 */
export function createCalcomBookingSystem(client: CalcomClient): BookingSystem {
  return {
    async listBookings(query) {
      const bookings = await client.listAllBookings({
        status: query.status,
        ...(query.sortStart ? { sortStart: query.sortStart } : {}),
        ...(query.eventTypeIds && query.eventTypeIds.length > 0 ? { eventTypeIds: query.eventTypeIds } : {}),
        ...(query.afterStart ? { afterStart: query.afterStart } : {}),
        ...(query.afterUpdatedAt ? { afterUpdatedAt: query.afterUpdatedAt } : {}),
      });
      return bookings.flatMap(toBookingSnapshots);
    },

    async getBooking(uid) {
      const seat = seatOf(uid);
      if (!seat) return toBookingSnapshot(await client.getBooking(uid));
      return seatIn(await client.getBooking(seat.bookingUid), seat);
    },

    async createBooking(booking) {
      const created = await client.createBooking({
        start: booking.start.toISOString(),
        eventTypeId: booking.eventTypeId,
        attendee: booking.attendee,
        ...(booking.metadata ? { metadata: booking.metadata } : {}),
      });
      // A seated event answers CreateSeatedBookingOutput: the booker's own seat is `seatUid`.
      return created.seatUid
        ? seatIn(created, { bookingUid: created.uid, seatUid: created.seatUid })
        : toBookingSnapshot(created);
    },

    async cancelBooking(uid, reason) {
      const seat = seatOf(uid);
      if (!seat) return toBookingSnapshot(await client.cancelBooking(uid, { cancellationReason: reason }));
      // The answer is the booking, still on for the other seats, without this one.
      const answer = await client.cancelBooking(seat.bookingUid, {
        cancellationReason: reason,
        seatUid: seat.seatUid,
      });
      return seatIn(answer, seat);
    },

    async rescheduleBooking(uid, change) {
      const seat = seatOf(uid);
      if (!seat) {
        return toBookingSnapshot(
          await client.rescheduleBooking(uid, {
            start: change.start.toISOString(),
            reschedulingReason: change.reason,
          }),
        );
      }
      // The seat moves to the booking of the new slot (an existing one, or a new one), possibly as a new seat.
      const moved = await client.rescheduleBooking(seat.bookingUid, {
        start: change.start.toISOString(),
        seatUid: seat.seatUid,
      });
      return seatIn(moved, { bookingUid: moved.uid, seatUid: moved.seatUid ?? seat.seatUid });
    },
  };
}

type SeatRef = { bookingUid: string; seatUid: string };

/** A seat entry's booking and seat uids; null for an ordinary booking's uid. */
function seatOf(uid: string): SeatRef | null {
  const slash = uid.indexOf("/");
  return slash < 0 ? null : { bookingUid: uid.slice(0, slash), seatUid: uid.slice(slash + 1) };
}

/**
 * The seat as the booking now shows it; a seat the booking no longer has is cancelled (Cal.com removes a
 * cancelled seat's attendee, and a booking the host cancelled keeps no attendees at all).
 */
function seatIn(booking: ApiBooking, seat: SeatRef): BookingSnapshot {
  const attendee = booking.attendees.find((candidate) => candidate.seatUid === seat.seatUid);
  if (attendee) return seatSnapshot(booking, attendee);
  return {
    uid: `${seat.bookingUid}/${seat.seatUid}`,
    seat,
    status: "cancelled",
    start: canonicalInstant(booking.start),
    end: canonicalInstant(booking.end),
    eventTypeId: booking.eventType?.id ?? booking.eventTypeId ?? null,
    attendee: { name: "", email: null, phone: null },
    rescheduledFromUid: null,
    rescheduledToUid: null,
    updatedAt: booking.updatedAt ? canonicalInstant(booking.updatedAt) : null,
  };
}
