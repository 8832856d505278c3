/**
 * spreadsheets.values.append: find the "table" in the range and write below it.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/append
 * https://developers.google.com/workspace/sheets/api/guides/values#append_values
 *
 * The table starts at the first non-empty row inside the range and runs down through consecutive non-empty
 * rows, past the end of the range if the data does (Google's own sample appends below a whole table given
 * only its header row, `Sheet1!A1:E1`); an empty row ends it. The values go to the row after the table,
 * starting at its first column; with no table, to the top left of the range. Appending past the end of the grid adds rows and columns in both insert modes ("adding
 * data to the end of the sheet will still insert new rows or columns so the data can be written").
 */
import { type BoundedRect, formatA1 } from "./a1-notation.ts";
import { clampToGrid, closeRect, isAnchor, type RangeTarget } from "./ranges.ts";
import { cellAt, insertRows, type Sheet, type Spreadsheet } from "./spreadsheet-model.ts";
import { type WriteInput, type WriteOutcome, writeValues } from "./value-ranges.ts";

export type InsertDataOption = "OVERWRITE" | "INSERT_ROWS";

export type AppendInput = WriteInput & { insertDataOption: InsertDataOption };

export type AppendOutcome = { tableRange: string | null; outcome: WriteOutcome };

export function appendValues(
  spreadsheet: Spreadsheet,
  target: RangeTarget,
  input: AppendInput,
): AppendOutcome {
  const { sheet } = target;
  // A single cell names where the search starts, not a one-cell table.
  const searchRect = isAnchor(target.rect) ? { ...target.rect, endRow: null, endColumn: null } : target.rect;
  const search = clampToGrid(sheet, closeRect(sheet, searchRect));
  const table = findTable(sheet, search);
  const start = table
    ? { row: table.endRow, column: table.startColumn }
    : { row: target.rect.startRow, column: target.rect.startColumn };

  const { height, width } = extent(input);
  const grow = (rows: number) => insertRows(spreadsheet, sheet, sheet.rows.length, rows);
  if (start.row > sheet.rows.length) grow(start.row - sheet.rows.length);
  if (input.insertDataOption === "INSERT_ROWS") {
    insertRows(spreadsheet, sheet, start.row, height);
  } else if (start.row + height > sheet.rows.length) {
    grow(start.row + height - sheet.rows.length);
  }
  sheet.columnCount = Math.max(sheet.columnCount, start.column + width);

  const anchor = {
    startRow: start.row,
    endRow: start.row + 1,
    startColumn: start.column,
    endColumn: start.column + 1,
  };
  const outcome = writeValues({ sheet, rect: anchor }, input);
  return { tableRange: table ? formatA1(sheet.title, table) : null, outcome };
}

function findTable(sheet: Sheet, search: BoundedRect): BoundedRect | null {
  const filledColumns = (row: number) => {
    const columns: number[] = [];
    for (let column = search.startColumn; column < search.endColumn; column++) {
      if (cellAt(sheet, row, column) !== null) columns.push(column);
    }
    return columns;
  };
  let row = search.startRow;
  while (row < search.endRow && filledColumns(row).length === 0) row++;
  if (row === search.endRow) return null;
  const table = { startRow: row, endRow: row, startColumn: search.endColumn, endColumn: search.startColumn };
  for (; row < sheet.rows.length; row++) {
    const columns = filledColumns(row);
    const [first, last] = [columns[0], columns.at(-1)];
    if (first === undefined || last === undefined) break;
    table.endRow = row + 1;
    table.startColumn = Math.min(table.startColumn, first);
    table.endColumn = Math.max(table.endColumn, last + 1);
  }
  return table;
}

function extent(input: WriteInput): { height: number; width: number } {
  const longest = Math.max(0, ...input.values.map((line) => line.length));
  return input.majorDimension === "ROWS"
    ? { height: input.values.length, width: longest }
    : { height: longest, width: input.values.length };
}
