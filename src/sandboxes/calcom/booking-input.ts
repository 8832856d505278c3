import { err, ok, type Result } from "../../core/result.ts";
import {
  type ApiFailure,
  badRequest,
  invalidProperty,
  type ValidationError,
  validationFailure,
} from "./error-bodies.ts";

/**
 * Request bodies of the booking endpoints, validated as the API's class-validator DTOs do
 * (CreateBookingInput_2024_08_13, RescheduleBookingInput_2024_08_13, ...): a 400 listing every
 * broken constraint in `details.errors`.
 */

export type NewAttendee = {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  phoneNumber: string | null;
};

export type NewBookingRequest = {
  eventTypeId: number;
  start: Date;
  lengthInMinutes: number | null;
  attendee: NewAttendee;
  /** Custom booking-field answers; name, email and phone are added from the attendee. */
  bookingFieldsResponses: Record<string, unknown>;
  metadata: Record<string, string>;
  guests: string[];
};

/** IsISO8601 with a time: `2025-11-18T09:30:00Z`, `…:00.000Z`, `…+01:00`. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseIsoInstant(value: unknown): Date | null {
  if (typeof value !== "string" || !ISO_INSTANT.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseCreateBookingBody(body: unknown): Result<NewBookingRequest, ApiFailure> {
  if (!isRecord(body)) return err(badRequest("The request body must be a JSON object."));
  const errors: ValidationError[] = [];

  const start = parseIsoInstant(body.start);
  if (!start) {
    errors.push(
      invalidProperty("start", body.start, "isIso8601", "start must be a valid ISO 8601 date string"),
    );
  }

  const eventTypeId = body.eventTypeId;
  if (eventTypeId === undefined && typeof body.eventTypeSlug !== "string") {
    errors.push(
      invalidProperty(
        "eventTypeId",
        eventTypeId,
        "isInt",
        "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided",
      ),
    );
  } else if (eventTypeId !== undefined && !Number.isInteger(eventTypeId)) {
    errors.push(
      invalidProperty("eventTypeId", eventTypeId, "isInt", "eventTypeId must be an integer number"),
    );
  }

  const attendeeErrors: ValidationError[] = [];
  const attendee = isRecord(body.attendee) ? body.attendee : null;
  if (!attendee) {
    errors.push(invalidProperty("attendee", body.attendee, "isObject", "attendee must be an object"));
  } else {
    if (typeof attendee.name !== "string" || attendee.name.trim() === "") {
      attendeeErrors.push(invalidProperty("name", attendee.name, "isString", "name must be a string"));
    }
    if (typeof attendee.timeZone !== "string" || !isTimeZone(attendee.timeZone)) {
      attendeeErrors.push(
        invalidProperty(
          "timeZone",
          attendee.timeZone,
          "isTimeZone",
          "timeZone must be a valid IANA time zone",
        ),
      );
    }
    if (attendee.email !== undefined && (typeof attendee.email !== "string" || !EMAIL.test(attendee.email))) {
      attendeeErrors.push(invalidProperty("email", attendee.email, "isEmail", "email must be an email"));
    }
    if (attendee.phoneNumber !== undefined && !/^\+\d{6,15}$/.test(String(attendee.phoneNumber))) {
      attendeeErrors.push(
        invalidProperty(
          "phoneNumber",
          attendee.phoneNumber,
          "isPhoneNumber",
          "phoneNumber must be a valid phone number in international format, e.g. +19876543210",
        ),
      );
    }
    if (attendee.email === undefined && attendee.phoneNumber === undefined) {
      attendeeErrors.push(
        invalidProperty(
          "email",
          undefined,
          "isDefined",
          "email is required when phoneNumber is not provided",
        ),
      );
    }
    if (attendeeErrors.length > 0) {
      errors.push({ value: attendee, property: "attendee", children: attendeeErrors });
    }
  }

  if (body.lengthInMinutes !== undefined && !Number.isInteger(body.lengthInMinutes)) {
    errors.push(
      invalidProperty(
        "lengthInMinutes",
        body.lengthInMinutes,
        "isInt",
        "lengthInMinutes must be an integer number",
      ),
    );
  }
  if (body.bookingFieldsResponses !== undefined && !isRecord(body.bookingFieldsResponses)) {
    errors.push(
      invalidProperty(
        "bookingFieldsResponses",
        body.bookingFieldsResponses,
        "isObject",
        "bookingFieldsResponses must be an object",
      ),
    );
  }
  const metadataError = metadataProblem(body.metadata);
  if (metadataError)
    errors.push(invalidProperty("metadata", body.metadata, "validateMetadata", metadataError));
  const guests = body.guests;
  if (
    guests !== undefined &&
    !(Array.isArray(guests) && guests.every((guest) => typeof guest === "string"))
  ) {
    errors.push(invalidProperty("guests", guests, "isArray", "each value in guests must be an email"));
  }

  if (errors.length > 0 || !start || !attendee) return err(validationFailure(errors));
  if (typeof eventTypeId !== "number") {
    return err(badRequest("The sandbox books by eventTypeId only; eventTypeSlug is not supported."));
  }
  return ok({
    eventTypeId,
    start,
    lengthInMinutes: typeof body.lengthInMinutes === "number" ? body.lengthInMinutes : null,
    attendee: {
      name: String(attendee.name).trim(),
      email: typeof attendee.email === "string" ? attendee.email : "",
      timeZone: String(attendee.timeZone),
      language: typeof attendee.language === "string" ? attendee.language : "en",
      phoneNumber: typeof attendee.phoneNumber === "string" ? attendee.phoneNumber : null,
    },
    bookingFieldsResponses: isRecord(body.bookingFieldsResponses) ? { ...body.bookingFieldsResponses } : {},
    metadata: isRecord(body.metadata) ? (body.metadata as Record<string, string>) : {},
    guests: Array.isArray(guests) ? guests.map(String) : [],
  });
}

export type RescheduleRequest = {
  start: Date;
  reason: string | null;
  rescheduledBy: string | null;
  seatUid: string | null;
};

export function parseRescheduleBody(body: unknown): Result<RescheduleRequest, ApiFailure> {
  if (!isRecord(body)) return err(badRequest("The request body must be a JSON object."));
  const start = parseIsoInstant(body.start);
  if (!start) {
    return err(
      validationFailure([
        invalidProperty("start", body.start, "isIso8601", "start must be a valid ISO 8601 date string"),
      ]),
    );
  }
  return ok({
    start,
    reason: optionalString(body.reschedulingReason),
    rescheduledBy: optionalString(body.rescheduledBy),
    // RescheduleSeatedBookingInput_2024_08_13: that seat only.
    seatUid: optionalString(body.seatUid),
  });
}

/** CancelBookingInput_2024_08_13, or CancelSeatedBookingInput_2024_08_13 (`seatUid`: that seat only). */
export function parseCancelBody(
  body: unknown,
): Result<{ reason: string | null; seatUid: string | null }, ApiFailure> {
  if (body !== undefined && !isRecord(body))
    return err(badRequest("The request body must be a JSON object."));
  const reason = isRecord(body) ? body.cancellationReason : undefined;
  if (reason !== undefined && typeof reason !== "string") {
    return err(
      validationFailure([
        invalidProperty("cancellationReason", reason, "isString", "cancellationReason must be a string"),
      ]),
    );
  }
  const seatUid = isRecord(body) ? body.seatUid : undefined;
  if (seatUid !== undefined && typeof seatUid !== "string") {
    return err(
      validationFailure([invalidProperty("seatUid", seatUid, "isString", "seatUid must be a string")]),
    );
  }
  return ok({ reason: optionalString(reason), seatUid: optionalString(seatUid) });
}

export function parseDeclineBody(body: unknown): Result<{ reason: string | null }, ApiFailure> {
  if (body !== undefined && !isRecord(body))
    return err(badRequest("The request body must be a JSON object."));
  return ok({ reason: isRecord(body) ? optionalString(body.reason) : null });
}

/** The spec's limits: at most 50 keys, keys up to 40 characters, string values up to 500. */
function metadataProblem(metadata: unknown): string | null {
  if (metadata === undefined) return null;
  if (!isRecord(metadata)) return "metadata must be an object";
  const entries = Object.entries(metadata);
  if (entries.length > 50) return "Metadata can have at most 50 keys";
  for (const [key, value] of entries) {
    if (key.length > 40) return `Metadata key "${key}" is longer than 40 characters`;
    if (typeof value !== "string") return `Metadata value of "${key}" must be a string`;
    if (value.length > 500) return `Metadata value of "${key}" is longer than 500 characters`;
  }
  return null;
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
