import fc from "fast-check";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { normalizePhone } from "./phone.ts";

describe("normalizePhone", () => {
  it.each([
    ["07742 201349", "+447742201349"],
    ["7742201349", "+447742201349"],
    ["+44 (0) 7742 201349", "+447742201349"],
    ["0044 7742 201349", "+447742201349"],
    ["44 7742 201349", "+447742201349"],
    ["+447742201349", "+447742201349"],
    ["07742.201.349", "+447742201349"],
    ["0774-220-1349", "+447742201349"],
    ["  07742 201349  ", "+447742201349"],
    ["0151 541 6933", "+441515416933"],
    ["447742201349", "+447742201349"],
    ["+1 (415) 555-2671", "+14155552671"],
  ])("reads %j as %s", (input, expected) => {
    expect(normalizePhone(input, "GB")).toBe(expected);
  });

  it.each([
    [7742201349, "+447742201349"],
    [447742201349, "+447742201349"],
    [7700123456, "+447700123456"],
  ])("reads the spreadsheet number %d as %s", (input, expected) => {
    expect(normalizePhone(input, "GB")).toBe(expected);
  });

  it("keeps numbers that are possible but unassigned, such as the drama range and the sample lead's 07700 123456", () => {
    expect(normalizePhone("+447700999999", "GB")).toBe("+447700999999");
    expect(normalizePhone("07700 900123", "GB")).toBe("+447700900123");
  });

  it.each(["", "   ", "n/a", "call after 5pm", "mark@example.com", "123", "TBC", "0"])(
    "gives no phone for %j",
    (input) => {
      expect(normalizePhone(input, "GB")).toBeNull();
    },
  );

  it("gives no phone for null, undefined and negative numbers", () => {
    expect(normalizePhone(null, "GB")).toBeNull();
    expect(normalizePhone(undefined, "GB")).toBeNull();
    expect(normalizePhone(-7742201349, "GB")).toBeNull();
  });

  it("uses the default region for national numbers", () => {
    expect(normalizePhone("(415) 555-2671", "US")).toBe("+14155552671");
    expect(normalizePhone("(415) 555-2671", "GB")).not.toBe("+14155552671");
  });

  it("every formatting of one UK mobile number normalizes to the same E.164", () => {
    const mobile = fc.stringMatching(/^7[0-9]{9}$/);
    const separator = fc.constantFrom("", " ", "-", ".", "  ");
    fc.assert(
      fc.property(mobile, separator, fc.integer({ min: 0, max: 6 }), (national, sep, style) => {
        const [a, b] = [national.slice(0, 4), national.slice(4)];
        const forms = [
          `0${a}${sep}${b}`,
          `${a}${sep}${b}`,
          `+44${sep}${a}${sep}${b}`,
          `+44 (0) ${a}${sep}${b}`,
          `0044${sep}${a}${sep}${b}`,
          `44${sep}${a}${sep}${b}`,
          Number(national),
        ];
        const expected = normalizePhone(`+44${national}`, "GB");
        expect(expected).toBe(`+44${national}`);
        expect(normalizePhone(forms[style] as string | number, "GB")).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("gives exactly what libphonenumber gives for every UK number written nationally", () => {
    const national = fc.stringMatching(/^0[1-9][0-9]{9}$/);
    const separator = fc.constantFrom("", " ", "-", ".");
    fc.assert(
      fc.property(national, separator, (digits, sep) => {
        const typed = `${digits.slice(0, 5)}${sep}${digits.slice(5)}`;
        const parsed = parsePhoneNumberFromString(digits, "GB");
        const expected = parsed && (parsed.isValid() || parsed.isPossible()) ? parsed.number : null;
        expect(normalizePhone(typed, "GB")).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives exactly what libphonenumber gives for every UK number written internationally", () => {
    const national = fc.stringMatching(/^[1-9][0-9]{9}$/);
    const prefix = fc.constantFrom("+44", "+44 ", "+44 (0) ", "0044", "0044 ");
    const region = fc.constantFrom("GB", "US", "DE") as fc.Arbitrary<"GB" | "US" | "DE">;
    fc.assert(
      fc.property(national, prefix, region, (digits, start, defaultRegion) => {
        const typed = `${start}${digits.slice(0, 4)} ${digits.slice(4)}`;
        const candidates = start.startsWith("+") ? [`+44${digits}`] : [`+44${digits}`, `0044${digits}`];
        let expected: string | null = null;
        for (const candidate of candidates) {
          const parsed = parsePhoneNumberFromString(candidate, defaultRegion);
          if (parsed?.isValid()) {
            expected = parsed.number;
            break;
          }
          if (expected === null && parsed?.isPossible()) expected = parsed.number;
        }
        expect(normalizePhone(typed, defaultRegion)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  /** What the candidates of a cell without `+` give through libphonenumber: the national one, then with `+`. */
  const throughLibphonenumber = (digits: string): string | null => {
    let possible: string | null = null;
    for (const candidate of [digits, `+${digits}`]) {
      const parsed = parsePhoneNumberFromString(candidate, "GB");
      if (parsed?.isValid()) return parsed.number;
      if (possible === null && parsed?.isPossible()) possible = parsed.number;
    }
    return possible;
  };

  it("gives exactly what libphonenumber gives for every UK mobile whose trunk zero the sheet ate", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^7[0-9]{9}$/), fc.boolean(), (digits, asNumber) => {
        const cell = asNumber ? Number(digits) : `${digits.slice(0, 4)} ${digits.slice(4)}`;
        expect(normalizePhone(cell, "GB")).toBe(throughLibphonenumber(digits));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives exactly what libphonenumber gives for every UK number written with a bare 44", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{9}$/), fc.constantFrom("", " "), (national, sep) => {
        expect(normalizePhone(`44${sep}${national}`, "GB")).toBe(throughLibphonenumber(`44${national}`));
      }),
      { numRuns: 2_000 },
    );
  });

  it("never turns text without digits into a phone", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/\d/.test(s)),
        (text) => {
          expect(normalizePhone(text, "GB")).toBeNull();
        },
      ),
    );
  });
});
