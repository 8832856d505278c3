import { type BookingWebhookEvent, parseWebhookPayload } from "../calcom/webhook-payload.ts";
import { mergeBooking, replacedBookingStub, type StoredBooking } from "../core/booking-merge.ts";
import { type BookingNews, newsOf } from "../core/booking-news.ts";
import { normalizeEmail } from "../core/email.ts";
import { loadBookingsByUid, loadSeatsOf, saveBookings } from "../db/booking-ledger.ts";
import type { Database } from "../db/database.ts";
import { dueEvents } from "../db/webhook-events.ts";
import type { WebhookEventSource } from "../sync/context.ts";

/** The stored Cal.com webhook deliveries, as the sync's source of news between polls. */
export function createWebhookEventSource(db: Database): WebhookEventSource {
  return { ingestDue: (now) => ingestDueEvents(db, now) };
}

/**
 * Folds the stored webhook deliveries that are due into the booking ledger. Merging keeps each booking's
 * furthest state, so duplicates, reversed order and stale deliveries all end in the state the right order gives.
 */
async function ingestDueEvents(
  db: Database,
  now: Date,
): Promise<Awaited<ReturnType<WebhookEventSource["ingestDue"]>>> {
  const events = await dueEvents(db, now);
  const parsed = events.flatMap((event) => {
    const result = parseWebhookPayload(event.body);
    return result.ok && (result.event.kind === "booking" || result.event.kind === "seatsCancelled")
      ? [{ ...result.event, deliveryId: event.id }]
      : [];
  });
  // A seat is named by its booking and the seat holder's email where the delivery gives no seat uid.
  const seatsOf = await loadSeatsOf(db, [
    ...parsed.flatMap((event) => (event.kind === "seatsCancelled" ? [event.bookingUid] : [])),
    ...parsed.flatMap((event) =>
      event.kind === "booking" && event.seatMovedFrom ? [event.seatMovedFrom] : [],
    ),
  ]);
  const told = parsed.flatMap((event) =>
    bookingsTold(event, seatsOf).map((booking) => ({ booking, deliveryId: event.deliveryId })),
  );
  const known = await loadBookingsByUid(db, [...new Set(told.map((item) => item.booking.uid))]);
  const changed = new Map<string, StoredBooking>();
  const reported: BookingNews[] = [];
  for (const { booking, deliveryId } of told) {
    const before = changed.get(booking.uid) ?? known.get(booking.uid);
    const merged = mergeBooking(before, booking);
    const news = newsOf(before, merged, "webhook", deliveryId);
    if (news) reported.push(news);
    changed.set(booking.uid, merged);
  }
  await saveBookings(
    db,
    [...changed.values()].filter((b) => JSON.stringify(b) !== JSON.stringify(known.get(b.uid))),
  );
  return {
    ids: events.map((e) => e.id),
    attempts: Math.max(0, ...events.map((e) => e.attempts)),
    deliveries: events.map((e) => ({ id: e.id, bookingUid: e.bookingUid })),
    news: reported,
  };
}

/** What one delivery tells about the bookings the ledger keeps. */
function bookingsTold(
  event: BookingWebhookEvent,
  seatsOf: ReadonlyMap<string, StoredBooking[]>,
): StoredBooking[] {
  if (event.kind === "seatsCancelled") {
    const emails = new Set(event.emails.map((email) => normalizeEmail(email)));
    const seats = seatsOf.get(event.bookingUid) ?? [];
    const holders = (email: string | null) =>
      seats.filter((seat) => normalizeEmail(seat.attendee.email) === email);
    // One person holding several seats of the booking: the delivery does not say which went; the next poll,
    // which lists the seats still on, tells.
    return seats
      .filter((seat) => {
        const email = normalizeEmail(seat.attendee.email);
        return emails.has(email) && holders(email).length === 1;
      })
      .map((seat) => ({
        ...seat,
        status: "cancelled" as const,
        ...(event.requestReschedule ? { rescheduleRequested: true } : {}),
      }));
  }
  const news: StoredBooking[] = [event.booking];
  if (event.seatMovedFrom) {
    // The seat the booker held in the booking they left is replaced by this one.
    const email = normalizeEmail(event.booking.attendee.email);
    const left = (seatsOf.get(event.seatMovedFrom) ?? []).find(
      (seat) => normalizeEmail(seat.attendee.email) === email && seat.uid !== event.booking.uid,
    );
    news[0] = { ...event.booking, rescheduledFromUid: left?.uid ?? null };
    if (left) news.push(replacedBookingStub(left.uid, event.booking.uid));
    return news;
  }
  // The old uid of a reschedule is replaced, even if its own news has not arrived yet.
  if (event.rescheduledFromUid) news.push(replacedBookingStub(event.rescheduledFromUid, event.booking.uid));
  return news;
}
