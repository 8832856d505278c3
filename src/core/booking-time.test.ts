import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeBookingTimeError, formatBookingTime, parseBookingTime } from "./booking-time.ts";

const LONDON = "Europe/London";

describe("formatBookingTime", () => {
  it.each([
    ["2025-10-26T00:30:00Z", "01:30 26/10/2025"],
    ["2025-10-27T17:00:00Z", "17:00 27/10/2025"],
    ["2025-03-30T01:30:00Z", "02:30 30/03/2025"],
    ["2025-03-30T00:59:00Z", "00:59 30/03/2025"],
    ["2025-01-05T09:05:00.000Z", "09:05 05/01/2025"],
    ["2025-07-01T23:30:00+00:00", "00:30 02/07/2025"],
  ])("shows %s as %s in Europe/London", (instant, text) => {
    expect(formatBookingTime(instant, LONDON)).toBe(text);
  });

  it("uses the configured zone", () => {
    expect(formatBookingTime("2025-10-27T17:00:00Z", "America/New_York")).toBe("13:00 27/10/2025");
  });
});

describe("parseBookingTime", () => {
  it("reads a time back to its instant on both sides of a clock change", () => {
    expect(parseBookingTime("17:00 27/10/2025", LONDON)).toEqual({
      ok: true,
      value: new Date("2025-10-27T17:00:00Z"),
    });
    expect(parseBookingTime("02:30 30/03/2025", LONDON)).toEqual({
      ok: true,
      value: new Date("2025-03-30T01:30:00Z"),
    });
    expect(parseBookingTime("9:05 5/1/2025", LONDON)).toEqual({
      ok: true,
      value: new Date("2025-01-05T09:05:00Z"),
    });
  });

  it("refuses a time the clocks skip", () => {
    const result = parseBookingTime("01:30 30/03/2025", LONDON);
    expect(result).toEqual({
      ok: false,
      error: { kind: "nonexistent", text: "01:30 30/03/2025", timeZone: LONDON },
    });
    if (!result.ok)
      expect(describeBookingTimeError(result.error)).toMatch(/does not exist in Europe\/London/);
  });

  it("refuses a time the clocks show twice rather than guess", () => {
    const result = parseBookingTime("01:30 26/10/2025", LONDON);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("ambiguous");
  });

  it.each([
    "",
    "tomorrow 5pm",
    "17:00",
    "2025-10-27 17:00",
    "24:00 27/10/2025",
    "17:60 27/10/2025",
    "17:00 31/02/2025",
  ])("refuses %j as unreadable", (text) => {
    const result = parseBookingTime(text, LONDON);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("unreadable");
  });

  it("format then parse gives the same minute for every minute across the clock changes of 2020–2035", () => {
    const start = Date.UTC(2020, 0, 1);
    const end = Date.UTC(2035, 11, 31);
    const minute = fc
      .integer({ min: 0, max: Math.floor((end - start) / 60_000) })
      .map((n) => start + n * 60_000);
    // Bias half the runs to the hours around the last Sundays of March and October, where the bugs live.
    const nearChange = fc
      .record({
        year: fc.integer({ min: 2020, max: 2035 }),
        month: fc.constantFrom(2, 9),
        offset: fc.integer({ min: -180, max: 180 }),
      })
      .map(({ year, month, offset }) => lastSundayAtOneUtc(year, month) + offset * 60_000);
    fc.assert(
      fc.property(fc.oneof(minute, nearChange), (instantMs) => {
        const text = formatBookingTime(new Date(instantMs), LONDON);
        const parsed = parseBookingTime(text, LONDON);
        if (parsed.ok) {
          expect(parsed.value.getTime()).toBe(instantMs);
        } else {
          // Only the repeated hour when clocks go back may refuse, and then the minute is one of its two readings.
          expect(parsed.error.kind).toBe("ambiguous");
          const hourLater = formatBookingTime(new Date(instantMs + 3_600_000), LONDON);
          const hourEarlier = formatBookingTime(new Date(instantMs - 3_600_000), LONDON);
          expect([hourLater, hourEarlier]).toContain(text);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it("every minute of every clock change 2020–2035 round-trips or is named ambiguous", () => {
    let ambiguous = 0;
    for (let year = 2020; year <= 2035; year++) {
      for (const month of [2, 9]) {
        const change = lastSundayAtOneUtc(year, month);
        for (let m = -120; m <= 120; m++) {
          const instant = change + m * 60_000;
          const parsed = parseBookingTime(formatBookingTime(new Date(instant), LONDON), LONDON);
          if (parsed.ok) expect(parsed.value.getTime()).toBe(instant);
          else {
            expect(parsed.error.kind).toBe("ambiguous");
            ambiguous++;
          }
        }
      }
    }
    // The repeated hour each October is seen from both sides: 16 years × 120 minutes.
    expect(ambiguous).toBe(16 * 120);
  });
});

/** EU clocks change at 01:00 UTC on the last Sunday of March (month 2) and October (month 9). */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, sunday, 1, 0);
}
