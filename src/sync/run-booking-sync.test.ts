import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { COL, inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", ""],
  ["CUSTOMER", "Cara", "Jones", "+44 7700 333333", "cara@example.com", "Jones Ltd", ""],
  ["WARM", "Dev", "Patel", "", "dev@example.com", "", ""],
  ["COLD", "Eve", "Brown", "7700444444", "eve@example.com", "", ""],
];

const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const london = (date: Date | string) => formatBookingTime(date, "Europe/London");

describeEachDatabase(
  "the Cal.com → sheet → Sanity sync",
  (getDb) => {
    let system: System;
    const sync = (options: { dryRun?: boolean } = {}) =>
      runBookingSync(system.runtime.ctx, { trigger: "cli", ...options });

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
    });
    afterEach(async () => {
      await system.close();
    });

    it("writes the booked call to the lead's row and the dashboard, and answers the run JSON (success, message, bookingsFound, matchesFound, updatesApplied, updates)", async () => {
      const start = inDays(2, 17);
      const booking = await system.calcom.book({ start, attendee: mark });
      const result = await sync();

      expect(result).toMatchObject({
        success: true,
        bookingsFound: 1,
        matchesFound: 1,
        updatesApplied: 1,
        updates: [{ row: 3, name: "Mark Greenall", bookingTime: london(start), action: "booked" }],
        cancellations: 0,
        reschedules: 0,
        added: 0,
        unmatched: [],
        ambiguous: [],
        warnings: [],
        dryRun: false,
      });
      expect(system.cell(`${COL.status}3`)).toBe("CALL_BOOKED");
      expect(system.cell(`${COL.booking}3`)).toBe(london(start));

      const [doc] = system.sanity.documents().filter((d) => d._type === "dbrLead");
      expect(doc).toMatchObject({
        firstName: "Mark",
        lastName: "Greenall",
        phone: "+447700123456",
        email: "mark.greenall@example.com",
        contactStatus: "CALL_BOOKED",
        callBooked: london(start),
        callBookedAt: start.toISOString(),
        sheetRow: 3,
        bookings: [expect.objectContaining({ uid: booking.uid, status: "accepted", eventTypeId: 3721996 })],
      });
    });

    it("makes zero write calls on a second run with nothing changed", async () => {
      await system.calcom.book({ start: inDays(2), attendee: mark });
      await sync();
      system.sheets.resetStats();
      system.sanity.resetStats();

      const second = await sync();
      expect(second).toMatchObject({ success: true, updatesApplied: 0, updates: [] });
      expect(system.sheets.stats().writes).toBe(0);
      expect(system.sanity.stats().mutateRequests).toBe(0);
      expect(second.apiCalls.sanity).toBe(0);
    });

    it("writes every matched row in one Sheets write call; a lead's first write anchors its row in one batch first", async () => {
      await system.calcom.book({ start: inDays(1), attendee: mark });
      await system.calcom.book({
        start: inDays(1, 12),
        attendee: { name: "Anna Smith", email: "anna@example.com" },
      });
      await system.calcom.book({
        start: inDays(3),
        attendee: { name: "Eve B", phone: "07700 444444", email: "x@y.z" },
      });
      system.sheets.resetStats();
      const result = await sync();
      expect(result.updatesApplied).toBe(3);
      const paths = () =>
        system.sheets
          .stats()
          .requests.map((r) => `${r.method} ${r.path.replace(/^.*\/v4\/spreadsheets\/[^/:]+/, "")}`);
      // The sheet read whole, the tab's id (once ever), the anchors for the three rows, the write.
      expect(paths()).toEqual([
        "GET /values/A:ZZZ",
        "GET ",
        "POST :batchUpdate",
        "POST /values:batchUpdateByDataFilter",
      ]);
      expect(result.apiCalls.sheets).toBe(4);
      expect(result.apiCalls.sheetsWrites).toBe(2);

      // The same leads' next writes: one read, one write.
      await system.calcom.book({ start: inDays(4), attendee: mark });
      await system.calcom.book({
        start: inDays(5),
        attendee: { name: "Anna Smith", email: "anna@example.com" },
      });
      const early = system.calcom.bookings().find((b) => b.attendees[0]?.email === "anna@example.com");
      await system.calcom.cancel(early?.uid as string, "clash");
      system.sheets.resetStats();
      const next = await sync();
      expect(next.updatesApplied).toBe(1);
      expect(paths()).toEqual(["POST /values:batchGetByDataFilter", "POST /values:batchUpdateByDataFilter"]);
      expect(next.apiCalls.sheets).toBe(2);
      expect(next.apiCalls.sheetsWrites).toBe(1);
    });

    it("never writes a cell it does not own", async () => {
      const before = system.grid();
      await system.calcom.book({ start: inDays(2), attendee: mark });
      await system.calcom.book({ start: inDays(2, 14), attendee: { name: "Cara J", phone: "07700333333" } });
      await sync();
      const after = system.grid();
      for (let r = 0; r < before.length; r++) {
        const owned = [0, 7];
        before[r]?.forEach((value, c) => {
          if (!owned.includes(c)) expect(after[r]?.[c], `row ${r + 1} column ${c + 1}`).toBe(value);
        });
      }
      // A protected status stays; its booking time is still written.
      expect(system.cell("A4")).toBe("CUSTOMER");
      expect(system.cell("H4")).toBe(london(inDays(2, 14)));
    });

    it("reads only the columns it uses once it knows the layout, and notices when columns move", async () => {
      await system.calcom.book({ start: inDays(2), attendee: mark });
      await sync();
      system.sheets.resetStats();
      await sync();
      expect(system.sheets.stats().requests.map((r) => r.path)).toEqual([
        expect.stringMatching(/values:batchGetByDataFilter$/),
      ]);

      // A person moves the booking column: the header row no longer matches, so the whole sheet is read again.
      const id = system.spreadsheetId;
      system.sheets.typeCell(id, "Lead List", "H1", "old booking");
      system.sheets.typeCell(id, "Lead List", "I1", "call_booked");
      await system.calcom.book({ start: inDays(3), attendee: { name: "Anna", email: "anna@example.com" } });
      const moved = await sync();
      expect(moved.success).toBe(true);
      expect(system.cell("I2")).toBe(london(inDays(3)));
      expect(system.cell("H2")).toBe("");
    });

    it("reads every page of bookings, not only the first 100", async () => {
      for (let i = 0; i < 260; i++) {
        system.calcom.addBooking({
          start: new Date(inDays(5).getTime() + i * 30 * 60_000).toISOString(),
          attendee: { name: `Booker ${i}`, email: `booker${i}@example.com` },
        });
      }
      const result = await sync({ dryRun: true });
      expect(result.bookingsFound).toBe(260);
      expect(result.added).toBe(260);
    });

    it("moves the same row to the new time on a reschedule, in both of Cal.com's forms", async () => {
      for (const style of ["documented", "live"] as const) {
        await system.close();
        system = await startSystem({ db: getDb(), rows: LEADS, calcom: { rescheduleStyle: style } });
        await getDb().exec("delete from bookings; delete from lead_ledger; delete from calsync_meta;");
        const first = await system.calcom.book({ start: inDays(2), attendee: mark });
        await sync();
        const moved = inDays(4, 15);
        await system.calcom.reschedule(first.uid, moved);
        const result = await sync();
        expect(result, style).toMatchObject({
          success: true,
          reschedules: 1,
          cancellations: 0,
          added: 0,
          unmatched: [],
          updates: [{ row: 3, bookingTime: london(moved), action: "rescheduled" }],
        });
        expect(system.cell("H3")).toBe(london(moved));
        expect(system.cell("A3")).toBe("CALL_BOOKED");
      }
    });

    it("clears the cell and marks the lead cancelled when Cal.com cancels its only booking", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: mark });
      await sync();
      await system.calcom.cancel(booking.uid, "Cannot make it");
      const result = await sync();
      expect(result).toMatchObject({
        cancellations: 1,
        updates: [{ row: 3, bookingTime: "", action: "cancelled" }],
      });
      expect(system.cell("A3")).toBe("CALL_CANCELLED");
      expect(system.cell("H3")).toBe("");
      const doc = system.sanity.documents().find((d) => d._type === "dbrLead");
      expect(doc).toMatchObject({ contactStatus: "CALL_CANCELLED", callBooked: null, callBookedAt: null });
      expect(doc?.bookings).toEqual([expect.objectContaining({ uid: booking.uid, status: "cancelled" })]);
    });

    it("shows the remaining booking when one of a lead's two is cancelled, keeping both on the dashboard", async () => {
      const soon = await system.calcom.book({ start: inDays(1), attendee: mark });
      const later = inDays(6, 9);
      await system.calcom.book({ start: later, attendee: mark });
      await sync();
      expect(system.cell("H3")).toBe(london(inDays(1)));
      await system.calcom.cancel(soon.uid, "Clash");
      await sync();
      expect(system.cell("H3")).toBe(london(later));
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      const doc = system.sanity.documents().find((d) => d._type === "dbrLead");
      expect(doc?.bookings).toHaveLength(2);
    });

    it("appends an unknown booker after the last row, with formulas kept as text", async () => {
      const start = inDays(3);
      await system.calcom.book({
        start,
        attendee: { name: "=IMPORTXML(A1) Hacker", email: "New@Example.com", phone: "07700 999999" },
      });
      const result = await sync();
      expect(result).toMatchObject({
        added: 1,
        updates: [{ row: 7, action: "added", bookingTime: london(start) }],
      });
      expect(system.grid()[6]).toEqual([
        "CALL_BOOKED",
        "=IMPORTXML(A1)",
        "Hacker",
        "+447700999999",
        "new@example.com",
        "",
        "",
        london(start),
      ]);
      // A second run matches the new row instead of appending the booker again.
      const again = await sync();
      expect(again.added).toBe(0);
      expect(system.grid()).toHaveLength(7);
    });

    it("reports unknown bookers instead of adding them when AUTO_ADD_UNKNOWN=false", async () => {
      await system.close();
      system = await startSystem({ db: getDb(), rows: LEADS, env: { AUTO_ADD_UNKNOWN: "false" } });
      const booking = await system.calcom.book({
        start: inDays(3),
        attendee: { name: "New Customer", email: "new@example.com", phone: "+447700999999" },
      });
      const result = await sync();
      expect(result.unmatched).toEqual([
        expect.objectContaining({ uid: booking.uid, email: "new@example.com" }),
      ]);
      expect(system.grid()).toHaveLength(6);
    });

    it("leaves a booking awaiting confirmation unwritten and reports it", async () => {
      const booking = system.calcom.addBooking({
        status: "pending",
        start: inDays(2).toISOString(),
        attendee: { name: "Mark Greenall", email: mark.email },
      });
      const result = await sync();
      expect(result.pending).toEqual([expect.objectContaining({ uid: booking.uid, row: 3 })]);
      expect(system.cell("A3")).toBe("HOT");
    });

    it("plans on a dry run and writes nothing anywhere", async () => {
      await system.calcom.book({ start: inDays(2), attendee: mark });
      system.sheets.resetStats();
      const result = await sync({ dryRun: true });
      expect(result).toMatchObject({
        dryRun: true,
        updatesApplied: 1,
        updates: [{ row: 3, action: "booked" }],
      });
      expect(system.sheets.stats().writes).toBe(0);
      expect(system.sanity.documents()).toEqual([]);
      expect(system.cell("A3")).toBe("HOT");
    });

    it.each([
      ["before its first write", (path: string) => path.endsWith(":batchUpdate")],
      [
        "after anchoring the rows, just before writing them",
        (path: string) => path.endsWith(":batchUpdateByDataFilter"),
      ],
    ])(
      "lands on the right leads when a person sorts the sheet between the read and the write (%s)",
      async (_when, matches) => {
        await system.calcom.book({ start: inDays(2), attendee: mark });
        await system.calcom.book({ start: inDays(3), attendee: { name: "Anna", email: "anna@example.com" } });
        const stop = system.sheets.onRequest((request) => {
          if (request.kind === "write" && matches(request.path)) {
            system.sheets.sortRows(system.spreadsheetId, "Lead List", { column: 1, descending: true });
            stop();
          }
        });
        const result = await sync();
        expect(result.success).toBe(true);
        const byName = new Map(system.grid().map((cells) => [cells[1], cells]));
        expect(byName.get("Mark")?.[0]).toBe("CALL_BOOKED");
        expect(byName.get("Mark")?.[7]).toBe(london(inDays(2)));
        expect(byName.get("Anna")?.[0]).toBe("CALL_BOOKED");
        expect(byName.get("Anna")?.[7]).toBe(london(inDays(3)));
        for (const name of ["Cara", "Dev", "Eve"]) {
          const original = LEADS.find((l) => l[1] === name);
          expect(byName.get(name)?.[0], name).toBe(original?.[0]);
          expect(byName.get(name)?.[7] ?? "", name).toBe("");
        }
        expect(system.grid()).toHaveLength(6);
      },
    );

    it("takes back a write that landed on an emptied row when a person deletes a row above it", async () => {
      await system.calcom.book({
        start: inDays(2),
        attendee: { name: "Eve Brown", email: "eve@example.com" },
      });
      const stop = system.sheets.onRequest((request) => {
        if (request.kind === "write") {
          system.sheets.deleteRows(system.spreadsheetId, "Lead List", 2, 1);
          stop();
        }
      });
      const result = await sync();
      expect(result.success).toBe(true);
      const grid = system.grid();
      expect(grid).toHaveLength(5);
      expect(grid[4]?.slice(0, 2)).toEqual(["CALL_BOOKED", "Eve"]);
      expect(grid[4]?.[7]).toBe(london(inDays(2)));
      // Nothing stray below the last lead.
      expect(system.cell("A6")).toBe("");
      expect(system.cell("H6")).toBe("");
    });

    it("lands on the right lead when a person inserts a row above it between the read and the write", async () => {
      await system.calcom.book({ start: inDays(2), attendee: mark });
      const stop = system.sheets.onRequest((request) => {
        if (request.kind === "write") {
          system.sheets.insertRows(system.spreadsheetId, "Lead List", 2, [
            ["NEW", "Zed", "New", "", "zed@example.com"],
          ]);
          stop();
        }
      });
      await sync();
      expect(system.cell("A4")).toBe("CALL_BOOKED");
      expect(system.cell("B4")).toBe("Mark");
      expect(system.cell("A3")).toBe("HOT");
      expect(system.cell("B3")).toBe("Anna");
    });
  },
  { engines: ["sqlite"] },
);
