import { type BookingSnapshot, canonicalInstant } from "../core/booking.ts";
import { fullNameFrom, nameSplitFrom, nonEmptyText, phoneFromLocation } from "./attendee-details.ts";
import type { ApiBooking } from "./types.ts";

/**
 * An API v2 booking as calsync's BookingSnapshot. The booker is the first attendee (Cal.com lists the
 * booker first; guests and team members follow).
 *
 * The phone is looked for where Cal.com puts it, in this order: `attendees[0].phoneNumber` (set when the
 * form's phone field is filled or the booking was created with `attendee.phoneNumber`), the
 * `attendeePhoneNumber` booking field, then `location` for phone-call events.
 */
export function toBookingSnapshot(booking: ApiBooking): BookingSnapshot {
  const attendee = booking.attendees[0];
  const responses = booking.bookingFieldsResponses ?? {};
  const split = nameSplitFrom(responses.name, attendee);
  const phone =
    nonEmptyText(attendee?.phoneNumber) ??
    nonEmptyText(responses.attendeePhoneNumber) ??
    phoneFromLocation(booking.location);

  return {
    uid: booking.uid,
    status: booking.status,
    start: canonicalInstant(booking.start),
    end: canonicalInstant(booking.end),
    eventTypeId: booking.eventType?.id ?? booking.eventTypeId ?? null,
    attendee: {
      name: nonEmptyText(attendee?.name) ?? fullNameFrom(responses.name) ?? "",
      ...(split ? { firstName: split.firstName, lastName: split.lastName ?? "" } : {}),
      email: nonEmptyText(attendee?.email) ?? nonEmptyText(responses.email),
      phone,
      ...(attendee?.timeZone ? { timeZone: attendee.timeZone } : {}),
    },
    rescheduledFromUid: nonEmptyText(booking.rescheduledFromUid),
    rescheduledToUid: nonEmptyText(booking.rescheduledToUid),
    updatedAt: booking.updatedAt ? canonicalInstant(booking.updatedAt) : null,
  };
}
