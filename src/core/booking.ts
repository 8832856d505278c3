/**
 * A booking as calsync reasons about it, whichever way it arrived (API v2 list, single fetch, webhook).
 * Statuses use API v2's lowercase words; webhook payloads (uppercase) are mapped to them on arrival.
 */
export type BookingStatus = "accepted" | "pending" | "cancelled" | "rejected";

export type BookingSnapshot = {
  uid: string;
  status: BookingStatus;
  /** ISO 8601 UTC with milliseconds, e.g. `2025-10-27T17:00:00.000Z`, whatever form Cal.com sent. */
  start: string;
  end: string;
  eventTypeId: number | null;
  attendee: {
    name: string;
    /** Cal.com's own split of the name, when the booking form asked for first and last name. */
    firstName?: string | undefined;
    lastName?: string | undefined;
    email: string | null;
    /** As the booker typed it; normalized to E.164 by the core when matching. */
    phone: string | null;
    /**
     * A number in the booking's location that no answer says is the booker's: the organizer's own number
     * when the event type's location is "Organizer phone number". See `withBookerPhones`.
     */
    locationPhone?: string | null | undefined;
    timeZone?: string | undefined;
  };
  /** Set on the booking a reschedule created: the uid it replaced. */
  rescheduledFromUid: string | null;
  /** Set on a booking that was replaced by a reschedule: live answers show it still `accepted` as often as `cancelled`. */
  rescheduledToUid: string | null;
  /** When Cal.com last changed it (API only; webhooks carry the event's createdAt instead). */
  updatedAt: string | null;
  /**
   * Cancelled because the host asked the booker to pick another time (a BOOKING_CANCELLED delivery with
   * `requestReschedule: true`). API v2 shows such a booking as plainly cancelled, so only a webhook tells.
   */
  rescheduleRequested?: boolean | undefined;
  /**
   * A seat of a seated event: several people hold seats on one Cal.com booking, each with a `seatUid`.
   * Each seat is its own entry here (`uid` is `<bookingUid>/<seatUid>`); Cal.com's own uid is `bookingUid`.
   */
  seat?: { bookingUid: string; seatUid: string } | undefined;
};

/** ISO text in any of Cal.com's forms (`Z`, `.000Z`, `+00:00`) to one canonical UTC form. */
export function canonicalInstant(text: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a time: ${text}`);
  return date.toISOString();
}

/** The ledger's uid of one seat of a seated booking: Cal.com's booking uid and the seat's. */
export function seatEntryUid(bookingUid: string, seatUid: string): string {
  return `${bookingUid}/${seatUid}`;
}
