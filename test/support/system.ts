import { createRuntime, type Runtime, type SandboxSet } from "../../src/app/runtime.ts";
import { loadConfig } from "../../src/config/config.ts";
import type { Database } from "../../src/db/database.ts";
import { silentLogger } from "../../src/log/logger.ts";
import {
  type CalcomSandbox,
  type CalcomSandboxOptions,
  startCalcomSandbox,
} from "../../src/sandboxes/calcom/index.ts";
import { type SanitySandbox, startSanitySandbox } from "../../src/sandboxes/sanity/sandbox.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../../src/sandboxes/sheets/sandbox.ts";

export const SHEET_TITLE = "Lead List";
export const ALL_SANDBOXES: SandboxSet = { calcom: true, sheets: true, sanity: true };
/** Where the test servers listen: an open dashboard needs a loopback address. */
export const LOOPBACK = "127.0.0.1";
export const SYNC_SECRET = "test-sync-secret";
export const WEBHOOK_SECRET = "test-webhook-secret";
export const LEAD_HEADER = [
  "Contact_Status",
  "First_Name",
  "Last_Name",
  "Phone",
  "Email",
  "Company",
  "Notes",
  "call_booked",
];

/** Column letters of LEAD_HEADER, for reading cells in assertions. */
export const COL = {
  status: "A",
  first: "B",
  last: "C",
  phone: "D",
  email: "E",
  company: "F",
  notes: "G",
  booking: "H",
};

export type System = {
  calcom: CalcomSandbox;
  sheets: SheetsSandbox;
  sanity: SanitySandbox;
  spreadsheetId: string;
  runtime: Runtime;
  env: Record<string, string>;
  /** The sheet as a person sees it, rows as arrays of displayed text. */
  grid(): string[][];
  cell(a1: string): string;
  close(): Promise<void>;
};

/**
 * The whole product on its sandboxes: Cal.com, Google Sheets and Sanity, each an HTTP server on 127.0.0.1,
 * and a runtime whose production clients reach them by base URL — the same code path as production.
 */
export async function startSystem(options: {
  db: Database;
  rows: (string | number)[][];
  env?: Record<string, string>;
  calcom?: CalcomSandboxOptions;
  latencyMs?: number;
  /** The runtime's clock (the sandboxes keep real time). */
  clock?: () => Date;
  /**
   * Which of the three the runtime is told are calsync's own sandboxes; default all. A test that says
   * `calcom: false` plays a real system on this machine (a self-hosted Cal.com, a local proxy).
   */
  sandboxes?: SandboxSet;
}): Promise<System> {
  const latency = options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };
  const calcom = await startCalcomSandbox({ ...latency, ...options.calcom });
  const sheets = await startSheetsSandbox(latency);
  const sanity = await startSanitySandbox(latency);
  const spreadsheetId = sheets.createSpreadsheet({
    title: "Leads",
    sheets: [{ title: SHEET_TITLE, rows: [LEAD_HEADER, ...options.rows] }],
  });
  const env: Record<string, string> = {
    CALCOM_API_KEY: calcom.apiKey,
    CALCOM_API_URL: calcom.url,
    CALCOM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GOOGLE_SHEETS_SPREADSHEET_ID: spreadsheetId,
    GOOGLE_SHEETS_API_URL: sheets.url,
    GOOGLE_ACCESS_TOKEN: "sandbox-token",
    SANITY_PROJECT_ID: sanity.connection.projectId,
    SANITY_DATASET: sanity.connection.dataset,
    SANITY_TOKEN: sanity.connection.token,
    SANITY_API_HOST: sanity.url,
    SYNC_SECRET,
    LOG_LEVEL: "silent",
    SYNC_LOCK_TIMEOUT_MS: "5000",
    ...options.env,
  };
  const runtime = await createRuntime(loadConfig(env), {
    db: options.db,
    log: silentLogger,
    sleep: () => Promise.resolve(),
    // This harness started all three: they are calsync's own sandboxes, as the demo's are.
    sandboxes: options.sandboxes ?? ALL_SANDBOXES,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const grid = () =>
    sheets.values(spreadsheetId, SHEET_TITLE).map((cells) => cells.map((v) => String(v ?? "")));
  return {
    calcom,
    sheets,
    sanity,
    spreadsheetId,
    runtime,
    env,
    grid,
    cell: (a1) => String(sheets.cell(spreadsheetId, `'${SHEET_TITLE}'!${a1}`) ?? ""),
    close: async () => {
      await runtime.close();
      await Promise.all([calcom.close(), sheets.close(), sanity.close()]);
    },
  };
}

/** A time `days` days from now at a round hour, as Cal.com slots are. */
export function inDays(days: number, hourUtc = 10): Date {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hourUtc, 0, 0, 0);
  return date;
}
