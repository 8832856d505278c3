/**
 * GridData: cells as CellData, for spreadsheets.get with grid data and for the spreadsheet a
 * spreadsheets.batchUpdate returns with `includeSpreadsheetInResponse`, `responseRanges` and
 * `responseIncludeGridData` (what the cells hold right after the batch, in the same atomic step).
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#GridData
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate#request-body
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { BoundedRect } from "./a1-notation.ts";
import { type Cell, formatValue } from "./cell-values.ts";
import { metadataJson, placement } from "./developer-metadata.ts";
import { clampToGrid, closeRect, resolveRange } from "./ranges.ts";
import { spreadsheetJson } from "./spreadsheet-json.ts";
import { cellAt, gridRect, type Sheet, type Spreadsheet } from "./spreadsheet-model.ts";

/** A cell as CellData: what was entered, what it evaluates to, and how it reads; an empty cell is `{}`. */
export function cellDataJson(cell: Cell | null): sheets_v4.Schema$CellData {
  if (cell === null) return {};
  const effective = extendedValue(cell.value);
  return {
    userEnteredValue: cell.formula !== undefined ? { formulaValue: cell.formula } : effective,
    effectiveValue: effective,
    formattedValue: formatValue(cell.value),
  };
}

function extendedValue(value: Cell["value"]): sheets_v4.Schema$ExtendedValue {
  if (typeof value === "number") return { numberValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return { stringValue: value };
}

/**
 * The cells of `rect` (inside the grid), trailing empty cells and rows left out as in values responses;
 * row metadata lists the developer metadata anchored to each row.
 */
export function gridDataJson(
  spreadsheet: Spreadsheet,
  sheet: Sheet,
  rect: BoundedRect,
  anchoredTo = rowMetadataOf(spreadsheet, sheet),
): sheets_v4.Schema$GridData {
  const inside = clampToGrid(sheet, rect);
  const rowData: sheets_v4.Schema$RowData[] = [];
  const rowMetadata: sheets_v4.Schema$DimensionProperties[] = [];
  for (let row = inside.startRow; row < inside.endRow; row++) {
    const values: sheets_v4.Schema$CellData[] = [];
    for (let column = inside.startColumn; column < inside.endColumn; column++) {
      values.push(cellDataJson(cellAt(sheet, row, column)));
    }
    while (values.length > 0 && Object.keys(values.at(-1) ?? {}).length === 0) values.pop();
    rowData.push(values.length > 0 ? { values } : {});
    const anchored = anchoredTo.get(row);
    rowMetadata.push({ pixelSize: 21, ...(anchored ? { developerMetadata: anchored } : {}) });
  }
  while (rowData.length > 0 && rowData.at(-1)?.values === undefined) rowData.pop();
  return { startRow: rect.startRow, startColumn: rect.startColumn, rowData, rowMetadata };
}

/** The developer metadata anchored to each row of a sheet (0-based row → entries), found once per answer. */
export function rowMetadataOf(
  spreadsheet: Spreadsheet,
  sheet: Sheet,
): Map<number, sheets_v4.Schema$DeveloperMetadata[]> {
  const anchoredTo = new Map<number, sheets_v4.Schema$DeveloperMetadata[]>();
  for (const record of spreadsheet.metadata) {
    const where = placement(spreadsheet, record.anchor);
    if (where?.kind !== "rows" || where.sheet !== sheet) continue;
    const json = metadataJson(spreadsheet, record);
    for (let row = where.startIndex; row < where.endIndex; row++) {
      const entries = anchoredTo.get(row);
      if (entries) entries.push(json);
      else anchoredTo.set(row, [json]);
    }
  }
  return anchoredTo;
}

/**
 * The Spreadsheet resource after a batch update. `ranges` limits it to the sheets they name, and with
 * `includeGridData` each sheet carries one GridData per range on it (its whole grid when no range is given).
 */
export function spreadsheetWithGridData(
  spreadsheet: Spreadsheet,
  baseUrl: string,
  options: { ranges: readonly string[]; includeGridData: boolean },
): sheets_v4.Schema$Spreadsheet {
  const targets = options.ranges.map((range) => resolveRange(spreadsheet, range));
  const json = spreadsheetJson(spreadsheet, baseUrl);
  const sheets = (json.sheets ?? []).flatMap((sheetJson, index) => {
    const sheet = spreadsheet.sheets[index] as Sheet;
    const onSheet = targets.filter((target) => target.sheet === sheet);
    if (targets.length > 0 && onSheet.length === 0) return [];
    if (!options.includeGridData) return [sheetJson];
    const rects = onSheet.length > 0 ? onSheet.map((t) => closeRect(sheet, t.rect)) : [gridRect(sheet)];
    const anchoredTo = rowMetadataOf(spreadsheet, sheet);
    return [{ ...sheetJson, data: rects.map((rect) => gridDataJson(spreadsheet, sheet, rect, anchoredTo)) }];
  });
  return { ...json, sheets };
}
