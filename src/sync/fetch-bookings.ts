import { mergeBooking, replacedBookingStub, type StoredBooking } from "../core/booking-merge.ts";
import { type BookingNews, newsOf } from "../core/booking-news.ts";
import { isCurrent, isReplaced } from "../core/lead-decision.ts";
import { loadBookings, saveBookings } from "../db/booking-ledger.ts";
import { getMeta, setMeta } from "../db/meta.ts";
import { CalsyncError } from "../errors.ts";
import type { SyncContext } from "./context.ts";

const LAST_FETCH_KEY = "calcom.lastFetchStartedAt";
/** Re-read changes a little before the last run started: Cal.com's clock and ours may differ. */
const UPDATED_AT_OVERLAP_MS = 10 * 60_000;
/** Bookings the ledger thinks are upcoming but the list no longer shows are fetched one by one, up to this many. */
const MAX_DOUBT_CHECKS = 25;

export type FetchOutcome = {
  bookingsFound: number;
  bookings: StoredBooking[];
  links: Map<string, string>;
  /** Bookings Cal.com could not tell about this time (re-checks that failed): retried next run. */
  warnings: string[];
  /** Bookings this read found created, cancelled or rescheduled since the ledger last heard of them. */
  news: BookingNews[];
  /** The first read ever: everything is new to calsync, so nothing in it is a webhook that went missing. */
  firstRead: boolean;
};

/**
 * Reads every relevant booking from Cal.com: all upcoming ones (every page), and the ones cancelled or
 * rescheduled since the last run, then merges them into the ledger. A dry run merges in memory only.
 */
export async function fetchBookings(
  ctx: SyncContext,
  options: {
    dryRun: boolean;
    /** The ledger's bookings when the caller reads them meanwhile (nothing else writes them during a run). */
    known?: Promise<Awaited<ReturnType<typeof loadBookings>>>;
  },
): Promise<FetchOutcome> {
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

  const known = await (options.known ?? loadBookings(ctx.db));
  const byUid = new Map(known.bookings.map((b) => [b.uid, b]));
  const doubts = await checkVanished(ctx, known.bookings, fetched, startedAt);
  for (const snapshot of doubts.found) fetched.set(snapshot.uid, snapshot);

  // A new booking names the one it replaced: that one is replaced, whether or not Cal.com's answer for it
  // says so (it may still show `accepted` without `rescheduledToUid`), as the webhook path already knows.
  const news = [...fetched.values()];
  for (const booking of fetched.values()) {
    if (booking.rescheduledFromUid) news.push(replacedBookingStub(booking.rescheduledFromUid, booking.uid));
  }

  const changedBookings = new Map<string, StoredBooking>();
  const found: BookingNews[] = [];
  for (const snapshot of news) {
    const before = byUid.get(snapshot.uid);
    const merged = mergeBooking(before, snapshot);
    const told = newsOf(before, merged, "poll");
    if (told) found.push(told);
    if (!before || JSON.stringify(before) !== JSON.stringify(merged)) changedBookings.set(merged.uid, merged);
    byUid.set(snapshot.uid, merged);
  }
  if (!options.dryRun) {
    await saveBookings(ctx.db, [...changedBookings.values()]);
    await setMeta(ctx.db, LAST_FETCH_KEY, startedAt.toISOString());
  }
  return {
    bookingsFound: fetched.size,
    bookings: [...byUid.values()],
    links: known.links,
    warnings: doubts.warnings,
    news: found,
    firstRead: !lastFetch,
  };
}

/**
 * A booking the ledger holds as upcoming that neither list returned has changed in a way the filters did
 * not show (or the list and the ledger disagree): ask Cal.com for its current state instead of guessing.
 * Cal.com's answer is all that changes a booking: a re-check that fails, 404 included (a booking moved to
 * another account, or a brief fault), leaves it as it was, is reported, and is asked again next run.
 */
async function checkVanished(
  ctx: SyncContext,
  known: readonly StoredBooking[],
  fetched: ReadonlyMap<string, StoredBooking>,
  now: Date,
): Promise<{ found: StoredBooking[]; warnings: string[] }> {
  const missing = known.filter(
    (b) =>
      !fetched.has(b.uid) &&
      !isReplaced(b) &&
      isCurrent(b, now) &&
      (b.status === "accepted" || b.status === "pending") &&
      (ctx.eventTypeIds.length === 0 || (b.eventTypeId !== null && ctx.eventTypeIds.includes(b.eventTypeId))),
  );
  const found: StoredBooking[] = [];
  const failed: string[] = [];
  for (const booking of missing.slice(0, MAX_DOUBT_CHECKS)) {
    try {
      found.push(await ctx.calcom.getBooking(booking.uid));
    } catch (error) {
      if (!(error instanceof CalsyncError)) throw error;
      ctx.log.warn("could not re-check a booking missing from Cal.com's lists", {
        uid: booking.uid,
        error: error.message,
      });
      failed.push(`${booking.uid} (${error.message})`);
    }
  }
  const warnings =
    failed.length === 0
      ? []
      : [
          `Cal.com's lists no longer show ${failed.length} booking(s) and asking for them failed: ${failed.join("; ")}. Their rows are left as they are; calsync asks again next run.`,
        ];
  return { found, warnings };
}
