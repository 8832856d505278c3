import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, SHEET_TITLE } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/**
 * Issue 12, item 6: no misplaced write outlives its run, while people sort, insert and delete rows as a
 * batch of webhooks is applied.
 */

const HEADER = [
  "Contact_Status",
  "First_Name",
  "Last_Name",
  "Phone",
  "Email",
  "Company",
  "Notes",
  "call_booked",
];
const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme"],
  ["CUSTOMER", "Cara", "Jones", "07700 333333", "cara@example.com", "Jones Ltd"],
  ["WARM", "Dev", "Patel", "07700 444444", "dev@example.com", "Patel & Sons"],
  ["COLD", "Eve", "Brown", "07700 555555", "eve@example.com", "Brown Bros"],
  ["CUSTOMER", "Finn", "Gray", "07700 666666", "finn@example.com", "Gray Ltd"],
  ["COLD", "Gus", "Hill", "07700 777777", "gus@example.com", "Hill Farm"],
  ["WARM", "Hana", "Ito", "07700 888888", "hana@example.com", "Ito KK"],
  ["COLD", "Ivy", "Jay", "07700 999000", "ivy@example.com", "Jay Inc"],
];
const original = new Map(LEADS.map((cells) => [cells[1] as string, cells]));
const london = (date: Date) => formatBookingTime(date, "Europe/London");
const BOOKED = new Map([
  ["Anna", inDays(2, 9)],
  ["Cara", inDays(3, 10)],
  ["Eve", inDays(4, 11)],
  ["Hana", inDays(5, 12)],
]);
const booker = (name: string) => {
  const cells = original.get(name) as string[];
  return {
    name: `${cells[1]} ${cells[2]}`,
    email: cells[4] as string,
    phone: `+44${(cells[3] as string).replace(/\D/g, "").slice(1)}`,
  };
};

describeEachDatabase(
  "writes while people edit the sheet",
  (getDb) => {
    let system: WebhookSystem;
    const rowsByName = (grid: string[][]) => new Map(grid.slice(1).map((cells) => [cells[1] ?? "", cells]));

    /**
     * What a person may see at the end of any run: every row still holds its own cells; a booked lead shows
     * its own time (or, if its write had to wait, what it showed before); protected statuses stay; rows
     * without a booking are untouched; no Cal.com action was taken on a misread row. Once complete, every
     * booked lead shows its call and its dbrLead document points at its row.
     */
    const expectNothingMisplaced = (grid: string[][], complete: boolean, when: string) => {
      for (const [name, cells] of rowsByName(grid)) {
        const before = original.get(name);
        expect(before, `${when}: an unknown row ${JSON.stringify(cells)}`).toBeDefined();
        expect(cells.slice(1, 6), `${when}: ${name}'s own cells`).toEqual(before?.slice(1, 6));
        expect(cells[6] ?? "", `${when}: ${name}'s notes`).toBe("");
        const booking = BOOKED.get(name);
        const status = cells[0];
        if (!booking) {
          expect([status, cells[7] ?? ""], `${when}: ${name}`).toEqual([before?.[0], ""]);
          continue;
        }
        const written = before?.[0] === "CUSTOMER" ? "CUSTOMER" : "CALL_BOOKED";
        const allowed = complete
          ? [[written, london(booking)]]
          : [
              [written, london(booking)],
              [before?.[0], ""],
            ];
        expect(allowed, `${when}: ${name} shows ${status} / ${cells[7]}`).toContainEqual([
          status,
          cells[7] ?? "",
        ]);
      }
      const reverse = system.calcom.requests().filter((request) => request.method !== "GET");
      expect(reverse, `${when}: Cal.com actions taken from misread rows`).toEqual([]);
      if (!complete) return;
      const documents = system.sanity.documents().filter((d) => d._type === "dbrLead");
      expect(documents.map((doc) => doc.firstName).sort()).toEqual([...BOOKED.keys()].sort());
      for (const doc of documents) {
        const cells = grid[(doc.sheetRow as number) - 1] ?? [];
        expect(cells[4], `the document of ${String(doc.email)} points at its row`).toBe(doc.email);
        expect(cells[7] ?? "", `${String(doc.email)}'s document shows the row's time`).toBe(
          doc.callBooked ?? "",
        );
        expect(cells[0], `${String(doc.email)}'s document shows the row's status`).toBe(doc.contactStatus);
      }
    };
    /** The sheet after each batch of webhooks, with the batch's answer. */
    let afterEachBatch: { result: SyncRunResult; grid: string[][] }[] = [];

    beforeEach(async () => {
      afterEachBatch = [];
      system = await startWebhookSystem({
        db: getDb(),
        rows: LEADS,
        // Between batches nothing touches the sheet: what a person sees once a batch has ended.
        worker: { onBatch: (result) => afterEachBatch.push({ result, grid: system.grid() }) },
      });
    });
    afterEach(async () => {
      await system.close();
    });

    it("applies a batch of webhooks while rows are sorted and deleted, leaving no row with another lead's cells", async () => {
      const id = system.spreadsheetId;
      const deleteRowOf = (name: string) => {
        const row = system.grid().findIndex((cells) => cells[1] === name) + 1;
        if (row > 0) system.sheets.deleteRows(id, SHEET_TITLE, row, 1);
      };
      const edits = [
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 1, descending: true }),
        () => deleteRowOf("Ivy"),
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 3 }),
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 5, descending: true }),
        () => deleteRowOf("Gus"),
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 0 }),
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 2, descending: true }),
        () => system.sheets.sortRows(id, SHEET_TITLE, { column: 1 }),
      ];
      let next = 0;
      const stop = system.sheets.onRequest((request) => {
        if (request.kind !== "write" || next >= edits.length) return;
        edits[next++]?.();
      });
      for (const name of BOOKED.keys()) {
        await system.calcom.book({ start: BOOKED.get(name) as Date, attendee: booker(name) });
      }
      await system.worker.idle();
      stop();
      expect(next).toBe(edits.length);
      // No batch ended with a misplaced cell, whether it succeeded or had to leave rows for the next one.
      expect(afterEachBatch.length).toBeGreaterThan(1);
      afterEachBatch.forEach(({ result, grid }, i) => {
        expect(result.message, `batch ${i + 1}`).not.toMatch(/could not put everything back/);
        expectNothingMisplaced(grid, false, `after batch ${i + 1}`);
      });
      expect([...rowsByName(system.grid()).keys()].sort()).toEqual([
        "Anna",
        "Cara",
        "Dev",
        "Eve",
        "Finn",
        "Hana",
      ]);
      expect(afterEachBatch.at(-1)?.result.success).toBe(true);
      expectNothingMisplaced(system.grid(), true, "in the end");
    }, 120_000);

    it("fails loudly, naming the cells, when a person sorts before every write of a run, and the next run puts them back first", async () => {
      const id = system.spreadsheetId;
      await runBookingSync(system.runtime.ctx, { trigger: "cli" });
      // Booked without webhooks, so only the polling runs below apply them.
      for (const name of BOOKED.keys()) {
        system.calcom.addBooking({ start: BOOKED.get(name) as Date, attendee: booker(name) });
      }
      // Every time cells are about to land, the rows are sorted the other way round.
      let descending = false;
      const stop = system.sheets.onRequest((request) => {
        if (!request.path.endsWith(":batchUpdateByDataFilter")) return;
        descending = !descending;
        system.sheets.sortRows(id, SHEET_TITLE, { column: 3, descending });
      });
      const stormy = await runBookingSync(system.runtime.ctx, { trigger: "cli" });
      stop();
      expect(stormy).toMatchObject({ success: false, error: { code: "CONFLICT" } });
      expect(stormy.message).toMatch(
        /could not put everything back.*row \d+, column "(Contact_Status|call_booked)" shows/,
      );

      // The next run puts the cells back before it reads anything into them, then writes every lead.
      const calm = await runBookingSync(system.runtime.ctx, { trigger: "cli" });
      expect(calm.success).toBe(true);
      expectNothingMisplaced(system.grid(), true, "after the calm run");
      expect(system.grid()[0]).toEqual(HEADER);
      const again = await runBookingSync(system.runtime.ctx, { trigger: "cli" });
      expect(again).toMatchObject({ success: true, updates: [] });
      expectNothingMisplaced(system.grid(), true, "after the next run");
    });
  },
  { engines: ["sqlite"] },
);
