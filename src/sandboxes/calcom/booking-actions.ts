import { err, ok, type Result } from "../../core/result.ts";
import type { NewBookingRequest } from "./booking-input.ts";
import { type BookerDetails, newBookingRecord } from "./booking-record.ts";
import { type ApiFailure, badRequest, notFound } from "./error-bodies.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { BookingStore, PhoneLocation, StoredBooking } from "./store.ts";
import type { BookingEvent } from "./webhook-payloads.ts";

/**
 * What the old booking looks like after a reschedule. Cal.com's docs say it becomes `cancelled` with
 * `rescheduledToUid`; live answers often show it still `accepted`, only carrying `rescheduledToUid`; and
 * an answer may lack the pointer altogether (`unlinked`: still `accepted`, no `rescheduledToUid`), when
 * only the new booking's `rescheduledFromUid` tells what happened.
 */
export type RescheduleStyle = "documented" | "live" | "unlinked";

/** Who asks: the host (the API key's owner) or the booker on the booking page. */
export type Actor = "host" | "booker";

export type BookingActions = {
  create(request: NewBookingRequest, options?: CreateOptions): Promise<Result<StoredBooking, ApiFailure>>;
  cancel(
    uid: string,
    request: { reason: string | null; by: Actor },
  ): Promise<Result<StoredBooking, ApiFailure>>;
  /** Gives the NEW booking. */
  reschedule(
    uid: string,
    request: { start: Date; reason: string | null; by: Actor },
  ): Promise<Result<StoredBooking, ApiFailure>>;
  confirm(uid: string): Promise<Result<StoredBooking, ApiFailure>>;
  /** The host asks the booker for another time: cancelled, announced with `requestReschedule: true`. */
  requestReschedule(uid: string, reason: string | null): Promise<Result<StoredBooking, ApiFailure>>;
  decline(uid: string, reason: string | null): Promise<Result<StoredBooking, ApiFailure>>;
};

export type CreateOptions = {
  phoneIn?: PhoneLocation;
  notes?: string;
  firstName?: string;
  lastName?: string;
};

export function createBookingActions(deps: {
  store: BookingStore;
  host: SandboxHost;
  now: () => Date;
  rescheduleStyle: RescheduleStyle;
  /** Announces a change to webhook subscribers; resolves once the deliveries were sent or queued. */
  announce: (event: BookingEvent) => Promise<void>;
}): BookingActions {
  const { store, host } = deps;
  const missing = (uid: string) => err(notFound(`Booking with uid=${uid} was not found in the database`));

  /** The slot checks handleNewBooking makes (errors.service.ts gives the API's words for them). */
  const slotProblem = (eventType: SandboxEventType, start: Date, end: Date, ignoreUid?: string) => {
    if (start.getTime() < deps.now().getTime())
      return badRequest("Attempting to book a meeting in the past.");
    const taken = store
      .all()
      .some(
        (other) =>
          other.uid !== ignoreUid &&
          other.eventTypeId === eventType.id &&
          other.status === "accepted" &&
          !other.rescheduledToUid &&
          Date.parse(other.start) < end.getTime() &&
          start.getTime() < Date.parse(other.end),
      );
    return taken ? badRequest("User either already has booking at this time or is not available") : null;
  };

  return {
    async create(request, options = {}) {
      const eventType = store.eventType(request.eventTypeId);
      if (!eventType) return err(notFound(`Event type with id ${request.eventTypeId} not found.`));
      if (request.lengthInMinutes !== null && request.lengthInMinutes !== eventType.lengthInMinutes) {
        return err(
          badRequest(
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
          ),
        );
      }
      const end = new Date(request.start.getTime() + eventType.lengthInMinutes * 60_000);
      const problem = slotProblem(eventType, request.start, end);
      if (problem) return err(problem);

      const { attendee } = request;
      const booker: BookerDetails = {
        name: attendee.name,
        email: attendee.email,
        timeZone: attendee.timeZone,
        language: attendee.language,
        phone: attendee.phoneNumber,
        ...(options.firstName ? { firstName: options.firstName, lastName: options.lastName ?? "" } : {}),
      };
      const booking = store.insert(
        newBookingRecord({
          id: store.newId(),
          uid: store.newUid(),
          eventType,
          host,
          start: request.start,
          end,
          status: eventType.requiresConfirmation ? "pending" : "accepted",
          booker,
          phoneIn: options.phoneIn ?? (attendee.phoneNumber ? "both" : "none"),
          ...(options.notes ? { notes: options.notes } : {}),
          guests: request.guests,
          customResponses: request.bookingFieldsResponses,
          metadata: request.metadata,
          createdAt: store.timestamp(),
        }),
      );
      await deps.announce({
        trigger: booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED",
        booking,
      });
      return ok(booking);
    },

    async cancel(uid, request) {
      const booking = store.get(uid);
      if (!booking) return missing(uid);
      // handleCancelBooking.ts: cancelling twice is refused, and a host must say why.
      if (booking.status === "cancelled") return err(badRequest("This booking has already been cancelled."));
      if (request.by === "host" && !request.reason) {
        return err(badRequest("Cancellation reason is required when you are the host"));
      }
      const cancelled = store.update(uid, {
        status: "cancelled",
        cancellationReason: request.reason,
        cancelledByEmail: request.by === "host" ? host.email : (booking.attendees[0]?.email ?? null),
      });
      await deps.announce({ trigger: "BOOKING_CANCELLED", booking: cancelled, requestReschedule: false });
      return ok(cancelled);
    },

    async reschedule(uid, request) {
      const previous = store.get(uid);
      if (!previous) return missing(uid);
      if (previous.status === "cancelled" || previous.status === "rejected") {
        return err(badRequest(`Booking with uid=${uid} is ${previous.status} and cannot be rescheduled.`));
      }
      if (previous.rescheduledToUid) {
        return err(
          badRequest(`Booking with uid=${uid} was already rescheduled to ${previous.rescheduledToUid}.`),
        );
      }
      const eventType = store.eventType(previous.eventTypeId);
      if (!eventType) return err(notFound(`Event type with id ${previous.eventTypeId} not found.`));
      const end = new Date(request.start.getTime() + (Date.parse(previous.end) - Date.parse(previous.start)));
      const problem = slotProblem(eventType, request.start, end, previous.uid);
      if (problem) return err(problem);

      const byEmail = request.by === "host" ? host.email : (previous.attendees[0]?.email ?? null);
      const now = store.timestamp();
      // The new booking is the old one moved: same booker, answers and metadata, a new uid.
      const uidForNew = store.newUid();
      const rescheduled = store.insert({
        ...structuredClone(previous),
        id: store.newId(),
        uid: uidForNew,
        status: eventType.requiresConfirmation && request.by === "booker" ? "pending" : "accepted",
        start: request.start.toISOString(),
        end: end.toISOString(),
        responses: {
          ...previous.responses,
          ...(request.reason ? { rescheduleReason: request.reason } : {}),
        },
        videoCallUrl: previous.videoCallUrl ? `https://app.cal.com/video/${uidForNew}` : null,
        createdAt: now,
        updatedAt: now,
        cancellationReason: null,
        cancelledByEmail: null,
        rescheduledFromUid: previous.uid,
        rescheduledToUid: null,
        reschedulingReason: request.reason,
        rescheduledByEmail: byEmail,
        icsUid: `${uidForNew}@Cal.com`,
      });
      store.update(previous.uid, {
        ...(deps.rescheduleStyle === "unlinked" ? {} : { rescheduledToUid: rescheduled.uid }),
        rescheduledByEmail: byEmail,
        ...(deps.rescheduleStyle === "documented" ? { status: "cancelled" as const } : {}),
      });
      await deps.announce({
        trigger: rescheduled.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_RESCHEDULED",
        booking: rescheduled,
        previous,
      });
      return ok(rescheduled);
    },

    async requestReschedule(uid, reason) {
      const booking = store.get(uid);
      if (!booking) return missing(uid);
      if (booking.status === "cancelled" || booking.status === "rejected") {
        return err(badRequest(`Booking with uid=${uid} is ${booking.status} and cannot be rescheduled.`));
      }
      const cancelled = store.update(uid, {
        status: "cancelled",
        cancellationReason: reason,
        cancelledByEmail: host.email,
      });
      await deps.announce({ trigger: "BOOKING_CANCELLED", booking: cancelled, requestReschedule: true });
      return ok(cancelled);
    },

    async confirm(uid) {
      const booking = store.get(uid);
      if (!booking) return missing(uid);
      if (booking.status !== "pending") {
        return err(
          badRequest(`Booking with uid=${uid} is ${booking.status}; only pending bookings can be confirmed.`),
        );
      }
      const accepted = store.update(uid, { status: "accepted" });
      // Confirming fires BOOKING_CREATED (handleConfirmation.ts); there is no separate "confirmed" trigger.
      await deps.announce({ trigger: "BOOKING_CREATED", booking: accepted });
      return ok(accepted);
    },

    async decline(uid, reason) {
      const booking = store.get(uid);
      if (!booking) return missing(uid);
      if (booking.status !== "pending") {
        return err(
          badRequest(`Booking with uid=${uid} is ${booking.status}; only pending bookings can be declined.`),
        );
      }
      const rejected = store.update(uid, { status: "rejected", rejectionReason: reason });
      await deps.announce({ trigger: "BOOKING_REJECTED", booking: rejected });
      return ok(rejected);
    },
  };
}
