import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, SHEET_TITLE, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** Issue 12, item 5: a row inserted with content between calsync's read and its write. */

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", ""],
  ["CUSTOMER", "Cara", "Jones", "+44 7700 333333", "cara@example.com", "Jones Ltd", ""],
];
const PASTED = [
  "NEW",
  "Zed",
  "Pasted",
  "07700 555555",
  "zed@example.com",
  "Zed & Co",
  "from the CRM",
  "09:00 01/01/2031",
];
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const london = (date: Date) => formatBookingTime(date, "Europe/London");
/** A row as the sandbox shows it: without its trailing blanks. */
const shown = (cells: readonly string[]) => {
  const copy = [...cells];
  while (copy.length > 0 && copy.at(-1) === "") copy.pop();
  return copy;
};

describeEachDatabase(
  "a row inserted between calsync's read and its write",
  (getDb) => {
    let system: System;
    const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
    /** Runs `edit` once, just before the first Sheets request that matches. */
    const beforeFirst = (matches: (path: string, kind: string) => boolean, edit: () => void) => {
      const stop = system.sheets.onRequest((request) => {
        if (!matches(request.path, request.kind)) return;
        stop();
        edit();
      });
    };
    const pasteAbove = (row: number) => () =>
      system.sheets.insertRows(system.spreadsheetId, SHEET_TITLE, row, [PASTED]);
    const calcomChanges = () => system.calcom.requests().filter((request) => request.method !== "GET");
    const markDocument = () =>
      system.sanity.documents().find((doc) => doc._type === "dbrLead" && doc.phone === mark.phone);

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
    });
    afterEach(async () => {
      await system.close();
    });

    it("ends with the pasted row as the person left it, and the lead written, when the paste lands on a known lead's row just before the write", async () => {
      const first = await system.calcom.book({ start: inDays(2), attendee: mark });
      expect((await sync()).success).toBe(true);
      const moved = inDays(4, 15);
      await system.calcom.reschedule(first.uid, moved);
      system.calcom.resetRequests();

      // Another automation inserts a row at Mark's row while calsync is about to write it.
      beforeFirst((_path, kind) => kind === "write", pasteAbove(3));
      const result = await sync();

      expect(system.grid()).toEqual([
        expect.any(Array),
        LEADS[0],
        PASTED,
        [
          "CALL_BOOKED",
          "Mark",
          "Greenall",
          "07700123456",
          "mark.greenall@example.com",
          "Greenstar",
          "",
          london(moved),
        ],
        shown(LEADS[2] as string[]),
      ]);
      expect(result).toMatchObject({ success: true, updates: [expect.objectContaining({ row: 4 })] });
      expect(calcomChanges()).toEqual([]);
      expect(markDocument()).toMatchObject({
        sheetRow: 4,
        callBooked: london(moved),
        contactStatus: "CALL_BOOKED",
      });
    });

    it("ends with the pasted row as the person left it when the paste lands on the row of a lead written for the first time", async () => {
      const start = inDays(2);
      await system.calcom.book({ start, attendee: mark });
      beforeFirst((_path, kind) => kind === "write", pasteAbove(3));
      const result = await sync();

      expect(system.grid()).toEqual([
        expect.any(Array),
        LEADS[0],
        PASTED,
        [
          "CALL_BOOKED",
          "Mark",
          "Greenall",
          "07700123456",
          "mark.greenall@example.com",
          "Greenstar",
          "",
          london(start),
        ],
        shown(LEADS[2] as string[]),
      ]);
      expect(result.success).toBe(true);
      expect(calcomChanges()).toEqual([]);
      expect(markDocument()).toMatchObject({ sheetRow: 4, callBooked: london(start) });
    });

    it("writes the lead whose email a person edits just before the cells land, without taking it for another row", async () => {
      const first = await system.calcom.book({ start: inDays(2), attendee: mark });
      await sync();
      const moved = inDays(4, 15);
      await system.calcom.reschedule(first.uid, moved);
      beforeFirst(
        (path) => path.endsWith(":batchUpdateByDataFilter"),
        () => system.sheets.typeCell(system.spreadsheetId, SHEET_TITLE, "E3", "mark@greenstar.example"),
      );
      const result = await sync();

      expect(result).toMatchObject({ success: true, warnings: [] });
      expect(system.grid()[2]).toEqual([
        "CALL_BOOKED",
        "Mark",
        "Greenall",
        "07700123456",
        "mark@greenstar.example",
        "Greenstar",
        "",
        london(moved),
      ]);
    });

    it("ends with the pasted rows as the person left them when rows keep being pasted at the lead's row, and writes the lead on the next run", async () => {
      const start = inDays(2);
      await system.calcom.book({ start, attendee: mark });
      await sync();
      await system.calcom.reschedule((system.calcom.bookings()[0] as { uid: string }).uid, inDays(5));
      // Every write finds a freshly pasted row where Mark was read.
      const stop = system.sheets.onRequest((request) => {
        if (request.kind !== "write") return;
        const markRow = system.grid().findIndex((cells) => cells[1] === "Mark") + 1;
        system.sheets.insertRows(system.spreadsheetId, SHEET_TITLE, markRow, [PASTED]);
      });
      const stormy = await sync();
      stop();
      const pastedRows = system.grid().filter((cells) => cells[1] === "Zed");
      expect(pastedRows.length).toBeGreaterThan(0);
      for (const cells of pastedRows) expect(cells).toEqual(PASTED);

      const calm = await sync();
      expect(calm.success).toBe(true);
      const markRow = system.grid().find((cells) => cells[1] === "Mark");
      expect(markRow?.[0]).toBe("CALL_BOOKED");
      expect(markRow?.[7]).toBe(london(inDays(5)));
      for (const cells of system.grid().filter((row) => row[1] === "Zed")) expect(cells).toEqual(PASTED);
      expect(stormy.success || stormy.error?.code === "CONFLICT").toBe(true);
    });
  },
  { engines: ["sqlite"] },
);
