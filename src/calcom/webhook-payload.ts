import { z } from "zod";
import { type BookingSnapshot, type BookingStatus, seatEntryUid } from "../core/booking.ts";
import { bookerPhones, fullNameFrom, nameSplitFrom, nonEmptyText } from "./attendee-details.ts";

/** The booking triggers calsync acts on. */
export const BOOKING_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_RESCHEDULED",
  "BOOKING_CANCELLED",
  "BOOKING_REQUESTED",
  "BOOKING_REJECTED",
] as const;
export type BookingTrigger = (typeof BOOKING_TRIGGERS)[number];

export type CalcomWebhookEvent =
  | {
      kind: "booking";
      trigger: BookingTrigger;
      /** When Cal.com fired the event (the body's top-level `createdAt`), as sent. */
      createdAt: string;
      /** For BOOKING_RESCHEDULED: the NEW booking, with `rescheduledFromUid` the replaced one. */
      booking: BookingSnapshot;
      rescheduledFromUid: string | null;
      /** BOOKING_CANCELLED sent because the host asked the booker to pick another time. */
      requestReschedule: boolean;
      /**
       * A seat moved by a reschedule: the booking it left (its seat there may have had another seat uid,
       * so the seat it replaces is found by the booker's email).
       */
      seatMovedFrom?: string | undefined;
    }
  | {
      /**
       * Seats of a seated booking cancelled: BOOKING_CANCELLED lists only the people whose seats went, and
       * names no seat, so the seats are found by booking uid and email. The booking itself may still be on.
       */
      kind: "seatsCancelled";
      trigger: "BOOKING_CANCELLED";
      createdAt: string;
      bookingUid: string;
      eventTypeId: number | null;
      emails: string[];
      requestReschedule: boolean;
    }
  | { kind: "ping" }
  | { kind: "other"; trigger: string; bookingUid: string | null };

export type ParsedWebhookPayload = { ok: true; event: CalcomWebhookEvent } | { ok: false; reason: string };

/** A response field of payload version 2021-10-20: `{label, value?, isHidden?}`; `value` is absent when hidden. */
const responseFieldSchema = z.looseObject({ value: z.unknown().optional() });

const timeText = z.string().refine((text) => !Number.isNaN(new Date(text).getTime()), "not a time");

const attendeeSchema = z.looseObject({
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  timeZone: z.string().nullable().optional(),
  phoneNumber: z.string().nullable().optional(),
  firstName: z.unknown().optional(),
  lastName: z.unknown().optional(),
});

const bookingPayloadSchema = z.looseObject({
  uid: z.string().min(1),
  startTime: timeText,
  endTime: timeText,
  status: z.string().nullable().optional(),
  eventTypeId: z.number().nullable().optional(),
  attendees: z.array(attendeeSchema).min(1, "no attendees"),
  // Absent in payloads from before 2023's booking-fields change (the activepieces samples).
  responses: z.record(z.string(), z.unknown()).nullable().optional(),
  location: z.unknown().optional(),
  rescheduleUid: z.string().nullable().optional(),
  requestReschedule: z.boolean().nullable().optional(),
  // Seated events: the slot's seat count, and on BOOKING_CREATED/RESCHEDULED the booker's own seat.
  seatsPerTimeSlot: z.number().nullable().optional(),
  attendeeSeatId: z.string().nullable().optional(),
});
type BookingPayload = z.infer<typeof bookingPayloadSchema>;

const envelopeSchema = z.looseObject({
  triggerEvent: z.string().min(1),
  createdAt: z.string().optional(),
  payload: z.unknown().optional(),
});

/**
 * Reads a webhook body Cal.com sent (https://cal.com/docs/developing/guides/automation/webhooks).
 * Booking events come as `{triggerEvent, createdAt, payload}` with UPPERCASE statuses; MEETING_STARTED and
 * MEETING_ENDED are flat (the booking's fields at the top, no `payload`); the test button sends PING.
 * Anything else that has a `triggerEvent` is `other`, so new Cal.com triggers are not errors.
 */
export function parseWebhookPayload(json: unknown): ParsedWebhookPayload {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, reason: "the body is not a JSON object" };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: "the body has no triggerEvent, so it is not a Cal.com webhook payload" };
  }
  const { triggerEvent, createdAt, payload } = envelope.data;

  if (triggerEvent === "PING") return { ok: true, event: { kind: "ping" } };
  if (!isBookingTrigger(triggerEvent)) {
    return {
      ok: true,
      event: { kind: "other", trigger: triggerEvent, bookingUid: bookingUidOf(payload, json) },
    };
  }

  if (typeof payload !== "object" || payload === null) {
    return { ok: false, reason: `${triggerEvent} has no payload object` };
  }
  const parsed = bookingPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${triggerEvent} payload is not a Cal.com booking: ${issue ? `payload.${issue.path.join(".")} ${issue.message}` : "unreadable"}`,
    };
  }
  if (createdAt === undefined) return { ok: false, reason: `${triggerEvent} has no createdAt` };

  const seated = (parsed.data.seatsPerTimeSlot ?? 0) > 0;
  if (seated && triggerEvent === "BOOKING_CANCELLED") {
    return {
      ok: true,
      event: {
        kind: "seatsCancelled",
        trigger: triggerEvent,
        createdAt,
        bookingUid: parsed.data.uid,
        eventTypeId: parsed.data.eventTypeId ?? null,
        emails: parsed.data.attendees.flatMap((attendee) => nonEmptyText(attendee.email) ?? []),
        requestReschedule: parsed.data.requestReschedule === true,
      },
    };
  }
  const seatUid = seated ? nonEmptyText(parsed.data.attendeeSeatId) : null;
  const booking = toSnapshot(triggerEvent, parsed.data, seatUid);
  return {
    ok: true,
    event: {
      kind: "booking",
      trigger: triggerEvent,
      createdAt,
      booking,
      rescheduledFromUid: booking.rescheduledFromUid,
      requestReschedule: parsed.data.requestReschedule === true,
      ...(seatUid && booking.rescheduledFromUid ? { seatMovedFrom: booking.rescheduledFromUid } : {}),
    },
  };
}

/**
 * The booking the delivery is about. For a seat (`attendeeSeatId`), the seat holder is the attendee whose
 * email the answers give (the payload lists every seat's attendee, the new one anywhere among them), and the
 * snapshot is that seat's entry; its `rescheduleUid` is the booking the seat left, not a seat.
 */
function toSnapshot(
  trigger: BookingTrigger,
  payload: BookingPayload,
  seatUid: string | null,
): BookingSnapshot {
  const responses = payload.responses ?? {};
  const answeredEmail = nonEmptyText(responseValue(responses.email))?.toLowerCase();
  const attendee =
    (seatUid && answeredEmail
      ? payload.attendees.find((candidate) => candidate.email?.toLowerCase() === answeredEmail)
      : undefined) ??
    (seatUid ? payload.attendees.at(-1) : undefined) ??
    payload.attendees[0];
  const nameValue = responseValue(responses.name);
  const split = nameSplitFrom(nameValue, attendee);
  const { phone, locationPhone } = bookerPhones({
    attendeePhone: attendee?.phoneNumber,
    phoneAnswer: responseValue(responses.attendeePhoneNumber),
    location: payload.location,
    locationAnswer: responseValue(responses.location),
  });
  const oldUid = nonEmptyText(payload.rescheduleUid);

  return {
    uid: seatUid ? seatEntryUid(payload.uid, seatUid) : payload.uid,
    ...(seatUid ? { seat: { bookingUid: payload.uid, seatUid } } : {}),
    status: statusFor(trigger, payload.status),
    start: new Date(payload.startTime).toISOString(),
    end: new Date(payload.endTime).toISOString(),
    eventTypeId: payload.eventTypeId ?? null,
    attendee: {
      name: nonEmptyText(attendee?.name) ?? fullNameFrom(nameValue) ?? "",
      ...(split ? { firstName: split.firstName, lastName: split.lastName ?? "" } : {}),
      email: nonEmptyText(attendee?.email) ?? nonEmptyText(responseValue(responses.email)),
      phone,
      ...(locationPhone ? { locationPhone } : {}),
      ...(attendee?.timeZone ? { timeZone: attendee.timeZone } : {}),
    },
    // BOOKING_RESCHEDULED carries the new booking's uid in `uid` and the replaced one in `rescheduleUid`.
    rescheduledFromUid: oldUid,
    rescheduledToUid: null,
    updatedAt: null,
    ...(trigger === "BOOKING_CANCELLED" && payload.requestReschedule === true
      ? { rescheduleRequested: true }
      : {}),
  };
}

/** The trigger decides the status where it implies one; otherwise the payload's UPPERCASE status does. */
function statusFor(trigger: BookingTrigger, payloadStatus: string | null | undefined): BookingStatus {
  switch (trigger) {
    case "BOOKING_CANCELLED":
      return "cancelled";
    case "BOOKING_REJECTED":
      return "rejected";
    case "BOOKING_REQUESTED":
      return "pending";
    case "BOOKING_CREATED":
    case "BOOKING_RESCHEDULED":
      return payloadStatus?.toUpperCase() === "PENDING" ? "pending" : "accepted";
  }
}

function responseValue(field: unknown): unknown {
  const parsed = responseFieldSchema.safeParse(field);
  return parsed.success ? parsed.data.value : undefined;
}

function isBookingTrigger(trigger: string): trigger is BookingTrigger {
  return (BOOKING_TRIGGERS as readonly string[]).includes(trigger);
}

/** Wrapped events keep the uid in `payload.uid` (or `payload.bookingUid`); flat ones at the top. */
function bookingUidOf(payload: unknown, body: object): string | null {
  for (const source of [payload, body]) {
    if (typeof source !== "object" || source === null) continue;
    const fields = source as { uid?: unknown; bookingUid?: unknown };
    const uid = nonEmptyText(fields.uid) ?? nonEmptyText(fields.bookingUid);
    if (uid) return uid;
  }
  return null;
}

export type BookingWebhookEvent = Extract<CalcomWebhookEvent, { kind: "booking" | "seatsCancelled" }>;

/**
 * What a booking delivery is about: its booking, event type, and the key that tells a repeat of the same
 * event from news (Cal.com signs no timestamp or delivery id, so the event's own fields identify it).
 */
export function deliveryIdentity(event: BookingWebhookEvent): {
  bookingUid: string;
  eventTypeId: number | null;
  idempotencyKey: string;
} {
  if (event.kind === "seatsCancelled") {
    return {
      bookingUid: event.bookingUid,
      eventTypeId: event.eventTypeId,
      idempotencyKey: [event.trigger, event.bookingUid, event.createdAt, "seats", ...event.emails].join("|"),
    };
  }
  return {
    bookingUid: event.booking.uid,
    eventTypeId: event.booking.eventTypeId,
    idempotencyKey: [event.trigger, event.booking.uid, event.createdAt, event.booking.status].join("|"),
  };
}
