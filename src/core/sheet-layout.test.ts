import { describe, expect, it } from "vitest";
import {
  columnLetter,
  describeMissingHeaders,
  resolveSheetLayout,
  type SheetHeaders,
} from "./sheet-layout.ts";

const HEADERS: SheetHeaders = {
  status: "Contact_Status",
  booking: "call_booked",
  phone: "Phone",
  email: "Email",
  firstName: "First_Name",
  lastName: "Last_Name",
  note: "calsync_note",
};

describe("resolveSheetLayout", () => {
  it("finds columns by header text, whatever their order, case and spacing", () => {
    const result = resolveSheetLayout(
      ["  EMAIL ", "first name", "Last_Name", "Notes", "phone", "CONTACT_STATUS", "Call Booked"],
      HEADERS,
    );
    expect(result).toEqual({
      ok: true,
      value: { email: 0, firstName: 1, lastName: 2, phone: 4, status: 5, booking: 6, note: null, width: 7 },
    });
  });

  it("uses the optional notes column only when the sheet has it", () => {
    const result = resolveSheetLayout(
      ["Contact_Status", "First_Name", "Last_Name", "Phone", "Email", "call_booked", "calsync_note"],
      HEADERS,
    );
    expect(result.ok && result.value.note).toBe(6);
  });

  it("names every missing required header and the variable that sets it", () => {
    const result = resolveSheetLayout(["Contact_Status", "First_Name", "Phone"], HEADERS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.missing.map((m) => m.variable)).toEqual([
      "SHEET_BOOKING_HEADER",
      "SHEET_EMAIL_HEADER",
      "SHEET_LAST_NAME_HEADER",
    ]);
    expect(describeMissingHeaders(result.error)).toContain('"call_booked" (SHEET_BOOKING_HEADER)');
  });
});

describe("columnLetter", () => {
  it.each([
    [0, "A"],
    [23, "X"],
    [25, "Z"],
    [26, "AA"],
    [701, "ZZ"],
    [702, "AAA"],
  ])("column %d is %s", (index, letter) => {
    expect(columnLetter(index)).toBe(letter);
  });
});
