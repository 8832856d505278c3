import { randomBytes } from "node:crypto";
import type { SanityClient } from "@sanity/client";
import { createCalcomBookingSystem } from "../calcom/booking-system.ts";
import { type CalcomClient, createCalcomClient } from "../calcom/client.ts";
import { type Config, secretValues } from "../config/config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { loadOrCreateSessionSecret } from "../db/session-secret.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { rememberSecrets } from "../log/redact.ts";
import { createSanityClient } from "../sanity/client.ts";
import { createLeadDashboard } from "../sanity/lead-dashboard.ts";
import { createSheetCopyTarget } from "../sanity/sheet-copy-target.ts";
import { createSheetsApi, sheetsQuotaOf } from "../sheets/google-api.ts";
import { createLeadSheet } from "../sheets/lead-sheet.ts";
import type { SyncContext } from "../sync/context.ts";
import { createWebhookEventSource } from "../webhooks/ingest-events.ts";

/**
 * Which systems are calsync's own in-process sandboxes (src/sandboxes/). Only whoever started them can say so
 * (the demo, the test harness): a URL on this machine proves nothing, as a self-hosted Cal.com or a local
 * proxy to a real account is on this machine too. Production starts none, so every flag is false there.
 */
export type SandboxSet = { calcom: boolean; sheets: boolean; sanity: boolean };

export const NO_SANDBOXES: SandboxSet = { calcom: false, sheets: false, sanity: false };

/**
 * The composition root: builds every client from the configuration, once. The same production clients
 * serve real accounts and the sandboxes; only base URLs and credentials differ.
 */
export type Runtime = {
  config: Config;
  sandboxes: SandboxSet;
  /** Signs dashboard sessions: SESSION_SECRET, or one generated once and kept in the database. */
  sessionSecret: string;
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
  /** Set by the demo and the test harness, for the systems they started as sandboxes; default none. */
  sandboxes?: SandboxSet;
};

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const ownsDb = !options.db;
  const db =
    options.db ??
    (await openDatabase({
      url: config.database.url,
      embeddedFile: config.database.embeddedFile,
      busyTimeoutMs: config.syncLockTimeoutMs,
      onWait: (message) => log.info(message),
      onNotice: (message) => log.warn(message),
    }));
  let sessionSecret: string;
  try {
    await migrate(db);
    sessionSecret =
      config.secrets.session ??
      (await loadOrCreateSessionSecret(db, () => randomBytes(32).toString("base64url")));
  } catch (error) {
    // A start that fails (the database went away mid-migration) leaves no pool behind for the retry.
    if (ownsDb) await db.close().catch(() => undefined);
    throw error;
  }
  rememberSecrets([...secretValues(config), sessionSecret]);
  const backoff = options.sleep ? { sleep: options.sleep } : {};
  const apiCalls = { calcom: 0, sheets: 0, sheetsWrites: 0, sanity: 0 };

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
    onRequest: (request) => {
      apiCalls.sheets++;
      if (sheetsQuotaOf(request) === "write") apiCalls.sheetsWrites++;
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
      statusRescheduleRequested: config.statuses.rescheduleRequested,
      protectedStatuses: config.statuses.protected,
      autoAddUnknown: config.autoAddUnknown,
    },
    headers: config.headers,
    eventTypeIds: config.calcom.eventTypeIds,
    reverse: { cancelWords: config.statuses.cancelWords, maxActionsPerRun: config.maxReverseActionsPerRun },
    lockTimeoutMs: config.syncLockTimeoutMs,
    webhooksExpected: Boolean(config.calcom.webhookSecret),
    clock: options.clock ?? (() => new Date()),
    log,
    apiCalls,
  };
  const runtime: Runtime = {
    config,
    sandboxes: options.sandboxes ?? NO_SANDBOXES,
    sessionSecret,
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
