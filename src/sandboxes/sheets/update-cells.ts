/**
 * UpdateCellsRequest: cell data written by grid coordinates inside spreadsheets.batchUpdate, so it lands in
 * the same atomic batch as the structural requests around it (an inserted row, the metadata anchored to it).
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request#UpdateCellsRequest
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
 *
 * Only `userEnteredValue` is kept (the sandbox holds no formats, notes or validation); other CellData
 * fields are accepted and change nothing.
 */
import { z } from "zod";
import type { SheetsApiError } from "./api-errors.ts";
import { type Cell, userEntered } from "./cell-values.ts";
import { assertWithinGrid, closeRect } from "./ranges.ts";
import { GridRangeSchema } from "./request-schemas.ts";
import { type Spreadsheet, setCell, sheetById } from "./spreadsheet-model.ts";

const int = z.number().int();

const ExtendedValueSchema = z.strictObject({
  numberValue: z.number().optional(),
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  formulaValue: z.string().optional(),
  errorValue: z.looseObject({}).optional(),
});

const CellDataSchema = z.looseObject({ userEnteredValue: ExtendedValueSchema.optional() });

export const UpdateCellsSchema = z.strictObject({
  rows: z.array(z.strictObject({ values: z.array(CellDataSchema).optional() })).optional(),
  fields: z.string().optional(),
  start: z
    .strictObject({ sheetId: int.optional(), rowIndex: int.optional(), columnIndex: int.optional() })
    .optional(),
  range: GridRangeSchema.optional(),
});

type UpdateCells = z.infer<typeof UpdateCellsSchema>;

export function updateCells(
  spreadsheet: Spreadsheet,
  request: UpdateCells,
  fail: (reason: string) => SheetsApiError,
): Record<string, never> {
  if (!request.fields) throw fail("At least one field must be specified in 'fields'");
  if ((request.start === undefined) === (request.range === undefined)) {
    throw fail("Exactly one of start or range must be specified");
  }
  const fields = request.fields.split(",").map((field) => field.trim());
  const writesValues = fields.includes("*") || fields.includes("userEnteredValue");
  const sheetId = request.start?.sheetId ?? request.range?.sheetId ?? 0;
  const sheet = sheetById(spreadsheet, sheetId);
  if (!sheet) throw fail(`No grid with id: ${sheetId}`);
  const rows = request.rows ?? [];
  const width = Math.max(0, ...rows.map((row) => row.values?.length ?? 0));
  const origin = request.range
    ? { row: request.range.startRowIndex ?? 0, column: request.range.startColumnIndex ?? 0 }
    : { row: request.start?.rowIndex ?? 0, column: request.start?.columnIndex ?? 0 };
  // With a range, the cells of the range the rows do not cover are cleared ("the fields matching those set
  // in fields will be cleared"); with a start, only the cells given are written.
  const rect = request.range
    ? closeRect(sheet, {
        startRow: origin.row,
        endRow: request.range.endRowIndex ?? null,
        startColumn: origin.column,
        endColumn: request.range.endColumnIndex ?? null,
      })
    : {
        startRow: origin.row,
        endRow: origin.row + rows.length,
        startColumn: origin.column,
        endColumn: origin.column + width,
      };
  const cells = rows.map((row) => (row.values ?? []).map((cell) => cellOf(cell.userEnteredValue, fail)));
  if (!writesValues || rect.endRow <= rect.startRow || rect.endColumn <= rect.startColumn) return {};
  assertWithinGrid(sheet, rect);
  for (let row = rect.startRow; row < rect.endRow; row++) {
    const line = cells[row - origin.row] ?? [];
    const end = request.range ? rect.endColumn : origin.column + line.length;
    for (let column = rect.startColumn; column < end; column++) {
      setCell(sheet, row, column, line[column - origin.column] ?? null);
    }
  }
  return {};
}

/** ExtendedValue → the cell it makes; a string value is stored as text, never parsed. */
function cellOf(
  value: z.infer<typeof ExtendedValueSchema> | undefined,
  fail: (reason: string) => SheetsApiError,
): Cell | null {
  if (value === undefined) return null;
  const kinds = Object.keys(value);
  if (kinds.length !== 1) throw fail("Exactly one kind of value must be set in userEnteredValue");
  if (value.stringValue !== undefined) return value.stringValue === "" ? null : { value: value.stringValue };
  if (value.numberValue !== undefined) return { value: value.numberValue };
  if (value.boolValue !== undefined) return { value: value.boolValue };
  if (value.formulaValue !== undefined) return userEntered(value.formulaValue);
  throw fail("errorValue cannot be written");
}
