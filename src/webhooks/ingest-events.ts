import { parseWebhookPayload } from "../calcom/webhook-payload.ts";
import { mergeBooking, replacedBookingStub, type StoredBooking } from "../core/booking-merge.ts";
import { loadBookingsByUid, saveBookings } from "../db/booking-ledger.ts";
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
async function ingestDueEvents(db: Database, now: Date): Promise<{ ids: number[]; attempts: number }> {
  const events = await dueEvents(db, now);
  const news: StoredBooking[] = [];
  for (const event of events) {
    const parsed = parseWebhookPayload(event.body);
    if (!parsed.ok || parsed.event.kind !== "booking") continue;
    news.push(parsed.event.booking);
    // The old uid of a reschedule is replaced, even if its own news has not arrived yet.
    if (parsed.event.rescheduledFromUid) {
      news.push(replacedBookingStub(parsed.event.rescheduledFromUid, parsed.event.booking.uid));
    }
  }
  const known = await loadBookingsByUid(db, [...new Set(news.map((b) => b.uid))]);
  const changed = new Map<string, StoredBooking>();
  for (const booking of news) {
    const merged = mergeBooking(changed.get(booking.uid) ?? known.get(booking.uid), booking);
    changed.set(booking.uid, merged);
  }
  await saveBookings(
    db,
    [...changed.values()].filter((b) => JSON.stringify(b) !== JSON.stringify(known.get(b.uid))),
  );
  return { ids: events.map((e) => e.id), attempts: Math.max(0, ...events.map((e) => e.attempts)) };
}
