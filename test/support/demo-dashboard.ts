import { createRuntime, type Runtime } from "../../src/app/runtime.ts";
import { loadConfig } from "../../src/config/config.ts";
import type { Database } from "../../src/db/database.ts";
import { DEMO_SHEET_TITLE } from "../../src/demo/seed-leads.ts";
import { type DemoSeed, seedSandboxes } from "../../src/demo/seed-sandboxes.ts";
import { serveLocal } from "../../src/http/serve-local.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { type CalcomSandbox, startCalcomSandbox } from "../../src/sandboxes/calcom/index.ts";
import { type SanitySandbox, startSanitySandbox } from "../../src/sandboxes/sanity/sandbox.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../../src/sandboxes/sheets/sandbox.ts";
import { createApp } from "../../src/server/app.ts";
import { copySheetToSanity } from "../../src/sync/copy-sheet-to-sanity.ts";
import { runBookingSync } from "../../src/sync/run-booking-sync.ts";
import { ALL_SANDBOXES, LOOPBACK } from "./system.ts";

export const TIME_ZONE = "Europe/London";

export type DemoDashboard = {
  calcom: CalcomSandbox;
  sheets: SheetsSandbox;
  sanity: SanitySandbox;
  spreadsheetId: string;
  seed: DemoSeed;
  /** A calsync server on the sandboxes (open: no password), already synced once. */
  url: string;
  runtime: Runtime;
  /** The sheet as a person sees it. */
  cell(a1: string): string;
  /** Another calsync server on the same sandboxes and database, with more settings (e.g. a password). */
  serveWith(env: Record<string, string>): Promise<string>;
  close(): Promise<void>;
};

/**
 * The demo's world for browser tests: the demo's 200 leads and ~30 bookings in the three sandboxes, the
 * booking sync and the sheet copy run once, and the HTTP server on a free port, as `npm start` shows it.
 */
export async function startDemoDashboard(db: Database): Promise<DemoDashboard> {
  const [calcom, sheets, sanity] = await Promise.all([
    startCalcomSandbox(),
    startSheetsSandbox(),
    startSanitySandbox(),
  ]);
  const seed = seedSandboxes({ calcom, sheets, now: new Date(), timeZone: TIME_ZONE });
  const spreadsheetId = seed.spreadsheetId as string;
  const baseEnv: Record<string, string> = {
    CALCOM_API_KEY: calcom.apiKey,
    CALCOM_API_URL: calcom.url,
    GOOGLE_SHEETS_SPREADSHEET_ID: spreadsheetId,
    GOOGLE_SHEETS_SHEET_NAME: DEMO_SHEET_TITLE,
    GOOGLE_SHEETS_API_URL: sheets.url,
    GOOGLE_ACCESS_TOKEN: "sandbox-token",
    SANITY_PROJECT_ID: sanity.connection.projectId,
    SANITY_DATASET: sanity.connection.dataset,
    SANITY_TOKEN: sanity.connection.token,
    SANITY_API_HOST: sanity.url,
    SYNC_SECRET: "browser-test-secret",
    TIMEZONE: TIME_ZONE,
    LOG_LEVEL: "silent",
  };
  const runtimes: Runtime[] = [];
  const servers: { close(): Promise<void> }[] = [];
  const serve = async (env: Record<string, string>) => {
    const runtime = await createRuntime(loadConfig({ ...baseEnv, ...env }), {
      db,
      log: silentLogger,
      sleep: () => Promise.resolve(),
      sandboxes: ALL_SANDBOXES,
    });
    runtimes.push(runtime);
    const app = createApp(runtime, { webhooks: { notify: () => undefined }, listenHost: LOOPBACK });
    const server = await serveLocal(app, 0, LOOPBACK);
    servers.push(server);
    return { runtime, url: server.url };
  };

  const first = await serve({});
  await runBookingSync(first.runtime.ctx, { trigger: "cli" });
  await copySheetToSanity(first.runtime.ctx, { trigger: "cli" });
  return {
    calcom,
    sheets,
    sanity,
    spreadsheetId,
    seed,
    url: first.url,
    runtime: first.runtime,
    cell: (a1) => String(sheets.cell(spreadsheetId, `'${DEMO_SHEET_TITLE}'!${a1}`) ?? ""),
    serveWith: async (env) => (await serve(env)).url,
    async close() {
      for (const server of servers) await server.close();
      for (const runtime of runtimes) await runtime.close();
      await Promise.all([calcom.close(), sheets.close(), sanity.close()]);
    },
  };
}
