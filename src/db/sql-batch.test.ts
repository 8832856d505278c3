import { expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import type { LeadLedgerEntry } from "../core/plan-booking-sync.ts";
import { loadBookingsByUid } from "./booking-ledger.ts";
import { loadLeadLedger, saveLeadLedger } from "./lead-ledger.ts";
import { MAX_PARAMS, placeholders, valueRows } from "./sql-batch.ts";

const entry = (index: number): LeadLedgerEntry => ({
  leadKey: `lead-${index}@example.com`,
  row: index + 2,
  decision: "booked",
  statusWritten: "CALL_BOOKED",
  bookingWritten: "2025-03-01 10:00",
  bookingUid: `uid-${index}`,
});

it("spells placeholders and value rows from any starting parameter", () => {
  expect(placeholders(3, 4)).toBe("$4, $5, $6");
  expect(valueRows(2, 2, { tail: "now()" })).toBe("($1, $2, now()), ($3, $4, now())");
  expect(valueRows(1, 3, { start: 3 })).toBe("($3, $4, $5)");
});

describeEachDatabase("batched statements", (getDb) => {
  it("saves and reads back more rows than one statement holds", async () => {
    const db = getDb();
    const entries = Array.from({ length: 1_234 }, (_, index) => entry(index));
    await saveLeadLedger(db, entries);
    await saveLeadLedger(
      db,
      entries.map((e) => ({ ...e, statusWritten: "CANCELLED" })),
    );
    const ledger = await loadLeadLedger(db);
    expect(ledger.size).toBe(entries.length);
    expect(ledger.get("lead-1233@example.com")).toEqual({ ...entry(1_233), statusWritten: "CANCELLED" });
  });

  it("looks up more keys than one statement takes parameters", async () => {
    const uids = Array.from({ length: MAX_PARAMS + 10 }, (_, index) => `uid-${index}`);
    expect(await loadBookingsByUid(getDb(), uids)).toEqual(new Map());
  });

  it("writes all batches or none: a failure in the last leaves the earlier ones unsaved", async () => {
    const db = getDb();
    const entries = Array.from({ length: 1_234 }, (_, index) => entry(index));
    const broken = [...entries.slice(0, -1), { ...entry(1_233), decision: null as unknown as string }];
    await expect(saveLeadLedger(db, broken)).rejects.toMatchObject({
      name: "DatabaseError",
      sqlState: "23502",
    });
    expect((await loadLeadLedger(db)).size).toBe(0);
  });
});
