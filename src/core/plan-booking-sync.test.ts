import { describe, expect, it } from "vitest";
import { booking, HEADER, LAYOUT, NOW, RULES, row } from "../../test/support/core-fixtures.ts";
import type { StoredBooking } from "./booking-merge.ts";
import { type LeadLedgerEntry, type PlanInput, planBookingSync, type SyncPlan } from "./plan-booking-sync.ts";

const GRID = [
  HEADER,
  row("HOT", "Anna", "Smith", "07700 111111", "anna@example.com"),
  row("HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"),
  row("CUSTOMER", "Cara", "Jones", "+44 7700 333333", "cara@example.com"),
  row("WARM", "Dev", "Patel", "", "dev@example.com"),
  row("COLD", "Twin", "One", "07700 444444", "twin1@example.com"),
  row("COLD", "Twin", "Two", "07700 444444", "twin2@example.com"),
];

function plan(bookings: StoredBooking[], extra: Partial<PlanInput> = {}): SyncPlan {
  return planBookingSync({
    grid: GRID,
    layout: LAYOUT,
    bookings,
    links: new Map(),
    ledger: new Map(),
    now: NOW,
    rules: RULES,
    ...extra,
  });
}

function ledgerOf(result: SyncPlan): Map<string, LeadLedgerEntry> {
  return new Map(result.leads.flatMap((lead) => (lead.ledger ? [[lead.leadKey, lead.ledger]] : [])));
}

describe("planBookingSync", () => {
  it("books the matched row: status and UK booking time (a new booking of a known lead)", () => {
    const result = plan([booking({ uid: "b1" })]);
    expect(result.writes).toEqual([
      expect.objectContaining({
        row: 3,
        status: "CALL_BOOKED",
        booking: "17:00 27/10/2025",
        update: { row: 3, name: "Mark Greenall", bookingTime: "17:00 27/10/2025", action: "booked" },
      }),
    ]);
    expect(result.matchesFound).toBe(1);
    expect(result.appends).toEqual([]);
  });

  it("matches by email when the booker's phone is not in the sheet", () => {
    const result = plan([booking({ attendee: { phone: null, email: "DEV@example.com", name: "Dev P" } })]);
    expect(result.writes.map((w) => w.row)).toEqual([5]);
  });

  it("writes the booking time but never the status of a protected row", () => {
    const result = plan([booking({ attendee: { phone: "07700333333" } })]);
    expect(result.writes).toEqual([expect.objectContaining({ row: 4, booking: "17:00 27/10/2025" })]);
    expect(result.writes[0]).not.toHaveProperty("status");
  });

  it("shows the earliest upcoming booking when a lead has several, and keeps them all", () => {
    const later = booking({ uid: "later", start: "2025-10-28T10:00:00.000Z" });
    const sooner = booking({ uid: "sooner", start: "2025-10-27T17:00:00.000Z" });
    const result = plan([later, sooner]);
    expect(result.writes[0]?.booking).toBe("17:00 27/10/2025");
    expect(result.leads[0]?.bookings.map((b) => b.uid)).toEqual(["sooner", "later"]);
  });

  it.each([
    ["documented", "cancelled"],
    ["live", "accepted"],
  ] as const)("treats a reschedule (%s form) as the same row moving to the new time", (_form, oldStatus) => {
    const first = plan([booking({ uid: "old" })]);
    const old = booking({ uid: "old", status: oldStatus, rescheduledToUid: "new" });
    const moved = booking({
      uid: "new",
      start: "2025-10-29T11:30:00.000Z",
      rescheduledFromUid: "old",
      attendee: { phone: null, email: "someone-else@example.com" },
    });
    const result = plan([old, moved], { ledger: ledgerOf(first), grid: applied(first) });
    expect(result.writes).toEqual([
      expect.objectContaining({
        row: 3,
        booking: "11:30 29/10/2025",
        update: expect.objectContaining({ action: "rescheduled" }),
      }),
    ]);
    expect(result.unmatched).toEqual([]);
    expect(result.appends).toEqual([]);
  });

  it("clears the cell and marks the lead cancelled when its only booking is cancelled", () => {
    const first = plan([booking({ uid: "b1" })]);
    const result = plan([booking({ uid: "b1", status: "cancelled" })], {
      ledger: ledgerOf(first),
      grid: applied(first),
    });
    expect(result.writes).toEqual([
      expect.objectContaining({
        row: 3,
        status: "CALL_CANCELLED",
        booking: "",
        update: { row: 3, name: "Mark Greenall", bookingTime: "", action: "cancelled" },
      }),
    ]);
  });

  it("keeps a protected status when its booking is cancelled, but still clears the cell", () => {
    const cara = { phone: "07700333333" };
    const first = plan([booking({ uid: "c1", attendee: cara })]);
    const result = plan([booking({ uid: "c1", status: "cancelled", attendee: cara })], {
      ledger: ledgerOf(first),
      grid: applied(first),
    });
    expect(result.writes).toEqual([expect.objectContaining({ row: 4, booking: "" })]);
    expect(result.writes[0]).not.toHaveProperty("status");
  });

  it("shows the remaining booking when one of two is cancelled", () => {
    const a = booking({ uid: "a", start: "2025-10-27T17:00:00.000Z" });
    const b = booking({ uid: "b", start: "2025-10-30T09:00:00.000Z" });
    const first = plan([a, b]);
    const result = plan([{ ...a, status: "cancelled" }, b], {
      ledger: ledgerOf(first),
      grid: applied(first),
    });
    expect(result.writes).toEqual([expect.objectContaining({ row: 3, booking: "09:00 30/10/2025" })]);
    expect(result.writes[0]).not.toHaveProperty("status");
  });

  it("leaves the row alone when its call took place, even if an older booking for later was cancelled", () => {
    const heldCall = booking({ uid: "x", start: "2025-10-27T17:00:00.000Z" });
    const cancelledLater = booking({ uid: "w", status: "cancelled", start: "2025-11-03T10:00:00.000Z" });
    const first = plan([heldCall, cancelledLater]);
    expect(first.writes[0]?.booking).toBe("17:00 27/10/2025");
    const grid = applied(first).map((cells) => [...cells]);
    (grid[2] as string[])[0] = "HOT";
    const afterTheCall = plan([heldCall, cancelledLater], {
      now: new Date("2025-10-28T09:00:00Z"),
      ledger: ledgerOf(first),
      grid,
    });
    expect(afterTheCall.writes).toEqual([]);
  });

  it("appends an unknown booker with Cal.com's name split, an E.164 phone and the booking time", () => {
    const stranger = booking({
      attendee: {
        name: "New Customer",
        firstName: "New",
        lastName: "Customer",
        phone: "07700 999999",
        email: "New@Example.com",
      },
    });
    const result = plan([stranger]);
    expect(result.appends).toEqual([
      {
        leadKey: "tel:+447700999999",
        values: [
          "CALL_BOOKED",
          "New",
          "Customer",
          "+447700999999",
          "new@example.com",
          "",
          "17:00 27/10/2025",
        ],
        update: { name: "New Customer", bookingTime: "17:00 27/10/2025", action: "added" },
      },
    ]);
    expect(result.writes).toEqual([]);
  });

  it("splits a name on its first word when Cal.com gives no split, and appends one row per booker", () => {
    const attendee = { name: "Mary Ann de Souza", phone: "+447700555555", email: "mary@example.com" };
    const result = plan([
      booking({ attendee, start: "2025-10-30T09:00:00.000Z" }),
      booking({ attendee, start: "2025-10-28T09:00:00.000Z" }),
    ]);
    expect(result.appends).toHaveLength(1);
    expect(result.appends[0]?.values.slice(1, 3)).toEqual(["Mary", "Ann de Souza"]);
    expect(result.appends[0]?.values[6]).toBe("09:00 28/10/2025");
  });

  it("reports unknown bookers instead of adding them when AUTO_ADD_UNKNOWN=false", () => {
    const result = plan(
      [booking({ uid: "x", attendee: { phone: "+447700999999", email: "new@example.com" } })],
      {
        rules: { ...RULES, autoAddUnknown: false },
      },
    );
    expect(result.appends).toEqual([]);
    expect(result.unmatched).toEqual([
      expect.objectContaining({ uid: "x", phone: "+447700999999", email: "new@example.com" }),
    ]);
  });

  it("reports a booking awaiting confirmation without writing it", () => {
    const result = plan([booking({ uid: "p", status: "pending" })]);
    expect(result.writes).toEqual([]);
    expect(result.pending).toEqual([expect.objectContaining({ uid: "p", row: 3 })]);
  });

  it("reports an ambiguous booker with the candidate rows and writes neither", () => {
    const result = plan([booking({ uid: "t", attendee: { phone: "07700444444", email: null } })]);
    expect(result.writes).toEqual([]);
    expect(result.ambiguous).toEqual([expect.objectContaining({ uid: "t", candidateRows: [6, 7] })]);
  });

  it("uses the email when the phone is shared but the email names one row", () => {
    const result = plan([booking({ attendee: { phone: "07700444444", email: "twin2@example.com" } })]);
    expect(result.writes.map((w) => w.row)).toEqual([7]);
  });

  it("leaves past bookings as they are", () => {
    const result = plan([booking({ start: "2025-10-20T10:00:00.000Z" })]);
    expect(result.writes).toEqual([]);
    expect(result.matchesFound).toBe(0);
  });

  it("plans nothing on a second run when nothing changed", () => {
    const bookings = [
      booking({ uid: "a" }),
      booking({ uid: "z", attendee: { phone: "07700999000", email: "z@z.io" } }),
    ];
    const first = plan(bookings);
    expect(first.writes.length + first.appends.length).toBe(2);
    const second = plan(bookings, { ledger: ledgerOf(first), grid: applied(first), links: first.links });
    expect(second.writes).toEqual([]);
    expect(second.appends).toEqual([]);
  });

  it("does not write over a person's edit to a row it already wrote for the same booking", () => {
    const first = plan([booking({ uid: "a" })]);
    const grid = applied(first).map((cells) => [...cells]);
    (grid[2] as string[])[0] = "COLD";
    const second = plan([booking({ uid: "a" })], { ledger: ledgerOf(first), grid });
    expect(second.writes).toEqual([]);
  });

  it("follows its lead when rows move: the write goes to the lead's new row", () => {
    const first = plan([booking({ uid: "a" })]);
    const sorted = [HEADER, ...applied(first).slice(1).reverse()];
    const second = plan([booking({ uid: "a", status: "cancelled" })], {
      ledger: ledgerOf(first),
      grid: sorted,
      links: first.links,
    });
    expect(second.writes.map((w) => [w.row, w.identity.phone])).toEqual([[6, "+447700123456"]]);
  });
});

/** The grid as it reads after a plan's writes and appends landed where they were aimed. */
function applied(result: SyncPlan, grid: readonly (readonly string[])[] = GRID): string[][] {
  const next = grid.map((cells) => [...cells]);
  for (const write of result.writes) {
    const cells = next[write.row - 1] as string[];
    if (write.status !== undefined) cells[LAYOUT.status] = write.status;
    if (write.booking !== undefined) cells[LAYOUT.booking] = write.booking;
  }
  for (const append of result.appends) next.push([...append.values]);
  return next;
}
