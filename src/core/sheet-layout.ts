import { err, ok, type Result } from "./result.ts";

/** The header texts of the columns calsync reads or writes, as configured (`SHEET_*_HEADER`). */
export type SheetHeaders = {
  status: string;
  booking: string;
  phone: string;
  email: string;
  firstName: string;
  lastName: string;
  /** Optional calsync-owned notes column: used only when the sheet has it. */
  note: string;
};

/** Zero-based column positions found in row 1. */
export type SheetLayout = {
  status: number;
  booking: number;
  phone: number;
  email: number;
  firstName: number;
  lastName: number;
  note: number | null;
  width: number;
};

export type MissingHeadersError = { missing: { variable: string; header: string }[]; found: string[] };

const REQUIRED = [
  ["status", "SHEET_STATUS_HEADER"],
  ["booking", "SHEET_BOOKING_HEADER"],
  ["phone", "SHEET_PHONE_HEADER"],
  ["email", "SHEET_EMAIL_HEADER"],
  ["firstName", "SHEET_FIRST_NAME_HEADER"],
  ["lastName", "SHEET_LAST_NAME_HEADER"],
] as const;

/** Headers compare case-, space- and underscore-insensitively: `First Name` finds `First_Name`. */
export function headerKey(text: unknown): string {
  return String(text ?? "")
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

/** Finds the configured columns by their header text in row 1, never by fixed column letters. */
export function resolveSheetLayout(
  headerRow: readonly unknown[],
  headers: SheetHeaders,
): Result<SheetLayout, MissingHeadersError> {
  const positions = new Map<string, number>();
  headerRow.forEach((cell, index) => {
    const key = headerKey(cell);
    if (key && !positions.has(key)) positions.set(key, index);
  });

  const missing: MissingHeadersError["missing"] = [];
  const found = {} as Record<(typeof REQUIRED)[number][0], number>;
  for (const [field, variable] of REQUIRED) {
    const position = positions.get(headerKey(headers[field]));
    if (position === undefined) missing.push({ variable, header: headers[field] });
    else found[field] = position;
  }
  if (missing.length > 0) return err({ missing, found: headerRow.map((cell) => String(cell ?? "")) });
  return ok({ ...found, note: positions.get(headerKey(headers.note)) ?? null, width: headerRow.length });
}

export function describeMissingHeaders(error: MissingHeadersError): string {
  const names = error.missing.map((m) => `"${m.header}" (${m.variable})`).join(", ");
  return `The sheet's row 1 has no column headed ${names}. Row 1 holds: ${error.found.filter(Boolean).join(", ") || "nothing"}.`;
}

/** `0` → `A`, `23` → `X`, `26` → `AA`. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
