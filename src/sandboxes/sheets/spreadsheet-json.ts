/**
 * The Spreadsheet resource as spreadsheets.get returns it (without grid data).
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets#Spreadsheet
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { metadataJson } from "./developer-metadata.ts";
import type { MetadataRecord, Sheet, Spreadsheet } from "./spreadsheet-model.ts";

export function sheetPropertiesJson(sheet: Sheet, index: number): sheets_v4.Schema$SheetProperties {
  return {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index,
    sheetType: "GRID",
    gridProperties: { rowCount: sheet.rows.length, columnCount: sheet.columnCount },
  };
}

/**
 * Entries located on the spreadsheet are listed at the top level and entries located on a sheet under that
 * sheet; row and column entries are reached through developerMetadata.search or data filters.
 */
export function spreadsheetJson(spreadsheet: Spreadsheet, baseUrl: string): sheets_v4.Schema$Spreadsheet {
  const metadataOn = (test: (record: MetadataRecord) => boolean) =>
    spreadsheet.metadata.filter(test).map((record) => metadataJson(spreadsheet, record));
  const topLevel = metadataOn((record) => record.anchor.kind === "spreadsheet");
  return {
    spreadsheetId: spreadsheet.spreadsheetId,
    properties: {
      title: spreadsheet.title,
      locale: "en_GB",
      autoRecalc: "ON_CHANGE",
      timeZone: "Europe/London",
    },
    sheets: spreadsheet.sheets.map((sheet, index) => {
      const onSheet = metadataOn(
        (record) => record.anchor.kind === "sheet" && record.anchor.sheetId === sheet.sheetId,
      );
      return {
        properties: sheetPropertiesJson(sheet, index),
        ...(onSheet.length > 0 ? { developerMetadata: onSheet } : {}),
      };
    }),
    ...(topLevel.length > 0 ? { developerMetadata: topLevel } : {}),
    spreadsheetUrl: `${baseUrl}/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
  };
}
