/**
 * spreadsheets.values.get / batchGet / update / batchUpdate / append / clear / batchClear.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values
 * Writes receive a copy of the spreadsheet that the router keeps only when the call succeeds.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { invalidArgument } from "./api-errors.ts";
import { appendValues } from "./append.ts";
import { booleanParam, inputOption, insertDataOption, majorDimension, renderOption } from "./query-params.ts";
import { resolveRange } from "./ranges.ts";
import {
  BatchClearValuesSchema,
  BatchUpdateValuesSchema,
  parseBody,
  ValueRangeSchema,
} from "./request-schemas.ts";
import type { Spreadsheet } from "./spreadsheet-model.ts";
import {
  clearTarget,
  type ResponseOptions,
  readTarget,
  updateResponse,
  writeValues,
} from "./value-ranges.ts";

export type EndpointCall = { spreadsheet: Spreadsheet; range: string; query: URLSearchParams; body: unknown };

function readOptions(query: URLSearchParams) {
  return {
    majorDimension: majorDimension(query.get("majorDimension") ?? undefined),
    valueRenderOption: renderOption(query.get("valueRenderOption") ?? undefined),
  };
}

function responseOptions(
  query: URLSearchParams,
  dimension: ResponseOptions["majorDimension"],
): ResponseOptions {
  return {
    includeValuesInResponse: booleanParam(
      query.get("includeValuesInResponse") ?? undefined,
      "includeValuesInResponse",
    ),
    responseValueRenderOption: renderOption(
      query.get("responseValueRenderOption") ?? undefined,
      "responseValueRenderOption",
    ),
    majorDimension: dimension,
  };
}

export function valuesGet({ spreadsheet, range, query }: EndpointCall): sheets_v4.Schema$ValueRange {
  return readTarget(resolveRange(spreadsheet, range), readOptions(query));
}

export function valuesBatchGet({
  spreadsheet,
  query,
}: EndpointCall): sheets_v4.Schema$BatchGetValuesResponse {
  const options = readOptions(query);
  const valueRanges = query
    .getAll("ranges")
    .map((range) => readTarget(resolveRange(spreadsheet, range), options));
  return { spreadsheetId: spreadsheet.spreadsheetId, ...(valueRanges.length > 0 ? { valueRanges } : {}) };
}

/** The body's `range`, when given, must name the same cells as the URL. */
function checkBodyRange(spreadsheet: Spreadsheet, urlRange: string, bodyRange: string | undefined): void {
  if (bodyRange === undefined) return;
  const fromUrl = resolveRange(spreadsheet, urlRange);
  const fromBody = resolveRange(spreadsheet, bodyRange);
  if (fromUrl.sheet !== fromBody.sheet || JSON.stringify(fromUrl.rect) !== JSON.stringify(fromBody.rect)) {
    throw invalidArgument(`Requested range [${bodyRange}] does not match the range in the URL [${urlRange}]`);
  }
}

export function valuesUpdate({ spreadsheet, range, query, body }: EndpointCall) {
  const valueRange = parseBody(ValueRangeSchema, body);
  const valueInputOption = inputOption(query.get("valueInputOption") ?? undefined);
  checkBodyRange(spreadsheet, range, valueRange.range);
  const dimension = majorDimension(valueRange.majorDimension);
  const outcome = writeValues(resolveRange(spreadsheet, range), {
    values: valueRange.values ?? [],
    majorDimension: dimension,
    valueInputOption,
  });
  return updateResponse(spreadsheet.spreadsheetId, outcome, responseOptions(query, dimension));
}

export function valuesAppend({ spreadsheet, range, query, body }: EndpointCall) {
  const valueRange = parseBody(ValueRangeSchema, body);
  const valueInputOption = inputOption(query.get("valueInputOption") ?? undefined);
  checkBodyRange(spreadsheet, range, valueRange.range);
  const dimension = majorDimension(valueRange.majorDimension);
  const { tableRange, outcome } = appendValues(spreadsheet, resolveRange(spreadsheet, range), {
    values: valueRange.values ?? [],
    majorDimension: dimension,
    valueInputOption,
    insertDataOption: insertDataOption(query.get("insertDataOption") ?? undefined),
  });
  const updates = updateResponse(spreadsheet.spreadsheetId, outcome, responseOptions(query, dimension));
  return { spreadsheetId: spreadsheet.spreadsheetId, ...(tableRange ? { tableRange } : {}), updates };
}

export function valuesClear({ spreadsheet, range }: EndpointCall): sheets_v4.Schema$ClearValuesResponse {
  return {
    spreadsheetId: spreadsheet.spreadsheetId,
    clearedRange: clearTarget(resolveRange(spreadsheet, range)),
  };
}

export function valuesBatchClear({
  spreadsheet,
  body,
}: EndpointCall): sheets_v4.Schema$BatchClearValuesResponse {
  const { ranges = [] } = parseBody(BatchClearValuesSchema, body);
  const clearedRanges = ranges.map((range) => clearTarget(resolveRange(spreadsheet, range)));
  return { spreadsheetId: spreadsheet.spreadsheetId, clearedRanges };
}

export function valuesBatchUpdate({
  spreadsheet,
  body,
}: EndpointCall): sheets_v4.Schema$BatchUpdateValuesResponse {
  const request = parseBody(BatchUpdateValuesSchema, body);
  const valueInputOption = inputOption(request.valueInputOption);
  const responses = (request.data ?? []).map((valueRange) => {
    const dimension = majorDimension(valueRange.majorDimension);
    const outcome = writeValues(resolveRange(spreadsheet, valueRange.range ?? ""), {
      values: valueRange.values ?? [],
      majorDimension: dimension,
      valueInputOption,
    });
    return updateResponse(spreadsheet.spreadsheetId, outcome, {
      includeValuesInResponse: request.includeValuesInResponse ?? false,
      responseValueRenderOption: request.responseValueRenderOption ?? "FORMATTED_VALUE",
      majorDimension: dimension,
    });
  });
  return { spreadsheetId: spreadsheet.spreadsheetId, ...batchTotals(responses), responses };
}

/** The totals of a batch write; a sheet counts once however many of its ranges were written. */
export function batchTotals(responses: readonly sheets_v4.Schema$UpdateValuesResponse[]) {
  const written = responses.filter((response) => response.updatedCells);
  const sum = (pick: (response: sheets_v4.Schema$UpdateValuesResponse) => number | null | undefined) =>
    written.reduce((total, response) => total + (pick(response) ?? 0), 0);
  const sheets = new Set(written.map((response) => (response.updatedRange ?? "").replace(/![^!]*$/, "")));
  return {
    totalUpdatedRows: sum((response) => response.updatedRows),
    totalUpdatedColumns: sum((response) => response.updatedColumns),
    totalUpdatedCells: sum((response) => response.updatedCells),
    totalUpdatedSheets: sheets.size,
  };
}
