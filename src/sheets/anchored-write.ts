/**
 * Writing cells through row anchors: one values.batchUpdateByDataFilter in which the server resolves each
 * anchor when the write lands, so a row inserted or deleted between calsync's read and its write never
 * receives another lead's cells. The same call writes nothing into row 1 and returns it, so the columns the
 * cells were written under are known with the write.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdateByDataFilter
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { LeadSheet } from "../sync/context.ts";
import { anchorFilter, keyOfTarget, targetKey } from "./row-anchor-filters.ts";
import { firstRowOf, quoteSheet, type SheetsCall } from "./sheets-call.ts";

export function anchoredWrite(args: {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  call: SheetsCall;
}): Pick<LeadSheet, "writeAnchored"> {
  const { api, spreadsheetId, call } = args;
  return {
    async writeAnchored(tab, writes) {
      const header = `${quoteSheet(tab.title)}!1:1`;
      const data: sheets_v4.Schema$DataFilterValueRange[] = writes.map((write) => {
        const width = Math.max(0, ...write.cells.keys()) + 1;
        // A row anchor selects the whole row from column A; null skips every cell calsync does not write.
        const values: (string | null)[] = new Array(width).fill(null);
        for (const [column, value] of write.cells) values[column] = value;
        return {
          dataFilter: anchorFilter(tab.sheetId, write.target),
          majorDimension: "ROWS",
          values: [values],
        };
      });
      data.push({ dataFilter: { a1Range: header }, majorDimension: "ROWS", values: [[null]] });
      const response = await call("writing the lead sheet", () =>
        api.spreadsheets.values.batchUpdateByDataFilter({
          spreadsheetId,
          requestBody: {
            valueInputOption: "RAW",
            includeValuesInResponse: true,
            responseValueRenderOption: "FORMATTED_VALUE",
            data,
          },
        }),
      );
      const answers = response.data.responses ?? [];
      const byTarget = new Map<string, { row: number; cells: string[] }>();
      let headerCells: string[] = [];
      for (const answer of answers) {
        const cells = (answer.updatedData?.values?.[0] ?? []).map((value) => String(value ?? ""));
        if (answer.dataFilter?.a1Range === header) {
          headerCells = cells;
          continue;
        }
        const key = targetKey(answer.dataFilter);
        const row = firstRowOf(answer.updatedRange ?? "");
        if (key && row !== null && !byTarget.has(key)) byTarget.set(key, { row, cells });
      }
      return {
        header: headerCells,
        landed: writes.map((write) => byTarget.get(keyOfTarget(write.target)) ?? null),
      };
    },
  };
}
