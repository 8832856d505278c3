import type { CountryCode } from "libphonenumber-js";
import type { StoredBooking } from "./booking-merge.ts";
import { normalizeEmail } from "./email.ts";
import { normalizePhone } from "./phone.ts";

/**
 * Which location numbers may stand for the booker. An event type whose location is "Organizer phone number"
 * puts the host's number in every booking's location, and a created booking's webhook no longer says whose
 * number it is: that number repeats across bookers with different emails, a booker's own does not. So a
 * location number no answer explains is kept (as `attendee.locationPhone`) only while no booker with another
 * email has the same one; the planner then uses it after the booker's email, never against it, and never
 * writes it into a new lead's row.
 */
export function withBookerPhones(bookings: readonly StoredBooking[], region: CountryCode): StoredBooking[] {
  const emailsByNumber = new Map<string, Set<string>>();
  const numberOf = new Map<StoredBooking, string>();
  for (const booking of bookings) {
    if (!booking.attendee.locationPhone) continue;
    const number = normalizePhone(booking.attendee.locationPhone, region);
    if (!number) continue;
    numberOf.set(booking, number);
    const emails = emailsByNumber.get(number) ?? new Set();
    const email = normalizeEmail(booking.attendee.email);
    if (email) emails.add(email);
    emailsByNumber.set(number, emails);
  }
  if (numberOf.size === 0) return [...bookings];
  return bookings.map((booking) => {
    const number = numberOf.get(booking);
    if (!number || (emailsByNumber.get(number)?.size ?? 0) <= 1) return booking;
    return { ...booking, attendee: { ...booking.attendee, locationPhone: null } };
  });
}
