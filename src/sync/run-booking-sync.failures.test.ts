import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { runBookingSync } from "./run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"],
];
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const stranger = { name: "New Customer", email: "new@example.com", phone: "+447700999999" };

describeEachDatabase(
  "the sync when something fails",
  (getDb) => {
    let system: System;
    const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
    const writesSoFar = () => system.sheets.stats().writes;

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      await system.calcom.book({ start: inDays(2), attendee: mark });
    });
    afterEach(async () => {
      await system.close();
    });

    it.each([
      ["answers 401 (a revoked key)", (s: System) => s.calcom.failNext({ status: 401, count: 5 })],
      ["answers 500 on every try", (s: System) => s.calcom.failNext({ status: 500, count: 10 })],
      ["is unreachable", (s: System) => s.calcom.setDown(true)],
    ])("fails the run and writes nothing anywhere when Cal.com %s", async (_what, breakCalcom) => {
      breakCalcom(system);
      const result = await sync();
      expect(result).toMatchObject({ success: false, updatesApplied: 0, error: { code: "UPSTREAM" } });
      expect(result.message).toMatch(/Cal\.com/);
      expect(writesSoFar()).toBe(0);
      expect(system.sanity.documents()).toEqual([]);
      expect(system.cell("A3")).toBe("HOT");
    });

    it("rides out a brief Cal.com 5xx on a read", async () => {
      system.calcom.failNext({ status: 502, count: 1 });
      expect((await sync()).success).toBe(true);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("waits out 429s from Cal.com and Sheets, then completes", async () => {
      system.calcom.failNext({ status: 429, count: 2 });
      system.sheets.failNext({ status: 429, count: 2, kind: "write" });
      const result = await sync();
      expect(result.success).toBe(true);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("finishes on the next run what a Sheets failure part-way left, writing nothing twice", async () => {
      await system.calcom.book({ start: inDays(3), attendee: stranger });
      // The batch adding the new lead (and anchoring Mark's row) lands; every try of the cell write then
      // meets a Sheets outage.
      const stop = system.sheets.onRequest((request) => {
        if (request.path.endsWith(":batchUpdateByDataFilter"))
          system.sheets.failNext({ status: 503, kind: "write" });
      });
      const first = await sync();
      stop();
      expect(first.success).toBe(false);
      expect(first.updates).toEqual([expect.objectContaining({ row: 4, action: "added" })]);
      expect(system.cell("A3")).toBe("HOT");
      expect(system.grid()).toHaveLength(4);

      system.sheets.resetStats();
      const second = await sync();
      expect(second).toMatchObject({
        success: true,
        updates: [expect.objectContaining({ row: 3, action: "booked" })],
      });
      // Only Mark's cells, through the anchor the first run left: the new lead is not added again.
      expect(system.sheets.stats().writes).toBe(1);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect(system.grid()).toHaveLength(4);
      expect(system.grid()[3]?.[1]).toBe("New");
    });

    it("keeps the sheet written and queues the dashboard when Sanity is down, then sends it next run", async () => {
      system.sanity.setDown(true);
      const first = await sync();
      expect(first.success).toBe(true);
      expect(first.warnings.join(" ")).toMatch(/dashboard \(Sanity\) was not updated/);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect(system.sanity.documents()).toEqual([]);

      system.sanity.setDown(false);
      const second = await sync();
      expect(second).toMatchObject({ success: true, updatesApplied: 0, warnings: [] });
      expect(system.sanity.documents().filter((d) => d._type === "dbrLead")).toHaveLength(1);
      expect(system.sanity.documents()[0]).toMatchObject({
        callBooked: formatBookingTime(inDays(2), "Europe/London"),
      });
    });

    it("names the missing header when the sheet lacks a column it needs", async () => {
      system.sheets.typeCell(system.spreadsheetId, "Lead List", "H1", "Booked at");
      const result = await sync();
      expect(result.success).toBe(false);
      expect(result.error?.code).toBe("SHEET_LAYOUT");
      expect(result.message).toContain('"call_booked" (SHEET_BOOKING_HEADER)');
      expect(writesSoFar()).toBe(0);
    });

    it("serializes two runs started at once: the second waits, then finds nothing left to do", async () => {
      const [a, b] = await Promise.all([sync(), sync()]);
      expect(a.success && b.success).toBe(true);
      expect(a.updatesApplied + b.updatesApplied).toBe(1);
      // One run anchored Mark's row and wrote it; the other wrote nothing.
      expect(system.sheets.stats().writes).toBe(2);
    });

    it("gives up with LOCKED past SYNC_LOCK_TIMEOUT_MS while another run holds the lock", async () => {
      const held = await acquireRunLock(getDb(), { name: "booking-sync", timeoutMs: 1_000 });
      const ctx = { ...system.runtime.ctx, lockTimeoutMs: 200 };
      const result = await runBookingSync(ctx, { trigger: "http" });
      await held.release();
      expect(result).toMatchObject({ success: false, error: { code: "LOCKED" } });
      expect(result.message).toMatch(/Another sync run is in progress/);
      expect(writesSoFar()).toBe(0);
    });
  },
  { engines: ["sqlite", "postgres"] },
);
