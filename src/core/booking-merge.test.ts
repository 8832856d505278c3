import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { booking, HEADER, LAYOUT, NOW, RULES, row } from "../../test/support/core-fixtures.ts";
import { mergeBooking, replacedBookingStub, type StoredBooking } from "./booking-merge.ts";
import { planBookingSync } from "./plan-booking-sync.ts";

function mergeAll(events: readonly StoredBooking[]): Map<string, StoredBooking> {
  const ledger = new Map<string, StoredBooking>();
  for (const event of events) ledger.set(event.uid, mergeBooking(ledger.get(event.uid), event));
  return ledger;
}

describe("mergeBooking", () => {
  it("keeps a cancellation when the creation arrives after it", () => {
    const created = booking({ uid: "a", status: "accepted", updatedAt: null });
    const cancelled = booking({ uid: "a", status: "cancelled", updatedAt: null });
    expect(mergeAll([cancelled, created]).get("a")?.status).toBe("cancelled");
  });

  it("keeps the link to the new booking when a stale copy of the old one arrives", () => {
    const stub = replacedBookingStub("old", "new");
    const stale = booking({ uid: "old", status: "accepted" });
    const merged = mergeAll([stub, stale]).get("old");
    expect(merged?.rescheduledToUid).toBe("new");
    expect(merged?.start).toBe(stale.start);
  });

  it("moves pending to accepted and never back", () => {
    const pending = booking({ uid: "p", status: "pending", updatedAt: "2025-10-26T10:00:00.000Z" });
    const accepted = booking({ uid: "p", status: "accepted", updatedAt: "2025-10-26T11:00:00.000Z" });
    expect(mergeAll([accepted, pending]).get("p")?.status).toBe("accepted");
  });

  it("ends in the same state whatever order, duplication or loss of repeated news", () => {
    const lead = [HEADER, row("HOT", "Mark", "Greenall", "07700123456", "mark@example.com")];
    // One lead's story: book, reschedule twice, cancel the last; plus a second booking kept.
    const story: StoredBooking[] = [
      booking({ uid: "b1", start: "2025-10-28T10:00:00.000Z" }),
      booking({ uid: "b1", status: "cancelled", rescheduledToUid: "b2", start: "2025-10-28T10:00:00.000Z" }),
      booking({ uid: "b2", rescheduledFromUid: "b1", start: "2025-10-29T10:00:00.000Z" }),
      replacedBookingStub("b2", "b3"),
      booking({ uid: "b3", rescheduledFromUid: "b2", start: "2025-10-30T10:00:00.000Z" }),
      booking({
        uid: "b3",
        status: "cancelled",
        rescheduledFromUid: "b2",
        start: "2025-10-30T10:00:00.000Z",
      }),
      booking({ uid: "k", start: "2025-11-03T12:00:00.000Z" }),
    ];
    const cellsAfter = (events: StoredBooking[]) => {
      const result = planBookingSync({
        grid: lead,
        layout: LAYOUT,
        bookings: [...mergeAll(events).values()],
        links: new Map(),
        ledger: new Map(),
        now: NOW,
        rules: RULES,
      });
      return result.writes.map((w) => [w.row, w.status, w.booking]);
    };
    const expected = cellsAfter(story);
    expect(expected).toEqual([[2, "CALL_BOOKED", "12:00 03/11/2025"]]);
    const deliveries = fc
      .array(fc.integer({ min: 0, max: story.length - 1 }), { maxLength: 10 })
      .chain((extra) =>
        fc.shuffledSubarray([...story.keys(), ...extra], { minLength: story.length + extra.length }),
      );
    fc.assert(
      fc.property(deliveries, (order) => {
        expect(cellsAfter(order.map((i) => story[i] as StoredBooking))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
