/**
 * The sandbox's spreadsheets as plain data, and the grid edits everything else is built from.
 *
 * Cells are immutable values, replaced rather than changed, so a copy of the spreadsheet only copies the
 * arrays that hold them (cloneSpreadsheet).
 *
 * Rows are slots with a stable identity. Inserting or deleting rows adds or removes slots, so developer
 * metadata anchored to a slot moves with it; sorting moves cell values between slots and leaves the slots
 * (and their metadata) where they are. That is the documented behaviour of row metadata:
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.developerMetadata
 */
import type { BoundedRect } from "./a1-notation.ts";
import type { Cell } from "./cell-values.ts";

export type RowSlot = { readonly id: number; cells: (Cell | null)[] };

export type Sheet = { sheetId: number; title: string; rows: RowSlot[]; columnCount: number };

export type MetadataVisibility = "DOCUMENT" | "PROJECT";

export type MetadataAnchor =
  | { kind: "spreadsheet" }
  | { kind: "sheet"; sheetId: number }
  | { kind: "rows"; sheetId: number; rowIds: number[] }
  | { kind: "columns"; sheetId: number; startIndex: number; endIndex: number };

export type MetadataRecord = {
  metadataId: number;
  metadataKey: string;
  metadataValue?: string;
  visibility: MetadataVisibility;
  anchor: MetadataAnchor;
};

export type Spreadsheet = {
  spreadsheetId: string;
  title: string;
  sheets: Sheet[];
  metadata: MetadataRecord[];
  nextRowId: number;
};

/** A copy that shares only the immutable cells, for running a write that may still fail. */
export function cloneSpreadsheet(spreadsheet: Spreadsheet): Spreadsheet {
  return {
    ...spreadsheet,
    sheets: spreadsheet.sheets.map((sheet) => ({
      ...sheet,
      rows: sheet.rows.map((slot) => ({ id: slot.id, cells: [...slot.cells] })),
    })),
    metadata: spreadsheet.metadata.map((record) => ({
      ...record,
      anchor:
        record.anchor.kind === "rows"
          ? { ...record.anchor, rowIds: [...record.anchor.rowIds] }
          : { ...record.anchor },
    })),
  };
}

/** A new sheet's grid when none is asked for, as in the Sheets UI. */
export const DEFAULT_ROW_COUNT = 1000;
export const DEFAULT_COLUMN_COUNT = 26;

export function newRowSlots(spreadsheet: Spreadsheet, count: number): RowSlot[] {
  return Array.from({ length: count }, () => ({ id: spreadsheet.nextRowId++, cells: [] }));
}

export function addSheet(
  spreadsheet: Spreadsheet,
  sheet: { sheetId: number; title: string; rowCount: number; columnCount: number; index?: number },
): Sheet {
  const created: Sheet = {
    sheetId: sheet.sheetId,
    title: sheet.title,
    rows: newRowSlots(spreadsheet, sheet.rowCount),
    columnCount: sheet.columnCount,
  };
  spreadsheet.sheets.splice(sheet.index ?? spreadsheet.sheets.length, 0, created);
  return created;
}

/** Sheet names in ranges match regardless of case, as in the Sheets UI; an exact match wins. */
export function sheetByTitle(spreadsheet: Spreadsheet, title: string): Sheet | undefined {
  return (
    spreadsheet.sheets.find((sheet) => sheet.title === title) ??
    spreadsheet.sheets.find((sheet) => sheet.title.toLowerCase() === title.toLowerCase())
  );
}

export function sheetById(spreadsheet: Spreadsheet, sheetId: number): Sheet | undefined {
  return spreadsheet.sheets.find((sheet) => sheet.sheetId === sheetId);
}

export function cellAt(sheet: Sheet, row: number, column: number): Cell | null {
  return sheet.rows[row]?.cells[column] ?? null;
}

export function setCell(sheet: Sheet, row: number, column: number, cell: Cell | null): void {
  const slot = sheet.rows[row];
  if (!slot) throw new Error(`row ${row} is outside the grid of ${sheet.title}`);
  while (slot.cells.length < column) slot.cells.push(null);
  slot.cells[column] = cell;
}

export function readRect(sheet: Sheet, rect: BoundedRect): (Cell | null)[][] {
  const grid: (Cell | null)[][] = [];
  for (let row = rect.startRow; row < rect.endRow; row++) {
    const line: (Cell | null)[] = [];
    for (let column = rect.startColumn; column < rect.endColumn; column++)
      line.push(cellAt(sheet, row, column));
    grid.push(line);
  }
  return grid;
}

export function gridRect(sheet: Sheet): BoundedRect {
  return { startRow: 0, endRow: sheet.rows.length, startColumn: 0, endColumn: sheet.columnCount };
}

export function insertRows(spreadsheet: Spreadsheet, sheet: Sheet, at: number, count: number): void {
  sheet.rows.splice(at, 0, ...newRowSlots(spreadsheet, count));
  slotsMoved(sheet);
}

/**
 * Where each row slot is now (slot id → 0-based row), for finding row metadata without walking the whole
 * grid for every entry: kept per sheet until a row is inserted, deleted or moved.
 */
const slotIndexes = new WeakMap<Sheet, { rows: RowSlot[]; length: number; index: Map<number, number> }>();

export function slotIndex(sheet: Sheet): Map<number, number> {
  const cached = slotIndexes.get(sheet);
  if (cached && cached.rows === sheet.rows && cached.length === sheet.rows.length) return cached.index;
  const index = new Map(sheet.rows.map((slot, row) => [slot.id, row]));
  slotIndexes.set(sheet, { rows: sheet.rows, length: sheet.rows.length, index });
  return index;
}

function slotsMoved(sheet: Sheet): void {
  slotIndexes.delete(sheet);
}

/** Metadata on deleted rows goes with them; a multi-row anchor shrinks to the rows that are left. */
export function deleteRows(spreadsheet: Spreadsheet, sheet: Sheet, start: number, count: number): void {
  const removed = new Set(sheet.rows.splice(start, count).map((slot) => slot.id));
  slotsMoved(sheet);
  spreadsheet.metadata = spreadsheet.metadata.filter((record) => {
    if (record.anchor.kind !== "rows" || record.anchor.sheetId !== sheet.sheetId) return true;
    record.anchor.rowIds = record.anchor.rowIds.filter((id) => !removed.has(id));
    return record.anchor.rowIds.length > 0;
  });
}

export function insertColumns(spreadsheet: Spreadsheet, sheet: Sheet, at: number, count: number): void {
  for (const slot of sheet.rows) {
    if (slot.cells.length > at) slot.cells.splice(at, 0, ...Array<null>(count).fill(null));
  }
  sheet.columnCount += count;
  for (const record of spreadsheet.metadata) {
    const anchor = record.anchor;
    if (anchor.kind !== "columns" || anchor.sheetId !== sheet.sheetId) continue;
    if (anchor.startIndex >= at) anchor.startIndex += count;
    if (anchor.endIndex > at) anchor.endIndex += count;
  }
}

export function deleteColumns(spreadsheet: Spreadsheet, sheet: Sheet, start: number, count: number): void {
  for (const slot of sheet.rows) slot.cells.splice(start, count);
  sheet.columnCount -= count;
  const end = start + count;
  const shift = (index: number) => (index <= start ? index : Math.max(start, index - count));
  spreadsheet.metadata = spreadsheet.metadata.filter((record) => {
    const anchor = record.anchor;
    if (anchor.kind !== "columns" || anchor.sheetId !== sheet.sheetId) return true;
    if (anchor.startIndex >= start && anchor.endIndex <= end) return false;
    anchor.startIndex = shift(anchor.startIndex);
    anchor.endIndex = shift(anchor.endIndex);
    return true;
  });
}

/**
 * moveDimension: moves `count` rows or columns from `start` so that they begin at `destination`, an index
 * "based on the coordinates before the source data is removed from the grid". Rows move as slots, so row
 * metadata goes with them; columns move their cells in every row, and column metadata goes with them too.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#MoveDimensionRequest
 */
export function moveDimension(
  spreadsheet: Spreadsheet,
  sheet: Sheet,
  move: { dimension: "ROWS" | "COLUMNS"; start: number; count: number; destination: number },
): void {
  const { start, count, destination } = move;
  // Where the moved block begins once it has been taken out of the grid.
  const at = destination > start ? destination - count : destination;
  if (move.dimension === "ROWS") {
    const moved = sheet.rows.splice(start, count);
    sheet.rows.splice(at, 0, ...moved);
    slotsMoved(sheet);
    return;
  }
  for (const slot of sheet.rows) {
    const cells = Array.from({ length: sheet.columnCount }, (_, c) => slot.cells[c] ?? null);
    const moved = cells.splice(start, count);
    cells.splice(at, 0, ...moved);
    let end = cells.length;
    while (end > 0 && cells[end - 1] === null) end--;
    slot.cells = cells.slice(0, end);
  }
  const order = Array.from({ length: sheet.columnCount }, (_, c) => c);
  const movedColumns = order.splice(start, count);
  order.splice(at, 0, ...movedColumns);
  const newIndexOf = new Map(order.map((old, index) => [old, index]));
  for (const record of spreadsheet.metadata) {
    const anchor = record.anchor;
    if (anchor.kind !== "columns" || anchor.sheetId !== sheet.sheetId) continue;
    const indices = Array.from(
      { length: anchor.endIndex - anchor.startIndex },
      (_, i) => newIndexOf.get(anchor.startIndex + i) ?? 0,
    );
    anchor.startIndex = Math.min(...indices);
    anchor.endIndex = Math.max(...indices) + 1;
  }
}

/** Grows (or, for updateSheetProperties, shrinks) the grid; rows added at the end are blank. */
export function resizeGrid(
  spreadsheet: Spreadsheet,
  sheet: Sheet,
  size: { rowCount: number; columnCount: number },
): void {
  if (size.rowCount > sheet.rows.length) {
    insertRows(spreadsheet, sheet, sheet.rows.length, size.rowCount - sheet.rows.length);
  } else if (size.rowCount < sheet.rows.length) {
    deleteRows(spreadsheet, sheet, size.rowCount, sheet.rows.length - size.rowCount);
  }
  if (size.columnCount < sheet.columnCount) {
    deleteColumns(spreadsheet, sheet, size.columnCount, sheet.columnCount - size.columnCount);
  }
  sheet.columnCount = size.columnCount;
}

export type SortSpec = { column: number; descending: boolean };

/**
 * Sorts the rows of `rect` by moving cell values (only within the rect's columns) between row slots, as
 * the Sheets "sort range" does. The slots stay put, and so does the metadata anchored to them.
 */
export function sortRect(sheet: Sheet, rect: BoundedRect, specs: readonly SortSpec[]): void {
  const width = rect.endColumn - rect.startColumn;
  const lines = sheet.rows
    .slice(rect.startRow, rect.endRow)
    .map((slot) => Array.from({ length: width }, (_, i) => slot.cells[rect.startColumn + i] ?? null));
  const sorted = lines
    .map((line, order) => ({ line, order }))
    .sort((a, b) => {
      for (const spec of specs) {
        const column = spec.column - rect.startColumn;
        const byValue = compareForSort(a.line[column] ?? null, b.line[column] ?? null, spec.descending);
        if (byValue !== 0) return byValue;
      }
      return a.order - b.order;
    });
  sorted.forEach(({ line }, offset) => {
    line.forEach((cell, i) => {
      setCell(sheet, rect.startRow + offset, rect.startColumn + i, cell);
    });
  });
}

/** Numbers before text before booleans; text case-insensitively; blanks last whatever the direction. */
function compareForSort(a: Cell | null, b: Cell | null, descending: boolean): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  let order = typeRank(a) - typeRank(b);
  if (order === 0) {
    order =
      typeof a.value === "string" && typeof b.value === "string"
        ? a.value.localeCompare(b.value, "en", { sensitivity: "base" })
        : Number(a.value) - Number(b.value);
  }
  return descending ? -order : order;
}

function typeRank(cell: Cell): number {
  if (typeof cell.value === "number") return 0;
  return typeof cell.value === "string" ? 1 : 2;
}

/** Zero-based index of the last row holding any value, or -1 for an empty sheet. */
export function lastFilledRow(sheet: Sheet): number {
  for (let row = sheet.rows.length - 1; row >= 0; row--) {
    if (sheet.rows[row]?.cells.some((cell) => cell !== null)) return row;
  }
  return -1;
}
