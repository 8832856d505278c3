import { UpstreamError } from "../errors.ts";
import type { DatabaseKind } from "./database.ts";

/**
 * A failure reported by the database or by the way to it. It is an UpstreamError("database") like any other
 * upstream failure; `sqlState` is the server's five-character SQLSTATE when the server answered (for example
 * "23505" for a unique violation), so callers can tell a conflict from an outage. SQLite's errors carry the
 * SQLSTATE PostgreSQL gives the same failure where there is one (see sqliteSqlState); the SQLite result code
 * stays on `cause.code`.
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

/** Where the database is, safe to print: a connection string with its password replaced, or a file. */
export type DatabaseTarget = { kind: DatabaseKind; description: string; secrets: readonly string[] };

export function postgresTarget(url: string): DatabaseTarget {
  return { kind: "postgres", description: redactConnectionString(url), secrets: passwordsIn(url) };
}

export function embeddedTarget(file: string): DatabaseTarget {
  return {
    kind: "sqlite",
    description: file === ":memory:" ? "the in-memory embedded database" : `the embedded database ${file}`,
    secrets: [],
  };
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
  const details = target.kind === "sqlite" ? sqliteErrorDetails(error) : driverErrorDetails(error);
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

/**
 * better-sqlite3 throws SqliteError with SQLite's extended result code in `code` ("SQLITE_CONSTRAINT_UNIQUE");
 * its own TypeError/RangeError (a bad parameter, two statements in query()) are about the statement too. Only
 * failures of the file itself (cannot open, not a database, disk full, read-only) are about reaching it.
 */
function sqliteErrorDetails(error: unknown): {
  message: string;
  sqlState: string | undefined;
  isConnectionProblem: boolean;
} {
  const message = error instanceof Error ? error.message : String(error);
  const code = sqliteCodeOf(error);
  const isConnectionProblem =
    code !== undefined && /^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|FULL|READONLY|PERM|AUTH|NOLFS)/.test(code);
  return {
    message: message || code || "unknown error",
    sqlState: sqliteSqlState(code, message),
    isConnectionProblem,
  };
}

export function sqliteCodeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** The SQLSTATE PostgreSQL reports for the same failure, so callers test one code on both engines. */
export function sqliteSqlState(code: string | undefined, message: string): string | undefined {
  switch (code) {
    case "SQLITE_CONSTRAINT_PRIMARYKEY":
    case "SQLITE_CONSTRAINT_UNIQUE":
      return "23505";
    case "SQLITE_CONSTRAINT_NOTNULL":
      return "23502";
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
      return "23503";
    case "SQLITE_CONSTRAINT_CHECK":
      return "23514";
  }
  if (code?.startsWith("SQLITE_BUSY") || code === "SQLITE_LOCKED") return "55P03";
  if (code === "SQLITE_ERROR") {
    if (message.startsWith("no such table")) return "42P01";
    if (message.startsWith("no such column")) return "42703";
    if (message.includes("already exists")) return "42P07";
    if (message.includes("syntax error")) return "42601";
  }
  return undefined;
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
 * Another process kept the embedded database's write lock for longer than we were prepared to wait
 * (SQLITE_BUSY through the whole busy timeout). Writes take milliseconds, so this means a process is stuck
 * inside a write, or the file is on a file system that does not share locks.
 */
export function embeddedDatabaseBusyError(file: string, waitedMs: number, cause: unknown): DatabaseError {
  return new DatabaseError(
    `the embedded database ${file} stayed locked by another process's write for ${waitedMs} ms ` +
      "(SQLITE_BUSY). Each write takes milliseconds: look for a calsync process that hangs, or raise " +
      "SYNC_LOCK_TIMEOUT_MS.",
    "55P03",
    { cause },
  );
}
