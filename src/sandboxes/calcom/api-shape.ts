import type { ApiBooking } from "../../calcom/types.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { StoredBooking } from "./store.ts";

/**
 * A stored booking as API v2 (2024-08-13) answers it, field for field and in the order of a live answer
 * (fixture api-v2-get-bookings-list-20250528.json; apps/api/v2/.../output.service.ts getOutputBooking):
 * lowercase status, `meetingUrl` mirroring `location`, no `displayEmail`, `rating: null`, and the
 * cancellation and reschedule fields only when they apply. A seated booking answers
 * GetSeatedBookingOutput: no top-level answers or guests, and each attendee with its `seatUid` and its own
 * answers (without the email; output.service.ts getOutputSeatedBooking), never a `phoneNumber`.
 */
export function toApiBooking(
  booking: StoredBooking,
  eventType: SandboxEventType,
  host: SandboxHost,
): ApiBooking {
  const location = booking.videoCallUrl ?? booking.location;
  const cancelled = booking.status === "cancelled";
  const seated = Boolean(eventType.seatsPerTimeSlot);
  const answerSeatUid = (booking as { answerSeatUid?: string }).answerSeatUid;
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: [{ ...host }],
    status: booking.status,
    ...(cancelled && booking.cancellationReason ? { cancellationReason: booking.cancellationReason } : {}),
    ...(cancelled && booking.cancelledByEmail ? { cancelledByEmail: booking.cancelledByEmail } : {}),
    ...(booking.reschedulingReason ? { reschedulingReason: booking.reschedulingReason } : {}),
    ...(booking.rescheduledFromUid ? { rescheduledFromUid: booking.rescheduledFromUid } : {}),
    start: booking.start,
    end: booking.end,
    duration: Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000),
    eventTypeId: booking.eventTypeId,
    eventType: { id: eventType.id, slug: eventType.slug },
    meetingUrl: location,
    location,
    absentHost: false,
    createdAt: booking.createdAt,
    updatedAt: booking.updatedAt,
    metadata: { ...booking.metadata },
    rating: null,
    icsUid: booking.icsUid,
    attendees: booking.attendees.map((attendee) => {
      const common = {
        name: attendee.name,
        email: attendee.email,
        timeZone: attendee.timeZone,
        language: attendee.language,
        absent: attendee.absent,
      };
      if (!seated)
        return { ...common, ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}) };
      const { email: _email, ...answers } = structuredClone(attendee.seat?.responses ?? {});
      return { ...common, seatUid: attendee.seat?.seatUid ?? "", bookingFieldsResponses: answers };
    }),
    ...(!seated && booking.guests.length > 0 ? { guests: [...booking.guests] } : {}),
    ...(seated ? {} : { bookingFieldsResponses: structuredClone(booking.responses) }),
    ...(answerSeatUid ? { seatUid: answerSeatUid } : {}),
    ...(booking.rescheduledToUid ? { rescheduledToUid: booking.rescheduledToUid } : {}),
    ...(booking.rescheduledByEmail ? { rescheduledByEmail: booking.rescheduledByEmail } : {}),
  };
}
