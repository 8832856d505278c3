import type { SeededRandom } from "./random.ts";
import type { StoredAttendee, StoredBooking } from "./store.ts";

/**
 * Seated events as Cal.com keeps them (packages/features/bookings/lib/handleSeats/): every person who books
 * a slot of a seated event type joins the one booking of that slot as an attendee with a seat of their own
 * (a `BookingSeat` whose `referenceUid` API v2 calls `seatUid`); the booking's own `responses` stay empty
 * and each seat keeps its holder's answers.
 */

/** A seat uid as Cal.com makes them (`uuid()`). */
export function newSeatUid(random: SeededRandom): string {
  const hex = random.token(32, "0123456789abcdef");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The booking of a slot that a new seat joins: accepted, same event type and start, not replaced. */
export function seatedBookingAt(
  bookings: readonly StoredBooking[],
  eventTypeId: number,
  start: Date,
  except?: string,
): StoredBooking | undefined {
  return bookings.find(
    (booking) =>
      booking.uid !== except &&
      booking.eventTypeId === eventTypeId &&
      booking.status === "accepted" &&
      !booking.rescheduledToUid &&
      Date.parse(booking.start) === start.getTime(),
  );
}

/** A booking as its first seat: the booker's answers move from the booking onto their seat. */
export function asFirstSeat(booking: StoredBooking, seatUid: string): StoredBooking {
  const [first, ...others] = booking.attendees;
  if (!first) return booking;
  return {
    ...booking,
    description: "",
    guests: [],
    responses: {},
    attendees: [{ ...first, seat: { seatUid, responses: booking.responses } }, ...others],
  };
}

/** The seat holder a new seat brings into an existing booking. */
export function seatAttendee(from: StoredBooking, seatUid: string): StoredAttendee {
  const first = from.attendees[0] as StoredAttendee;
  return { ...first, seat: { seatUid, responses: from.responses } };
}

export function findSeat(booking: StoredBooking, seatUid: string): StoredAttendee | undefined {
  return booking.attendees.find((attendee) => attendee.seat?.seatUid === seatUid);
}
