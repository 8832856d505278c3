import { randomBytes } from "node:crypto";

export type Env = Record<string, string | undefined>;

/** Which systems the demo stands in for: each one whose real credentials are not set. */
export type SandboxChoice = { calcom: boolean; sheets: boolean; sanity: boolean };

export function chooseSandboxes(env: Env): SandboxChoice {
  const isSet = (name: string) => Boolean(env[name]?.trim());
  return {
    calcom: !isSet("CALCOM_API_KEY"),
    sheets: !isSet("GOOGLE_SHEETS_SPREADSHEET_ID"),
    sanity: !isSet("SANITY_PROJECT_ID"),
  };
}

export const usesAnySandbox = (choice: SandboxChoice) => choice.calcom || choice.sheets || choice.sanity;

/** Variables that give calsync access to a real account; any of them set keeps the demo controls off. */
export const REAL_CREDENTIAL_VARIABLES = [
  "CALCOM_API_KEY",
  "GOOGLE_SHEETS_SPREADSHEET_ID",
  "GOOGLE_SERVICE_ACCOUNT_JSON",
  "GOOGLE_ACCESS_TOKEN",
  "SANITY_PROJECT_ID",
  "SANITY_TOKEN",
] as const;

/**
 * Whether the demo may mount its control page: only when every system is a sandbox the demo starts, and no
 * real credential is set at all (even one the sandboxes would not use: the person may not know that).
 */
export function controlsAllowed(env: Env): { allowed: true } | { allowed: false; realCredentials: string[] } {
  const realCredentials = REAL_CREDENTIAL_VARIABLES.filter((name) => Boolean(env[name]?.trim()));
  return realCredentials.length === 0 ? { allowed: true } : { allowed: false, realCredentials };
}

/** Where a started sandbox answers, and the credentials it accepts. */
export type SandboxEndpoints = {
  calcom?: { url: string; apiKey: string };
  sheets?: { url: string; spreadsheetId: string; sheetName: string; accessToken: string };
  sanity?: { url: string; projectId: string; dataset: string; token: string };
};

/** The secrets of this run: the person's own when set, otherwise fresh random ones. */
export type DemoSecrets = { sync: string; webhook: string; syncIsGenerated: boolean };

export function demoSecrets(env: Env): DemoSecrets {
  const sync = env.SYNC_SECRET?.trim();
  const webhook = env.CALCOM_WEBHOOK_SECRET?.trim();
  return {
    sync: sync || randomBytes(18).toString("base64url"),
    webhook: webhook || randomBytes(18).toString("base64url"),
    syncIsGenerated: !sync,
  };
}

/** Variables that describe a real sheet's layout; the demo sheet has the default headers. */
const SHEET_LAYOUT_VARIABLES = [
  "GOOGLE_SHEETS_SHEET_NAME",
  "GOOGLE_SERVICE_ACCOUNT_JSON",
  "SHEET_STATUS_HEADER",
  "SHEET_BOOKING_HEADER",
  "SHEET_PHONE_HEADER",
  "SHEET_EMAIL_HEADER",
  "SHEET_FIRST_NAME_HEADER",
  "SHEET_LAST_NAME_HEADER",
  "SHEET_NOTE_HEADER",
];

/**
 * The environment `loadConfig` gets in the demo: the person's own, with each sandboxed system pointed at
 * its sandbox, and the demo's defaults (a sync every 5 minutes, quieter logs) where the person set nothing.
 */
export function demoEnvironment(args: {
  env: Env;
  sandboxes: SandboxEndpoints;
  secrets: DemoSecrets;
  port: number | undefined;
}): Env {
  const { sandboxes, secrets } = args;
  const env: Env = { ...args.env };
  const defaults: Env = { SYNC_SCHEDULE: "*/5 * * * *", LOG_LEVEL: "warn" };
  for (const [name, value] of Object.entries(defaults)) if (!env[name]?.trim()) env[name] = value;
  env.SYNC_SECRET = secrets.sync;
  env.CALCOM_WEBHOOK_SECRET = secrets.webhook;
  if (args.port !== undefined) env.PORT = String(args.port);

  if (sandboxes.calcom) {
    env.CALCOM_API_KEY = sandboxes.calcom.apiKey;
    env.CALCOM_API_URL = sandboxes.calcom.url;
    // The sandbox has one event type ("Introduction Call"); a filter meant for a real account would hide it.
    delete env.CALCOM_EVENT_TYPE_IDS;
  }
  if (sandboxes.sheets) {
    for (const name of SHEET_LAYOUT_VARIABLES) delete env[name];
    env.GOOGLE_SHEETS_SPREADSHEET_ID = sandboxes.sheets.spreadsheetId;
    env.GOOGLE_SHEETS_SHEET_NAME = sandboxes.sheets.sheetName;
    env.GOOGLE_SHEETS_API_URL = sandboxes.sheets.url;
    env.GOOGLE_ACCESS_TOKEN = sandboxes.sheets.accessToken;
  }
  if (sandboxes.sanity) {
    env.SANITY_PROJECT_ID = sandboxes.sanity.projectId;
    env.SANITY_DATASET = sandboxes.sanity.dataset;
    env.SANITY_TOKEN = sandboxes.sanity.token;
    env.SANITY_API_HOST = sandboxes.sanity.url;
  }
  // The sandboxes start empty each time, so the ledger does too: the demo's own embedded database.
  if (sandboxes.calcom || sandboxes.sheets || sandboxes.sanity) delete env.DATABASE_URL;
  return env;
}

/** Stand-ins with the sandboxes' shapes, to validate the configuration before anything is started. */
export const PLACEHOLDER_ENDPOINTS: Required<SandboxEndpoints> = {
  calcom: { url: "http://127.0.0.1:9/v2", apiKey: "placeholder" },
  sheets: {
    url: "http://127.0.0.1:9",
    spreadsheetId: "placeholder",
    sheetName: "Lead List",
    accessToken: "x",
  },
  sanity: {
    url: "http://127.0.0.1:9",
    projectId: "placeholder",
    dataset: "production",
    token: "placeholder",
  },
};

export function placeholdersFor(choice: SandboxChoice): SandboxEndpoints {
  return {
    ...(choice.calcom ? { calcom: PLACEHOLDER_ENDPOINTS.calcom } : {}),
    ...(choice.sheets ? { sheets: PLACEHOLDER_ENDPOINTS.sheets } : {}),
    ...(choice.sanity ? { sanity: PLACEHOLDER_ENDPOINTS.sanity } : {}),
  };
}
