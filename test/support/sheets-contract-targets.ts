/**
 * The two places the Sheets contract suite runs: the local sandbox, and a real spreadsheet (on scratch
 * tabs it creates and removes). Both are driven through the same real client; only "a person edits the
 * sheet" differs: the sandbox does it directly, the real target through the API.
 */
import { randomBytes } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { Config } from "../../src/config/config.ts";
import type { SeedValue } from "../../src/sandboxes/sheets/person-edits.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../../src/sandboxes/sheets/sandbox.ts";
import { createSheetsApi } from "../../src/sheets/google-api.ts";

export type ScratchTab = { title: string; sheetId: number };

/** What a person does in the Sheets UI between two API calls. */
export type PersonEdits = {
  insertRows(tab: ScratchTab, atRow: number, rows: SeedValue[][]): Promise<void>;
  deleteRows(tab: ScratchTab, fromRow: number, count: number): Promise<void>;
  sortRows(tab: ScratchTab, options: { column: number; descending?: boolean }): Promise<void>;
};

export type ContractTarget = {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  person: PersonEdits;
  /** A new tab (its name has a space, so every range needs quoting) holding `rows`, 200 × 24 by default. */
  scratchTab(rows: SeedValue[][], size?: { rowCount: number; columnCount: number }): Promise<ScratchTab>;
  close(): Promise<void>;
};

async function addScratchTab(
  api: sheets_v4.Sheets,
  spreadsheetId: string,
  rows: SeedValue[][],
  size = { rowCount: 200, columnCount: 24 },
): Promise<ScratchTab> {
  const title = `calsync contract ${randomBytes(4).toString("hex")}`;
  const response = await api.spreadsheets.batchUpdate({
    spreadsheetId,
    requestBody: { requests: [{ addSheet: { properties: { title, gridProperties: size } } }] },
  });
  const sheetId = response.data.replies?.[0]?.addSheet?.properties?.sheetId;
  if (typeof sheetId !== "number") throw new Error("addSheet answered without a sheetId");
  if (rows.length > 0) {
    await api.spreadsheets.values.update({
      spreadsheetId,
      range: `'${title}'!A1`,
      valueInputOption: "RAW",
      requestBody: { values: rows },
    });
  }
  return { title, sheetId };
}

export async function sandboxTarget(): Promise<ContractTarget & { sandbox: SheetsSandbox }> {
  // The suite writes more in a minute than one user may; quotas are the sandbox suite's to test.
  const sandbox = await startSheetsSandbox({ quota: { writesPerMinute: 600 } });
  const spreadsheetId = sandbox.createSpreadsheet({
    title: "contract",
    sheets: [{ title: "Sheet1", rows: [] }],
  });
  const api = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true });
  return {
    sandbox,
    api,
    spreadsheetId,
    person: {
      insertRows: async (tab, atRow, rows) => sandbox.insertRows(spreadsheetId, tab.title, atRow, rows),
      deleteRows: async (tab, fromRow, count) => sandbox.deleteRows(spreadsheetId, tab.title, fromRow, count),
      sortRows: async (tab, options) => sandbox.sortRows(spreadsheetId, tab.title, options),
    },
    scratchTab: (rows, size) => addScratchTab(api, spreadsheetId, rows, size),
    close: () => sandbox.close(),
  };
}

/** The real spreadsheet named by the configuration; every scratch tab is deleted on close. */
export function realTarget(sheets: Config["sheets"]): ContractTarget {
  const spreadsheetId = sheets.spreadsheetId ?? "";
  const api = createSheetsApi(sheets);
  const created: ScratchTab[] = [];
  const batch = (requests: sheets_v4.Schema$Request[]) =>
    api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
  return {
    api,
    spreadsheetId,
    person: {
      async insertRows(tab, atRow, rows) {
        const range = {
          sheetId: tab.sheetId,
          dimension: "ROWS",
          startIndex: atRow - 1,
          endIndex: atRow - 1 + rows.length,
        };
        await batch([{ insertDimension: { range, inheritFromBefore: false } }]);
        await api.spreadsheets.values.update({
          spreadsheetId,
          range: `'${tab.title}'!A${atRow}`,
          valueInputOption: "RAW",
          requestBody: { values: rows },
        });
      },
      async deleteRows(tab, fromRow, count) {
        const range = {
          sheetId: tab.sheetId,
          dimension: "ROWS",
          startIndex: fromRow - 1,
          endIndex: fromRow - 1 + count,
        };
        await batch([{ deleteDimension: { range } }]);
      },
      async sortRows(tab, options) {
        const sortOrder = options.descending ? "DESCENDING" : "ASCENDING";
        await batch([
          {
            sortRange: {
              range: { sheetId: tab.sheetId, startRowIndex: 1 },
              sortSpecs: [{ dimensionIndex: options.column, sortOrder }],
            },
          },
        ]);
      },
    },
    async scratchTab(rows, size) {
      const tab = await addScratchTab(api, spreadsheetId, rows, size);
      created.push(tab);
      return tab;
    },
    async close() {
      if (created.length > 0) await batch(created.map((tab) => ({ deleteSheet: { sheetId: tab.sheetId } })));
    },
  };
}
