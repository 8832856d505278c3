import type { sheets_v4 } from "@googleapis/sheets";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSheetsApi } from "../../sheets/google-api.ts";
import { type SheetsSandbox, startSheetsSandbox } from "./sandbox.ts";

/**
 * The sandbox's spreadsheets.batchUpdate requests and answers that calsync's anchored writes rely on,
 * beyond what the contract suite asks of the real API as well.
 */

type GoogleError = { status: number; message: string };

async function failure(call: Promise<unknown>): Promise<GoogleError> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: { error: { message: string } } } })
      .response;
    if (response) return { status: response.status, message: response.data.error.message };
    throw error;
  }
  throw new Error("expected the call to fail");
}

const ROWS = [
  ["Status", "Name", "Phone"],
  ["HOT", "Ann", "0770"],
  ["COLD", "Bob", "0771"],
];
const rowAnchor = (key: string, rowIndex: number): sheets_v4.Schema$Request => ({
  createDeveloperMetadata: {
    developerMetadata: {
      metadataKey: key,
      visibility: "DOCUMENT",
      location: {
        dimensionRange: { sheetId: 0, dimension: "ROWS", startIndex: rowIndex, endIndex: rowIndex + 1 },
      },
    },
  },
});

describe("Sheets sandbox: spreadsheets.batchUpdate", () => {
  let sandbox: SheetsSandbox;
  let api: sheets_v4.Sheets;
  let spreadsheetId: string;
  const values = () => sandbox.values(spreadsheetId, "Leads");
  const batch = (requestBody: sheets_v4.Schema$BatchUpdateSpreadsheetRequest) =>
    api.spreadsheets.batchUpdate({ spreadsheetId, requestBody });

  beforeEach(async () => {
    sandbox = await startSheetsSandbox();
    api = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true });
    spreadsheetId = sandbox.createSpreadsheet({ sheets: [{ title: "Leads", rows: ROWS }] });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  describe("updateCells", () => {
    it("writes from a start cell, strings as text, and leaves cells it is not given", async () => {
      await batch({
        requests: [
          {
            updateCells: {
              start: { sheetId: 0, rowIndex: 1, columnIndex: 1 },
              rows: [{ values: [{ userEnteredValue: { stringValue: "=IMPORTXML(A1)" } }] }, {}],
              fields: "userEnteredValue",
            },
          },
        ],
      });
      expect(values()).toEqual([ROWS[0], ["HOT", "=IMPORTXML(A1)", "0770"], ROWS[2]]);
    });

    it("clears what a range covers beyond the rows given, and writes numbers and formulas as values", async () => {
      await batch({
        requests: [
          {
            updateCells: {
              range: { sheetId: 0, startRowIndex: 1, endRowIndex: 3, startColumnIndex: 0, endColumnIndex: 2 },
              rows: [
                {
                  values: [
                    { userEnteredValue: { numberValue: 7 } },
                    { userEnteredValue: { formulaValue: "=42" } },
                  ],
                },
              ],
              fields: "*",
            },
          },
        ],
      });
      expect(values()).toEqual([ROWS[0], [7, 42, "0770"], ["", "", "0771"]]);
    });

    it("refuses a request without fields, or one reaching past the grid, and then applies nothing", async () => {
      const noFields = await failure(
        batch({ requests: [{ updateCells: { start: { sheetId: 0 }, rows: [{ values: [{}] }] } }] }),
      );
      expect(noFields).toMatchObject({
        status: 400,
        message: expect.stringMatching(/^Invalid requests\[0\]\.updateCells: .*fields/),
      });
      const pastGrid = await failure(
        batch({
          requests: [
            { insertDimension: { range: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 2 } } },
            {
              updateCells: {
                start: { sheetId: 0, rowIndex: 0, columnIndex: 25 },
                rows: [{ values: [{}, { userEnteredValue: { stringValue: "x" } }] }],
                fields: "userEnteredValue",
              },
            },
          ],
        }),
      );
      expect(pastGrid).toMatchObject({ status: 400, message: expect.stringMatching(/exceeds grid limits/) });
      expect(values()).toEqual(ROWS);
    });
  });

  it("refuses to inherit the properties of a row before the first", async () => {
    const refused = await failure(
      batch({
        requests: [
          {
            insertDimension: {
              range: { sheetId: 0, dimension: "ROWS", startIndex: 0, endIndex: 1 },
              inheritFromBefore: true,
            },
          },
        ],
      }),
    );
    expect(refused.status).toBe(400);
  });

  it("answers with the spreadsheet as the batch left it, limited to the response ranges, cells as CellData", async () => {
    const response = await batch({
      requests: [
        {
          insertDimension: {
            range: { sheetId: 0, dimension: "ROWS", startIndex: 3, endIndex: 4 },
            inheritFromBefore: true,
          },
        },
        {
          updateCells: {
            start: { sheetId: 0, rowIndex: 3, columnIndex: 0 },
            rows: [
              {
                values: [
                  { userEnteredValue: { stringValue: "NEW" } },
                  {},
                  { userEnteredValue: { numberValue: 7 } },
                ],
              },
            ],
            fields: "userEnteredValue",
          },
        },
        rowAnchor("lead", 3),
      ],
      includeSpreadsheetInResponse: true,
      responseRanges: ["Leads!1:1", "Leads!4:4"],
      responseIncludeGridData: true,
    });
    const [sheet] = response.data.updatedSpreadsheet?.sheets ?? [];
    expect(sheet?.properties?.title).toBe("Leads");
    expect(
      sheet?.data?.map((data) => [
        data.startRow,
        data.rowData?.map((row) => row.values?.map((c) => c.formattedValue)),
      ]),
    ).toEqual([
      [0, [["Status", "Name", "Phone"]]],
      [3, [["NEW", undefined, "7"]]],
    ]);
    expect(sheet?.data?.[1]?.rowData?.[0]?.values?.[2]).toEqual({
      userEnteredValue: { numberValue: 7 },
      effectiveValue: { numberValue: 7 },
      formattedValue: "7",
    });
    expect(sheet?.data?.[1]?.rowMetadata?.[0]?.developerMetadata?.map((m) => m.metadataKey)).toEqual([
      "lead",
    ]);
    const created = response.data.replies?.[2]?.createDeveloperMetadata?.developerMetadata;
    expect(created?.location?.dimensionRange).toMatchObject({ startIndex: 3, endIndex: 4 });
  });

  it("leaves the spreadsheet out of the answer unless it is asked for", async () => {
    const response = await batch({ requests: [rowAnchor("lead", 1)] });
    expect(response.data.updatedSpreadsheet).toBeUndefined();
  });

  describe("moveDimension", () => {
    it("moves columns with their cells and their metadata, to before the destination index", async () => {
      await batch({
        requests: [
          {
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: "names",
                visibility: "DOCUMENT",
                location: {
                  dimensionRange: { sheetId: 0, dimension: "COLUMNS", startIndex: 1, endIndex: 2 },
                },
              },
            },
          },
          {
            moveDimension: {
              source: { sheetId: 0, dimension: "COLUMNS", startIndex: 1, endIndex: 2 },
              destinationIndex: 3,
            },
          },
        ],
      });
      expect(values()).toEqual([
        ["Status", "Phone", "Name"],
        ["HOT", "0770", "Ann"],
        ["COLD", "0771", "Bob"],
      ]);
      const [names] = sandbox.developerMetadata(spreadsheetId);
      expect(names?.location?.dimensionRange).toMatchObject({ startIndex: 2, endIndex: 3 });
    });

    it("moves rows with the metadata anchored to them", async () => {
      await batch({
        requests: [
          rowAnchor("ann", 1),
          {
            moveDimension: {
              source: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 2 },
              destinationIndex: 3,
            },
          },
        ],
      });
      expect(values()).toEqual([ROWS[0], ROWS[2], ROWS[1]]);
      expect(sandbox.developerMetadata(spreadsheetId)[0]?.location?.dimensionRange).toMatchObject({
        startIndex: 2,
      });
    });
  });

  describe("metadata lookups", () => {
    const search = async (lookup: sheets_v4.Schema$DeveloperMetadataLookup) =>
      (
        await api.spreadsheets.developerMetadata.search({
          spreadsheetId,
          requestBody: { dataFilters: [{ developerMetadataLookup: lookup }] },
        })
      ).data.matchedDeveloperMetadata?.map((match) => match.developerMetadata?.metadataKey) ?? [];
    const row2 = { dimensionRange: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 2 } };

    beforeEach(async () => {
      await batch({
        requests: [
          rowAnchor("row 2", 1),
          {
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: "column B",
                visibility: "DOCUMENT",
                location: {
                  dimensionRange: { sheetId: 0, dimension: "COLUMNS", startIndex: 1, endIndex: 2 },
                },
              },
            },
          },
        ],
      });
    });

    it("match intersecting locations unless told to match exactly, a column crossing a row included", async () => {
      expect(await search({ metadataLocation: row2 })).toEqual(["row 2", "column B"]);
      expect(await search({ metadataLocation: row2, locationMatchingStrategy: "EXACT_LOCATION" })).toEqual([
        "row 2",
      ]);
      expect(
        await search({ metadataLocation: { sheetId: 0 }, locationMatchingStrategy: "INTERSECTING_LOCATION" }),
      ).toEqual(["row 2", "column B"]);
    });

    it("refuse a matching strategy without a location", async () => {
      const refused = await failure(search({ locationMatchingStrategy: "EXACT_LOCATION" }));
      expect(refused.status).toBe(400);
    });
  });

  it("answers every range written by data filter with its values after all the updates", async () => {
    await batch({ requests: [rowAnchor("ann", 1)] });
    const response = await api.spreadsheets.values.batchUpdateByDataFilter({
      spreadsheetId,
      requestBody: {
        valueInputOption: "RAW",
        includeValuesInResponse: true,
        data: [
          { dataFilter: { developerMetadataLookup: { metadataKey: "ann" } }, values: [["CALL_BOOKED"]] },
          { dataFilter: { a1Range: "Leads!B2" }, values: [["Anne"]] },
        ],
      },
    });
    expect(response.data.responses?.map((r) => r.updatedData?.values)).toEqual([
      [["CALL_BOOKED", "Anne", "0770"]],
      [["Anne"]],
    ]);
  });

  it("lets a person insert, delete and move columns, moving the cells to the right along", () => {
    sandbox.insertColumns(spreadsheetId, "Leads", 1);
    expect(values()[1]).toEqual(["HOT", "", "Ann", "0770"]);
    sandbox.moveColumns(spreadsheetId, "Leads", { fromColumn: 3, toColumn: 1 });
    expect(values()[0]).toEqual(["Status", "Phone", "", "Name"]);
    sandbox.deleteColumns(spreadsheetId, "Leads", 2);
    expect(values()).toEqual([
      ["Status", "Phone", "Name"],
      ["HOT", "0770", "Ann"],
      ["COLD", "0771", "Bob"],
    ]);
  });

  it("appends from the first filled column of the table it finds, as values.append does", async () => {
    sandbox.typeCell(spreadsheetId, "Leads", "A3", "");
    const response = await api.spreadsheets.values.append({
      spreadsheetId,
      range: "Leads!A3:C3",
      valueInputOption: "RAW",
      insertDataOption: "INSERT_ROWS",
      requestBody: { values: [["NEW", "Cy", "0772"]] },
    });
    // Row 3's first cell is empty, so the table found there starts at B: the values go in from B.
    expect(response.data.tableRange).toBe("Leads!B3:C3");
    expect(response.data.updates?.updatedRange).toBe("Leads!B4:D4");
    expect(values()[3]).toEqual(["", "NEW", "Cy", "0772"]);
  });
});
