/**
 * Reading and writing blocks of values: the heart of spreadsheets.values.*.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { type BoundedRect, formatA1 } from "./a1-notation.ts";
import { invalidArgument } from "./api-errors.ts";
import {
  type Cell,
  cellWrite,
  renderCell,
  type ValueInputOption,
  type ValueRenderOption,
} from "./cell-values.ts";
import { clampToGrid, closeRect, type RangeTarget, unionRect, writeRect } from "./ranges.ts";
import { cellAt, readRect, type Sheet, setCell } from "./spreadsheet-model.ts";

export type MajorDimension = "ROWS" | "COLUMNS";

export type ReadOptions = { majorDimension: MajorDimension; valueRenderOption: ValueRenderOption };

export type WriteInput = {
  values: unknown[][];
  majorDimension: MajorDimension;
  valueInputOption: ValueInputOption;
};

/** What one write did, before it is dressed as an UpdateValuesResponse. */
export type WriteOutcome = {
  sheet: Sheet;
  /** The rectangle the values covered; null when there were none. */
  written: BoundedRect | null;
  /** The rectangle `updatedData` reports: the range asked for, widened to what was written. */
  reported: BoundedRect;
  updatedCells: number;
};

/**
 * A ValueRange as values.get returns it: `range` is the whole request (open ends closed at the grid's
 * edge), while trailing empty rows and the trailing empty cells of each row are left out, and `values` is
 * absent altogether when nothing is left.
 */
export function readValueRange(
  sheet: Sheet,
  rect: BoundedRect,
  options: ReadOptions,
): sheets_v4.Schema$ValueRange {
  // Only the part inside the grid can hold values; past it everything is a trailing blank.
  const inside = clampToGrid(sheet, rect);
  const startsInside = inside.startRow === rect.startRow && inside.startColumn === rect.startColumn;
  const cells = startsInside ? readRect(sheet, inside) : [];
  const width = inside.endColumn - inside.startColumn;
  const lines = options.majorDimension === "ROWS" ? cells : transpose(cells, width);
  const values = trimTrailingEmpty(lines).map((line) =>
    line.map((cell) => renderCell(cell, options.valueRenderOption)),
  );
  const range = { range: formatA1(sheet.title, rect), majorDimension: options.majorDimension };
  return values.length > 0 ? { ...range, values } : range;
}

export function readTarget(target: RangeTarget, options: ReadOptions): sheets_v4.Schema$ValueRange {
  return readValueRange(target.sheet, closeRect(target.sheet, target.rect), options);
}

function transpose(cells: (Cell | null)[][], width: number): (Cell | null)[][] {
  return Array.from({ length: width }, (_, column) => cells.map((line) => line[column] ?? null));
}

function trimTrailingEmpty(lines: (Cell | null)[][]): (Cell | null)[][] {
  const trimmed = lines.map((line) => {
    let end = line.length;
    while (end > 0 && line[end - 1] === null) end--;
    return line.slice(0, end);
  });
  let last = trimmed.length;
  while (last > 0 && trimmed[last - 1]?.length === 0) last--;
  return trimmed.slice(0, last);
}

/** The request's values as rows, whatever its majorDimension. */
function asRows(input: WriteInput): unknown[][] {
  if (input.majorDimension === "ROWS") return input.values;
  const height = Math.max(0, ...input.values.map((column) => column.length));
  return Array.from({ length: height }, (_, row) => input.values.map((column) => column[row] ?? null));
}

/**
 * Writes values into the target: `null` skips a cell, `""` clears it, short rows leave the rest of the row
 * alone. All values are checked before any is written, so a bad value changes nothing.
 */
export function writeValues(target: RangeTarget, input: WriteInput): WriteOutcome {
  const rows = asRows(input);
  const width = Math.max(0, ...rows.map((row) => row.length));
  const plan = rows.map((row, r) =>
    row.map((value, c) => {
      const write = cellWrite(value, input.valueInputOption);
      if (!write) throw invalidArgument(`Invalid values[${r}][${c}]: ${JSON.stringify(value)}`);
      return write;
    }),
  );
  const requested = closeRect(target.sheet, target.rect);
  if (rows.length === 0 || width === 0) {
    return { sheet: target.sheet, written: null, reported: requested, updatedCells: 0 };
  }
  const written = writeRect(target, rows.length, width);
  let updatedCells = 0;
  plan.forEach((row, r) => {
    row.forEach((write, c) => {
      if (write.kind === "skip") return;
      setCell(
        target.sheet,
        written.startRow + r,
        written.startColumn + c,
        write.kind === "set" ? write.cell : null,
      );
      updatedCells++;
    });
  });
  return { sheet: target.sheet, written, reported: unionRect(requested, written), updatedCells };
}

export type ResponseOptions = {
  includeValuesInResponse: boolean;
  responseValueRenderOption: ValueRenderOption;
  majorDimension: MajorDimension;
};

/**
 * UpdateValuesResponse. With includeValuesInResponse, `updatedData` holds the values of the whole range
 * asked for as they are after the write, cells skipped with null included ("If the range to write was
 * larger than the range actually written, the response includes all values in the requested range").
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/update#query-parameters
 */
export function updateResponse(
  spreadsheetId: string,
  outcome: WriteOutcome,
  options: ResponseOptions,
): sheets_v4.Schema$UpdateValuesResponse {
  const { sheet, written } = outcome;
  const counts = written
    ? {
        updatedRange: formatA1(sheet.title, written),
        updatedRows: written.endRow - written.startRow,
        updatedColumns: written.endColumn - written.startColumn,
        updatedCells: outcome.updatedCells,
      }
    : { updatedRange: formatA1(sheet.title, outcome.reported) };
  const response = { spreadsheetId, ...counts };
  if (!options.includeValuesInResponse) return response;
  const updatedData = readValueRange(sheet, outcome.reported, {
    majorDimension: options.majorDimension,
    valueRenderOption: options.responseValueRenderOption,
  });
  return { ...response, updatedData };
}

/** Empties every cell of the range; returns the range cleared, its open ends closed at the grid's edge. */
export function clearTarget(target: RangeTarget): string {
  const requested = closeRect(target.sheet, target.rect);
  const rect = clampToGrid(target.sheet, requested);
  for (let row = rect.startRow; row < rect.endRow; row++) {
    for (let column = rect.startColumn; column < rect.endColumn; column++) {
      if (cellAt(target.sheet, row, column) !== null) setCell(target.sheet, row, column, null);
    }
  }
  return formatA1(target.sheet.title, requested);
}
