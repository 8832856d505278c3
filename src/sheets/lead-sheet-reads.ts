/**
 * Reading the lead sheet: the whole tab, or row 1 and the columns the sync uses plus the whole rows its
 * anchors sit on; and the tab's sheetId.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { LeadSheet } from "../sync/context.ts";
import { ALL_ANCHORS } from "./row-anchor-filters.ts";
import { columnRange, firstRowOf, quoteSheet, type SheetsCall, sheetTitleOf } from "./sheets-call.ts";

type Reads = Pick<LeadSheet, "read" | "readColumns" | "sheetId">;

export function leadSheetReads(args: {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  sheetName?: string | undefined;
  call: SheetsCall;
}): Reads {
  const { api, spreadsheetId, call } = args;
  return {
    async read() {
      // Without a sheet name, an A1 range means the first sheet; the answer's range names it.
      const range = args.sheetName ? quoteSheet(args.sheetName) : "A:ZZZ";
      const response = await call("reading the lead sheet", () =>
        api.spreadsheets.values.get({ spreadsheetId, range, majorDimension: "ROWS" }),
      );
      // Text in place: a second grid of a 100,000-row sheet would double what the read holds at its peak.
      const grid: string[][] = response.data.values ?? [];
      for (const cells of grid) {
        for (let c = 0; c < cells.length; c++) {
          if (typeof cells[c] !== "string") cells[c] = String(cells[c] ?? "");
        }
      }
      return { sheetTitle: sheetTitleOf(response.data.range ?? "", args.sheetName), grid };
    },

    async readColumns(sheetTitle, columns) {
      const header = `${quoteSheet(sheetTitle)}!1:1`;
      const columnRanges = columns.map((column) => columnRange(sheetTitle, column));
      const a1Ranges = [header, ...columnRanges];
      // One POST: the columns by A1 range, and every anchored row whole through the anchors' own filter.
      const response = await call("reading the lead sheet", () =>
        api.spreadsheets.values.batchGetByDataFilter({
          spreadsheetId,
          requestBody: {
            dataFilters: [...a1Ranges.map((a1Range) => ({ a1Range })), ALL_ANCHORS],
            majorDimension: "COLUMNS",
          },
        }),
      );
      const grid: string[][] = [];
      const cellsOf = (row: number) => {
        const cells = grid[row - 1] ?? [];
        grid[row - 1] = cells;
        return cells;
      };
      const fullRows = new Set<number>();
      const matched = response.data.valueRanges ?? [];
      matched.forEach((match, position) => {
        const filter = match.dataFilters?.[0];
        const values = match.valueRange?.values ?? [];
        const index = filter?.a1Range !== undefined ? a1Ranges.indexOf(filter.a1Range ?? "") : position;
        if (!filter?.developerMetadataLookup && index === 0) {
          // Row 1, one value per column.
          values.forEach((column, c) => {
            cellsOf(1)[c] = String(column[0] ?? "");
          });
        } else if (!filter?.developerMetadataLookup && index > 0 && index < a1Ranges.length) {
          const column = columns[index - 1] as number;
          values[0]?.forEach((value, r) => {
            cellsOf(r + 2)[column] = String(value ?? "");
          });
        } else {
          const range = match.valueRange?.range ?? "";
          const row = firstRowOf(range);
          if (row === null || row < 2 || sheetTitleOf(range, sheetTitle) !== sheetTitle) return;
          const cells = cellsOf(row);
          const width = Math.max(values.length, cells.length, grid[0]?.length ?? 0);
          for (let c = 0; c < width; c++) cells[c] = String(values[c]?.[0] ?? "");
          fullRows.add(row);
        }
      });
      for (let r = 0; r < grid.length; r++) grid[r] ??= [];
      return { sheetTitle, grid, fullRows: [...fullRows].sort((a, b) => a - b) };
    },

    async sheetId(sheetTitle) {
      const response = await call("finding the lead tab", () =>
        api.spreadsheets.get({ spreadsheetId, fields: "sheets.properties(sheetId,title)" }),
      );
      const tabs = (response.data.sheets ?? []).map((sheet) => sheet.properties ?? {});
      // Range names match tabs regardless of case, as in the Sheets UI; an exact match wins.
      const tab =
        tabs.find((properties) => properties.title === sheetTitle) ??
        tabs.find((properties) => properties.title?.toLowerCase() === sheetTitle.toLowerCase());
      return typeof tab?.sheetId === "number" ? tab.sheetId : null;
    },
  };
}
