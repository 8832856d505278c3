import { existsSync, readFileSync } from "node:fs";
// The same metadata as core/phone.ts, so that a process loads one set of it (they all know the same countries).
import { type CountryCode, isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { ConfigError } from "../errors.ts";

/**
 * The whole environment, validated once at start. Every variable calsync reads is here and in .env.example;
 * nothing else in the code reads process.env.
 */
export type Config = ReturnType<typeof buildConfig>;

export const DEFAULTS = {
  CALCOM_API_URL: "https://api.cal.com/v2",
  GOOGLE_SHEETS_API_URL: "https://sheets.googleapis.com",
  SANITY_API_HOST: "https://api.sanity.io",
  SANITY_API_VERSION: "2025-02-19",
  PORT: 3000,
  TIMEZONE: "Europe/London",
  DEFAULT_PHONE_REGION: "GB",
  LOG_LEVEL: "info",
  SYNC_LOCK_TIMEOUT_MS: 60_000,
  SYNC_SCHEDULE: "0 * * * *",
  SHEETS_SYNC_SCHEDULE: "*/2 * * * *",
  MAX_REVERSE_ACTIONS_PER_RUN: 10,
  HISTORY_DAYS: 90,
  WEBHOOK_SILENCE_HOURS: 6,
} as const;

/** The shortest DASHBOARD_PASSWORD accepted: long enough that online guessing, even unthrottled, gets nowhere. */
export const MIN_DASHBOARD_PASSWORD_LENGTH = 12;
/** The shortest SESSION_SECRET accepted: 32 characters of `openssl rand -base64 32` carry well over 128 bits. */
export const MIN_SESSION_SECRET_LENGTH = 32;

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value ? value : undefined));

const textWithDefault = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() || fallback);

/**
 * A base URL of an API. It must not carry credentials (`https://user:key@host`): they would travel in every
 * log line, error and health answer that shows the URL; each system has its own variable for its key.
 */
const httpUrl = (fallback: string) =>
  textWithDefault(fallback).pipe(
    z.string().transform((value, ctx) => {
      if (hasControlCharacter(value)) {
        ctx.addIssue({ code: "custom", message: CONTROL_CHARACTER_PROBLEM });
        return z.NEVER;
      }
      if (!/^https?:\/\/[^\s/]+/.test(value)) {
        ctx.addIssue({ code: "custom", message: `expected an http(s) URL, got "${redactUrl(value)}"` });
        return z.NEVER;
      }
      if (/^https?:\/\/[^/?#]*@/.test(value)) {
        ctx.addIssue({
          code: "custom",
          message: "must not contain credentials (user:password@); set the key in its own variable",
        });
        return z.NEVER;
      }
      return value.replace(/\/+$/, "");
    }),
  );

const CONTROL_CHARACTER_PROBLEM =
  "contains a control character (a line break or tab inside the value?); set it again without it";

/**
 * A secret (API key, token, password). Its value is never part of an error message, and a control character
 * inside it is refused: a key with a line break pasted into it fails in an HTTP header, and the header's
 * error text would carry the key into logs and run history.
 */
const secretText = (options: { minLength?: number; hint?: string } = {}) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (hasControlCharacter(value)) {
      ctx.addIssue({ code: "custom", message: CONTROL_CHARACTER_PROBLEM });
      return z.NEVER;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      ctx.addIssue({
        code: "custom",
        message: `must be at least ${options.minLength} characters long${options.hint ? ` (${options.hint})` : ""}`,
      });
      return z.NEVER;
    }
    return value;
  });

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const commaIntegers = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const items = (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    if (!items.every((item) => /^\d+$/.test(item))) {
      ctx.addIssue({ code: "custom", message: `expected comma-separated integers, got "${value}"` });
      return z.NEVER;
    }
    return items.map(Number);
  });

const integer = (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim();
      if (!text) return fallback;
      const number = Number(text);
      if (!/^\d+$/.test(text) || number < min || number > max) {
        ctx.addIssue({
          code: "custom",
          message: `expected an integer from ${min} to ${max}, got "${value}"`,
        });
        return z.NEVER;
      }
      return number;
    });

const boolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().toLowerCase();
      if (!text) return fallback;
      if (["1", "true", "yes", "on"].includes(text)) return true;
      if (["0", "false", "no", "off"].includes(text)) return false;
      ctx.addIssue({ code: "custom", message: `expected true or false, got "${value}"` });
      return z.NEVER;
    });

const timeZone = textWithDefault(DEFAULTS.TIMEZONE).refine(isKnownTimeZone, {
  error: (issue) => `expected an IANA time zone such as Europe/London, got "${issue.input}"`,
});

const phoneRegion = textWithDefault(DEFAULTS.DEFAULT_PHONE_REGION)
  .transform((value) => value.toUpperCase())
  .refine((value) => isSupportedCountry(value), {
    error: (issue) => `expected a two-letter country code such as GB, got "${issue.input}"`,
  })
  .transform((value) => value as CountryCode);

const logLevel = textWithDefault(DEFAULTS.LOG_LEVEL).pipe(
  z.enum(["debug", "info", "warn", "error", "silent"], {
    error: (issue) => `expected one of debug, info, warn, error, silent, got "${String(issue.input)}"`,
  }),
);

const schedule = (fallback: string) =>
  textWithDefault(fallback).refine((value) => value === "off" || value.split(/\s+/).length >= 5, {
    error: (issue) => `expected a cron expression such as "0 * * * *" or "off", got "${issue.input}"`,
  });

/** A connection URL carries its password by design; it is a secret all the same, and never echoed. */
const postgresUrl = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  if (hasControlCharacter(value)) {
    ctx.addIssue({ code: "custom", message: CONTROL_CHARACTER_PROBLEM });
    return z.NEVER;
  }
  if (!/^postgres(ql)?:\/\//.test(value)) {
    // Only the scheme is named: the rest of a connection URL is its user, host and password.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
    const got = scheme ? `a ${scheme}: URL` : "something that is not a URL";
    ctx.addIssue({ code: "custom", message: `expected a postgres:// connection URL, got ${got}` });
    return z.NEVER;
  }
  return value;
});

const serviceAccount = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const parsed = parseServiceAccount(value);
  if (typeof parsed === "string") {
    ctx.addIssue({ code: "custom", message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const statusWord = (fallback: string) => textWithDefault(fallback).transform((value) => value.toUpperCase());
const statusList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => commaList.parse(value ?? fallback).map((item) => item.toUpperCase()));

const EnvSchema = z.object({
  CALCOM_API_KEY: secretText(),
  CALCOM_API_URL: httpUrl(DEFAULTS.CALCOM_API_URL),
  CALCOM_EVENT_TYPE_IDS: commaIntegers,
  CALCOM_WEBHOOK_SECRET: secretText(),

  GOOGLE_SHEETS_SPREADSHEET_ID: optionalText,
  GOOGLE_SHEETS_SHEET_NAME: optionalText,
  GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccount,
  GOOGLE_ACCESS_TOKEN: secretText(),
  GOOGLE_SHEETS_API_URL: z.string().optional().pipe(httpUrl(DEFAULTS.GOOGLE_SHEETS_API_URL)),

  SANITY_PROJECT_ID: optionalText.refine((value) => value === undefined || /^[a-z0-9-]+$/.test(value), {
    error: (issue) =>
      `expected a Sanity project id (lowercase letters, digits, dashes), got "${issue.input}"`,
  }),
  SANITY_DATASET: optionalText.refine((value) => value === undefined || /^[a-z0-9_-]{1,64}$/.test(value), {
    error: (issue) => `expected a dataset name (lowercase letters, digits, _ and -), got "${issue.input}"`,
  }),
  SANITY_TOKEN: secretText(),
  SANITY_API_HOST: httpUrl(DEFAULTS.SANITY_API_HOST),
  SANITY_API_VERSION: textWithDefault(DEFAULTS.SANITY_API_VERSION).refine(
    (value) => /^v?\d{4}-\d{2}-\d{2}$/.test(value),
    { error: (issue) => `expected a dated API version such as 2025-02-19, got "${issue.input}"` },
  ),

  DATABASE_URL: postgresUrl,
  SYNC_SECRET: secretText(),
  CRON_SECRET: secretText(),
  PORT: integer(DEFAULTS.PORT, { min: 0, max: 65_535 }),
  TIMEZONE: timeZone,
  DEFAULT_PHONE_REGION: phoneRegion,
  LOG_LEVEL: logLevel,

  SHEET_STATUS_HEADER: textWithDefault("Contact_Status"),
  SHEET_BOOKING_HEADER: textWithDefault("call_booked"),
  SHEET_PHONE_HEADER: textWithDefault("Phone"),
  SHEET_EMAIL_HEADER: textWithDefault("Email"),
  SHEET_FIRST_NAME_HEADER: textWithDefault("First_Name"),
  SHEET_LAST_NAME_HEADER: textWithDefault("Last_Name"),
  SHEET_NOTE_HEADER: textWithDefault("calsync_note"),

  STATUS_BOOKED: statusWord("CALL_BOOKED"),
  STATUS_CANCELLED: statusWord("CALL_CANCELLED"),
  STATUS_RESCHEDULE_REQUESTED: statusWord("RESCHEDULE_REQUESTED"),
  PROTECTED_STATUSES: statusList("CUSTOMER,DO_NOT_CONTACT"),
  HOT_STATUSES: statusList("HOT"),
  CANCEL_WORDS: statusList("CANCELLED,CANCEL"),

  AUTO_ADD_UNKNOWN: boolean(true),
  SYNC_LOCK_TIMEOUT_MS: integer(DEFAULTS.SYNC_LOCK_TIMEOUT_MS),
  SYNC_SCHEDULE: schedule(DEFAULTS.SYNC_SCHEDULE),
  SHEETS_SYNC_SCHEDULE: schedule(DEFAULTS.SHEETS_SYNC_SCHEDULE),
  MAX_REVERSE_ACTIONS_PER_RUN: integer(DEFAULTS.MAX_REVERSE_ACTIONS_PER_RUN),
  DASHBOARD_PASSWORD: secretText({ minLength: MIN_DASHBOARD_PASSWORD_LENGTH }),
  SESSION_SECRET: secretText({
    minLength: MIN_SESSION_SECRET_LENGTH,
    hint: "e.g. the output of `openssl rand -base64 32`",
  }),
  HISTORY_DAYS: integer(DEFAULTS.HISTORY_DAYS, { min: 1, max: 3_650 }),
  WEBHOOK_SILENCE_HOURS: integer(DEFAULTS.WEBHOOK_SILENCE_HOURS, { min: 1, max: 720 }),
});

type Env = z.output<typeof EnvSchema>;

/** Validates the environment. Throws ConfigError naming every bad variable; never touches the network. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        problem: issue.message,
      })),
    );
  }
  return buildConfig(parsed.data, env);
}

function buildConfig(env: Env, raw: Record<string, string | undefined>) {
  return {
    calcom: {
      apiKey: env.CALCOM_API_KEY,
      apiUrl: env.CALCOM_API_URL,
      eventTypeIds: env.CALCOM_EVENT_TYPE_IDS,
      webhookSecret: env.CALCOM_WEBHOOK_SECRET,
    },
    sheets: {
      spreadsheetId: env.GOOGLE_SHEETS_SPREADSHEET_ID,
      sheetName: env.GOOGLE_SHEETS_SHEET_NAME,
      serviceAccount: env.GOOGLE_SERVICE_ACCOUNT_JSON,
      accessToken: env.GOOGLE_ACCESS_TOKEN,
      apiUrl: env.GOOGLE_SHEETS_API_URL,
      /** When the URL is ours to choose, no Google host is contacted at all, token exchange included. */
      isCustomApiUrl: Boolean(raw.GOOGLE_SHEETS_API_URL?.trim()),
    },
    sanity: {
      projectId: env.SANITY_PROJECT_ID,
      dataset: env.SANITY_DATASET,
      token: env.SANITY_TOKEN,
      apiHost: env.SANITY_API_HOST,
      apiVersion: env.SANITY_API_VERSION.replace(/^v/, ""),
    },
    database: { url: env.DATABASE_URL, embeddedFile: ".calsync/calsync.db" },
    secrets: {
      sync: env.SYNC_SECRET,
      cron: env.CRON_SECRET,
      dashboardPassword: env.DASHBOARD_PASSWORD,
      /** Signs dashboard sessions; unset, one is generated and kept in the database (see createRuntime). */
      session: env.SESSION_SECRET,
    },
    port: env.PORT,
    timeZone: env.TIMEZONE,
    defaultPhoneRegion: env.DEFAULT_PHONE_REGION,
    logLevel: env.LOG_LEVEL,
    headers: {
      status: env.SHEET_STATUS_HEADER,
      booking: env.SHEET_BOOKING_HEADER,
      phone: env.SHEET_PHONE_HEADER,
      email: env.SHEET_EMAIL_HEADER,
      firstName: env.SHEET_FIRST_NAME_HEADER,
      lastName: env.SHEET_LAST_NAME_HEADER,
      note: env.SHEET_NOTE_HEADER,
    },
    statuses: {
      booked: env.STATUS_BOOKED,
      cancelled: env.STATUS_CANCELLED,
      rescheduleRequested: env.STATUS_RESCHEDULE_REQUESTED,
      protected: env.PROTECTED_STATUSES,
      hot: env.HOT_STATUSES,
      cancelWords: env.CANCEL_WORDS,
    },
    autoAddUnknown: env.AUTO_ADD_UNKNOWN,
    syncLockTimeoutMs: env.SYNC_LOCK_TIMEOUT_MS,
    syncSchedule: env.SYNC_SCHEDULE,
    sheetsSyncSchedule: env.SHEETS_SYNC_SCHEDULE,
    maxReverseActionsPerRun: env.MAX_REVERSE_ACTIONS_PER_RUN,
    /** Webhook deliveries, run records and the change log older than this many days are pruned. */
    historyDays: env.HISTORY_DAYS,
    /** Hours without any webhook delivery, while polls find changes, after which webhooks count as degraded. */
    webhookSilenceHours: env.WEBHOOK_SILENCE_HOURS,
  };
}

/**
 * Every secret value the configuration holds, for redaction wherever text leaves calsync (logs, run history,
 * routes, pages): masked by value, whatever shape it has.
 */
export function secretValues(config: Config): string[] {
  const { calcom, sheets, sanity, secrets, database } = config;
  return [
    calcom.apiKey,
    calcom.webhookSecret,
    sheets.accessToken,
    sheets.serviceAccount?.private_key,
    sanity.token,
    secrets.sync,
    secrets.cron,
    secrets.dashboardPassword,
    secrets.session,
    database.url ? passwordOfUrl(database.url) : undefined,
  ].filter((value): value is string => typeof value === "string" && value !== "");
}

/** Which external systems a command needs; each must have its credentials, or the command stops here. */
export function requireSystems(config: Config, systems: readonly ("calcom" | "sheets" | "sanity")[]): void {
  const problems: { variable: string; problem: string }[] = [];
  const missing = (variable: string, what: string) =>
    problems.push({ variable, problem: `required: ${what}` });
  if (systems.includes("calcom") && !config.calcom.apiKey) {
    missing("CALCOM_API_KEY", "a Cal.com API key (Settings → Developer → API keys)");
  }
  if (systems.includes("sheets")) {
    if (!config.sheets.spreadsheetId) missing("GOOGLE_SHEETS_SPREADSHEET_ID", "the id from the sheet's URL");
    if (!config.sheets.serviceAccount && !config.sheets.accessToken && !config.sheets.isCustomApiUrl) {
      missing("GOOGLE_SERVICE_ACCOUNT_JSON", "a service account key (or set GOOGLE_ACCESS_TOKEN)");
    }
  }
  if (systems.includes("sanity")) {
    if (!config.sanity.projectId) missing("SANITY_PROJECT_ID", "the Sanity project id");
    if (!config.sanity.dataset) missing("SANITY_DATASET", "the Sanity dataset, e.g. production");
    if (!config.sanity.token) missing("SANITY_TOKEN", "a Sanity API token with write access");
  }
  if (problems.length > 0) {
    throw new ConfigError(
      problems,
      "Run `npm start` to try calsync on its built-in sandboxes without any accounts.",
    );
  }
}

export type ServiceAccountKey = { client_email: string; private_key: string; token_uri?: string };

function parseServiceAccount(value: string): ServiceAccountKey | string {
  let text = value;
  if (!value.startsWith("{")) {
    // The value is a secret (or a path to one) and is never echoed: a key pasted slightly wrong is still a key.
    if (!existsSync(value)) return "expected the key file's JSON text or a path to it; there is no such file";
    text = readFileSync(value, "utf8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "expected a service account key in JSON; the text is not valid JSON";
  }
  const key = z.object({
    client_email: z.string(),
    private_key: z.string(),
    token_uri: z.string().optional(),
  });
  const parsed = key.safeParse(json);
  if (!parsed.success) return "expected a service account key with client_email and private_key";
  const { token_uri, ...rest } = parsed.data;
  return token_uri ? { ...rest, token_uri } : rest;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

function passwordOfUrl(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** C0 controls and DEL: never part of a key, token, password or URL someone meant to set. */
function hasControlCharacter(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return /[\u0000-\u001f\u007f]/.test(value);
}
