import { z } from "zod";

/**
 * Cal.com API v2 shapes, as live answers have them. The OpenAPI file (BookingOutput_2024_08_13 and
 * friends) is the starting point; where live answers differ, these schemas follow the answers:
 * - `hosts[].displayEmail` and `attendees[].displayEmail` are marked required but are absent;
 * - `rating` is `null`, not a number, on unrated bookings;
 * - the pagination counter is `returnedItems` in answers and `itemsReturned` in some Cal.com builds
 *   (apps/api/v2/src/lib/pagination/pagination.ts), and `currentPage` is 0 for an empty result.
 * Unknown fields are kept (`looseObject`): Cal.com adds fields without a version bump.
 */

/** The `cal-api-version` the bookings endpoints need; without it they answer an older shape. */
export const BOOKINGS_API_VERSION = "2024-08-13";

export const API_BOOKING_STATUSES = ["accepted", "pending", "cancelled", "rejected"] as const;
export const apiBookingStatusSchema = z.enum(API_BOOKING_STATUSES);
export type ApiBookingStatus = z.infer<typeof apiBookingStatusSchema>;

/** The list filter's own vocabulary: not the booking statuses (`status=accepted` is a 400). */
export const BOOKING_LIST_STATUSES = ["upcoming", "recurring", "past", "cancelled", "unconfirmed"] as const;
export type BookingListStatus = (typeof BOOKING_LIST_STATUSES)[number];

const text = z.string();
const optionalText = z.string().nullable().optional();

export const apiAttendeeSchema = z.looseObject({
  name: text,
  email: text,
  displayEmail: text.optional(),
  timeZone: text.optional(),
  language: optionalText,
  absent: z.boolean().optional(),
  phoneNumber: optionalText,
  // A seat of a seated event (SeatedAttendee): its own uid and its own form answers. Seated bookings
  // carry no top-level bookingFieldsResponses, and the attendee's phoneNumber is never filled there.
  seatUid: optionalText,
  bookingFieldsResponses: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ApiAttendee = z.infer<typeof apiAttendeeSchema>;

export const apiHostSchema = z.looseObject({
  // A booking whose host user was deleted has `id: "unknown"` (output.service.ts getHost).
  id: z.union([z.number(), z.string()]),
  name: optionalText,
  email: text,
  displayEmail: text.optional(),
  username: optionalText,
  timeZone: text.optional(),
});

export const apiBookingSchema = z.looseObject({
  id: z.number(),
  uid: text,
  title: text.optional(),
  description: optionalText,
  hosts: z.array(apiHostSchema).optional(),
  status: apiBookingStatusSchema,
  cancellationReason: optionalText,
  cancelledByEmail: optionalText,
  reschedulingReason: optionalText,
  rescheduledByEmail: optionalText,
  rescheduledFromUid: optionalText,
  rescheduledToUid: optionalText,
  start: text,
  end: text,
  duration: z.number().optional(),
  eventTypeId: z.number().nullable().optional(),
  eventType: z.looseObject({ id: z.number(), slug: text }).nullable().optional(),
  meetingUrl: optionalText,
  location: optionalText,
  absentHost: z.boolean().optional(),
  createdAt: text.optional(),
  updatedAt: text.optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  rating: z.number().nullable().optional(),
  icsUid: optionalText,
  attendees: z.array(apiAttendeeSchema),
  guests: z.array(text).optional(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).nullable().optional(),
  recurringBookingUid: optionalText,
  /** CreateSeatedBookingOutput (a reschedule of one seat): the seat the booker now holds. */
  seatUid: optionalText,
});
/** A booking exactly as API v2 (`cal-api-version: 2024-08-13`) returns it. */
export type ApiBooking = z.infer<typeof apiBookingSchema>;

export const paginationSchema = z.looseObject({
  returnedItems: z.number().optional(),
  itemsReturned: z.number().optional(),
  totalItems: z.number(),
  itemsPerPage: z.number(),
  remainingItems: z.number(),
  currentPage: z.number(),
  totalPages: z.number(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean(),
});
export type Pagination = z.infer<typeof paginationSchema>;

export const bookingsPageSchema = z.looseObject({
  status: z.literal("success"),
  data: z.array(apiBookingSchema),
  pagination: paginationSchema,
});
export type BookingsPage = { bookings: ApiBooking[]; pagination: Pagination };

export const bookingEnvelopeSchema = z.looseObject({ status: z.literal("success"), data: apiBookingSchema });

/** Every trigger the spec's CreateWebhookInputDto accepts. */
export const WEBHOOK_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_PAYMENT_INITIATED",
  "BOOKING_PAID",
  "BOOKING_RESCHEDULED",
  "BOOKING_REQUESTED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
  "BOOKING_NO_SHOW_UPDATED",
  "FORM_SUBMITTED",
  "MEETING_ENDED",
  "MEETING_STARTED",
  "RECORDING_READY",
  "INSTANT_MEETING",
  "RECORDING_TRANSCRIPTION_GENERATED",
  "OOO_CREATED",
  "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
  "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
  "FORM_SUBMITTED_NO_EVENT",
  "ROUTING_FORM_FALLBACK_HIT",
  "DELEGATION_CREDENTIAL_ERROR",
  "WRONG_ASSIGNMENT_REPORT",
] as const;
export type WebhookTrigger = (typeof WEBHOOK_TRIGGERS)[number];

export const apiWebhookSchema = z.looseObject({
  // The spec says number; Cal.com stores webhook ids as uuid strings. Either is read as text.
  id: z.union([z.string(), z.number()]).transform(String),
  userId: z.number().nullable().optional(),
  subscriberUrl: text,
  // Read as plain text: Cal.com adds triggers faster than this list follows.
  triggers: z.array(text),
  active: z.boolean(),
  secret: optionalText,
  payloadTemplate: optionalText,
});
export type ApiWebhook = z.infer<typeof apiWebhookSchema>;

export const webhookEnvelopeSchema = z.looseObject({ status: z.literal("success"), data: apiWebhookSchema });
export const webhooksEnvelopeSchema = z.looseObject({
  status: z.literal("success"),
  data: z.array(apiWebhookSchema),
});

/**
 * EventTypeWebhookOutputDto: a subscription scoped to one event type. Cal.com delivers to it only for
 * bookings of that event type; it has no `userId` (the row's user column is empty).
 */
export const apiEventTypeWebhookSchema = apiWebhookSchema.extend({ eventTypeId: z.number() });
export type ApiEventTypeWebhook = z.infer<typeof apiEventTypeWebhookSchema>;

export const eventTypeWebhookEnvelopeSchema = z.looseObject({
  status: z.literal("success"),
  data: apiEventTypeWebhookSchema,
});
export const eventTypeWebhooksEnvelopeSchema = z.looseObject({
  status: z.literal("success"),
  data: z.array(apiEventTypeWebhookSchema),
});

/**
 * API v2's error envelope (apps/api/v2/src/filters/http-exception.filter.ts). `details` is the
 * exception's response: an object for most errors, a string for the throttler's 429, absent on older
 * deployments.
 */
export const apiErrorEnvelopeSchema = z.looseObject({
  status: z.literal("error"),
  timestamp: text.optional(),
  path: text.optional(),
  error: z.looseObject({
    code: text,
    message: text,
    details: z.union([text, z.record(z.string(), z.unknown())]).optional(),
  }),
});
export type ApiErrorEnvelope = z.infer<typeof apiErrorEnvelopeSchema>;

/** What NestJS answers for an error no filter handled: `{"statusCode":500,"message":"Internal server error"}`. */
export const bareErrorSchema = z.looseObject({
  statusCode: z.number(),
  message: z.union([text, z.array(text)]),
  error: text.optional(),
});

export const calcomErrorBodySchema = z.union([apiErrorEnvelopeSchema, bareErrorSchema]);

/** Filters of `GET /v2/bookings` that calsync uses. Times may be ISO text or Dates. */
export type ListBookingsFilters = {
  status?: readonly BookingListStatus[];
  eventTypeIds?: readonly number[];
  afterStart?: string | Date;
  beforeEnd?: string | Date;
  afterUpdatedAt?: string | Date;
  sortStart?: "asc" | "desc";
  /** Page size; the API's default is 100 and its maximum 250. */
  take?: number;
  skip?: number;
};

/** `CreateBookingInput_2024_08_13`, the parts calsync sends. */
export type CreateBookingInput = {
  /** ISO 8601 in UTC, e.g. `2025-11-18T09:30:00Z`. */
  start: string;
  eventTypeId: number;
  attendee: {
    name: string;
    email: string;
    timeZone: string;
    phoneNumber?: string;
    language?: string;
  };
  bookingFieldsResponses?: Record<string, unknown>;
  /** At most 50 keys, values up to 500 characters (spec). */
  metadata?: Record<string, string>;
  guests?: string[];
};

/** CancelBookingInput_2024_08_13, or CancelSeatedBookingInput_2024_08_13 with `seatUid`: that seat only. */
export type CancelBookingInput = { cancellationReason: string; seatUid?: string };
/**
 * RescheduleBookingInput_2024_08_13, or RescheduleSeatedBookingInput_2024_08_13 with `seatUid` (which has
 * no `reschedulingReason`): that seat only.
 */
export type RescheduleBookingInput =
  | { start: string; reschedulingReason?: string }
  | { start: string; seatUid: string };
export type DeclineBookingInput = { reason?: string };

export type CreateWebhookInput = {
  subscriberUrl: string;
  triggers: readonly WebhookTrigger[];
  secret: string;
  active: boolean;
  payloadTemplate?: string;
};
export type UpdateWebhookInput = Partial<CreateWebhookInput>;
