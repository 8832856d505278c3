/**
 * One Sheets API call as calsync makes it: bounded backoff on quota refusals (and, for calls safe to repeat,
 * on outages), and Google's failure turned into a CalsyncError that says what to check.
 */
import { columnLetter } from "../core/sheet-layout.ts";
import { RateLimitedError, UpstreamError } from "../errors.ts";
import { type BackoffOptions, isTransientNetworkError, withBackoff } from "../http/backoff.ts";

export type SheetsCall = <T>(
  what: string,
  fn: () => Promise<T>,
  options?: { idempotent?: boolean },
) => Promise<T>;

export function sheetsCall(backoff?: BackoffOptions): SheetsCall {
  return (what, fn, options = {}) =>
    withBackoff(fn, options.idempotent === false ? retryQuotaOnly : retryQuotaAndOutages, backoff).catch(
      (error: unknown) => {
        throw toCalsyncError(what, error);
      },
    );
}

/** `Lead List` → `'Lead List'`; quotes inside a name are doubled, as A1 notation requires. */
export function quoteSheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** `'Lead List'!5:5`: a whole row of the tab. */
export function rowRange(title: string, row: number): string {
  return `${quoteSheet(title)}!${row}:${row}`;
}

/** `'Lead List'!H2:H`: one column below the header. */
export function columnRange(title: string, column: number): string {
  const letter = columnLetter(column);
  return `${quoteSheet(title)}!${letter}2:${letter}`;
}

/** The tab an A1 range names: `'Lead List'!A1:X9` → `Lead List`. */
export function sheetTitleOf(range: string, fallback: string | undefined): string {
  const bang = range.lastIndexOf("!");
  if (bang < 0) return fallback ?? range;
  const name = range.slice(0, bang);
  return name.startsWith("'") ? name.slice(1, -1).replace(/''/g, "'") : name;
}

/** The first row an A1 range names (`'Lead List'!A5:H5` → 5), or null. */
export function firstRowOf(range: string): number | null {
  const match = /!?\$?[A-Z]*\$?(\d+)(?::\$?[A-Z]*\$?\d+)?$/.exec(range);
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
