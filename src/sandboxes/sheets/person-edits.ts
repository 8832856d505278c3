/**
 * What people do to the sheet while a sync runs: create it, insert, delete and sort rows, type into
 * cells. These bypass the API (no quota, no stats), as a person in the Sheets UI does.
 *
 * Seeded and inserted rows are stored exactly as given (a string stays text, so `07700123456` keeps its
 * zero); typeCell interprets the text as the UI would (USER_ENTERED).
 */
import { randomBytes } from "node:crypto";
import { parseCells } from "./a1-notation.ts";
import { type Cell, renderCell, type Scalar, userEntered } from "./cell-values.ts";
import { resolveRange } from "./ranges.ts";
import {
  addSheet,
  cellAt,
  DEFAULT_COLUMN_COUNT,
  DEFAULT_ROW_COUNT,
  deleteColumns as deleteColumnCells,
  deleteRows as deleteRowSlots,
  insertColumns as insertColumnCells,
  insertRows as insertRowSlots,
  lastFilledRow,
  moveDimension,
  type Sheet,
  type Spreadsheet,
  setCell,
  sheetByTitle,
  sortRect,
} from "./spreadsheet-model.ts";

export type SeedValue = string | number | boolean | null;

export type SpreadsheetSeed = {
  spreadsheetId?: string;
  title?: string;
  sheets: { title: string; rows: SeedValue[][]; rowCount?: number; columnCount?: number }[];
};

export function buildSpreadsheet(seed: SpreadsheetSeed): Spreadsheet {
  const spreadsheet: Spreadsheet = {
    // Real ids are 44 characters of base64url.
    spreadsheetId: seed.spreadsheetId ?? randomBytes(33).toString("base64url"),
    title: seed.title ?? "Untitled spreadsheet",
    sheets: [],
    metadata: [],
    nextRowId: 1,
  };
  seed.sheets.forEach((input, index) => {
    const width = Math.max(0, ...input.rows.map((row) => row.length));
    const sheet = addSheet(spreadsheet, {
      // The first sheet of a new spreadsheet has id 0; later ones get larger ids.
      sheetId: index === 0 ? 0 : 1_000_000 + index,
      title: input.title,
      rowCount: Math.max(input.rowCount ?? DEFAULT_ROW_COUNT, input.rows.length),
      columnCount: Math.max(input.columnCount ?? DEFAULT_COLUMN_COUNT, width),
    });
    writeRows(sheet, 0, input.rows);
  });
  return spreadsheet;
}

function seedCell(value: SeedValue): Cell | null {
  return value === null || value === "" ? null : { value };
}

function writeRows(sheet: Sheet, startRow: number, rows: readonly SeedValue[][]): void {
  if (rows.some((row) => row.length > sheet.columnCount))
    sheet.columnCount = Math.max(...rows.map((row) => row.length));
  rows.forEach((row, r) => {
    row.forEach((value, c) => {
      setCell(sheet, startRow + r, c, seedCell(value));
    });
  });
}

export function requireSheet(spreadsheet: Spreadsheet, sheetTitle: string): Sheet {
  const sheet = sheetByTitle(spreadsheet, sheetTitle);
  if (!sheet) throw new Error(`No sheet "${sheetTitle}" in spreadsheet ${spreadsheet.spreadsheetId}`);
  return sheet;
}

/** Inserts rows before `atRow` (1-based), as "Insert row above"; metadata on the rows below moves down. */
export function insertRows(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  atRow: number,
  rows: SeedValue[][],
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  if (atRow < 1 || atRow > sheet.rows.length + 1) throw new Error(`Row ${atRow} is outside ${sheetTitle}`);
  insertRowSlots(spreadsheet, sheet, atRow - 1, rows.length);
  writeRows(sheet, atRow - 1, rows);
}

/** Deletes `count` rows from `fromRow` (1-based), with any metadata anchored to them. */
export function deleteRows(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  fromRow: number,
  count: number,
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  if (fromRow < 1 || fromRow - 1 + count > sheet.rows.length) {
    throw new Error(`Rows ${fromRow}..${fromRow + count - 1} are outside ${sheetTitle}`);
  }
  deleteRowSlots(spreadsheet, sheet, fromRow - 1, count);
}

/** Inserts `count` blank columns before the 0-based `atColumn`, as "Insert column left"; cells to the right move. */
export function insertColumns(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  atColumn: number,
  count = 1,
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  if (atColumn < 0 || atColumn > sheet.columnCount)
    throw new Error(`Column ${atColumn} is outside ${sheetTitle}`);
  insertColumnCells(spreadsheet, sheet, atColumn, count);
}

/** Deletes `count` columns from the 0-based `fromColumn`, with any metadata anchored to them. */
export function deleteColumns(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  fromColumn: number,
  count = 1,
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  if (fromColumn < 0 || fromColumn + count > sheet.columnCount) {
    throw new Error(`Columns ${fromColumn}..${fromColumn + count - 1} are outside ${sheetTitle}`);
  }
  deleteColumnCells(spreadsheet, sheet, fromColumn, count);
}

/**
 * Drags `count` columns starting at the 0-based `fromColumn` so that they sit before the column now at
 * `toColumn` (moveDimension's destinationIndex): the columns between shift over by one block.
 */
export function moveColumns(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  move: { fromColumn: number; count?: number; toColumn: number },
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  const count = move.count ?? 1;
  if (
    move.fromColumn < 0 ||
    move.fromColumn + count > sheet.columnCount ||
    move.toColumn > sheet.columnCount
  ) {
    throw new Error(
      `Cannot move columns ${move.fromColumn}..${move.fromColumn + count - 1} to ${move.toColumn}`,
    );
  }
  moveDimension(spreadsheet, sheet, {
    dimension: "COLUMNS",
    start: move.fromColumn,
    count,
    destination: move.toColumn,
  });
}

/** Sorts the rows from `fromRow` (default 2, below the header) by one column; values move, metadata does not. */
export function sortRows(
  spreadsheet: Spreadsheet,
  sheetTitle: string,
  options: { column: number; descending?: boolean; fromRow?: number; columns?: { from: number; to: number } },
): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  const startRow = (options.fromRow ?? 2) - 1;
  const endRow = lastFilledRow(sheet) + 1;
  if (endRow <= startRow) return;
  const startColumn = options.columns?.from ?? 0;
  const endColumn = options.columns?.to ?? sheet.columnCount;
  sortRect(sheet, { startRow, endRow, startColumn, endColumn }, [
    { column: options.column, descending: options.descending ?? false },
  ]);
}

/** Types into one cell (`B7`) as a person would: USER_ENTERED rules; typing nothing clears it. */
export function typeCell(spreadsheet: Spreadsheet, sheetTitle: string, a1: string, text: string): void {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  const rect = parseCells(a1);
  if (!rect || rect.endRow !== rect.startRow + 1 || rect.endColumn !== rect.startColumn + 1) {
    throw new Error(`"${a1}" is not a single cell`);
  }
  if (rect.startRow >= sheet.rows.length || rect.startColumn >= sheet.columnCount) {
    throw new Error(`${a1} is outside the grid of ${sheetTitle}`);
  }
  setCell(sheet, rect.startRow, rect.startColumn, text === "" ? null : userEntered(text));
}

/** The effective values down to the last filled row, each row without its trailing blanks; blanks read "". */
export function sheetValues(spreadsheet: Spreadsheet, sheetTitle: string): Scalar[][] {
  const sheet = requireSheet(spreadsheet, sheetTitle);
  return sheet.rows.slice(0, lastFilledRow(sheet) + 1).map((slot) => {
    let end = slot.cells.length;
    while (end > 0 && (slot.cells[end - 1] ?? null) === null) end--;
    return slot.cells.slice(0, end).map((cell) => renderCell(cell ?? null, "UNFORMATTED_VALUE"));
  });
}

/** One cell's effective value (`'Lead List'!B7`), or null when it is empty. */
export function cellValue(spreadsheet: Spreadsheet, a1WithSheet: string): Scalar | null {
  const { sheet, rect } = resolveRange(spreadsheet, a1WithSheet);
  return cellAt(sheet, rect.startRow, rect.startColumn)?.value ?? null;
}
