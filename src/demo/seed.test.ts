import { describe, expect, it } from "vitest";
import { formatBookingTime } from "../core/booking-time.ts";
import { normalizeEmail } from "../core/email.ts";
import { normalizePhone } from "../core/phone.ts";
import { demoSchedule } from "./demo-schedule.ts";
import { buildDemoBookings, UNKNOWN_BOOKER } from "./seed-bookings.ts";
import { buildDemoLeads, DEMO_COLUMN, DEMO_HEADER, DEMO_ROWS, demoSheetRows } from "./seed-leads.ts";

const TZ = "Europe/London";
const NOW = new Date("2025-10-27T09:12:00Z");
const leads = buildDemoLeads({ now: NOW, timeZone: TZ });
const rows = demoSheetRows(leads);
const bookings = buildDemoBookings({ now: NOW, timeZone: TZ, leads });
const schedule = demoSchedule(NOW, TZ);
const rowAt = (row: number) => rows[row - 1] ?? [];
const phones = leads.map((lead) => lead.cells[DEMO_COLUMN.phone]);

describe("the demo sheet", () => {
  it("has the 24 lead-list columns A:X with the foundation headers, and about 200 leads", () => {
    expect(rows[0]).toHaveLength(24);
    expect(rows[0]?.slice(0, 5)).toEqual(["Contact_Status", "First_Name", "Last_Name", "Phone", "Email"]);
    expect(rows[0]?.[23]).toBe("call_booked");
    expect(leads).toHaveLength(200);
    for (const row of rows) expect(row).toHaveLength(DEMO_HEADER.length);
  });

  it("holds the sample lead Mark Greenall in row 45 with phone 07700123456, HOT and not yet booked", () => {
    expect(rowAt(45).slice(0, 5)).toEqual([
      "HOT",
      "Mark",
      "Greenall",
      "07700123456",
      "mark.greenall@example.com",
    ]);
    expect(rowAt(45)[23]).toBe("");
  });

  it("writes phones in every format the foundation issue lists", () => {
    const text = phones.filter((phone): phone is string => typeof phone === "string");
    const shapes: [string, RegExp][] = [
      ["national with a space", /^07\d{3} \d{6}$/],
      ["leading zero eaten", /^7\d{9}$/],
      ["+44 (0)", /^\+44 \(0\) \d/],
      ["0044", /^0044 \d/],
      ["bare 44", /^44 \d/],
      ["E.164", /^\+44\d{10}$/],
      ["dots", /^0\d{3,4}\.\d{3}\.\d{3,4}$/],
      ["dashes", /^0\d{3,4}-\d{3}-\d{3,4}$/],
      ["spaces in threes", /^07\d{3} \d{3} \d{3}$/],
    ];
    for (const [name, shape] of shapes) {
      expect(
        text.some((phone) => shape.test(phone)),
        name,
      ).toBe(true);
    }
    // Numbers the sheet stores as numbers, as an import leaves them.
    expect(phones.filter((phone) => typeof phone === "number").length).toBeGreaterThan(5);
  });

  it("gives every lead a phone or email that no other row holds, so each row is one lead", () => {
    const keys = leads.map(
      (lead) =>
        normalizePhone(lead.cells[DEMO_COLUMN.phone] as string | number, "GB") ??
        normalizeEmail(lead.email) ??
        `row ${lead.row}`,
    );
    expect(new Set(keys).size).toBe(leads.length);
    for (const lead of leads) expect(lead.phone ?? lead.email).not.toBeNull();
    const emails = leads.flatMap((lead) => (lead.email ? [lead.email.toLowerCase()] : []));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it("uses the statuses HOT, WARM, COLD and NEW, and a few protected ones", () => {
    const count = (status: string) => leads.filter((lead) => lead.status === status).length;
    for (const status of ["HOT", "WARM", "COLD", "NEW"]) expect(count(status)).toBeGreaterThan(10);
    for (const status of ["CUSTOMER", "DO_NOT_CONTACT"]) {
      expect(count(status)).toBeGreaterThanOrEqual(2);
      expect(count(status)).toBeLessThan(20);
    }
  });

  it("shows the calls calsync wrote earlier: the moved one at its old time, the cancelled one as booked", () => {
    expect(rowAt(DEMO_ROWS.rescheduled)[0]).toBe("CALL_BOOKED");
    expect(rowAt(DEMO_ROWS.rescheduled)[23]).toBe(formatBookingTime(schedule.rescheduledFrom, TZ));
    expect(rowAt(DEMO_ROWS.cancelled)[0]).toBe("CALL_BOOKED");
    expect(rowAt(DEMO_ROWS.cancelled)[23]).toBe(formatBookingTime(schedule.cancelled, TZ));
  });

  it("is the same every time for the same moment", () => {
    expect(demoSheetRows(buildDemoLeads({ now: NOW, timeZone: TZ }))).toEqual(rows);
    expect(buildDemoBookings({ now: NOW, timeZone: TZ, leads })).toEqual(bookings);
  });
});

describe("the demo bookings", () => {
  const byRole = (role: string) => bookings.filter((booking) => booking.role === role);

  it("are about 30, at round times, none overlapping another upcoming call", () => {
    expect(bookings.length).toBeGreaterThanOrEqual(28);
    expect(bookings.length).toBeLessThanOrEqual(35);
    for (const booking of bookings) expect(booking.seed.start.getUTCMinutes() % 30).toBe(0);
    const upcoming = bookings.filter((b) => b.seed.status === "accepted" && b.seed.start > NOW);
    expect(new Set(upcoming.map((b) => b.seed.start.getTime())).size).toBe(upcoming.length);
  });

  it("book Mark Greenall by phone +447700123456", () => {
    const [mark] = byRole("mark");
    expect(mark?.seed).toMatchObject({
      status: "accepted",
      attendee: { name: "Mark Greenall", phone: "+447700123456" },
    });
    expect(mark?.seed.start.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it("include a reschedule that already happened: the old booking points to the new one and back", () => {
    const [from] = byRole("rescheduled-from");
    const [to] = byRole("rescheduled-to");
    expect(from?.seed).toMatchObject({ status: "cancelled", rescheduledToUid: to?.seed.uid });
    expect(to?.seed).toMatchObject({ status: "accepted", rescheduledFromUid: from?.seed.uid });
    expect(to?.row).toBe(DEMO_ROWS.rescheduled);
    expect(to?.seed.start).toEqual(schedule.rescheduledTo);
  });

  it("include a cancellation of a call still ahead", () => {
    const [cancelled] = byRole("cancelled");
    expect(cancelled).toMatchObject({ row: DEMO_ROWS.cancelled, seed: { status: "cancelled" } });
    expect(cancelled?.seed.start.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it("include a lead with two upcoming calls", () => {
    const calls = byRole("two-calls");
    expect(calls).toHaveLength(2);
    for (const call of calls)
      expect(call).toMatchObject({ row: DEMO_ROWS.twoCalls, seed: { status: "accepted" } });
  });

  it("include the sample unknown booker, whose phone and email are in no row", () => {
    const [unknown] = byRole("unknown-booker");
    expect(unknown?.seed.attendee).toMatchObject(UNKNOWN_BOOKER);
    expect(phones.map((phone) => normalizePhone(phone as string | number, "GB"))).not.toContain(
      "+447700999999",
    );
    expect(leads.map((lead) => lead.email)).not.toContain("new@example.com");
  });

  it("include a booker with no phone whose email matches a row only once letter case is ignored", () => {
    const [emailOnly] = byRole("email-only");
    expect(emailOnly?.seed.attendee?.phone).toBeNull();
    expect(emailOnly?.seed.phoneIn).toBe("none");
    const email = emailOnly?.seed.attendee?.email ?? "";
    expect(rowAt(DEMO_ROWS.emailOnly)[DEMO_COLUMN.email]).not.toBe(email);
    expect(normalizeEmail(String(rowAt(DEMO_ROWS.emailOnly)[DEMO_COLUMN.email]))).toBe(normalizeEmail(email));
  });

  it("match their rows by phone whatever format the sheet holds it in", () => {
    for (const booking of bookings.filter((b) => b.row !== null && b.role !== "email-only")) {
      const cell = rowAt(booking.row as number)[DEMO_COLUMN.phone] as string | number;
      expect(normalizePhone(cell, "GB"), `row ${booking.row}`).toBe(booking.seed.attendee?.phone);
    }
  });
});
