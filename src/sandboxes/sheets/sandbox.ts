/**
 * A local Google Sheets API v4 that the real `@googleapis/sheets` client talks to unchanged, apart from
 * its base URL and credentials; plus the handles tests need to play the people editing the sheet.
 */

import type { sheets_v4 } from "@googleapis/sheets";
import { serveLocal } from "../../http/serve-local.ts";
import type { Scalar } from "./cell-values.ts";
import { metadataJson } from "./developer-metadata.ts";
import {
  buildSpreadsheet,
  cellValue,
  deleteColumns,
  deleteRows,
  insertColumns,
  insertRows,
  moveColumns,
  type SeedValue,
  type SpreadsheetSeed,
  sheetValues,
  sortRows,
  typeCell,
} from "./person-edits.ts";
import { createQuota, DEFAULT_QUOTA, type QuotaLimits } from "./quota.ts";
import { createSheetsApp, type SandboxState } from "./routes.ts";
import type { Spreadsheet } from "./spreadsheet-model.ts";
import { createTraffic, type Fault, type RequestHook, type SandboxStats } from "./traffic.ts";

export type SheetsSandboxOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Simulated network delay before each request is handled. */
  latencyMs?: number;
  /** Bearer tokens accepted besides service-account JWTs; default `["sandbox-token"]`. */
  accessTokens?: readonly string[];
  /** Per user (token or service account), per minute; default 60 reads and 60 writes. */
  quota?: Partial<QuotaLimits>;
  /** The clock of the quota window and of JWT expiry, in epoch milliseconds. */
  now?: () => number;
};

export type SheetsSandbox = {
  /** The base URL for GOOGLE_SHEETS_API_URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  close(): Promise<void>;
  /** Creates a spreadsheet (first sheet has sheetId 0; grids are at least 1000 × 26) and returns its id. */
  createSpreadsheet(seed: SpreadsheetSeed): string;
  /** Inserts rows before `atRow` (1-based), values stored as given. */
  insertRows(spreadsheetId: string, sheetTitle: string, atRow: number, rows: SeedValue[][]): void;
  deleteRows(spreadsheetId: string, sheetTitle: string, fromRow: number, count: number): void;
  /**
   * Sorts rows from `fromRow` (default 2) by a 0-based column; cell values move, row metadata stays.
   * `columns` (0-based, end exclusive) sorts only that block, as selecting some columns and sorting does:
   * the other columns stay where they were.
   */
  sortRows(
    spreadsheetId: string,
    sheetTitle: string,
    options: {
      column: number;
      descending?: boolean;
      fromRow?: number;
      columns?: { from: number; to: number };
    },
  ): void;
  /** Inserts `count` blank columns before the 0-based `atColumn`; column metadata to the right moves. */
  insertColumns(spreadsheetId: string, sheetTitle: string, atColumn: number, count?: number): void;
  deleteColumns(spreadsheetId: string, sheetTitle: string, fromColumn: number, count?: number): void;
  /** Drags columns (0-based) to sit before the column now at `toColumn`, as moveDimension does. */
  moveColumns(
    spreadsheetId: string,
    sheetTitle: string,
    move: { fromColumn: number; count?: number; toColumn: number },
  ): void;
  /** Types into a cell such as `B7` as a person would (USER_ENTERED); `""` clears it. */
  typeCell(spreadsheetId: string, sheetTitle: string, a1: string, text: string): void;
  /** The sheet's effective values, for assertions: up to the last filled row, blanks as "". */
  values(spreadsheetId: string, sheetTitle: string): Scalar[][];
  /** One cell's effective value, e.g. `cell(id, "'Lead List'!A5")`; null when empty. */
  cell(spreadsheetId: string, a1WithSheet: string): Scalar | null;
  /** All developer metadata with its current location. */
  developerMetadata(spreadsheetId: string): sheets_v4.Schema$DeveloperMetadata[];
  /** Runs `hook` before each request is handled; returns a function that removes it. */
  onRequest(hook: RequestHook): () => void;
  /** Makes the next matching request(s) fail with `status` and Google's error body. */
  failNext(fault: Fault): void;
  stats(): SandboxStats;
  resetStats(): void;
};

export async function startSheetsSandbox(options: SheetsSandboxOptions = {}): Promise<SheetsSandbox> {
  const now = options.now ?? Date.now;
  let baseUrl = "";
  const state: SandboxState = {
    spreadsheets: new Map(),
    traffic: createTraffic(),
    quota: createQuota({ ...DEFAULT_QUOTA, ...options.quota }, now),
    acceptedTokens: new Set(options.accessTokens ?? ["sandbox-token"]),
    latencyMs: options.latencyMs ?? 0,
    now,
    baseUrl: () => baseUrl,
  };
  const server = await serveLocal(createSheetsApp(state), options.port ?? 0);
  baseUrl = server.url;

  const stored = (spreadsheetId: string): Spreadsheet => {
    const spreadsheet = state.spreadsheets.get(spreadsheetId);
    if (!spreadsheet) throw new Error(`No spreadsheet ${spreadsheetId} in the sandbox`);
    return spreadsheet;
  };

  return {
    url: server.url,
    close: () => server.close(),
    createSpreadsheet(seed) {
      if (seed.spreadsheetId !== undefined && state.spreadsheets.has(seed.spreadsheetId)) {
        throw new Error(`Spreadsheet ${seed.spreadsheetId} already exists in the sandbox`);
      }
      const spreadsheet = buildSpreadsheet(seed);
      state.spreadsheets.set(spreadsheet.spreadsheetId, spreadsheet);
      return spreadsheet.spreadsheetId;
    },
    insertRows: (id, title, atRow, rows) => insertRows(stored(id), title, atRow, rows),
    deleteRows: (id, title, fromRow, count) => deleteRows(stored(id), title, fromRow, count),
    sortRows: (id, title, sort) => sortRows(stored(id), title, sort),
    insertColumns: (id, title, at, count) => insertColumns(stored(id), title, at, count),
    deleteColumns: (id, title, from, count) => deleteColumns(stored(id), title, from, count),
    moveColumns: (id, title, move) => moveColumns(stored(id), title, move),
    typeCell: (id, title, a1, text) => typeCell(stored(id), title, a1, text),
    values: (id, title) => sheetValues(stored(id), title),
    cell: (id, a1) => cellValue(stored(id), a1),
    developerMetadata(id) {
      const spreadsheet = stored(id);
      return spreadsheet.metadata.map((record) => metadataJson(spreadsheet, record));
    },
    onRequest: (hook) => state.traffic.addHook(hook),
    failNext: (fault) => state.traffic.failNext(fault),
    stats: () => state.traffic.stats(),
    resetStats: () => state.traffic.resetStats(),
  };
}
