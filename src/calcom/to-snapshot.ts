import { type BookingSnapshot, canonicalInstant, seatEntryUid } from "../core/booking.ts";
import { bookerPhones, fullNameFrom, nameSplitFrom, nonEmptyText } from "./attendee-details.ts";
import type { ApiAttendee, ApiBooking } from "./types.ts";

/**
 * An API v2 booking as calsync's BookingSnapshots: one for an ordinary booking (the booker is the first
 * attendee; Cal.com lists the booker first, guests and team members follow), and one per seat of a seated
 * booking (`attendees[].seatUid`, each seat with its own answers), since every seat holder is a person of
 * their own with a row of their own.
 */
export function toBookingSnapshots(booking: ApiBooking): BookingSnapshot[] {
  // A seated booking the host cancelled keeps no attendees: there is nobody to tell about here (each seat's
  // entry learns it from its own re-check, or from the cancellation webhook, which lists everyone).
  if (booking.attendees.length === 0) return [];
  const seats = booking.attendees.filter((attendee) => nonEmptyText(attendee.seatUid));
  if (seats.length === 0) return [toBookingSnapshot(booking)];
  return seats.map((attendee) => seatSnapshot(booking, attendee));
}

/**
 * An ordinary booking as one snapshot. The phone is looked for where Cal.com puts the booker's own:
 * `attendees[0].phoneNumber` (set when the form's phone field is filled or the booking was created with
 * `attendee.phoneNumber`) and the `attendeePhoneNumber` answer; a number in `location` is the booker's only
 * when the location answer says "phone" (attendee phone number), never for "userPhone" (the organizer's).
 */
export function toBookingSnapshot(booking: ApiBooking): BookingSnapshot {
  const attendee = booking.attendees[0];
  const responses = booking.bookingFieldsResponses ?? {};
  return snapshotOf(booking, attendee, responses, booking.uid);
}

/** One seat of a seated booking, as its own entry. */
export function seatSnapshot(booking: ApiBooking, attendee: ApiAttendee): BookingSnapshot {
  const seatUid = nonEmptyText(attendee.seatUid) ?? "";
  const snapshot = snapshotOf(
    booking,
    attendee,
    attendee.bookingFieldsResponses ?? {},
    seatEntryUid(booking.uid, seatUid),
  );
  return { ...snapshot, seat: { bookingUid: booking.uid, seatUid } };
}

function snapshotOf(
  booking: ApiBooking,
  attendee: ApiAttendee | undefined,
  responses: Record<string, unknown>,
  uid: string,
): BookingSnapshot {
  const split = nameSplitFrom(responses.name, attendee);
  const phones = bookerPhones({
    attendeePhone: attendee?.phoneNumber,
    phoneAnswer: responses.attendeePhoneNumber,
    location: booking.location,
    locationAnswer: responses.location,
  });
  return {
    uid,
    status: booking.status,
    start: canonicalInstant(booking.start),
    end: canonicalInstant(booking.end),
    eventTypeId: booking.eventType?.id ?? booking.eventTypeId ?? null,
    attendee: {
      name: nonEmptyText(attendee?.name) ?? fullNameFrom(responses.name) ?? "",
      ...(split ? { firstName: split.firstName, lastName: split.lastName ?? "" } : {}),
      email: nonEmptyText(attendee?.email) ?? nonEmptyText(responses.email),
      phone: phones.phone,
      ...(phones.locationPhone ? { locationPhone: phones.locationPhone } : {}),
      ...(attendee?.timeZone ? { timeZone: attendee.timeZone } : {}),
    },
    rescheduledFromUid: nonEmptyText(booking.rescheduledFromUid),
    rescheduledToUid: nonEmptyText(booking.rescheduledToUid),
    updatedAt: booking.updatedAt ? canonicalInstant(booking.updatedAt) : null,
  };
}
