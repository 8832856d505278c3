/**
 * A1 text resolved against a spreadsheet, and the grid-limit rules around it: open ends stop at the grid's
 * edge; explicit ends are kept as asked, even past the grid ("this range indicates the entire requested
 * range", ValueRange.range); only writing a cell outside the grid is an error.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
 */
import {
  type BoundedRect,
  columnLetters,
  formatA1,
  formatCell,
  type GridRect,
  parseCells,
  splitA1,
} from "./a1-notation.ts";
import { invalidArgument, unableToParseRange } from "./api-errors.ts";
import { type Sheet, type Spreadsheet, sheetByTitle } from "./spreadsheet-model.ts";

/** A range as asked for: its sheet and its rectangle, whose open ends run to the edge of the grid. */
export type RangeTarget = { sheet: Sheet; rect: GridRect };

const WHOLE_SHEET: GridRect = { startRow: 0, endRow: null, startColumn: 0, endColumn: null };

/**
 * `'Lead List'!A2:X`, `Sheet1`, `A2:X` (first sheet), `Sheet1!B3`. A bare word names a sheet if one has
 * that name, otherwise it must be cells on the first sheet.
 */
export function resolveRange(spreadsheet: Spreadsheet, text: string): RangeTarget {
  const parts = splitA1(text.trim());
  if (!parts) throw unableToParseRange(text);
  if (parts.sheetTitle !== null) {
    const sheet = sheetByTitle(spreadsheet, parts.sheetTitle);
    if (!sheet) throw unableToParseRange(text);
    if (parts.cells === null) return { sheet, rect: WHOLE_SHEET };
    const rect = parseCells(parts.cells);
    if (!rect) throw unableToParseRange(text);
    return { sheet, rect };
  }
  const cells = parts.cells ?? "";
  const named = sheetByTitle(spreadsheet, cells);
  if (named) return { sheet: named, rect: WHOLE_SHEET };
  const rect = parseCells(cells);
  const first = spreadsheet.sheets[0];
  if (!rect || !first) throw unableToParseRange(text);
  return { sheet: first, rect };
}

/** Open ends closed at the grid's edge. */
export function closeRect(sheet: Sheet, rect: GridRect): BoundedRect {
  return {
    startRow: rect.startRow,
    endRow: rect.endRow ?? Math.max(sheet.rows.length, rect.startRow + 1),
    startColumn: rect.startColumn,
    endColumn: rect.endColumn ?? Math.max(sheet.columnCount, rect.startColumn + 1),
  };
}

/** The part of a rectangle that lies inside the grid (possibly empty), for visiting its cells. */
export function clampToGrid(sheet: Sheet, rect: BoundedRect): BoundedRect {
  const endRow = Math.min(rect.endRow, sheet.rows.length);
  const endColumn = Math.min(rect.endColumn, sheet.columnCount);
  return {
    startRow: Math.min(rect.startRow, endRow),
    endRow,
    startColumn: Math.min(rect.startColumn, endColumn),
    endColumn,
  };
}

/**
 * Refuses writes to cells outside the grid with the real API's message, which names the first such cell:
 * `Range (Solar!Y1) exceeds grid limits. Max rows: 981, max columns: 24` (seen in home-assistant/core#104198).
 * Only the cells written count: a range that reaches past the grid is fine for reading, or for writing
 * fewer values (Home Assistant reads and writes `A1:ZZ1` on ordinary sheets).
 */
export function assertWithinGrid(sheet: Sheet, rect: BoundedRect): void {
  const rowCount = sheet.rows.length;
  const columnCount = sheet.columnCount;
  const rowsOut = rect.endRow > rowCount;
  const columnsOut = rect.endColumn > columnCount;
  if (!rowsOut && !columnsOut) return;
  const row = rowsOut ? Math.max(rect.startRow, rowCount) : rect.startRow;
  const column = columnsOut ? Math.max(rect.startColumn, columnCount) : rect.startColumn;
  throw invalidArgument(
    `Range (${formatCell(sheet.title, row, column)}) exceeds grid limits. Max rows: ${rowCount}, max columns: ${columnCount}`,
  );
}

/** A single cell is only the corner where writing starts; any other range bounds the write. */
export function isAnchor(rect: GridRect): boolean {
  return rect.endRow === rect.startRow + 1 && rect.endColumn === rect.startColumn + 1;
}

/**
 * Where `height` × `width` values land in the target. Values that spill out of a bounded range are refused
 * as the real API refuses them: `Requested writing within range [Sheet1!A5:X5], but tried writing to row [6]`.
 */
export function writeRect(target: RangeTarget, height: number, width: number): BoundedRect {
  const { sheet, rect } = target;
  const written = {
    startRow: rect.startRow,
    endRow: rect.startRow + height,
    startColumn: rect.startColumn,
    endColumn: rect.startColumn + width,
  };
  if (!isAnchor(rect)) {
    const bounds = closeRect(sheet, rect);
    const asked = formatA1(sheet.title, bounds);
    if (written.endRow > bounds.endRow) {
      throw invalidArgument(
        `Requested writing within range [${asked}], but tried writing to row [${bounds.endRow + 1}]`,
      );
    }
    if (written.endColumn > bounds.endColumn) {
      throw invalidArgument(
        `Requested writing within range [${asked}], but tried writing to column [${columnLetters(bounds.endColumn)}]`,
      );
    }
  }
  assertWithinGrid(sheet, written);
  return written;
}

/** The smallest rectangle holding both. */
export function unionRect(a: BoundedRect, b: BoundedRect): BoundedRect {
  return {
    startRow: Math.min(a.startRow, b.startRow),
    endRow: Math.max(a.endRow, b.endRow),
    startColumn: Math.min(a.startColumn, b.startColumn),
    endColumn: Math.max(a.endColumn, b.endColumn),
  };
}
