import type { CountryCode } from "libphonenumber-js";
import type { BookingSnapshot } from "./booking.ts";
import { normalizeEmail } from "./email.ts";
import { leadKeyOf } from "./lead-identity.ts";
import { splitName } from "./names.ts";
import { normalizePhone } from "./phone.ts";
import type { SheetLayout } from "./sheet-layout.ts";

/**
 * The sheet row for a booker someone chose to add as a new lead: name, phone and email in their columns,
 * everything else empty. The status and booking cells are left to the booking sync, which then finds the
 * row like any other and writes them. Null when the booker has neither phone nor email to be found by.
 */
export function newLeadRow(
  layout: SheetLayout,
  attendee: BookingSnapshot["attendee"],
  region: CountryCode,
): { values: string[]; leadKey: string } | null {
  const phone = normalizePhone(attendee.phone, region);
  const email = normalizeEmail(attendee.email);
  const leadKey = leadKeyOf({ phone, email });
  if (!leadKey) return null;
  const { firstName, lastName } = splitName(attendee.name, attendee);
  const values = new Array<string>(layout.width).fill("");
  values[layout.firstName] = firstName;
  values[layout.lastName] = lastName;
  values[layout.phone] = phone ?? "";
  values[layout.email] = email ?? "";
  return { values, leadKey };
}
