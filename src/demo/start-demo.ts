import { join, relative } from "node:path";
import type { Hono } from "hono";
import { createRuntime, type Runtime } from "../app/runtime.ts";
import { type RunningServer, startServer } from "../app/start-server.ts";
import { BOOKING_TRIGGERS } from "../calcom/webhook-payload.ts";
import { type Config, loadConfig, requireSystems } from "../config/config.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { isLoopbackHost } from "../dashboard/access.ts";
import type { DashboardAccess } from "../dashboard/guard.ts";
import type { Database } from "../db/database.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { type CalcomSandbox, startCalcomSandbox } from "../sandboxes/calcom/index.ts";
import { type SanitySandbox, startSanitySandbox } from "../sandboxes/sanity/sandbox.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../sandboxes/sheets/index.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { demoBanner, type SystemLine } from "./banner.ts";
import { controlPageRoutes } from "./control/routes.ts";
import { DEMO_DB_DIR, wipeDemoDatabase } from "./demo-database.ts";
import {
  chooseSandboxes,
  controlsAllowed,
  demoEnvironment,
  demoSecrets,
  type Env,
  placeholdersFor,
  type SandboxChoice,
  type SandboxEndpoints,
  usesAnySandbox,
} from "./demo-environment.ts";
import { assertPortFree } from "./port-check.ts";
import { DEMO_SEED, DEMO_SHEET_TITLE } from "./seed-leads.ts";
import { type DemoSeed, seedSandboxes } from "./seed-sandboxes.ts";

export const CONTROL_PATH = "/demo";
/** Where the web dashboard is mounted (src/dashboard/routes.ts). */
export const DASHBOARD_PATH = "/dashboard";
/** How long a control-page action waits for calsync to apply the webhooks it caused before showing the page. */
const SETTLE_LIMIT_MS = 5_000;

export type DemoOptions = {
  /** The person's environment: real credentials switch a system from its sandbox to the real service. */
  env: Env;
  /** Overrides PORT; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; 0.0.0.0 lets a phone on the same network open the control page. */
  hostname?: string;
  /** Where the demo prints what runs where and what each control-page action did; default stdout. */
  log?: (text: string) => void;
  /** The embedded database's directory (default ./.calsync/demo-db), emptied at each start; or ":memory:". */
  dbDir?: string;
  /** An already-open database (tests); the demo neither empties nor closes it. */
  db?: Database;
  /** The runtime's structured logger; default one at LOG_LEVEL (the demo's default: warn). */
  logger?: Logger;
};

export type Demo = {
  /** The dashboard, e.g. http://localhost:3000. */
  url: string;
  port: number;
  /** The demo's control page; null when it is not mounted (a real system or credential is in play). */
  controlUrl: string | null;
  calcom: CalcomSandbox | null;
  sheets: SheetsSandbox | null;
  sanity: SanitySandbox | null;
  seed: DemoSeed;
  /** The moment the sample data's times are relative to. */
  seededAt: Date;
  runtime: Runtime;
  firstSync: SyncRunResult;
  syncSecret: string;
  /** Resolves once no stored webhook delivery is waiting to be applied. */
  webhooksIdle(): Promise<void>;
  /** Closes the server, the scheduled syncs, the database and the sandboxes; safe to call twice. */
  stop(): Promise<void>;
};

/**
 * `npm start`: the whole product on sandboxes seeded with sample data (or on the real services whose
 * credentials are set), the HTTP server with the demo's control page, and a first sync.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const print = options.log ?? ((text: string) => process.stdout.write(`${text}\n`));
  const hostname = options.hostname ?? "127.0.0.1";
  const choice = chooseSandboxes(options.env);
  const secrets = demoSecrets(options.env);
  const environment = (sandboxes: SandboxEndpoints) =>
    demoEnvironment({ env: options.env, sandboxes, secrets, port: options.port });

  // Every configuration mistake shows before anything is started.
  const checked = loadConfig(environment(placeholdersFor(choice)));
  requireSystems(checked, ["calcom", "sheets", "sanity"]);
  await assertPortFree(checked.port, hostname);
  const dbDir =
    !options.db && usesAnySandbox(choice) ? await wipeDemoDatabase(options.dbDir ?? DEMO_DB_DIR) : null;

  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const calcom = choice.calcom ? await startCalcomSandbox({ seed: DEMO_SEED }) : null;
    if (calcom) closers.push(() => calcom.close());
    const sheets = choice.sheets ? await startSheetsSandbox() : null;
    if (sheets) closers.push(() => sheets.close());
    const sanity = choice.sanity ? await startSanitySandbox() : null;
    if (sanity) closers.push(() => sanity.close());

    const seededAt = new Date();
    const seed = seedSandboxes({ calcom, sheets, now: seededAt, timeZone: checked.timeZone });
    const endpoints: SandboxEndpoints = {
      ...(calcom ? { calcom: { url: calcom.url, apiKey: calcom.apiKey } } : {}),
      ...(sheets && seed.spreadsheetId
        ? {
            sheets: {
              url: sheets.url,
              spreadsheetId: seed.spreadsheetId,
              sheetName: DEMO_SHEET_TITLE,
              accessToken: "sandbox-token",
            },
          }
        : {}),
      ...(sanity ? { sanity: { url: sanity.url, ...sanity.connection } } : {}),
    };
    let config = loadConfig(environment(endpoints));
    if (dbDir) config = { ...config, database: { url: undefined, embeddedFile: demoDatabaseFile(dbDir) } };

    const runtime = await createRuntime(config, {
      log: options.logger ?? createLogger(config.logLevel),
      // The demo knows which systems it started: only those are sandboxes (the dashboard's access depends on it).
      sandboxes: { calcom: calcom !== null, sheets: sheets !== null, sanity: sanity !== null },
      ...(options.db ? { db: options.db } : {}),
    });
    closers.push(() => runtime.close());

    let running: RunningServer | undefined;
    const webhooksIdle = () => running?.webhooks.idle() ?? Promise.resolve();
    const controlPage = controlPageRoutes({
      basePath: CONTROL_PATH,
      calcom,
      sheet:
        sheets && seed.spreadsheetId
          ? { sandbox: sheets, spreadsheetId: seed.spreadsheetId, title: DEMO_SHEET_TITLE }
          : null,
      runtime,
      links: [
        { label: "Dashboard", url: DASHBOARD_PATH },
        { label: "Health", url: "/api/health" },
      ],
      settle: () => withinLimit(webhooksIdle(), SETTLE_LIMIT_MS),
      print,
    });
    // The controls print bookers' names and phones and act on the systems: only ever on sandboxes the demo
    // started, with no real credential anywhere in the environment (a real sheet with a sandbox Cal.com would
    // otherwise list and receive real rows).
    const controls = controlsAllowed(options.env);
    const extraRoutes = (app: Hono, dashboardAccess: DashboardAccess) => {
      // The address the demo prints opens the dashboard, which lives under its own path.
      app.get("/", (c) => c.redirect(DASHBOARD_PATH, 302));
      if (controls.allowed) controlPage(app, dashboardAccess);
    };
    running = await startServer(runtime, hostname, { extraRoutes });
    const server = running;
    // The server's stop closes the runtime too.
    closers.splice(closers.length - 1, 1, () => server.stop());

    const port = Number(new URL(server.url).port);
    const url = `http://localhost:${port}`;
    calcom?.addWebhook({
      subscriberUrl: `http://${reachableHost(hostname)}:${port}/api/webhooks/calcom`,
      triggers: [...BOOKING_TRIGGERS],
      secret: secrets.webhook,
    });
    const firstSync = await runBookingSync(runtime.ctx, { trigger: "schedule" });
    // The dashboard lists every lead from the start, not only after the first scheduled sheet copy.
    const firstCopy = await copySheetToSanity(runtime.ctx, { trigger: "schedule" });

    const controlUrl = controls.allowed ? `${url}${CONTROL_PATH}` : null;
    print(
      demoBanner({
        url,
        controlUrl,
        controlsOffBecause: controls.allowed ? null : controls.realCredentials,
        systems: systemLines({ config, calcom, sheets, sanity, seed }),
        database: describeDatabase({ config, dbDir, given: Boolean(options.db) }),
        schedule: config.syncSchedule,
        timeZone: config.timeZone,
        syncSecret: secrets.syncIsGenerated ? secrets.sync : null,
        firstSync,
        sheetCopy: firstCopy.message,
        notes: notesFor({ choice, config, hostname }),
      }),
    );

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      controlUrl,
      calcom,
      sheets,
      sanity,
      seed,
      seededAt,
      runtime,
      firstSync,
      syncSecret: secrets.sync,
      webhooksIdle,
      stop: () => {
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function systemLines(args: {
  config: Config;
  calcom: CalcomSandbox | null;
  sheets: SheetsSandbox | null;
  sanity: SanitySandbox | null;
  seed: DemoSeed;
}): SystemLine[] {
  const { config, calcom, sheets, sanity, seed } = args;
  return [
    calcom
      ? {
          name: "Cal.com",
          where: "sandbox",
          url: calcom.url,
          detail: `${seed.bookings.length} bookings; webhooks go to /api/webhooks/calcom`,
        }
      : {
          name: "Cal.com",
          where: "real",
          url: config.calcom.apiUrl,
          detail: "CALCOM_API_KEY is set; webhooks need a public URL",
        },
    sheets
      ? {
          name: "Google Sheets",
          where: "sandbox",
          url: sheets.url,
          detail: `${seed.leads.length} leads in '${DEMO_SHEET_TITLE}'!A:X`,
        }
      : {
          name: "Google Sheets",
          where: "real",
          url: `https://docs.google.com/spreadsheets/d/${config.sheets.spreadsheetId ?? ""}`,
          detail: "GOOGLE_SHEETS_SPREADSHEET_ID is set",
        },
    sanity
      ? {
          name: "Sanity",
          where: "sandbox",
          url: sanity.url,
          detail: `project ${sanity.connection.projectId}, dataset ${sanity.connection.dataset}`,
        }
      : {
          name: "Sanity",
          where: "real",
          url: config.sanity.apiHost,
          detail: `project ${config.sanity.projectId ?? ""}, dataset ${config.sanity.dataset ?? ""}`,
        },
  ];
}

/** The demo's SQLite file lives inside its directory, which wipeDemoDatabase empties, sidecar files and all. */
function demoDatabaseFile(dbDir: string): string {
  return dbDir === ":memory:" ? dbDir : join(dbDir, "calsync.db");
}

function describeDatabase(args: { config: Config; dbDir: string | null; given: boolean }): string {
  if (args.given) return "provided by the caller";
  if (args.dbDir === ":memory:") return "embedded, in memory";
  if (args.dbDir) return `embedded, ${relative(process.cwd(), args.dbDir) || "."} (emptied at each start)`;
  return args.config.database.url
    ? "PostgreSQL (DATABASE_URL)"
    : `embedded, ${args.config.database.embeddedFile}`;
}

function notesFor(args: { choice: SandboxChoice; config: Config; hostname: string }): string[] {
  const { choice } = args;
  const notes: string[] = [];
  if (choice.calcom && !choice.sheets) {
    notes.push(
      "The Cal.com sandbox starts empty, so no sample booker is added to your real sheet; calls you book on the demo page will be.",
    );
  }
  if (!choice.sanity && (choice.calcom || choice.sheets)) {
    notes.push(`Sample leads are written to your real Sanity dataset "${args.config.sanity.dataset ?? ""}".`);
  }
  if (!isLoopbackHost(args.hostname)) {
    notes.push(
      args.config.secrets.dashboardPassword
        ? "Listening beyond this machine: the dashboard and the demo controls ask for DASHBOARD_PASSWORD."
        : "Listening beyond this machine: the dashboard and the demo controls stay locked (503) until DASHBOARD_PASSWORD is set (12 characters or more).",
    );
  }
  return notes;
}

/** Where the Cal.com sandbox can reach the server: a wildcard address is not one to connect to. */
function reachableHost(hostname: string): string {
  return hostname === "0.0.0.0" || hostname === "" ? "127.0.0.1" : hostname;
}

/** Waits for `promise`, or `ms` at most: a page should not hang on a delivery that keeps failing. */
function withinLimit(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
