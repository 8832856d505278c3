import { err, ok, type Result } from "../../core/result.ts";
import type { NewBookingRequest } from "./booking-input.ts";
import { type BookerDetails, newBookingRecord } from "./booking-record.ts";
import { type ApiFailure, badRequest, notFound } from "./error-bodies.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { SeededRandom } from "./random.ts";
import { asFirstSeat, findSeat, newSeatUid, seatAttendee, seatedBookingAt } from "./seats.ts";
import type { BookingStore, PhoneLocation, StoredAttendee, StoredBooking } from "./store.ts";
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
  /** With `seatUid`: that seat only (CancelSeatedBookingInput); the booking stays on for the others. */
  cancel(
    uid: string,
    request: { reason: string | null; by: Actor; seatUid?: string | null },
  ): Promise<Result<StoredBooking, ApiFailure>>;
  /** Gives the NEW booking; with `seatUid`, the booking the seat now belongs to. */
  reschedule(
    uid: string,
    request: {
      start: Date;
      reason: string | null;
      by: Actor;
      seatUid?: string | null;
      /** Who reschedules (the API's `rescheduledBy`): the owner's email skips a required confirmation. */
      rescheduledBy?: string | null;
    },
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
  random: SeededRandom;
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
    // A seated slot is shared: only a full one is taken (checked where the seat is added).
    if (eventType.seatsPerTimeSlot) return null;
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

  /** A new booker of a seated slot: joins the slot's booking with a seat, or opens it as its first seat. */
  const takeSeat = async (eventType: SandboxEventType, draft: StoredBooking) => {
    const seatUid = newSeatUid(deps.random);
    const existing = seatedBookingAt(store.all(), eventType.id, new Date(draft.start));
    let booking: StoredBooking;
    if (existing) {
      if (existing.attendees.length >= (eventType.seatsPerTimeSlot ?? 1)) {
        return err(badRequest("Booking seats are full"));
      }
      booking = store.update(existing.uid, {
        attendees: [...existing.attendees, seatAttendee(draft, seatUid)],
      });
    } else {
      booking = store.insert(asFirstSeat(draft, seatUid));
    }
    const seat = findSeat(booking, seatUid) as StoredAttendee;
    await deps.announce({ trigger: "BOOKING_CREATED", booking, seat });
    return ok({ ...booking, answerSeatUid: seatUid });
  };

  /**
   * One seat cancelled (cancelAttendeeSeat.ts): its attendee leaves the booking, which stays accepted for
   * the others; the webhook lists only that attendee. The last seat cancelled cancels the booking.
   */
  const cancelSeat = async (booking: StoredBooking, seatUid: string) => {
    const seat = findSeat(booking, seatUid);
    if (!seat || booking.status === "cancelled") {
      return err(badRequest("Invalid seatUid: this seat does not exist or has already been cancelled."));
    }
    const others = booking.attendees.filter((attendee) => attendee !== seat);
    const after = store.update(booking.uid, {
      attendees: others,
      ...(others.length === 0 ? { status: "cancelled" as const, cancelledByEmail: seat.email } : {}),
    });
    await deps.announce({
      trigger: "BOOKING_CANCELLED",
      booking: { ...after, status: "cancelled", attendees: [seat] },
      requestReschedule: false,
      seatCancel: { firstOfAll: booking.attendees[0] ?? seat },
    });
    return ok(after);
  };

  /**
   * One seat moved to another time (attendeeRescheduleSeatedBooking.ts): into the booking of that slot
   * keeping its seat uid, or into a new booking with a new seat; the booking it left is cancelled once empty
   * (without a webhook of its own). No rescheduledFromUid/ToUid link either way.
   */
  const moveSeat = async (previous: StoredBooking, seatUid: string, start: Date) => {
    const seat = findSeat(previous, seatUid);
    if (!seat) return err(badRequest("Invalid seatUid: this seat does not belong to this booking."));
    const eventType = store.eventType(previous.eventTypeId);
    if (!eventType) return err(notFound(`Event type with id ${previous.eventTypeId} not found.`));
    if (start.getTime() < deps.now().getTime())
      return err(badRequest("Attempting to book a meeting in the past."));
    const target = seatedBookingAt(store.all(), eventType.id, start, previous.uid);
    let moved: StoredBooking;
    let movedSeat: StoredAttendee;
    if (target) {
      if (target.attendees.length >= (eventType.seatsPerTimeSlot ?? 1))
        return err(badRequest("Booking seats are full"));
      movedSeat = seat;
      moved = store.update(target.uid, { attendees: [...target.attendees, seat] });
    } else {
      const now = store.timestamp();
      const uidForNew = store.newUid();
      movedSeat = {
        ...seat,
        seat: { seatUid: newSeatUid(deps.random), responses: seat.seat?.responses ?? {} },
      };
      moved = store.insert({
        ...structuredClone(previous),
        id: store.newId(),
        uid: uidForNew,
        start: start.toISOString(),
        end: new Date(
          start.getTime() + (Date.parse(previous.end) - Date.parse(previous.start)),
        ).toISOString(),
        attendees: [movedSeat],
        createdAt: now,
        updatedAt: now,
        videoCallUrl: previous.videoCallUrl ? `https://app.cal.com/video/${uidForNew}` : null,
        icsUid: `${uidForNew}@Cal.com`,
      });
    }
    const left = previous.attendees.filter((attendee) => attendee !== seat);
    store.update(previous.uid, {
      attendees: left,
      ...(left.length === 0 ? { status: "cancelled" as const } : {}),
    });
    await deps.announce({ trigger: "BOOKING_RESCHEDULED", booking: moved, previous, seat: movedSeat });
    return ok({ ...moved, answerSeatUid: movedSeat.seat?.seatUid });
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
      const draft = newBookingRecord({
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
      });
      if (eventType.seatsPerTimeSlot) return takeSeat(eventType, draft);
      const booking = store.insert(draft);
      await deps.announce({
        trigger: booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED",
        booking,
      });
      return ok(booking);
    },

    async cancel(uid, request) {
      const booking = store.get(uid);
      if (!booking) return missing(uid);
      if (request.seatUid) return cancelSeat(booking, request.seatUid);
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
      // A seated booking the host cancelled keeps no attendees: the webhook above was the last to list them.
      if (booking.attendees.some((attendee) => attendee.seat))
        return ok(store.update(uid, { attendees: [] }));
      return ok(cancelled);
    },

    async reschedule(uid, request) {
      const previous = store.get(uid);
      if (!previous) return missing(uid);
      if (request.seatUid) return moveSeat(previous, request.seatUid, request.start);
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
        // RescheduleBookingInput.rescheduledBy: only the event type's owner skips the confirmation.
        status:
          eventType.requiresConfirmation && request.rescheduledBy !== host.email ? "pending" : "accepted",
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
