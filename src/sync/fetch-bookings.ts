import { mergeBooking, type StoredBooking } from "../core/booking-merge.ts";
import { isCurrent, isReplaced } from "../core/lead-decision.ts";
import { loadBookings, saveBookings } from "../db/booking-ledger.ts";
import { getMeta, setMeta } from "../db/meta.ts";
import { UpstreamError } from "../errors.ts";
import type { SyncContext } from "./context.ts";

const LAST_FETCH_KEY = "calcom.lastFetchStartedAt";
/** Re-read changes a little before the last run started: Cal.com's clock and ours may differ. */
const UPDATED_AT_OVERLAP_MS = 10 * 60_000;
/** Bookings the ledger thinks are upcoming but the list no longer shows are fetched one by one, up to this many. */
const MAX_DOUBT_CHECKS = 25;

export type FetchOutcome = { bookingsFound: number; bookings: StoredBooking[]; links: Map<string, string> };

/**
 * Reads every relevant booking from Cal.com: all upcoming ones (every page), and the ones cancelled or
 * rescheduled since the last run, then merges them into the ledger. A dry run merges in memory only.
 */
export async function fetchBookings(ctx: SyncContext, options: { dryRun: boolean }): Promise<FetchOutcome> {
  const startedAt = ctx.clock();
  const lastFetch = await getMeta(ctx.db, LAST_FETCH_KEY);
  const eventTypeIds = ctx.eventTypeIds;

  // Both lists at once: each is a round trip or more, and they do not depend on each other.
  const [upcoming, changed] = await Promise.all([
    ctx.calcom.listBookings({ status: ["upcoming"], sortStart: "asc", eventTypeIds }),
    ctx.calcom.listBookings({
      status: ["cancelled"],
      // Only cancellations of calls still ahead matter: past bookings are left as they are.
      afterStart: startedAt,
      ...(lastFetch ? { afterUpdatedAt: new Date(Date.parse(lastFetch) - UPDATED_AT_OVERLAP_MS) } : {}),
      eventTypeIds,
    }),
  ]);

  const fetched = new Map<string, StoredBooking>();
  for (const booking of [...upcoming, ...changed]) fetched.set(booking.uid, booking);

  const known = await loadBookings(ctx.db);
  const byUid = new Map(known.bookings.map((b) => [b.uid, b]));
  for (const snapshot of await checkVanished(ctx, known.bookings, fetched, startedAt)) {
    fetched.set(snapshot.uid, snapshot);
  }

  const changedBookings: StoredBooking[] = [];
  for (const snapshot of fetched.values()) {
    const before = byUid.get(snapshot.uid);
    const merged = mergeBooking(before, snapshot);
    if (!before || JSON.stringify(before) !== JSON.stringify(merged)) changedBookings.push(merged);
    byUid.set(snapshot.uid, merged);
  }
  if (!options.dryRun) {
    await saveBookings(ctx.db, changedBookings);
    await setMeta(ctx.db, LAST_FETCH_KEY, startedAt.toISOString());
  }
  return { bookingsFound: fetched.size, bookings: [...byUid.values()], links: known.links };
}

/**
 * A booking the ledger holds as upcoming that neither list returned has changed in a way the filters did
 * not show (or the list and the ledger disagree): ask Cal.com for its current state instead of guessing.
 */
async function checkVanished(
  ctx: SyncContext,
  known: readonly StoredBooking[],
  fetched: ReadonlyMap<string, StoredBooking>,
  now: Date,
): Promise<StoredBooking[]> {
  const missing = known.filter(
    (b) =>
      !fetched.has(b.uid) &&
      !isReplaced(b) &&
      isCurrent(b, now) &&
      (b.status === "accepted" || b.status === "pending") &&
      (ctx.eventTypeIds.length === 0 || (b.eventTypeId !== null && ctx.eventTypeIds.includes(b.eventTypeId))),
  );
  const found: StoredBooking[] = [];
  for (const booking of missing.slice(0, MAX_DOUBT_CHECKS)) {
    let current: StoredBooking;
    try {
      current = await ctx.calcom.getBooking(booking.uid);
    } catch (error) {
      // Gone from Cal.com altogether: it will not take place.
      if (error instanceof UpstreamError && error.status === 404) {
        found.push({ ...booking, status: "cancelled" });
        continue;
      }
      throw error;
    }
    found.push(current);
  }
  return found;
}
