import type { ApiBooking } from "../../calcom/types.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { StoredBooking } from "./store.ts";

/**
 * A stored booking as API v2 (2024-08-13) answers it, field for field and in the order of a live answer
 * (fixture api-v2-get-bookings-list-20250528.json; apps/api/v2/.../output.service.ts getOutputBooking):
 * lowercase status, `meetingUrl` mirroring `location`, no `displayEmail`, `rating: null`, and the
 * cancellation and reschedule fields only when they apply.
 */
export function toApiBooking(
  booking: StoredBooking,
  eventType: SandboxEventType,
  host: SandboxHost,
): ApiBooking {
  const location = booking.videoCallUrl ?? booking.location;
  const cancelled = booking.status === "cancelled";
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
    attendees: booking.attendees.map((attendee) => ({
      name: attendee.name,
      email: attendee.email,
      timeZone: attendee.timeZone,
      language: attendee.language,
      absent: attendee.absent,
      ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}),
    })),
    ...(booking.guests.length > 0 ? { guests: [...booking.guests] } : {}),
    bookingFieldsResponses: structuredClone(booking.responses),
    ...(booking.rescheduledToUid ? { rescheduledToUid: booking.rescheduledToUid } : {}),
    ...(booking.rescheduledByEmail ? { rescheduledByEmail: booking.rescheduledByEmail } : {}),
  };
}
