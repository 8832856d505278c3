import { LockedError, UpstreamError } from "../errors.ts";

/**
 * A failure reported by the database or by the way to it. It is an UpstreamError("database") like any other
 * upstream failure; `sqlState` is the server's five-character SQLSTATE when the server answered (for example
 * "23505" for a unique violation), so callers can tell a conflict from an outage.
 */
export class DatabaseError extends UpstreamError {
  constructor(
    message: string,
    readonly sqlState: string | undefined,
    options?: { cause?: unknown },
  ) {
    super("database", message, undefined, options);
    this.name = "DatabaseError";
  }
}

/** Where the database is, safe to print: a connection string with its password replaced, or a directory. */
export type DatabaseTarget = { description: string; secrets: readonly string[] };

export function postgresTarget(url: string): DatabaseTarget {
  return { description: redactConnectionString(url), secrets: passwordsIn(url) };
}

export function embeddedTarget(dataDir: string): DatabaseTarget {
  return { description: dataDir === ":memory:" ? "in-memory embedded database" : dataDir, secrets: [] };
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, wherever such URLs occur in the text. */
export function redactConnectionString(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}

/**
 * Turns whatever the driver threw into a DatabaseError whose message names no password. Problems reaching the
 * server (refused, unknown host, authentication, no such database) also say which server, since that is what
 * the person has to fix.
 */
export function toDatabaseError(error: unknown, target: DatabaseTarget): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const details = driverErrorDetails(error);
  const message = details.isConnectionProblem
    ? `cannot use ${target.description}: ${details.message}`
    : details.message;
  return new DatabaseError(scrub(message, target.secrets), details.sqlState, { cause: error });
}

function driverErrorDetails(error: unknown): {
  message: string;
  sqlState: string | undefined;
  isConnectionProblem: boolean;
} {
  const message = error instanceof Error ? error.message : String(error);
  const fields = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof fields.code === "string" ? fields.code : undefined;
  const sqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  // Server errors carry a severity; network errors (ECONNREFUSED, ENOTFOUND, timeouts) do not. SQLSTATE classes
  // 08 (connection), 28 (authorization), 3D (no such database) and 57P (server shutting down) are about
  // reaching the database rather than about the statement.
  const fromServer = typeof fields.severity === "string";
  const isConnectionProblem = !fromServer || (sqlState !== undefined && /^(08|28|3D|57P)/.test(sqlState));
  return { message: message || code || "unknown error", sqlState, isConnectionProblem };
}

function scrub(message: string, secrets: readonly string[]): string {
  let scrubbed = redactConnectionString(message);
  for (const secret of secrets) {
    if (secret.length > 0) scrubbed = scrubbed.split(secret).join("***");
  }
  return scrubbed;
}

function passwordsIn(url: string): string[] {
  try {
    const password = new URL(url).password;
    if (!password) return [];
    return [...new Set([password, safeDecode(password)])];
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The embedded database is held by another process for longer than we were prepared to wait. PGlite serves one
 * process at a time, so this is the same situation as a busy sync run, with advice that fits it.
 */
export class EmbeddedDatabaseBusyError extends LockedError {
  constructor(
    readonly dataDir: string,
    waitedMs: number,
  ) {
    super(waitedMs);
    this.name = "EmbeddedDatabaseBusyError";
    this.message =
      `Another calsync process (a sync run or the server) is using the embedded database at ${dataDir}; ` +
      `waited ${waitedMs} ms (SYNC_LOCK_TIMEOUT_MS) for it to finish. The embedded database serves one process ` +
      "at a time: to run the server and the CLI side by side, set DATABASE_URL to a PostgreSQL database.";
  }
}
