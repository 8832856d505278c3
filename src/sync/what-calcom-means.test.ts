import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { COL, inDays, type System, startSystem } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** What Cal.com means, whichever way it says it: webhooks and polls agree, and a fault is not news. */
const LEADS = [
  ["HOT", "Kate", "Long", "07700 900111", "kate@example.com", "Acme", ""],
  ["CUSTOMER", "Owen", "Hill", "07700 900222", "owen@example.com", "Hill & Co", ""],
];
const kate = { name: "Kate Long", email: "kate@example.com", phone: "+447700900111" };
const owen = { name: "Owen Hill", email: "owen@example.com", phone: "+447700900222" };
const london = (date: Date | string) => formatBookingTime(date, "Europe/London");

describeEachDatabase("what Cal.com means", (getDb) => {
  let system: System | WebhookSystem | undefined;
  afterEach(async () => {
    await system?.close();
    system = undefined;
  });
  const sync = (on: System) => runBookingSync(on.runtime.ctx, { trigger: "cli" });

  it("shows a host's request to reschedule as waiting to rebook, not as a cancellation", async () => {
    const webhooks = await startWebhookSystem({ db: getDb(), rows: LEADS });
    system = webhooks;
    const booking = await webhooks.calcom.book({ start: inDays(2), attendee: kate });
    const customer = await webhooks.calcom.book({ start: inDays(3), attendee: owen });
    await webhooks.worker.idle();
    expect(webhooks.cell(`${COL.status}2`)).toBe("CALL_BOOKED");

    await webhooks.calcom.requestReschedule(booking.uid, "I am away that day; please pick another time");
    await webhooks.calcom.requestReschedule(customer.uid, "Moving our review");

    await webhooks.worker.idle();
    expect(webhooks.cell(`${COL.status}2`)).toBe("RESCHEDULE_REQUESTED");
    expect(webhooks.cell(`${COL.booking}2`)).toBe("");
    // A protected status stays; the booking cell still clears.
    expect(webhooks.cell(`${COL.status}3`)).toBe("CUSTOMER");
    expect(webhooks.cell(`${COL.booking}3`)).toBe("");
    const kateDoc = webhooks.sanity.documents().find((d) => d._type === "dbrLead" && d.firstName === "Kate");
    expect(kateDoc).toMatchObject({ waitingToRebook: true, callBooked: null });

    // A poll sees only a cancelled booking; it does not undo what the webhook told.
    await sync(webhooks);
    expect(webhooks.cell(`${COL.status}2`)).toBe("RESCHEDULE_REQUESTED");

    // The booker picks a new time: the row shows it as usual, and the lead no longer waits.
    const start = inDays(4);
    await webhooks.calcom.book({ start, attendee: kate });
    await webhooks.worker.idle();
    expect(webhooks.cell(`${COL.status}2`)).toBe("CALL_BOOKED");
    expect(webhooks.cell(`${COL.booking}2`)).toBe(london(start));
    expect(
      webhooks.sanity.documents().find((d) => d._type === "dbrLead" && d.firstName === "Kate"),
    ).toMatchObject({ waitingToRebook: false, callBooked: london(start) });
  });

  it("moves the row to the new time when the poll sees only the new booking's rescheduledFromUid", async () => {
    const polled = await startSystem({ db: getDb(), rows: LEADS, calcom: { rescheduleStyle: "unlinked" } });
    system = polled;
    const first = await polled.calcom.book({ start: inDays(2), attendee: kate });
    await sync(polled);
    const later = inDays(6);
    await polled.calcom.reschedule(first.uid, later);
    // Cal.com still answers the old booking as accepted, without rescheduledToUid.
    expect(polled.calcom.booking(first.uid)).toMatchObject({ status: "accepted" });
    expect(polled.calcom.booking(first.uid)?.rescheduledToUid).toBeUndefined();

    const result = await sync(polled);
    expect(result.updates).toEqual([expect.objectContaining({ row: 2, action: "rescheduled" })]);
    expect(polled.cell(`${COL.booking}2`)).toBe(london(later));
  });

  it("never cancels a booking for good because it vanished and answered 404, and keeps other leads going", async () => {
    const polled = await startSystem({ db: getDb(), rows: LEADS });
    system = polled;
    const start = inDays(2);
    const booking = await polled.calcom.book({ start, attendee: kate });
    await sync(polled);

    polled.calcom.setHidden(booking.uid, true);
    const hidden = await sync(polled);
    expect(hidden.success).toBe(true);
    expect(hidden.warnings.join(" ")).toContain(booking.uid);
    expect(polled.cell(`${COL.status}2`)).toBe("CALL_BOOKED");
    expect(polled.cell(`${COL.booking}2`)).toBe(london(start));

    // It was a passing fault: the booking is back as it was, and so is everything else.
    polled.calcom.setHidden(booking.uid, false);
    const back = await sync(polled);
    expect(back).toMatchObject({ success: true, updatesApplied: 0, warnings: [] });
    expect(polled.cell(`${COL.booking}2`)).toBe(london(start));
  });

  it("keeps running when one booking's re-check keeps failing with 403 or 500, retrying it each run", async () => {
    const polled = await startSystem({ db: getDb(), rows: LEADS });
    system = polled;
    const booking = await polled.calcom.book({ start: inDays(2), attendee: kate });
    await sync(polled);
    polled.calcom.setHidden(booking.uid, true);

    const start = inDays(3);
    await polled.calcom.book({ start, attendee: owen });
    for (const status of [403, 500]) {
      polled.calcom.failNext({ status, path: `/bookings/${booking.uid}`, method: "GET", count: 10 });
      const result = await sync(polled);
      expect(result.success).toBe(true);
      expect(result.warnings.join(" ")).toContain(booking.uid);
      // Owen's new call is written although Kate's booking could not be checked.
      expect(polled.cell(`${COL.booking}3`)).toBe(london(start));
      expect(polled.cell(`${COL.status}2`)).toBe("CALL_BOOKED");
    }
  });
});
