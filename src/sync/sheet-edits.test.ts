import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"],
  ["WARM", "Cara", "Jones", "07700 333333", "cara@example.com"],
  ["COLD", "Dev", "Patel", "07700 444444", "dev@example.com"],
];
const person = (i: number) => {
  const lead = LEADS[i] as string[];
  return { name: `${lead[1]} ${lead[2]}`, phone: lead[3] as string, email: lead[4] as string };
};
const london = (date: Date) => formatBookingTime(date, "Europe/London");

describeEachDatabase(
  "edits in the sheet act on Cal.com",
  (getDb) => {
    let system: System;
    const sync = (options: { dryRun?: boolean; confirmReverse?: boolean } = {}) =>
      runBookingSync(system.runtime.ctx, { trigger: "cli", ...options });
    const type = (a1: string, text: string) =>
      system.sheets.typeCell(system.spreadsheetId, "Lead List", a1, text);
    const calcomWrites = () => system.calcom.requests().filter((r) => r.method !== "GET");

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      // The optional notes column, calsync-owned, after call_booked.
      type("I1", "calsync_note");
    });
    afterEach(async () => {
      await system.close();
    });

    it("cancels the booking in Cal.com when a person sets the status to cancelled", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      type("A3", "CALL_CANCELLED");

      const result = await sync();
      expect(result.reverseActions).toEqual([
        { row: 3, name: "Mark Greenall", uid: booking.uid, action: "cancel" },
      ]);
      expect(system.calcom.booking(booking.uid)).toMatchObject({ status: "cancelled" });
      expect(system.calcom.booking(booking.uid)?.cancellationReason).toMatch(/lead sheet/);
      expect(system.cell("A3")).toBe("CALL_CANCELLED");
      expect(system.cell("H3")).toBe("");
      const doc = system.sanity.documents().find((d) => d.firstName === "Mark");
      expect(doc).toMatchObject({ contactStatus: "CALL_CANCELLED", callBooked: null });
      expect(doc?.bookings).toEqual([expect.objectContaining({ uid: booking.uid, status: "cancelled" })]);
    });

    it("accepts any word of CANCEL_WORDS, in any case, and writes STATUS_CANCELLED", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      type("A3", "cancel");
      await sync();
      expect(system.calcom.booking(booking.uid)?.status).toBe("cancelled");
      expect(system.cell("A3")).toBe("CALL_CANCELLED");
    });

    it("reschedules the booking in Cal.com when a person types a new time, keeping it on the same row", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      const to = inDays(4, 15);
      type("H3", london(to));

      const result = await sync();
      expect(result.reverseActions).toEqual([
        { row: 3, name: "Mark Greenall", uid: booking.uid, action: "reschedule", to: london(to) },
      ]);
      const old = system.calcom.booking(booking.uid);
      expect(old?.rescheduledToUid).toEqual(expect.any(String));
      const moved = system.calcom.booking(old?.rescheduledToUid as string);
      expect(moved).toMatchObject({
        start: to.toISOString(),
        status: "accepted",
        rescheduledFromUid: booking.uid,
      });
      expect(system.cell("H3")).toBe(london(to));
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      const doc = system.sanity.documents().find((d) => d.firstName === "Mark");
      expect(doc).toMatchObject({ callBookedAt: to.toISOString() });

      // The new booking is linked to the row: a third run changes nothing and takes no action.
      system.calcom.resetRequests();
      const third = await sync();
      expect(third).toMatchObject({ reverseActions: [], updatesApplied: 0 });
      expect(calcomWrites()).toEqual([]);
    });

    it.each([
      ["an unreadable time", "tomorrow at 5", /not a time in the form HH:MM DD\/MM\/YYYY/],
      ["a time in the past", london(inDays(-3)), /in the past/],
      ["a time the clocks skip", "01:30 29/03/2099", /does not exist/],
    ])("puts back %s, says why, and changes nothing in Cal.com", async (_what, typed, reason) => {
      const start = inDays(2);
      await system.calcom.book({ start, attendee: person(1) });
      await sync();
      system.calcom.resetRequests();
      type("H3", typed);

      const result = await sync();
      expect(result.reverseActions).toEqual([]);
      expect(result.editsPutBack).toEqual([
        {
          row: 3,
          name: "Mark Greenall",
          typed,
          restoredTo: london(start),
          reason: expect.stringMatching(reason),
        },
      ]);
      expect(system.cell("H3")).toBe(london(start));
      expect(system.cell("I3")).toMatch(reason);
      expect(calcomWrites()).toEqual([]);
    });

    it("puts back a time Cal.com refuses (the slot is taken) and reports Cal.com's reason", async () => {
      const start = inDays(2);
      await system.calcom.book({ start, attendee: person(1) });
      const taken = inDays(3, 11);
      await system.calcom.book({
        start: taken,
        attendee: { name: "Someone Else", email: "else@example.com" },
      });
      await sync();
      type("H3", london(taken));

      const result = await sync();
      expect(result.success).toBe(true);
      expect(result.reverseActions).toEqual([]);
      expect(result.editsPutBack).toEqual([
        expect.objectContaining({
          row: 3,
          typed: london(taken),
          restoredTo: london(start),
          reason: expect.stringMatching(/Cal\.com refused/),
        }),
      ]);
      expect(system.cell("H3")).toBe(london(start));
    });

    it("lets Cal.com win when the booker and the sheet both changed the lead, and reports the conflict", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      const byBooker = inDays(5, 9);
      await system.calcom.reschedule(booking.uid, byBooker);
      type("H3", london(inDays(6, 16)));

      const result = await sync();
      expect(result.conflicts).toEqual([
        { row: 3, name: "Mark Greenall", sheetValue: london(inDays(6, 16)), calcomValue: london(byBooker) },
      ]);
      expect(result.reverseActions).toEqual([]);
      expect(system.cell("H3")).toBe(london(byBooker));
      expect(system.cell("I3")).toMatch(/undone/);
      // Only the booker's reschedule exists in Cal.com.
      expect(system.calcom.bookings().filter((b) => b.rescheduledFromUid)).toHaveLength(1);
    });

    it("never mistakes its own writes for a person's edits", async () => {
      const a = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await system.calcom.book({ start: inDays(3), attendee: person(0) });
      await sync();
      await system.calcom.reschedule(a.uid, inDays(4));
      await sync();
      await system.calcom.cancel(system.calcom.booking(a.uid)?.rescheduledToUid as string, "no");
      system.calcom.resetRequests();
      const result = await sync();
      const again = await sync();
      expect(result.reverseActions).toEqual([]);
      expect(again.reverseActions).toEqual([]);
      expect(calcomWrites()).toEqual([]);
    });

    it("holds every action when a run would take more than MAX_REVERSE_ACTIONS_PER_RUN, until a person confirms", async () => {
      await system.close();
      system = await startSystem({ db: getDb(), rows: LEADS, env: { MAX_REVERSE_ACTIONS_PER_RUN: "2" } });
      const bookings = [];
      for (let i = 0; i < 3; i++)
        bookings.push(await system.calcom.book({ start: inDays(2 + i), attendee: person(i) }));
      await sync();
      for (const row of [2, 3, 4]) type(`A${row}`, "CALL_CANCELLED");

      const held = await sync();
      expect(held).toMatchObject({ success: true, reverseActions: [], reverseActionsHeld: 3 });
      expect(held.warnings.join(" ")).toMatch(/MAX_REVERSE_ACTIONS_PER_RUN \(2\).*--confirm-reverse/);
      expect(bookings.map((b) => system.calcom.booking(b.uid)?.status)).toEqual([
        "accepted",
        "accepted",
        "accepted",
      ]);
      // The typed cells are left as typed.
      expect([2, 3, 4].map((row) => system.cell(`A${row}`))).toEqual([
        "CALL_CANCELLED",
        "CALL_CANCELLED",
        "CALL_CANCELLED",
      ]);
      expect(system.cell("H2")).toBe(london(inDays(2)));

      const confirmed = await sync({ confirmReverse: true });
      expect(confirmed.reverseActions).toHaveLength(3);
      expect(bookings.map((b) => system.calcom.booking(b.uid)?.status)).toEqual([
        "cancelled",
        "cancelled",
        "cancelled",
      ]);
      expect(system.cell("H2")).toBe("");
    });

    it("cancels only the call the row showed, then shows the lead's other call", async () => {
      const shown = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      const followUp = await system.calcom.book({ start: inDays(6), attendee: person(1) });
      await sync();
      type("A3", "CALL_CANCELLED");

      const result = await sync();
      expect(result.reverseActions).toEqual([
        { row: 3, name: "Mark Greenall", uid: shown.uid, action: "cancel" },
      ]);
      expect(system.calcom.booking(shown.uid)?.status).toBe("cancelled");
      expect(system.calcom.booking(followUp.uid)?.status).toBe("accepted");
      expect(system.cell("H3")).toBe(london(inDays(6)));
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("puts the status back and says why when Cal.com refuses the cancellation, and still updates other leads", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      type("A3", "CALL_CANCELLED");
      await system.calcom.book({ start: inDays(3), attendee: person(0) });
      system.calcom.failNext({ status: 400, path: `/bookings/${booking.uid}/cancel` });

      const result = await sync();
      expect(result.success).toBe(true);
      expect(result.editsPutBack).toEqual([
        expect.objectContaining({
          row: 3,
          typed: "CALL_CANCELLED",
          restoredTo: "CALL_BOOKED",
          reason: expect.stringMatching(/Cal\.com refused to cancel/),
        }),
      ]);
      expect(system.calcom.booking(booking.uid)?.status).toBe("accepted");
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect(system.cell("A2")).toBe("CALL_BOOKED");
    });

    it("keeps a held batch held while a person puts rows back one at a time, until someone confirms", async () => {
      await system.close();
      system = await startSystem({ db: getDb(), rows: LEADS, env: { MAX_REVERSE_ACTIONS_PER_RUN: "2" } });
      const bookings = [];
      for (let i = 0; i < 4; i++)
        bookings.push(await system.calcom.book({ start: inDays(2 + i), attendee: person(i) }));
      await sync();
      for (const row of [2, 3, 4, 5]) type(`A${row}`, "CALL_CANCELLED");
      expect((await sync()).reverseActionsHeld).toBe(4);

      // Two rows put back: two edits remain, fewer than the limit, and they are still held.
      type("A2", "CALL_BOOKED");
      type("A3", "CALL_BOOKED");
      const partly = await sync();
      expect(partly.reverseActionsHeld).toBe(2);
      expect(bookings.map((b) => system.calcom.booking(b.uid)?.status)).toEqual([
        "accepted",
        "accepted",
        "accepted",
        "accepted",
      ]);

      const confirmed = await sync({ confirmReverse: true });
      expect(confirmed.reverseActions).toHaveLength(2);
      expect(bookings.map((b) => system.calcom.booking(b.uid)?.status)).toEqual([
        "accepted",
        "accepted",
        "cancelled",
        "cancelled",
      ]);
    });

    it("lists the actions a dry run would take, and takes none", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
      await sync();
      type("A3", "CANCELLED");
      system.calcom.resetRequests();
      const result = await sync({ dryRun: true });
      expect(result.reverseActions).toEqual([
        { row: 3, name: "Mark Greenall", uid: booking.uid, action: "cancel" },
      ]);
      expect(calcomWrites()).toEqual([]);
      expect(system.calcom.booking(booking.uid)?.status).toBe("accepted");
      expect(system.cell("A3")).toBe("CANCELLED");
    });
  },
  { engines: ["sqlite"] },
);
