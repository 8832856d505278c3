import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, LEAD_HEADER, SHEET_TITLE, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** Issue 12, item 8: appends land where they were aimed. */

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme"],
  // The last lead has no status yet: column A of the last row is empty.
  ["", "Ivy", "Jay", "07700 999000", "ivy@example.com", "Jay Inc"],
];
const newBooker = { name: "New Customer", email: "new@example.com", phone: "+447700999999" };
const london = (date: Date) => formatBookingTime(date, "Europe/London");

describeEachDatabase(
  "new leads added to the sheet",
  (getDb) => {
    let system: System;
    const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
    });
    afterEach(async () => {
      await system.close();
    });

    it("adds a new booker from column A below a last row whose first cell is empty, once", async () => {
      const start = inDays(3);
      await system.calcom.book({ start, attendee: newBooker });
      const first = await sync();
      expect(first).toMatchObject({ success: true, added: 1, updates: [{ row: 4, action: "added" }] });
      const added = [
        "CALL_BOOKED",
        "New",
        "Customer",
        "+447700999999",
        "new@example.com",
        "",
        "",
        london(start),
      ];
      expect(system.grid()).toEqual([LEAD_HEADER, LEADS[0], ["", ...(LEADS[1] as string[]).slice(1)], added]);
      expect(system.sanity.documents().find((doc) => doc.email === "new@example.com")).toMatchObject({
        sheetRow: 4,
        callBooked: london(start),
      });

      for (let run = 0; run < 2; run++) {
        const again = await sync();
        expect(again).toMatchObject({ success: true, added: 0, updates: [] });
      }
      expect(system.grid()).toHaveLength(4);
    });

    it("adds new bookers below the last lead even when a person adds a row at the bottom meanwhile", async () => {
      const start = inDays(3);
      await system.calcom.book({ start, attendee: newBooker });
      const stop = system.sheets.onRequest((request) => {
        if (request.kind !== "write") return;
        stop();
        system.sheets.insertRows(system.spreadsheetId, SHEET_TITLE, 4, [
          ["WARM", "Typed", "Person", "", "typed@example.com"],
        ]);
      });
      const result = await sync();
      expect(result).toMatchObject({ success: true, added: 1 });
      const grid = system.grid();
      expect(grid).toHaveLength(5);
      expect(grid.filter((cells) => cells[1] === "Typed")).toEqual([
        ["WARM", "Typed", "Person", "", "typed@example.com"],
      ]);
      expect(grid.filter((cells) => cells[1] === "New")).toEqual([
        ["CALL_BOOKED", "New", "Customer", "+447700999999", "new@example.com", "", "", london(start)],
      ]);
      const row = grid.findIndex((cells) => cells[1] === "New") + 1;
      expect(system.sanity.documents().find((doc) => doc.email === "new@example.com")).toMatchObject({
        sheetRow: row,
      });
    });
  },
  { engines: ["sqlite"] },
);
