/**
 * The data-filter variants of the values calls, and developerMetadata.get / search.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchGetByDataFilter
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdateByDataFilter
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.developerMetadata/search
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { notFound } from "./api-errors.ts";
import { filterMetadata, filterTargets } from "./data-filters.ts";
import { metadataJson } from "./developer-metadata.ts";
import { inputOption, majorDimension } from "./query-params.ts";
import {
  BatchClearByDataFilterSchema,
  BatchGetByDataFilterSchema,
  BatchUpdateByDataFilterSchema,
  parseBody,
  SearchMetadataSchema,
} from "./request-schemas.ts";
import { clearTarget, readTarget, updateResponse, writeValues } from "./value-ranges.ts";
import { batchTotals, type EndpointCall } from "./values-endpoints.ts";

/** One MatchedValueRange per range a filter selects; a filter that selects nothing adds nothing. */
export function batchGetByDataFilter({ spreadsheet, body }: EndpointCall) {
  const request = parseBody(BatchGetByDataFilterSchema, body);
  const options = {
    majorDimension: majorDimension(request.majorDimension),
    valueRenderOption: request.valueRenderOption ?? ("FORMATTED_VALUE" as const),
  };
  const valueRanges = (request.dataFilters ?? []).flatMap((dataFilter) =>
    filterTargets(spreadsheet, dataFilter).map((target) => ({
      valueRange: readTarget(target, options),
      dataFilters: [dataFilter],
    })),
  );
  return { spreadsheetId: spreadsheet.spreadsheetId, ...(valueRanges.length > 0 ? { valueRanges } : {}) };
}

/**
 * Writes each entry's values to every range its filter selects (row metadata selects the whole row, from
 * column A). A filter that selects nothing writes nothing and adds no response, so a caller anchoring
 * writes to metadata must check that a response came back for its filter. Filters are resolved when their
 * entry is written, in order; `updatedData` shows each range "after all updates were applied".
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/UpdateValuesByDataFilterResponse
 */
export function batchUpdateByDataFilter({ spreadsheet, body }: EndpointCall) {
  const request = parseBody(BatchUpdateByDataFilterSchema, body);
  const valueInputOption = inputOption(request.valueInputOption);
  const written = (request.data ?? []).flatMap((entry) => {
    const dimension = majorDimension(entry.majorDimension);
    return filterTargets(spreadsheet, entry.dataFilter).map((target) => ({
      entry,
      dimension,
      outcome: writeValues(target, {
        values: entry.values ?? [],
        majorDimension: dimension,
        valueInputOption,
      }),
    }));
  });
  const responses = written.map(({ entry, dimension, outcome }) => {
    const response = updateResponse(spreadsheet.spreadsheetId, outcome, {
      includeValuesInResponse: request.includeValuesInResponse ?? false,
      responseValueRenderOption: request.responseValueRenderOption ?? "FORMATTED_VALUE",
      majorDimension: dimension,
    });
    const { spreadsheetId: _, ...fields } = response;
    return { ...fields, dataFilter: entry.dataFilter };
  });
  return { spreadsheetId: spreadsheet.spreadsheetId, ...batchTotals(responses), responses };
}

export function batchClearByDataFilter({
  spreadsheet,
  body,
}: EndpointCall): sheets_v4.Schema$BatchClearValuesByDataFilterResponse {
  const { dataFilters = [] } = parseBody(BatchClearByDataFilterSchema, body);
  const clearedRanges = dataFilters.flatMap((filter) => filterTargets(spreadsheet, filter).map(clearTarget));
  return { spreadsheetId: spreadsheet.spreadsheetId, clearedRanges };
}

export function searchMetadata({ spreadsheet, body }: EndpointCall) {
  const { dataFilters = [] } = parseBody(SearchMetadataSchema, body);
  const matched = dataFilters.flatMap((dataFilter) =>
    filterMetadata(spreadsheet, dataFilter).map((record) => ({
      developerMetadata: metadataJson(spreadsheet, record),
      dataFilters: [dataFilter],
    })),
  );
  return matched.length > 0 ? { matchedDeveloperMetadata: matched } : {};
}

export function getMetadata({
  spreadsheet,
  range: metadataId,
}: EndpointCall): sheets_v4.Schema$DeveloperMetadata {
  const record = spreadsheet.metadata.find((entry) => String(entry.metadataId) === metadataId);
  if (!record) throw notFound();
  return metadataJson(spreadsheet, record);
}
