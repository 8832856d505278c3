import type { ApiBookingStatus } from "../../calcom/types.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { PhoneLocation, StoredBooking } from "./store.ts";

export type BookerDetails = {
  name: string;
  email: string;
  timeZone: string;
  language?: string;
  phone: string | null;
  /** When the form asked for first and last name: stored as `name: {firstName, lastName}`. */
  firstName?: string;
  lastName?: string;
};

export type BookingRecordParams = {
  id: number;
  uid: string;
  eventType: SandboxEventType;
  host: SandboxHost;
  start: Date;
  end: Date;
  status: ApiBookingStatus;
  booker: BookerDetails;
  phoneIn: PhoneLocation;
  /** The booker's note: `description` and the `notes` field. */
  notes?: string;
  guests?: string[];
  customResponses?: Record<string, unknown>;
  metadata?: Record<string, string>;
  createdAt: string;
  updatedAt?: string;
  rescheduledFromUid?: string | null;
  rescheduledToUid?: string | null;
  reschedulingReason?: string | null;
  rescheduledByEmail?: string | null;
  cancellationReason?: string | null;
  cancelledByEmail?: string | null;
  recurringEventId?: string | null;
};

/**
 * A booking row as Cal.com writes it. The phone goes where `phoneIn` says: onto the attendee, into the
 * `attendeePhoneNumber` answer, both (booking page, or API v2's input service which copies
 * `attendee.phoneNumber` into the responses), or as the `location` of a phone-call event.
 */
export function newBookingRecord(params: BookingRecordParams): StoredBooking {
  const { booker, eventType, phoneIn } = params;
  const phone = phoneIn === "none" ? null : booker.phone;
  const phoneOnAttendee = phoneIn === "attendees" || phoneIn === "both";
  const phoneInResponses = phoneIn === "bookingFieldsResponses" || phoneIn === "both";
  const phoneIsLocation =
    phoneIn === "location" || (eventType.location === "attendee-phone" && phone !== null);
  const hostPhone = eventType.location === "organizer-phone" ? (eventType.hostPhone ?? null) : null;
  const videoCallUrl = phoneIsLocation || hostPhone ? null : `https://app.cal.com/video/${params.uid}`;
  // getBookingData: the location answer is stored as chosen; `location` holds the number it resolves to.
  const locationAnswer = hostPhone
    ? { value: "userPhone", optionValue: "" }
    : phoneIsLocation && phone
      ? { value: "phone", optionValue: phone }
      : null;
  const guests = params.guests ?? [];

  return {
    id: params.id,
    uid: params.uid,
    eventTypeId: eventType.id,
    title: `${eventType.title} between ${params.host.name} and ${booker.name}`,
    description: params.notes ?? "",
    status: params.status,
    start: params.start.toISOString(),
    end: params.end.toISOString(),
    attendees: [
      {
        name: booker.name,
        email: booker.email,
        timeZone: booker.timeZone,
        language: booker.language ?? "en",
        phoneNumber: phoneOnAttendee ? phone : null,
        absent: false,
      },
    ],
    guests,
    responses: {
      ...(params.customResponses ?? {}),
      email: booker.email,
      name: booker.firstName ? { firstName: booker.firstName, lastName: booker.lastName ?? "" } : booker.name,
      ...(phoneInResponses && phone ? { attendeePhoneNumber: phone } : {}),
      ...(params.notes ? { notes: params.notes } : {}),
      ...(guests.length > 0 ? { guests } : {}),
      ...(params.reschedulingReason ? { rescheduleReason: params.reschedulingReason } : {}),
      ...(locationAnswer ? { location: locationAnswer } : {}),
    },
    location: hostPhone ?? (phoneIsLocation && phone ? phone : "integrations:daily"),
    videoCallUrl,
    metadata: { ...(params.metadata ?? {}) },
    createdAt: params.createdAt,
    updatedAt: params.updatedAt ?? params.createdAt,
    cancellationReason: params.cancellationReason ?? null,
    cancelledByEmail: params.cancelledByEmail ?? null,
    rejectionReason: null,
    rescheduledFromUid: params.rescheduledFromUid ?? null,
    rescheduledToUid: params.rescheduledToUid ?? null,
    reschedulingReason: params.reschedulingReason ?? null,
    rescheduledByEmail: params.rescheduledByEmail ?? null,
    recurringEventId: params.recurringEventId ?? null,
    icsUid: `${params.uid}@Cal.com`,
    phoneIn: phoneIsLocation && phone ? "location" : phone ? phoneIn : "none",
  };
}
