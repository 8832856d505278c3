/**
 * What a cell holds, how input becomes a cell (valueInputOption) and how a cell is read back
 * (valueRenderOption).
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueRenderOption
 */

export type Scalar = string | number | boolean;

/** A non-empty cell: its effective value and, for formulas, the formula as typed. Empty cells are `null`. */
export type Cell = { readonly value: Scalar; readonly formula?: string };

export type ValueInputOption = "RAW" | "USER_ENTERED";
export type ValueRenderOption = "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA";

/** What a value in a write request does to its cell. */
export type CellWrite = { kind: "skip" } | { kind: "clear" } | { kind: "set"; cell: Cell };

/**
 * `null` leaves the cell as it is and `""` empties it, as ValueRange documents ("Null values will be
 * skipped. To set a cell to an empty value, set the string value to an empty string").
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
 * Returns null for values the API rejects (objects, arrays).
 */
export function cellWrite(value: unknown, option: ValueInputOption): CellWrite | null {
  if (value === null || value === undefined) return { kind: "skip" };
  if (value === "") return { kind: "clear" };
  if (typeof value === "number") return Number.isFinite(value) ? { kind: "set", cell: { value } } : null;
  if (typeof value === "boolean") return { kind: "set", cell: { value } };
  if (typeof value !== "string") return null;
  return { kind: "set", cell: option === "RAW" ? { value } : userEntered(value) };
}

/**
 * Text as if a person typed it into the sheet: a leading `'` forces text, `=` starts a formula, TRUE/FALSE
 * become booleans and anything that reads as a number becomes one (leading zeros and digit-group spaces
 * are lost: `07700 123456` → 7700123456). Dates, currencies and percentages stay text here, a deliberate
 * simplification: real Sheets would turn them into formatted numbers.
 */
export function userEntered(text: string): Cell {
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (text.startsWith("=") && text.length > 1) return { value: evaluateFormula(text), formula: text };
  const trimmed = text.trim();
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === "true" };
  const number = parseNumber(trimmed);
  return number === null ? { value: text } : { value: number };
}

function parseNumber(text: string): number | null {
  const plain = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const thousands = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
  const digitGroups = /^[+-]?\d+( \d+)+$/;
  if (plain.test(text)) return Number(text);
  if (thousands.test(text)) return Number(text.replaceAll(",", ""));
  if (digitGroups.test(text)) return Number(text.replaceAll(" ", ""));
  return null;
}

/**
 * The sandbox computes only literal formulas (`=42`, `="text"`); any other formula shows `#NAME?`, which
 * is what Sheets shows for a function it does not know. Enough to tell a formula from text.
 */
function evaluateFormula(formula: string): Scalar {
  const body = formula.slice(1).trim();
  const literalText = /^"((?:[^"]|"")*)"$/.exec(body);
  if (literalText) return (literalText[1] ?? "").replaceAll('""', '"');
  const number = parseNumber(body);
  return number ?? "#NAME?";
}

/** A cell as the API returns it; empty cells read as `""` in every render option. */
export function renderCell(cell: Cell | null, option: ValueRenderOption): Scalar {
  if (cell === null) return "";
  if (option === "FORMULA" && cell.formula !== undefined) return cell.formula;
  if (option === "FORMATTED_VALUE") return formatValue(cell.value);
  return cell.value;
}

/**
 * FORMATTED_VALUE under the default "Automatic" number format: booleans as TRUE/FALSE, whole numbers in
 * full, fractions to at most 10 decimal places, very large or small magnitudes in scientific notation.
 */
export function formatValue(value: Scalar): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e15 || magnitude < 1e-10)) {
    const [mantissa = "0", exponent = "0"] = value.toExponential().split("e");
    const digits = Number(Number(mantissa).toFixed(2)).toString();
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${digits}E${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return Number(value.toFixed(10)).toString();
}
