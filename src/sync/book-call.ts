import { attendeeFor, findLead, type LeadTarget, parseCallStart } from "../core/book-call.ts";
import type { BookingSnapshot } from "../core/booking.ts";
import { mergeBooking } from "../core/booking-merge.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { leadName } from "../core/sheet-leads.ts";
import { loadBookingsByUid, saveBookings, saveLinks } from "../db/booking-ledger.ts";
import { mostUsedEventTypeId } from "../db/booking-stats.ts";
import { type ActionFailure, failureOf, refuse } from "./action-outcome.ts";
import type { SyncContext } from "./context.ts";
import { readLeads } from "./read-leads.ts";
import { runBookingSync } from "./run-booking-sync.ts";

export type BookCallRequest = { target: LeadTarget; start: string; eventTypeId?: number | undefined };

export type BookCallSuccess = {
  ok: true;
  booking: { uid: string; start: string; end: string; status: string; eventTypeId: number };
  lead: { row: number; name: string; documentId: string };
  /** The booking sync run right after, which writes the booking to the sheet and the dashboard. */
  sync: SyncRunResult;
};

/**
 * Books a call for a lead of the sheet through Cal.com (`POST /v2/bookings`), then runs the booking sync so
 * the sheet and the dashboard show it at once, as they would any booking. The lead is looked up in the
 * sheet as it is now, so a row that moved still books the right person.
 */
/** CALCOM_EVENT_TYPE_IDS' first id, else the event type most known bookings are of, else none. */
export async function defaultEventTypeId(ctx: SyncContext): Promise<number | null> {
  return ctx.eventTypeIds[0] ?? (await mostUsedEventTypeId(ctx.db));
}

export async function bookCall(
  ctx: SyncContext,
  request: BookCallRequest,
): Promise<BookCallSuccess | ActionFailure> {
  const start = parseCallStart(request.start, ctx.rules.timeZone);
  if (!start.ok) return refuse(400, start.error);
  if (start.value.getTime() <= ctx.clock().getTime())
    return refuse(400, "That time has passed; pick a later one.");
  const eventTypeId = request.eventTypeId ?? (await defaultEventTypeId(ctx));
  if (eventTypeId === null) {
    return refuse(
      400,
      "Say which event type to book (eventTypeId), or set CALCOM_EVENT_TYPE_IDS on the server.",
    );
  }

  let booking: BookingSnapshot;
  let lead: BookCallSuccess["lead"];
  let leadKey: string;
  try {
    const { leads } = await readLeads(ctx);
    const found = findLead(leads, request.target);
    if (!found.ok) return refuse(404, found.error);
    const attendee = attendeeFor(found.value, ctx.rules.timeZone);
    if (!attendee.ok) return refuse(422, attendee.error);
    leadKey = found.value.key as string;
    lead = {
      row: found.value.row,
      name: leadName(found.value),
      documentId: leadDocumentId(found.value.key as string),
    };
    booking = await ctx.calcom.createBooking({
      start: start.value,
      eventTypeId,
      attendee: attendee.value,
      metadata: { bookedWith: "calsync dashboard" },
    });
  } catch (thrown) {
    return failureOf(thrown);
  }
  ctx.log.info("booked a call from the dashboard", { uid: booking.uid, row: lead.row });
  // The ledger has the booking before the run reads Cal.com: the run finds it linked to this lead, and no
  // webhook is expected to have told of it first.
  const known = (await loadBookingsByUid(ctx.db, [booking.uid])).get(booking.uid);
  await saveBookings(ctx.db, [mergeBooking(known, booking)]);
  await saveLinks(ctx.db, new Map([[booking.uid, leadKey]]));
  const to = formatBookingTime(booking.start, ctx.rules.timeZone);
  const what = `booked a call for ${to}`;
  const sync = await runBookingSync(ctx, {
    trigger: "dashboard",
    origin: {
      what,
      bookingUids: [booking.uid],
      leadKeys: [leadKey],
      changes: [
        {
          kind: "calcom",
          action: "book",
          bookingUid: booking.uid,
          newBookingUid: null,
          to,
          row: lead.row,
          leadKey,
          leadName: lead.name,
          source: "dashboard",
          sourceRef: null,
          reason: `the dashboard's Book call: calsync booked the call in Cal.com for ${to}`,
        },
      ],
    },
  });
  return {
    ok: true,
    booking: {
      uid: booking.uid,
      start: booking.start,
      end: booking.end,
      status: booking.status,
      eventTypeId: booking.eventTypeId ?? eventTypeId,
    },
    lead,
    sync,
  };
}
