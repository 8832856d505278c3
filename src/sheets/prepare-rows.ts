/**
 * The structural half of a write, as one atomic spreadsheets.batchUpdate: anchors removed, anchors created
 * on rows as read, and new leads inserted as fresh rows (filled by grid coordinates from column A, and
 * anchored, in the same batch). The answer carries row 1 and every row touched as the batch left them
 * (`includeSpreadsheetInResponse` with `responseRanges`), so what each anchor landed on is seen at once.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { UpstreamError } from "../errors.ts";
import type { LeadSheet, RowAnchor } from "../sync/context.ts";
import { ANCHOR_KEY, createAnchorRequest, deleteAnchorRequest } from "./row-anchor-filters.ts";
import { quoteSheet, rowRange, type SheetsCall } from "./sheets-call.ts";

type Preparing = Pick<LeadSheet, "prepare" | "anchorCensus">;

export function prepareRows(args: {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  call: SheetsCall;
}): Preparing {
  const { api, spreadsheetId, call } = args;
  return {
    async prepare(tab, preparation) {
      const { sheetId } = tab;
      const insert = preparation.insertRows;
      const insertedRows = insert ? insert.rows.map((_, i) => insert.beforeRow + i) : [];
      const requests: sheets_v4.Schema$Request[] = [
        ...preparation.removeAnchors.map(deleteAnchorRequest),
        ...preparation.anchorRows.map((anchor) => createAnchorRequest(sheetId, anchor.row - 1, anchor.tag)),
      ];
      if (insert && insert.rows.length > 0) {
        const startIndex = insert.beforeRow - 1;
        requests.push(
          {
            insertDimension: {
              range: { sheetId, dimension: "ROWS", startIndex, endIndex: startIndex + insert.rows.length },
              // Like a row a person inserts below the last lead: its formats and validation carry over.
              inheritFromBefore: startIndex > 0,
            },
          },
          {
            updateCells: {
              start: { sheetId, rowIndex: startIndex, columnIndex: 0 },
              // stringValue is stored as typed text: `=IMPORTXML(…)` stays text, as with RAW.
              rows: insert.rows.map((row) => ({
                values: row.cells.map((text) =>
                  text === "" ? {} : { userEnteredValue: { stringValue: text } },
                ),
              })),
              fields: "userEnteredValue",
            },
          },
          ...insert.rows.flatMap((row, i) =>
            row.tag === undefined ? [] : [createAnchorRequest(sheetId, startIndex + i, row.tag)],
          ),
        );
      }
      const shown = [...preparation.anchorRows.map((anchor) => anchor.row), ...insertedRows];
      // Not repeated after an outage: the rows may already have been inserted.
      const response = await call(
        "preparing the lead sheet's rows",
        () =>
          api.spreadsheets.batchUpdate({
            spreadsheetId,
            requestBody: {
              requests,
              includeSpreadsheetInResponse: true,
              responseRanges: [
                `${quoteSheet(tab.title)}!1:1`,
                ...shown.map((row) => rowRange(tab.title, row)),
              ],
              responseIncludeGridData: true,
            },
          }),
        { idempotent: false },
      );
      const anchors = (response.data.replies ?? []).flatMap((reply) => {
        const created = reply.createDeveloperMetadata?.developerMetadata;
        return created ? [anchorOf(created)] : [];
      });
      const tagged = (insert?.rows ?? []).filter((row) => row.tag !== undefined).length;
      if (anchors.length !== preparation.anchorRows.length + tagged || anchors.includes(null)) {
        throw new UpstreamError("sheets", "the batch update answered without the anchors it created");
      }
      const sheet = response.data.updatedSpreadsheet?.sheets?.find((s) => s.properties?.sheetId === sheetId);
      const rows = new Map<number, string[]>();
      for (const data of sheet?.data ?? []) {
        (data.rowData ?? []).forEach((rowData, i) => {
          rows.set(
            (data.startRow ?? 0) + i + 1,
            (rowData.values ?? []).map((cell) => cell.formattedValue ?? ""),
          );
        });
      }
      return { header: rows.get(1) ?? [], anchors: anchors as RowAnchor[], rows };
    },

    async anchorCensus(sheetId) {
      // Everything on the tab: its rows', columns' and its own metadata, which share its budget.
      const response = await call("counting the lead sheet's anchors", () =>
        api.spreadsheets.developerMetadata.search({
          spreadsheetId,
          requestBody: {
            dataFilters: [
              {
                developerMetadataLookup: {
                  metadataLocation: { sheetId },
                  locationMatchingStrategy: "INTERSECTING_LOCATION",
                },
              },
            ],
          },
        }),
      );
      const anchors: RowAnchor[] = [];
      let othersCharacters = 0;
      const seen = new Set<number>();
      for (const match of response.data.matchedDeveloperMetadata ?? []) {
        const entry = match.developerMetadata;
        if (!entry || typeof entry.metadataId !== "number" || seen.has(entry.metadataId)) continue;
        seen.add(entry.metadataId);
        const anchor = entry.metadataKey === ANCHOR_KEY ? anchorOf(entry) : null;
        if (anchor) anchors.push(anchor);
        else othersCharacters += (entry.metadataKey ?? "").length + (entry.metadataValue ?? "").length;
      }
      return { anchors, othersCharacters };
    },
  };
}

function anchorOf(entry: sheets_v4.Schema$DeveloperMetadata): RowAnchor | null {
  const range = entry.location?.dimensionRange;
  if (typeof entry.metadataId !== "number" || entry.location?.locationType !== "ROW" || !range) return null;
  return { anchorId: entry.metadataId, tag: entry.metadataValue ?? "", row: (range.startIndex ?? 0) + 1 };
}
