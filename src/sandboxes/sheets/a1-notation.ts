/**
 * A1 notation as the Sheets API reads and writes it.
 * https://developers.google.com/workspace/sheets/api/guides/concepts#cell
 *
 * Parsing is purely syntactic: whether `Leads` names a sheet or is nonsense is decided later, against the
 * spreadsheet (see ranges.ts).
 */

/** Zero-based, end-exclusive rows and columns; `null` ends are open (run to the edge of the grid). */
export type GridRect = {
  startRow: number;
  endRow: number | null;
  startColumn: number;
  endColumn: number | null;
};

export type BoundedRect = { startRow: number; endRow: number; startColumn: number; endColumn: number };

/** The two halves of `'Lead List'!A2:X`; either may be absent (`A2:X`, `Lead List`). */
export type A1Parts = { sheetTitle: string | null; cells: string | null };

/** Sheets' own ceilings: 18,278 columns (ZZZ) and 10 million cells, hence at most 10 million rows. */
const MAX_COLUMNS = 18_278;
const MAX_ROWS = 10_000_000;

/** `A` → 0, `X` → 23, `AA` → 26. */
export function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/** 0 → `A`, 23 → `X`, 26 → `AA`. */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * Splits off the sheet name. Quoted names may contain anything, with `''` standing for one quote; an
 * unquoted name ends at the first `!`. Returns null when the quoting is broken.
 */
export function splitA1(text: string): A1Parts | null {
  if (text.startsWith("'")) {
    let title = "";
    let i = 1;
    for (;;) {
      const quote = text.indexOf("'", i);
      if (quote === -1) return null;
      title += text.slice(i, quote);
      if (text[quote + 1] === "'") {
        title += "'";
        i = quote + 2;
        continue;
      }
      i = quote + 1;
      break;
    }
    if (i === text.length) return { sheetTitle: title, cells: null };
    if (text[i] !== "!" || i + 1 === text.length) return null;
    return { sheetTitle: title, cells: text.slice(i + 1) };
  }
  const bang = text.indexOf("!");
  if (bang === -1) return { sheetTitle: null, cells: text };
  if (bang === 0 || bang === text.length - 1) return null;
  return { sheetTitle: text.slice(0, bang), cells: text.slice(bang + 1) };
}

type Endpoint = { column: number | null; row: number | null };

function parseEndpoint(text: string): Endpoint | null {
  const match = /^\$?([A-Za-z]{0,3})\$?(\d*)$/.exec(text);
  if (!match || (!match[1] && !match[2])) return null;
  const column = match[1] ? columnIndex(match[1]) : null;
  const row = match[2] ? Number(match[2]) - 1 : null;
  if (row !== null && (row < 0 || row >= MAX_ROWS)) return null;
  if (column !== null && column >= MAX_COLUMNS) return null;
  return { column, row };
}

/**
 * `A1`, `A1:B2`, `A:X`, `A2:X`, `2:5`. A lone column (`A`) or row (`5`) is not a range, and a column may
 * not be paired with a row (`A:5`), as in the Sheets UI.
 */
export function parseCells(text: string): GridRect | null {
  const halves = text.split(":");
  if (halves.length > 2) return null;
  const first = parseEndpoint(halves[0] ?? "");
  if (!first) return null;
  if (halves.length === 1) {
    if (first.column === null || first.row === null) return null;
    return {
      startRow: first.row,
      endRow: first.row + 1,
      startColumn: first.column,
      endColumn: first.column + 1,
    };
  }
  const second = parseEndpoint(halves[1] ?? "");
  if (!second) return null;
  const rowsOnly = first.column === null || second.column === null;
  const columnsOnly = first.row === null && second.row === null;
  if (rowsOnly && (first.column !== null || second.column !== null)) return null;
  if (rowsOnly && (first.row === null || second.row === null)) return null;
  const [startColumn, endColumn] = orderedSpan(first.column, second.column);
  const [startRow, endRow] = columnsOnly ? [0, null] : orderedSpan(first.row, second.row);
  return { startRow, endRow, startColumn, endColumn };
}

/** Both ends given → sorted span; only the start given → open-ended; neither → the whole dimension. */
function orderedSpan(a: number | null, b: number | null): [number, number | null] {
  if (a === null && b === null) return [0, null];
  if (a === null) return [0, (b ?? 0) + 1];
  if (b === null) return [a, null];
  return [Math.min(a, b), Math.max(a, b) + 1];
}

/**
 * Names are quoted unless they are plain words that cannot be read as a cell (`Sheet1`, `Leads`), which is
 * how the API writes them back: `Sheet1!A1:X200`, `'Lead List'!A1:X200`.
 */
export function quoteSheetTitle(title: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title);
  return plain ? title : `'${title.replaceAll("'", "''")}'`;
}

/** `Sheet1!A1` for one cell, `Sheet1!A1:X200` otherwise. */
export function formatA1(sheetTitle: string, rect: BoundedRect): string {
  const start = `${columnLetters(rect.startColumn)}${rect.startRow + 1}`;
  const end = `${columnLetters(rect.endColumn - 1)}${rect.endRow}`;
  const single = rect.endRow - rect.startRow === 1 && rect.endColumn - rect.startColumn === 1;
  return `${quoteSheetTitle(sheetTitle)}!${single ? start : `${start}:${end}`}`;
}

/** One cell, in the sheet-qualified form used by error messages: `Sheet1!Y1`. */
export function formatCell(sheetTitle: string, row: number, column: number): string {
  return formatA1(sheetTitle, { startRow: row, endRow: row + 1, startColumn: column, endColumn: column + 1 });
}
