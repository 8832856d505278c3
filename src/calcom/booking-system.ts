import type { BookingSystem } from "../sync/context.ts";
import type { CalcomClient } from "./client.ts";
import { toBookingSnapshot } from "./to-snapshot.ts";

/**
 * Cal.com's bookings as the sync sees them: API v2 requests through the typed client, answers translated
 * into the core's BookingSnapshot.
 */
export function createCalcomBookingSystem(client: CalcomClient): BookingSystem {
  return {
    async listBookings(query) {
      const bookings = await client.listAllBookings({
        status: query.status,
        ...(query.sortStart ? { sortStart: query.sortStart } : {}),
        ...(query.eventTypeIds && query.eventTypeIds.length > 0 ? { eventTypeIds: query.eventTypeIds } : {}),
        ...(query.afterStart ? { afterStart: query.afterStart } : {}),
        ...(query.afterUpdatedAt ? { afterUpdatedAt: query.afterUpdatedAt } : {}),
      });
      return bookings.map(toBookingSnapshot);
    },
    getBooking: async (uid) => toBookingSnapshot(await client.getBooking(uid)),
    createBooking: async (booking) =>
      toBookingSnapshot(
        await client.createBooking({
          start: booking.start.toISOString(),
          eventTypeId: booking.eventTypeId,
          attendee: booking.attendee,
          ...(booking.metadata ? { metadata: booking.metadata } : {}),
        }),
      ),
    cancelBooking: async (uid, reason) =>
      toBookingSnapshot(await client.cancelBooking(uid, { cancellationReason: reason })),
    rescheduleBooking: async (uid, change) =>
      toBookingSnapshot(
        await client.rescheduleBooking(uid, {
          start: change.start.toISOString(),
          reschedulingReason: change.reason,
        }),
      ),
  };
}
