import type { StoredBooking } from "../../src/core/booking-merge.ts";
import type { SyncRules } from "../../src/core/plan-booking-sync.ts";
import type { SheetLayout } from "../../src/core/sheet-layout.ts";

/** Shared builders for the core's tests: a small lead sheet and bookings in Cal.com's shapes. */
export const HEADER = [
  "Contact_Status",
  "First_Name",
  "Last_Name",
  "Phone",
  "Email",
  "Company",
  "call_booked",
];
export const LAYOUT: SheetLayout = {
  status: 0,
  firstName: 1,
  lastName: 2,
  phone: 3,
  email: 4,
  booking: 6,
  note: null,
  width: 7,
};
export const RULES: SyncRules = {
  timeZone: "Europe/London",
  region: "GB",
  statusBooked: "CALL_BOOKED",
  statusCancelled: "CALL_CANCELLED",
  statusRescheduleRequested: "RESCHEDULE_REQUESTED",
  protectedStatuses: ["CUSTOMER", "DO_NOT_CONTACT"],
  autoAddUnknown: true,
};
export const NOW = new Date("2025-10-27T09:00:00Z");

export function row(status: string, first: string, last: string, phone: string, email: string, booked = "") {
  return [status, first, last, phone, email, "Acme", booked];
}

let counter = 0;
type BookingOverrides = Partial<Omit<StoredBooking, "attendee">> & {
  attendee?: Partial<StoredBooking["attendee"]>;
};

export function booking(overrides: BookingOverrides = {}) {
  const start = overrides.start ?? "2025-10-27T17:00:00.000Z";
  const { attendee, ...rest } = overrides;
  const result: StoredBooking = {
    uid: `uid-${++counter}`,
    status: "accepted",
    start,
    end: start ? new Date(Date.parse(start) + 15 * 60_000).toISOString() : null,
    eventTypeId: 3721996,
    rescheduledFromUid: null,
    rescheduledToUid: null,
    updatedAt: "2025-10-26T10:00:00.000Z",
    ...rest,
    attendee: { name: "Mark Greenall", email: "mark@example.com", phone: "+447700123456", ...attendee },
  };
  return result;
}
