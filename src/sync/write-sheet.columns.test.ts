import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, LEAD_HEADER, SHEET_TITLE, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** Issue 12, item 7: columns inserted, deleted or moved while calsync writes. */

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", "call back"],
  ["WARM", "Dev", "Patel", "", "dev@example.com", "Patel & Sons", "prefers email"],
];
const anna = { name: "Anna Smith", email: "anna@example.com", phone: "+447700111111" };
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const london = (date: Date) => formatBookingTime(date, "Europe/London");
const shown = (cells: readonly string[]) => {
  const copy = [...cells];
  while (copy.length > 0 && copy.at(-1) === "") copy.pop();
  return copy;
};
/** Reorders a row of LEAD_HEADER's columns into `header`'s order. */
const inLayout = (header: readonly string[], cells: readonly string[]) =>
  shown(header.map((name) => (name === "" ? "" : (cells[LEAD_HEADER.indexOf(name)] ?? ""))));

const WHEN = [
  ["before the lead's row is anchored", "any"],
  ["after it is anchored, just before the cells land", "cells"],
] as const;

describeEachDatabase(
  "columns changing while calsync writes",
  (getDb) => {
    let system: System;
    const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
    const id = () => system.spreadsheetId;
    /** Runs `edit` once, before the first write (`any`) or just before the cells land (`cells`). */
    const beforeWrite = (when: "any" | "cells", edit: () => void) => {
      const stop = system.sheets.onRequest((request) => {
        if (request.kind !== "write") return;
        if (when === "cells" && !request.path.endsWith(":batchUpdateByDataFilter")) return;
        stop();
        edit();
      });
    };
    const beforeFirstWrite = (edit: () => void) => beforeWrite("any", edit);
    const annaDocument = () =>
      system.sanity.documents().find((doc) => doc._type === "dbrLead" && doc.email === anna.email);

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      // A first run learns the layout and writes Mark's booking, so the next run reads only its columns.
      await system.calcom.book({ start: inDays(2), attendee: mark });
      expect((await sync()).success).toBe(true);
    });
    afterEach(async () => {
      await system.close();
    });

    const markAfterFirstRun = () => {
      const cells = [...(LEADS[1] as string[])];
      cells[0] = "CALL_BOOKED";
      cells[7] = london(inDays(2));
      return cells;
    };

    it.each(WHEN)(
      "puts Company back when it is moved under the booking column as calsync writes, and writes the booking where it now is (%s)",
      async (_label, when) => {
        const start = inDays(3, 14);
        await system.calcom.book({ start, attendee: anna });
        // Company (F) is dragged to the far right: it now sits where call_booked was.
        beforeWrite(when, () => system.sheets.moveColumns(id(), SHEET_TITLE, { fromColumn: 5, toColumn: 8 }));
        const result = await sync();

        const header = [
          "Contact_Status",
          "First_Name",
          "Last_Name",
          "Phone",
          "Email",
          "Notes",
          "call_booked",
          "Company",
        ];
        const annaNow = [...(LEADS[0] as string[])];
        annaNow[0] = "CALL_BOOKED";
        annaNow[7] = london(start);
        expect(system.grid()).toEqual([
          header,
          inLayout(header, annaNow),
          inLayout(header, markAfterFirstRun()),
          inLayout(header, LEADS[2] as string[]),
        ]);
        expect(result).toMatchObject({ success: true, added: 0 });
        expect(annaDocument()).toMatchObject({
          sheetRow: 2,
          callBooked: london(start),
          contactStatus: "CALL_BOOKED",
        });

        // Nothing is appended again, and nothing is written again.
        system.sheets.resetStats();
        const again = await sync();
        expect(again).toMatchObject({ success: true, added: 0, updates: [] });
        expect(system.sheets.stats().writes).toBe(0);
        expect(system.grid()).toHaveLength(4);
      },
    );

    it.each(WHEN)(
      "puts Notes back when a column is inserted before it as calsync writes (%s)",
      async (_label, when) => {
        const start = inDays(3, 14);
        await system.calcom.book({ start, attendee: anna });
        beforeWrite(when, () => system.sheets.insertColumns(id(), SHEET_TITLE, 1));
        const result = await sync();

        const header = [
          "Contact_Status",
          "",
          "First_Name",
          "Last_Name",
          "Phone",
          "Email",
          "Company",
          "Notes",
          "call_booked",
        ];
        const annaNow = [...(LEADS[0] as string[])];
        annaNow[0] = "CALL_BOOKED";
        annaNow[7] = london(start);
        expect(system.grid()).toEqual([
          header,
          inLayout(header, annaNow),
          inLayout(header, markAfterFirstRun()),
          inLayout(header, LEADS[2] as string[]),
        ]);
        expect(result).toMatchObject({ success: true, added: 0 });
      },
    );

    it.each(WHEN)(
      "leaves nothing in a column with no header when one is deleted as calsync writes (%s)",
      async (_label, when) => {
        const start = inDays(3, 14);
        await system.calcom.book({ start, attendee: anna });
        // Notes (G) goes: call_booked moves to G, and H is a column calsync does not own.
        beforeWrite(when, () => system.sheets.deleteColumns(id(), SHEET_TITLE, 6));
        const result = await sync();

        const header = [
          "Contact_Status",
          "First_Name",
          "Last_Name",
          "Phone",
          "Email",
          "Company",
          "call_booked",
        ];
        const annaNow = [...(LEADS[0] as string[])];
        annaNow[0] = "CALL_BOOKED";
        annaNow[7] = london(start);
        expect(system.grid()).toEqual([
          header,
          inLayout(header, annaNow),
          inLayout(header, markAfterFirstRun()),
          inLayout(header, LEADS[2] as string[]),
        ]);
        expect(result).toMatchObject({ success: true, added: 0 });
      },
    );

    it("puts Company back when it moves under the booking column just before a known lead's new time lands", async () => {
      const booking = system.calcom.bookings()[0] as { uid: string };
      const moved = inDays(6, 16);
      await system.calcom.reschedule(booking.uid, moved);
      beforeWrite("cells", () =>
        system.sheets.moveColumns(id(), SHEET_TITLE, { fromColumn: 5, toColumn: 8 }),
      );
      const result = await sync();

      const header = [
        "Contact_Status",
        "First_Name",
        "Last_Name",
        "Phone",
        "Email",
        "Notes",
        "call_booked",
        "Company",
      ];
      const markNow = markAfterFirstRun();
      markNow[7] = london(moved);
      expect(system.grid()).toEqual([
        header,
        inLayout(header, LEADS[0] as string[]),
        inLayout(header, markNow),
        inLayout(header, LEADS[2] as string[]),
      ]);
      expect(result).toMatchObject({ success: true, added: 0, reschedules: 1 });
      expect(result.warnings.join(" ")).toMatch(/put back/);
    });

    it("re-plans a new booker on the new layout when columns move before the new row is added", async () => {
      const start = inDays(3, 14);
      await system.calcom.book({
        start,
        attendee: { name: "New Customer", email: "new@example.com", phone: "+447700999999" },
      });
      beforeFirstWrite(() => system.sheets.moveColumns(id(), SHEET_TITLE, { fromColumn: 5, toColumn: 8 }));
      const result = await sync();

      const header = [
        "Contact_Status",
        "First_Name",
        "Last_Name",
        "Phone",
        "Email",
        "Notes",
        "call_booked",
        "Company",
      ];
      expect(result).toMatchObject({ success: true, added: 1 });
      expect(system.grid()).toEqual([
        header,
        inLayout(header, LEADS[0] as string[]),
        inLayout(header, markAfterFirstRun()),
        inLayout(header, LEADS[2] as string[]),
        inLayout(header, [
          "CALL_BOOKED",
          "New",
          "Customer",
          "+447700999999",
          "new@example.com",
          "",
          "",
          london(start),
        ]),
      ]);
      const again = await sync();
      expect(again).toMatchObject({ success: true, added: 0 });
      expect(system.grid()).toHaveLength(5);
    });
  },
  { engines: ["sqlite"] },
);
