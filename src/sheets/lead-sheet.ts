import type { sheets_v4 } from "@googleapis/sheets";
import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "../core/email.ts";
import { normalizePhone } from "../core/phone.ts";
import { columnLetter } from "../core/sheet-layout.ts";
import { RateLimitedError, UpstreamError } from "../errors.ts";
import { type BackoffOptions, isTransientNetworkError, withBackoff } from "../http/backoff.ts";
import type { LeadSheet } from "../sync/context.ts";

/**
 * The lead sheet through the Sheets API v4: read it whole or by columns, write owned cells with a check that
 * each row still holds the lead it was aimed at, and append new leads. Translates between the API and the
 * sync's LeadSheet port.
 */
export function createLeadSheet(args: {
  api: sheets_v4.Sheets;
  spreadsheetId: string;
  sheetName?: string | undefined;
  region: CountryCode;
  backoff?: BackoffOptions;
}): LeadSheet {
  const { api, spreadsheetId, region } = args;
  const call = <T>(what: string, fn: () => Promise<T>, idempotent = true) =>
    withBackoff(fn, idempotent ? retryQuotaAndOutages : retryQuotaOnly, args.backoff).catch(
      (error: unknown) => {
        throw toCalsyncError(what, error);
      },
    );

  return {
    async read() {
      // Without a sheet name, an A1 range means the first sheet; the answer's range names it.
      const range = args.sheetName ? quoteSheet(args.sheetName) : "A:ZZZ";
      const response = await call("reading the lead sheet", () =>
        api.spreadsheets.values.get({ spreadsheetId, range, majorDimension: "ROWS" }),
      );
      const grid = (response.data.values ?? []).map((cells) => cells.map((value) => String(value ?? "")));
      return { sheetTitle: sheetTitleOf(response.data.range ?? "", args.sheetName), grid };
    },

    async readColumns(sheetTitle, columns) {
      const sheet = quoteSheet(sheetTitle);
      const ranges = [
        `${sheet}!1:1`,
        ...columns.map((c) => `${sheet}!${columnLetter(c)}2:${columnLetter(c)}`),
      ];
      const response = await call("reading the lead sheet", () =>
        api.spreadsheets.values.batchGet({ spreadsheetId, ranges, majorDimension: "COLUMNS" }),
      );
      const [header, ...columnRanges] = response.data.valueRanges ?? [];
      const grid: string[][] = [(header?.values ?? []).map((cell) => String(cell[0] ?? ""))];
      columnRanges.forEach((range, i) => {
        const column = columns[i] as number;
        (range.values?.[0] ?? []).forEach((value, r) => {
          const cells = grid[r + 1] ?? [];
          grid[r + 1] = cells;
          cells[column] = String(value ?? "");
        });
      });
      for (let r = 1; r < grid.length; r++) grid[r] ??= [];
      return { sheetTitle, grid };
    },

    async writeCells(sheetTitle, writes, layout) {
      if (writes.length === 0) return [];
      const owned = [layout.status, layout.booking, ...(layout.note === null ? [] : [layout.note])];
      // Each range spans the identity columns too, with null (skip) in every cell we do not own, so the
      // answer shows who the row is right after the write: one call both writes and checks.
      const first = Math.min(...owned, layout.phone, layout.email);
      const last = Math.max(...owned, layout.phone, layout.email);
      const data = writes.map((write) => {
        const values: (string | null)[] = new Array(last - first + 1).fill(null);
        if (write.status !== undefined) values[layout.status - first] = write.status;
        if (write.booking !== undefined) values[layout.booking - first] = write.booking;
        if (write.note !== undefined && layout.note !== null) values[layout.note - first] = write.note;
        const range = `${quoteSheet(sheetTitle)}!${columnLetter(first)}${write.row}:${columnLetter(last)}${write.row}`;
        return { range, majorDimension: "ROWS", values: [values] };
      });
      const response = await call("writing the lead sheet", () =>
        api.spreadsheets.values.batchUpdate({
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
      return writes.map((write, i) => {
        const cells = (answers[i]?.updatedData?.values?.[0] ?? []).map((value) => String(value ?? ""));
        const rowCells: string[] = [];
        cells.forEach((value, offset) => {
          rowCells[first + offset] = value;
        });
        const phone = normalizePhone(rowCells[layout.phone] ?? "", region);
        const email = normalizeEmail(rowCells[layout.email] ?? "");
        const landed = phone === write.identity.phone && email === write.identity.email;
        return { write, landed, rowCells: Array.from(rowCells, (value) => value ?? "") };
      });
    },

    async appendRows(sheetTitle, rows, afterRow) {
      if (rows.length === 0) return [];
      const width = Math.max(...rows.map((cells) => cells.length));
      // Anchored on the last row we read: Sheets finds the table there and inserts after its end, so a
      // row a person added meanwhile is never overwritten.
      const anchor = `${quoteSheet(sheetTitle)}!A${afterRow}:${columnLetter(width - 1)}${afterRow}`;
      // Not idempotent: after a 5xx the rows may be there, so only a quota refusal (nothing done) is retried.
      const response = await call(
        "appending new leads",
        () =>
          api.spreadsheets.values.append({
            spreadsheetId,
            range: anchor,
            valueInputOption: "RAW",
            insertDataOption: "INSERT_ROWS",
            requestBody: { majorDimension: "ROWS", values: rows.map((cells) => [...cells]) },
          }),
        false,
      );
      const firstRow = firstRowOf(response.data.updates?.updatedRange ?? "");
      if (firstRow === null) throw new UpstreamError("sheets", "append answered without the range it wrote");
      return rows.map((_, i) => firstRow + i);
    },
  };
}

/** `Lead List` → `'Lead List'`; quotes inside a name are doubled, as A1 notation requires. */
export function quoteSheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

function sheetTitleOf(range: string, fallback: string | undefined): string {
  const bang = range.lastIndexOf("!");
  if (bang < 0) return fallback ?? range;
  const name = range.slice(0, bang);
  return name.startsWith("'") ? name.slice(1, -1).replace(/''/g, "'") : name;
}

function firstRowOf(range: string): number | null {
  const match = /!?[A-Z]+(\d+)(?::[A-Z]+\d+)?$/.exec(range);
  return match ? Number(match[1]) : null;
}

type GaxiosLikeError = {
  status?: number;
  code?: string | number;
  response?: { status?: number; headers?: unknown; data?: { error?: { message?: string; status?: string } } };
  message?: string;
};

function statusOf(error: unknown): number | undefined {
  const e = error as GaxiosLikeError;
  return e?.response?.status ?? e?.status ?? (typeof e?.code === "number" ? e.code : undefined);
}

function retryQuotaOnly(error: unknown) {
  return statusOf(error) === 429 ? { retry: true as const } : { retry: false as const };
}

/** For calls safe to repeat: reads, and writes of the same values to the same cells. */
function retryQuotaAndOutages(error: unknown) {
  const status = statusOf(error);
  const retry = status === 429 || (status !== undefined && status >= 500) || isTransientNetworkError(error);
  return retry ? { retry: true as const } : { retry: false as const };
}

function toCalsyncError(what: string, error: unknown): Error {
  const status = statusOf(error);
  if (status === 429) return new RateLimitedError("sheets", 60_000);
  const e = error as GaxiosLikeError;
  const detail = e?.response?.data?.error?.message ?? e?.message ?? String(error);
  const hint =
    status === 401 || status === 403
      ? " (check GOOGLE_SERVICE_ACCOUNT_JSON or GOOGLE_ACCESS_TOKEN, and that the sheet is shared with the service account)"
      : status === 404
        ? " (check GOOGLE_SHEETS_SPREADSHEET_ID and GOOGLE_SHEETS_SHEET_NAME)"
        : "";
  return new UpstreamError("sheets", `${what} failed: ${detail}${hint}`, status, { cause: error });
}
