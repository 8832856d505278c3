/**
 * spreadsheets.batchUpdate: the structural requests calsync and its tests use. The router runs every write
 * on a copy and keeps it only if the whole request succeeds, which gives Google's atomic batches ("if any
 * request is not valid, then the entire request will fail and nothing will be applied").
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import { z } from "zod";
import { invalidArgument, invalidRequest, type SheetsApiError } from "./api-errors.ts";
import { filterMetadata } from "./data-filters.ts";
import { anchorOf, assertWithinLimit, createMetadata, metadataJson } from "./developer-metadata.ts";
import { closeRect } from "./ranges.ts";
import {
  DataFilterSchema,
  DeveloperMetadataSchema,
  DimensionRangeSchema,
  GridRangeSchema,
  parseBody,
} from "./request-schemas.ts";
import { sheetPropertiesJson } from "./spreadsheet-json.ts";
import {
  addSheet,
  DEFAULT_COLUMN_COUNT,
  DEFAULT_ROW_COUNT,
  deleteColumns,
  deleteRows,
  insertColumns,
  insertRows,
  moveDimension,
  resizeGrid,
  type Sheet,
  type Spreadsheet,
  sheetById,
  sortRect,
} from "./spreadsheet-model.ts";
import { UpdateCellsSchema, updateCells } from "./update-cells.ts";

type Reply = sheets_v4.Schema$Response;
type Fail = (reason: string) => SheetsApiError;
type Handler = (spreadsheet: Spreadsheet, body: unknown, context: { at: string; fail: Fail }) => Reply;

const int = z.number().int();

const SheetPropertiesSchema = z.looseObject({
  sheetId: int.optional(),
  title: z.string().optional(),
  index: int.optional(),
  gridProperties: z.looseObject({ rowCount: int.optional(), columnCount: int.optional() }).optional(),
});

const HANDLERS: Record<string, Handler> = {
  addSheet(spreadsheet, body, { at, fail }) {
    const { properties = {} } = parseBody(
      z.strictObject({ properties: SheetPropertiesSchema.optional() }),
      body,
      at,
    );
    const title = properties.title ?? `Sheet${spreadsheet.sheets.length + 1}`;
    if (spreadsheet.sheets.some((sheet) => sheet.title.toLowerCase() === title.toLowerCase())) {
      throw fail(`A sheet with the name "${title}" already exists. Please enter another name.`);
    }
    if (properties.sheetId !== undefined && sheetById(spreadsheet, properties.sheetId)) {
      throw fail(`Sheet with id ${properties.sheetId} already exists.`);
    }
    const sheet = addSheet(spreadsheet, {
      sheetId: properties.sheetId ?? unusedSheetId(spreadsheet),
      title,
      rowCount: properties.gridProperties?.rowCount ?? DEFAULT_ROW_COUNT,
      columnCount: properties.gridProperties?.columnCount ?? DEFAULT_COLUMN_COUNT,
      ...(properties.index !== undefined ? { index: properties.index } : {}),
    });
    return { addSheet: { properties: sheetPropertiesJson(sheet, spreadsheet.sheets.indexOf(sheet)) } };
  },

  deleteSheet(spreadsheet, body, { at, fail }) {
    const { sheetId } = parseBody(z.strictObject({ sheetId: int }), body, at);
    const sheet = existingSheet(spreadsheet, sheetId, fail);
    if (spreadsheet.sheets.length === 1) throw fail("You can't remove all the sheets in a document.");
    spreadsheet.sheets = spreadsheet.sheets.filter((other) => other !== sheet);
    spreadsheet.metadata = spreadsheet.metadata.filter(
      (record) => record.anchor.kind === "spreadsheet" || record.anchor.sheetId !== sheetId,
    );
    return {};
  },

  updateSheetProperties(spreadsheet, body, { at, fail }) {
    const schema = z.strictObject({ properties: SheetPropertiesSchema, fields: z.string() });
    const { properties, fields } = parseBody(schema, body, at);
    const sheet = existingSheet(spreadsheet, properties.sheetId ?? 0, fail);
    const wants = (field: string) =>
      fields === "*" || fields.split(",").some((f) => field.startsWith(f.trim()));
    if (wants("title") && properties.title !== undefined) sheet.title = properties.title;
    const grid = properties.gridProperties;
    resizeGrid(spreadsheet, sheet, {
      rowCount: wants("gridProperties.rowCount") ? (grid?.rowCount ?? sheet.rows.length) : sheet.rows.length,
      columnCount: wants("gridProperties.columnCount")
        ? (grid?.columnCount ?? sheet.columnCount)
        : sheet.columnCount,
    });
    return {};
  },

  insertDimension(spreadsheet, body, { at, fail }) {
    const schema = z.strictObject({ range: DimensionRangeSchema, inheritFromBefore: z.boolean().optional() });
    const { range, inheritFromBefore } = parseBody(schema, body, at);
    const sheet = existingSheet(spreadsheet, range.sheetId, fail);
    const { start, count } = span(range, sheet, fail, { allowEnd: true });
    // "True to inherit from the dimensions before (in which case the start index must be greater than 0)".
    // The sandbox keeps no formatting, so inheriting changes nothing else.
    if (inheritFromBefore && start === 0) throw fail("Cannot inherit properties from before the first row");
    if (range.dimension === "ROWS") insertRows(spreadsheet, sheet, start, count);
    else insertColumns(spreadsheet, sheet, start, count);
    return {};
  },

  deleteDimension(spreadsheet, body, { at, fail }) {
    const { range } = parseBody(z.strictObject({ range: DimensionRangeSchema }), body, at);
    const sheet = existingSheet(spreadsheet, range.sheetId, fail);
    const { start, count } = span(range, sheet, fail, { allowEnd: false });
    if (range.dimension === "ROWS") deleteRows(spreadsheet, sheet, start, count);
    else deleteColumns(spreadsheet, sheet, start, count);
    return {};
  },

  moveDimension(spreadsheet, body, { at, fail }) {
    const schema = z.strictObject({ source: DimensionRangeSchema, destinationIndex: int });
    const { source, destinationIndex } = parseBody(schema, body, at);
    const sheet = existingSheet(spreadsheet, source.sheetId, fail);
    const { start, count } = span(source, sheet, fail, { allowEnd: false });
    const size = source.dimension === "ROWS" ? sheet.rows.length : sheet.columnCount;
    if (destinationIndex < 0 || destinationIndex > size) {
      throw fail(`Invalid destinationIndex ${destinationIndex} for a grid of ${size}`);
    }
    if (destinationIndex > start && destinationIndex < start + count) {
      throw fail("Cannot move a dimension into itself");
    }
    moveDimension(spreadsheet, sheet, {
      dimension: source.dimension,
      start,
      count,
      destination: destinationIndex,
    });
    return {};
  },

  updateCells(spreadsheet, body, { at, fail }) {
    const request = parseBody(UpdateCellsSchema, body, at);
    return updateCells(spreadsheet, request, fail);
  },

  appendDimension(spreadsheet, body, { at, fail }) {
    const schema = z.strictObject({
      sheetId: int,
      dimension: z.enum(["ROWS", "COLUMNS"]),
      length: int.positive(),
    });
    const { sheetId, dimension, length } = parseBody(schema, body, at);
    const sheet = existingSheet(spreadsheet, sheetId, fail);
    if (dimension === "ROWS") insertRows(spreadsheet, sheet, sheet.rows.length, length);
    else sheet.columnCount += length;
    return {};
  },

  sortRange(spreadsheet, body, { at, fail }) {
    const SortSpec = z.looseObject({
      dimensionIndex: int.optional(),
      sortOrder: z.enum(["ASCENDING", "DESCENDING"]).optional(),
    });
    const { range, sortSpecs } = parseBody(
      z.strictObject({ range: GridRangeSchema, sortSpecs: z.array(SortSpec) }),
      body,
      at,
    );
    const sheet = existingSheet(spreadsheet, range.sheetId ?? 0, fail);
    const rect = closeRect(sheet, {
      startRow: range.startRowIndex ?? 0,
      endRow: range.endRowIndex ?? null,
      startColumn: range.startColumnIndex ?? 0,
      endColumn: range.endColumnIndex ?? null,
    });
    const specs = sortSpecs.map((spec) => ({
      column: spec.dimensionIndex ?? 0,
      descending: spec.sortOrder === "DESCENDING",
    }));
    sortRect(sheet, rect, specs);
    return {};
  },

  createDeveloperMetadata(spreadsheet, body, { at, fail }) {
    const { developerMetadata } = parseBody(
      z.strictObject({ developerMetadata: DeveloperMetadataSchema }),
      body,
      at,
    );
    const record = createMetadata(spreadsheet, developerMetadata, fail);
    return { createDeveloperMetadata: { developerMetadata: metadataJson(spreadsheet, record) } };
  },

  updateDeveloperMetadata(spreadsheet, body, { at, fail }) {
    const schema = z.strictObject({
      dataFilters: z.array(DataFilterSchema),
      developerMetadata: DeveloperMetadataSchema,
      fields: z.string(),
    });
    const { dataFilters, developerMetadata: changes, fields } = parseBody(schema, body, at);
    const wants = (field: string) => fields === "*" || fields.split(",").some((f) => f.trim() === field);
    const records = [...new Set(dataFilters.flatMap((filter) => filterMetadata(spreadsheet, filter)))];
    for (const record of records) {
      if (wants("metadataKey") && changes.metadataKey) record.metadataKey = changes.metadataKey;
      if (wants("metadataValue")) {
        if (changes.metadataValue === undefined) delete record.metadataValue;
        else record.metadataValue = changes.metadataValue;
      }
      if (wants("visibility") && changes.visibility) record.visibility = changes.visibility;
      if (wants("location") && changes.location) {
        const anchor = anchorOf(spreadsheet, changes.location);
        if (typeof anchor === "string") throw fail(anchor);
        record.anchor = anchor;
      }
      assertWithinLimit(spreadsheet, record, fail);
    }
    const updated = records.map((record) => metadataJson(spreadsheet, record));
    return { updateDeveloperMetadata: { developerMetadata: updated } };
  },

  deleteDeveloperMetadata(spreadsheet, body, { at }) {
    const { dataFilter } = parseBody(z.strictObject({ dataFilter: DataFilterSchema }), body, at);
    const doomed = new Set(filterMetadata(spreadsheet, dataFilter));
    const deletedDeveloperMetadata = [...doomed].map((record) => metadataJson(spreadsheet, record));
    spreadsheet.metadata = spreadsheet.metadata.filter((record) => !doomed.has(record));
    return { deleteDeveloperMetadata: { deletedDeveloperMetadata } };
  },
};

/** Applies the requests in order, returning one reply per request (`{}` for those without one). */
export function applyBatchUpdate(
  spreadsheet: Spreadsheet,
  requests: readonly Record<string, unknown>[],
): Reply[] {
  return requests.map((request, index) => {
    const kinds = Object.keys(request);
    const [kind] = kinds;
    if (kinds.length !== 1 || kind === undefined) {
      throw invalidArgument(`Invalid requests[${index}]: exactly one kind of request must be set`);
    }
    const handler = HANDLERS[kind];
    if (!handler) {
      throw invalidArgument(
        `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${index}]': Cannot find field.`,
      );
    }
    const fail: Fail = (reason) => invalidRequest(index, kind, reason);
    return handler(spreadsheet, request[kind], { at: `requests[${index}].${kind}`, fail });
  });
}

function existingSheet(spreadsheet: Spreadsheet, sheetId: number, fail: Fail): Sheet {
  const sheet = sheetById(spreadsheet, sheetId);
  if (!sheet) throw fail(`No grid with id: ${sheetId}`);
  return sheet;
}

function span(
  range: { dimension: "ROWS" | "COLUMNS"; startIndex?: number | undefined; endIndex?: number | undefined },
  sheet: Sheet,
  fail: Fail,
  { allowEnd }: { allowEnd: boolean },
): { start: number; count: number } {
  const size = range.dimension === "ROWS" ? sheet.rows.length : sheet.columnCount;
  const start = range.startIndex ?? 0;
  const end = range.endIndex ?? size;
  const limit = allowEnd ? size : size - 1;
  if (start < 0 || end <= start || start > limit || (!allowEnd && end > size)) {
    throw fail(
      `Invalid dimension range [${start}, ${end}) for a grid of ${size} ${range.dimension.toLowerCase()}`,
    );
  }
  return { start, count: end - start };
}

function unusedSheetId(spreadsheet: Spreadsheet): number {
  let id = randomInt(1, 2 ** 31 - 1);
  while (sheetById(spreadsheet, id)) id = randomInt(1, 2 ** 31 - 1);
  return id;
}
