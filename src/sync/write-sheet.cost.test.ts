import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { createSheetsApi } from "../sheets/google-api.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/**
 * What the anchored writes cost in Sheets calls, and what happens when the sheet's developer metadata
 * (30,000 characters per sheet, shared with other tools) has little or no room for calsync's anchors.
 */

const london = (date: Date) => formatBookingTime(date, "Europe/London");
const LEADS = Array.from({ length: 15 }, (_, i) => [
  "WARM",
  `Lead${i}`,
  "Known",
  `07700 ${String(500_000 + i)}`,
  `lead${i}@example.com`,
]);
const lead = (i: number) => ({
  name: `Lead${i} Known`,
  email: `lead${i}@example.com`,
  phone: `+447700${500_000 + i}`,
});
/** Distinct times: the Cal.com host can take one call at a time. */
const slot = (i: number) => inDays(2 + Math.floor(i / 10), 8 + (i % 10));
const stranger = { name: "New Customer", email: "new@example.com", phone: "+447700999999" };

describeEachDatabase(
  "the cost of anchored writes",
  (getDb) => {
    let system: System;
    const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
    /** The Sheets calls since the stats were reset: the method and its custom verb (`get` for a plain GET). */
    const calls = () =>
      system.sheets.stats().requests.map((r) => {
        const verb = /:(batchUpdate|batchUpdateByDataFilter|batchGetByDataFilter|batchGet|search)$/.exec(
          r.path,
        );
        return `${r.method} ${verb?.[1] ?? "get"}`;
      });
    const anchors = () =>
      system.sheets.developerMetadata(system.spreadsheetId).filter((m) => m.metadataKey === "cs");
    /** Another tool's developer metadata on the lead tab, taking `characters` of its budget. */
    const otherToolUses = async (characters: number) => {
      const api = createSheetsApi({ apiUrl: system.sheets.url, isCustomApiUrl: true });
      await api.spreadsheets.batchUpdate({
        spreadsheetId: system.spreadsheetId,
        requestBody: {
          requests: [
            {
              createDeveloperMetadata: {
                developerMetadata: {
                  metadataKey: "other-tool",
                  metadataValue: "x".repeat(characters - "other-tool".length),
                  visibility: "DOCUMENT",
                  location: { sheetId: 0 },
                },
              },
            },
          ],
        },
      });
      return async () => {
        await api.spreadsheets.batchUpdate({
          spreadsheetId: system.spreadsheetId,
          requestBody: {
            requests: [
              {
                deleteDeveloperMetadata: {
                  dataFilter: { developerMetadataLookup: { metadataKey: "other-tool" } },
                },
              },
            ],
          },
        });
      };
    };

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      system.sheets.resetStats();
    });
    afterEach(async () => {
      await system.close();
    });

    it("costs four calls on a lead's first write, one on a re-run with nothing new, and two for a known lead", async () => {
      const first = await system.calcom.book({ start: inDays(2), attendee: lead(1) });
      expect((await sync()).success).toBe(true);
      // The whole read, the tab's id (looked up once), the batch anchoring the row, the cells.
      expect(calls()).toEqual(["GET get", "GET get", "POST batchUpdate", "POST batchUpdateByDataFilter"]);

      system.sheets.resetStats();
      expect((await sync()).updates).toEqual([]);
      expect(calls()).toEqual(["POST batchGetByDataFilter"]);

      await system.calcom.reschedule(first.uid, inDays(3));
      system.sheets.resetStats();
      expect((await sync()).updates).toEqual([expect.objectContaining({ row: 3, action: "rescheduled" })]);
      expect(calls()).toEqual(["POST batchGetByDataFilter", "POST batchUpdateByDataFilter"]);

      // A new lead alone: its row is added and anchored in one batch.
      await system.calcom.book({ start: inDays(4), attendee: stranger });
      system.sheets.resetStats();
      expect((await sync()).added).toBe(1);
      expect(calls()).toEqual(["POST batchGetByDataFilter", "POST batchUpdate"]);
      expect(anchors()).toHaveLength(2);
    });

    it("writes in waves, never holding more anchors than fit, when other tools leave little room", async () => {
      // 80 characters are left: room for 12 of calsync's 6-character anchors (a tenth stays free).
      await otherToolUses(29_920);
      for (let i = 0; i < 15; i++) await system.calcom.book({ start: slot(i), attendee: lead(i) });
      system.sheets.resetStats();
      const result = await sync();

      expect(result).toMatchObject({ success: true, updatesApplied: 15 });
      for (let i = 0; i < 15; i++) {
        expect(system.grid()[i + 1]?.slice(0, 2), `row ${i + 2}`).toEqual(["CALL_BOOKED", `Lead${i}`]);
        expect(system.grid()[i + 1]?.[7]).toBe(london(slot(i)));
      }
      expect(anchors().length).toBeLessThanOrEqual(12);
      expect(
        system.sheets.developerMetadata(system.spreadsheetId).filter((m) => m.metadataKey === "other-tool"),
      ).toHaveLength(1);
      // The first batch is refused (no room for 15), the metadata is counted, then two waves.
      expect(calls().filter((call) => call.startsWith("POST batchUpdate"))).toEqual([
        "POST batchUpdate",
        "POST batchUpdate",
        "POST batchUpdateByDataFilter",
        "POST batchUpdate",
        "POST batchUpdateByDataFilter",
      ]);
      expect(system.sheets.stats().requests.filter((r) => r.status === 400)).toHaveLength(1);
      // Every lead's document shows what its row now shows, whichever wave wrote it.
      const documents = system.sanity.documents().filter((doc) => doc._type === "dbrLead");
      expect(documents).toHaveLength(15);
      for (const doc of documents) {
        const i = Number(String(doc.firstName).replace("Lead", ""));
        expect(doc, String(doc.firstName)).toMatchObject({
          contactStatus: "CALL_BOOKED",
          callBooked: london(slot(i)),
          sheetRow: i + 2,
        });
      }
      system.sanity.resetStats();
      expect((await sync()).updates).toEqual([]);
      expect(system.sanity.stats().mutateRequests).toBe(0);
    });

    it("writes no row it cannot anchor when other tools fill the metadata, says why, and writes it once there is room", async () => {
      const removeOtherTool = await otherToolUses(29_996);
      await system.calcom.book({ start: inDays(2), attendee: lead(3) });
      await system.calcom.book({ start: inDays(4), attendee: stranger });
      const full = await sync();

      expect(full).toMatchObject({ success: false, error: { code: "CONFLICT" } });
      expect(full.message).toMatch(/developer metadata is full/);
      expect(system.grid()[4]?.slice(0, 2)).toEqual(["WARM", "Lead3"]);
      expect(system.grid()[4]?.[7] ?? "").toBe("");
      // A new lead's row needs no anchor to be added safely: it is a fresh row.
      expect(system.grid()[16]).toEqual([
        "CALL_BOOKED",
        "New",
        "Customer",
        "+447700999999",
        "new@example.com",
        "",
        "",
        london(inDays(4)),
      ]);
      expect(anchors()).toEqual([]);

      await removeOtherTool();
      const roomy = await sync();
      expect(roomy).toMatchObject({
        success: true,
        updates: [expect.objectContaining({ row: 5, action: "booked" })],
      });
      expect(system.grid()[4]?.[0]).toBe("CALL_BOOKED");
      expect(system.grid()[16]?.[1]).toBe("New");
      expect(system.grid()).toHaveLength(17);
    });
  },
  { engines: ["sqlite"] },
);
