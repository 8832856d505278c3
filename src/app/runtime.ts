import type { SanityClient } from "@sanity/client";
import { createCalcomBookingSystem } from "../calcom/booking-system.ts";
import { type CalcomClient, createCalcomClient } from "../calcom/client.ts";
import type { Config } from "../config/config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { createSanityClient } from "../sanity/client.ts";
import { createLeadDashboard } from "../sanity/lead-dashboard.ts";
import { createSheetCopyTarget } from "../sanity/sheet-copy-target.ts";
import { createSheetsApi } from "../sheets/google-api.ts";
import { createLeadSheet } from "../sheets/lead-sheet.ts";
import type { SyncContext } from "../sync/context.ts";
import { createWebhookEventSource } from "../webhooks/ingest-events.ts";

/**
 * The composition root: builds every client from the configuration, once. The same production clients
 * serve real accounts and the sandboxes; only base URLs and credentials differ.
 */
export type Runtime = {
  config: Config;
  ctx: SyncContext;
  db: Database;
  /** The raw clients, for what is not a sync (health probes, webhook registration). */
  calcom: CalcomClient;
  sanity: SanityClient;
  log: Logger;
  version: string;
  close(): Promise<void>;
};

export const VERSION = "0.1.0";

export type RuntimeOptions = {
  log?: Logger;
  clock?: () => Date;
  /** An already-open database (tests share one per file); by default the configured one is opened. */
  db?: Database;
  /** How retries wait; tests pass an instant sleep so backoff does not slow them down. */
  sleep?: (ms: number) => Promise<void>;
};

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const ownsDb = !options.db;
  // With the embedded database, a second process waits here (up to SYNC_LOCK_TIMEOUT_MS) for the first to finish.
  const db =
    options.db ??
    (await openDatabase({
      url: config.database.url,
      embeddedDir: config.database.embeddedDir,
      lockTimeoutMs: config.syncLockTimeoutMs,
      onWait: (message) => log.info(message),
    }));
  await migrate(db);
  const backoff = options.sleep ? { sleep: options.sleep } : {};
  const apiCalls = { calcom: 0, sheets: 0, sanity: 0 };

  const calcom = createCalcomClient({
    apiUrl: config.calcom.apiUrl,
    apiKey: config.calcom.apiKey ?? "",
    ...backoff,
    onRequest: () => {
      apiCalls.calcom++;
    },
  });
  const sheetsApi = createSheetsApi({
    apiUrl: config.sheets.apiUrl,
    isCustomApiUrl: config.sheets.isCustomApiUrl,
    serviceAccount: config.sheets.serviceAccount,
    accessToken: config.sheets.accessToken,
    onRequest: () => {
      apiCalls.sheets++;
    },
  });
  const sanity = createSanityClient({
    projectId: config.sanity.projectId ?? "",
    dataset: config.sanity.dataset ?? "",
    token: config.sanity.token ?? "",
    apiHost: config.sanity.apiHost,
    apiVersion: config.sanity.apiVersion,
    onRequest: () => {
      apiCalls.sanity++;
    },
  });

  const ctx: SyncContext = {
    calcom: createCalcomBookingSystem(calcom),
    sheet: createLeadSheet({
      api: sheetsApi,
      spreadsheetId: config.sheets.spreadsheetId ?? "",
      sheetName: config.sheets.sheetName,
      backoff,
    }),
    dashboard: createLeadDashboard(sanity, backoff),
    sheetCopy: createSheetCopyTarget(sanity, backoff),
    webhookEvents: createWebhookEventSource(db),
    db,
    rules: {
      timeZone: config.timeZone,
      region: config.defaultPhoneRegion,
      statusBooked: config.statuses.booked,
      statusCancelled: config.statuses.cancelled,
      protectedStatuses: config.statuses.protected,
      autoAddUnknown: config.autoAddUnknown,
    },
    headers: config.headers,
    eventTypeIds: config.calcom.eventTypeIds,
    reverse: { cancelWords: config.statuses.cancelWords, maxActionsPerRun: config.maxReverseActionsPerRun },
    lockTimeoutMs: config.syncLockTimeoutMs,
    clock: options.clock ?? (() => new Date()),
    log,
    apiCalls,
  };
  const runtime: Runtime = {
    config,
    ctx,
    db,
    calcom,
    sanity,
    log,
    version: VERSION,
    close: async () => {
      if (ownsDb) await db.close();
    },
  };
  return runtime;
}
