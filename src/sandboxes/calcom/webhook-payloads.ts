import type { ApiBooking } from "../../calcom/types.ts";
import type { BookingTrigger } from "../../calcom/webhook-payload.ts";
import { wallTimeAt } from "../../core/booking-time.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { SeededRandom } from "./random.ts";
import type { StoredAttendee, StoredBooking } from "./store.ts";

/**
 * Webhook bodies of payload version 2021-10-20, built the way Cal.com builds them
 * (packages/features/webhooks/lib/sendPayload.ts: `{triggerEvent, createdAt, payload}`, the payload being
 * the CalendarEvent plus event-type info). Compare test/fixtures/calcom/wh-*.json.
 */

/** A change to a booking that Cal.com announces. */
export type BookingEvent = {
  trigger: BookingTrigger;
  booking: StoredBooking;
  /** For a reschedule: the booking it replaced. */
  previous?: StoredBooking;
  /** For BOOKING_CANCELLED: the host asked the booker to pick another time. */
  requestReschedule?: boolean;
  /** The seat the event is about (a seated event): its holder's answers are the payload's `responses`. */
  seat?: StoredAttendee;
  /** One seat cancelled: the answers Cal.com then sends are those of the booking's first attendee. */
  seatCancel?: { firstOfAll: StoredAttendee };
};

/**
 * How this delivery differs from others, as live payloads differ by Cal.com version and booking form:
 * - times as `…00Z` (dayjs().utc().format()), `…00.000Z` or `…00+00:00` (dayjs().format() on a UTC server);
 * - the booker's phone in `attendees[].phoneNumber`, in `responses.attendeePhoneNumber.value`, or both;
 * - without a phone, the form field either hidden (`{label, isHidden: true}`, no value) or left out.
 */
export type PayloadVariation = {
  timeFormat: "seconds-z" | "millis-z" | "offset";
  phonePlacement: "attendees" | "responses" | "both";
  missingPhoneField: "hidden" | "omitted";
};

export function chooseVariation(random: SeededRandom): PayloadVariation {
  return {
    timeFormat: random.pick(["seconds-z", "millis-z", "offset"] as const),
    phonePlacement: random.pick(["attendees", "responses", "both"] as const),
    missingPhoneField: random.pick(["hidden", "omitted"] as const),
  };
}

export type PayloadContext = {
  eventType: SandboxEventType;
  host: SandboxHost;
  /** When the event fired: the body's top-level `createdAt`. */
  createdAt: string;
  variation: PayloadVariation;
};

/** The status word each trigger's payload carries (handleNewBooking, handleCancelBooking, ...). */
const PAYLOAD_STATUS: Record<BookingTrigger, string> = {
  BOOKING_CREATED: "ACCEPTED",
  BOOKING_RESCHEDULED: "ACCEPTED",
  BOOKING_REQUESTED: "PENDING",
  BOOKING_CANCELLED: "CANCELLED",
  BOOKING_REJECTED: "REJECTED",
};

export function bookingWebhookBody(event: BookingEvent, context: PayloadContext): Record<string, unknown> {
  const { previous } = event;
  const { eventType, host, variation } = context;
  // A seat's event carries that seat holder's answers (a seat cancel: the booking's first attendee's).
  const answerer = event.seat ?? event.seatCancel?.firstOfAll;
  const booking = answerer?.seat
    ? { ...event.booking, responses: answerer.seat.responses, attendees: event.booking.attendees }
    : event.booking;
  const phone = answerer ? (answerer.phoneNumber ?? null) : bookerPhone(booking);
  const phoneOnAttendee = phone !== null && variation.phonePlacement !== "responses";
  const time = (iso: string) => formatTime(iso, variation.timeFormat);
  const firstAttendee = event.seat ?? booking.attendees[0];
  const nameSplit = splitOf(booking.responses.name);

  const payload: Record<string, unknown> = {
    bookerUrl: "https://cal.com",
    type: eventType.slug,
    title: booking.title,
    description: booking.description,
    additionalNotes: booking.description,
    customInputs: {},
    userFieldsResponses: {},
    responses: webhookResponses(event.trigger, booking, phone, variation),
    startTime: time(booking.start),
    endTime: time(booking.end),
    organizer: {
      id: host.id,
      name: host.name,
      email: host.email,
      username: host.username,
      timeZone: host.timeZone,
      language: { locale: "en" },
      timeFormat: "h:mma",
      utcOffset: utcOffsetMinutes(host.timeZone, booking.start),
    },
    attendees: booking.attendees.map((attendee) => ({
      email: attendee.email,
      name: attendee.name,
      firstName: attendee === firstAttendee ? (nameSplit?.firstName ?? "") : "",
      lastName: attendee === firstAttendee ? (nameSplit?.lastName ?? "") : "",
      timeZone: attendee.timeZone,
      phoneNumber: attendee === firstAttendee && phoneOnAttendee ? phone : null,
      language: { locale: attendee.language },
      utcOffset: utcOffsetMinutes(attendee.timeZone, booking.start),
    })),
    location: booking.location,
    destinationCalendar: null,
    hideCalendarNotes: false,
    requiresConfirmation: eventType.requiresConfirmation ?? null,
    eventTypeId: booking.eventTypeId,
    seatsShowAttendees: true,
    seatsPerTimeSlot: eventType.seatsPerTimeSlot ?? null,
    ...(event.seat && event.trigger !== "BOOKING_CANCELLED"
      ? { attendeeSeatId: event.seat.seat?.seatUid }
      : {}),
    uid: booking.uid,
    iCalUID: booking.icsUid,
    iCalSequence: 0,
    eventTitle: eventType.title,
    eventDescription: null,
    price: 0,
    currency: "usd",
    length: eventType.lengthInMinutes,
    bookingId: booking.id,
    metadata: booking.videoCallUrl
      ? { videoCallUrl: booking.videoCallUrl, ...booking.metadata }
      : booking.metadata,
    status: PAYLOAD_STATUS[event.trigger],
    ...(previous ? rescheduleFields(previous, booking) : {}),
    ...(event.trigger === "BOOKING_CANCELLED"
      ? {
          cancellationReason: booking.cancellationReason,
          cancelledBy: booking.cancelledByEmail,
          requestReschedule: event.requestReschedule ?? false,
        }
      : {}),
    ...(event.trigger === "BOOKING_REJECTED" ? { rejectionReason: booking.rejectionReason } : {}),
  };
  if (!phoneOnAttendee && variation.missingPhoneField === "omitted" && phone === null) {
    for (const attendee of payload.attendees as Record<string, unknown>[]) delete attendee.phoneNumber;
  }
  return { triggerEvent: event.trigger, createdAt: context.createdAt, payload };
}

/** The new booking's uid is `uid`; the replaced one is `rescheduleUid` (handleNewBooking's webhookData). */
function rescheduleFields(previous: StoredBooking, booking: StoredBooking) {
  return {
    rescheduleId: previous.id,
    rescheduleUid: previous.uid,
    rescheduleStartTime: formatTime(previous.start, "seconds-z"),
    rescheduleEndTime: formatTime(previous.end, "seconds-z"),
    ...(booking.rescheduledByEmail ? { rescheduledBy: booking.rescheduledByEmail } : {}),
  };
}

/** The form answers as webhooks carry them: `{label, value, isHidden}` per field. */
function webhookResponses(
  trigger: BookingTrigger,
  booking: StoredBooking,
  phone: string | null,
  variation: PayloadVariation,
) {
  const field = (label: string, value: unknown) =>
    value === undefined || value === null ? { label, isHidden: false } : { label, value, isHidden: false };
  const {
    name,
    email,
    notes,
    guests,
    rescheduleReason,
    attendeePhoneNumber: _phone,
    location: _location,
    ...custom
  } = booking.responses;
  const responses: Record<string, unknown> = {
    name: field("your_name", name),
    email: field("email_address", email),
  };
  if (phone !== null && variation.phonePlacement !== "attendees") {
    responses.attendeePhoneNumber = { label: "phone_number", value: phone, isHidden: false };
  } else if (phone === null && variation.missingPhoneField === "hidden") {
    responses.attendeePhoneNumber = { label: "phone_number", isHidden: true };
  }
  // handleNewBooking overwrites the location answer with the resolved location before a created or
  // rescheduled booking's webhook (the kind, phone or userPhone, is lost there); a cancellation rebuilds
  // the answers from the stored booking, so it keeps the kind.
  const storedAnswer = booking.responses.location;
  responses.location = {
    label: "location",
    value:
      trigger === "BOOKING_CANCELLED" && storedAnswer
        ? storedAnswer
        : { value: booking.location, optionValue: "" },
    isHidden: false,
  };
  responses.notes = field("additional_notes", notes);
  responses.guests = field("additional_guests", guests ?? []);
  responses.rescheduleReason = field("reason_for_reschedule", rescheduleReason);
  for (const [slug, value] of Object.entries(custom)) responses[slug] = field(slug, value);
  return responses;
}

/** The booker's phone as the booking holds it, wherever that is (not the phone-call location). */
function bookerPhone(booking: StoredBooking): string | null {
  if (booking.phoneIn === "location" || booking.phoneIn === "none") return null;
  const fromForm = booking.responses.attendeePhoneNumber;
  return booking.attendees[0]?.phoneNumber ?? (typeof fromForm === "string" ? fromForm : null);
}

function splitOf(name: unknown): { firstName: string; lastName: string } | null {
  if (typeof name !== "object" || name === null) return null;
  const { firstName, lastName } = name as { firstName?: unknown; lastName?: unknown };
  return typeof firstName === "string"
    ? { firstName, lastName: typeof lastName === "string" ? lastName : "" }
    : null;
}

export function formatTime(iso: string, format: PayloadVariation["timeFormat"]): string {
  const canonical = new Date(iso).toISOString();
  switch (format) {
    case "millis-z":
      return canonical;
    case "seconds-z":
      return canonical.replace(/\.\d{3}Z$/, "Z");
    case "offset":
      return canonical.replace(/\.\d{3}Z$/, "+00:00");
  }
}

/** sendPayload.ts addUTCOffset: minutes east of UTC in that zone at the booking's start. */
function utcOffsetMinutes(timeZone: string, iso: string): number {
  const instant = new Date(iso);
  const wall = wallTimeAt(instant, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * MEETING_ENDED's body: FLAT, the booking row itself with `triggerEvent` added, `user` instead of
 * `organizer` (fixture wh-meeting-ended-calcom-docs.json; packages/features/webhooks/lib/scheduleTrigger.ts).
 */
export function meetingEndedPayload(booking: ApiBooking): Record<string, unknown> {
  const host = booking.hosts?.[0];
  const fields = booking.bookingFieldsResponses ?? {};
  const responses: Record<string, unknown> = {};
  for (const [slug, value] of Object.entries(fields))
    responses[slug] = { label: slug, value, isHidden: false };
  return {
    triggerEvent: "MEETING_ENDED",
    id: booking.id,
    uid: booking.uid,
    idempotencyKey: `meeting-ended-${booking.uid}`,
    userId: typeof host?.id === "number" ? host.id : null,
    userPrimaryEmail: host?.email ?? null,
    eventTypeId: booking.eventType?.id ?? booking.eventTypeId ?? null,
    title: booking.title ?? "",
    description: booking.description ?? "",
    customInputs: {},
    responses,
    startTime: new Date(booking.start).toISOString(),
    endTime: new Date(booking.end).toISOString(),
    location: booking.location ?? null,
    createdAt: booking.createdAt ?? null,
    updatedAt: booking.updatedAt ?? null,
    status: booking.status.toUpperCase(),
    paid: false,
    destinationCalendarId: null,
    cancellationReason: booking.cancellationReason ?? null,
    rejectionReason: null,
    reassignReason: null,
    reassignById: null,
    dynamicEventSlugRef: null,
    dynamicGroupSlugRef: null,
    rescheduled: booking.rescheduledToUid ? true : null,
    fromReschedule: booking.rescheduledFromUid ?? null,
    recurringEventId: null,
    smsReminderNumber: null,
    scheduledJobs: [],
    metadata: booking.metadata ?? {},
    isRecorded: false,
    iCalUID: booking.icsUid ?? null,
    iCalSequence: 0,
    rating: null,
    ratingFeedback: null,
    noShowHost: false,
    oneTimePassword: null,
    cancelledBy: null,
    rescheduledBy: null,
    creationSource: "API_V2",
    user: host
      ? {
          email: host.email,
          name: host.name ?? null,
          timeZone: host.timeZone ?? "UTC",
          username: host.username ?? null,
        }
      : null,
    attendees: booking.attendees.map((attendee, index) => ({
      id: booking.id * 10 + index,
      email: attendee.email,
      name: attendee.name,
      timeZone: attendee.timeZone ?? "UTC",
      phoneNumber: attendee.phoneNumber ?? null,
      locale: attendee.language ?? "en",
      bookingId: booking.id,
      noShow: attendee.absent ?? false,
    })),
    payment: [],
    references: [],
    appsStatus: [],
  };
}
