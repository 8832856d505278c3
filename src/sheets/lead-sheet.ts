import type { sheets_v4 } from "@googleapis/sheets";
import type { BackoffOptions } from "../http/backoff.ts";
import type { LeadSheet } from "../sync/context.ts";
import { anchoredWrite } from "./anchored-write.ts";
import { leadSheetReads } from "./lead-sheet-reads.ts";
import { prepareRows } from "./prepare-rows.ts";
import { anchorCharacters } from "./row-anchor-filters.ts";
import { sheetsCall } from "./sheets-call.ts";

export { quoteSheet } from "./sheets-call.ts";

/**
 * The lead sheet through the Sheets API v4: read it whole or by columns; anchor rows and add new leads in
 * one atomic batch update; write cells through the anchors, each write reporting the row it landed on.
 * Translates between the API and the sync's LeadSheet port.
 */
export function createLeadSheet(args: {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  sheetName?: string | undefined;
  backoff?: BackoffOptions;
}): LeadSheet {
  const call = sheetsCall(args.backoff);
  const shared = { api: args.api, spreadsheetId: args.spreadsheetId, call };
  return {
    ...leadSheetReads({ ...shared, sheetName: args.sheetName }),
    ...prepareRows(shared),
    ...anchoredWrite(shared),
    anchorCharacters,
  };
}
