import { redactText } from "./log/redact.ts";

/**
 * The closed set of errors calsync reports to people. Each carries a stable code and says what to do next.
 * Anything else thrown is a bug.
 */
export type ErrorCode =
  | "CONFIG"
  | "INPUT"
  | "NOT_FOUND"
  | "UPSTREAM"
  | "RATE_LIMITED"
  | "LOCKED"
  | "SHEET_LAYOUT"
  | "CONFLICT";

export abstract class CalsyncError extends Error {
  abstract readonly code: ErrorCode;
}

/** A variable is missing or malformed. The message names the variable and what is wrong with it. */
export class ConfigError extends CalsyncError {
  readonly code = "CONFIG";
  constructor(
    readonly problems: { variable: string; problem: string }[],
    hint?: string,
  ) {
    super(problems.map((p) => `${p.variable}: ${p.problem}`).join("\n") + (hint ? `\n${hint}` : ""));
    this.name = "ConfigError";
  }
}

/** A command's argument or a request's parameter is malformed (e.g. `--limit abc`). */
export class InputError extends CalsyncError {
  readonly code = "INPUT";
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export type SystemName = "calcom" | "sheets" | "sanity" | "database";

/** An external system failed or refused us. `status` is its HTTP status, when it answered at all. */
export class UpstreamError extends CalsyncError {
  readonly code = "UPSTREAM";
  constructor(
    readonly system: SystemName,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${systemLabel(system)}: ${message}`, options);
    this.name = "UpstreamError";
  }
}

/** A quota was hit and the bounded retries ran out. */
export class RateLimitedError extends CalsyncError {
  readonly code = "RATE_LIMITED";
  constructor(
    readonly system: SystemName,
    readonly retryAfterMs: number,
  ) {
    super(`${systemLabel(system)}: rate limited; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = "RateLimitedError";
  }
}

/** Another sync run held the lock for longer than we were prepared to wait. */
export class LockedError extends CalsyncError {
  readonly code = "LOCKED";
  constructor(waitedMs: number) {
    super(`Another sync run is in progress; waited ${waitedMs} ms (SYNC_LOCK_TIMEOUT_MS) for it to finish.`);
    this.name = "LockedError";
  }
}

/** The sheet's header row lacks a column calsync needs. */
export class SheetLayoutError extends CalsyncError {
  readonly code = "SHEET_LAYOUT";
  constructor(message: string) {
    super(message);
    this.name = "SheetLayoutError";
  }
}

export function systemLabel(system: SystemName): string {
  switch (system) {
    case "calcom":
      return "Cal.com";
    case "sheets":
      return "Google Sheets";
    case "sanity":
      return "Sanity";
    case "database":
      return "Database";
  }
}

/** Any failure as a code: our errors keep theirs; anything else thrown is a bug, reported as INTERNAL. */
export type FailureCode = ErrorCode | "INTERNAL";

/**
 * What each failure means to whoever asked: the HTTP status a route answers and the exit status a command
 * ends with. One table for every route, command and dashboard action, so they can never disagree.
 * 400/404 and exit 2: the request names nothing calsync has or is malformed (bad input, as a bad configuration
 * is) · 409: try again once the other run or change is done · 500: calsync's set-up (or a bug) · 502: a system
 * calsync depends on failed.
 */
export const FAILURE_STATUS = {
  CONFIG: { http: 500, exit: 2 },
  INPUT: { http: 400, exit: 2 },
  NOT_FOUND: { http: 404, exit: 2 },
  UPSTREAM: { http: 502, exit: 1 },
  RATE_LIMITED: { http: 502, exit: 1 },
  LOCKED: { http: 409, exit: 1 },
  SHEET_LAYOUT: { http: 500, exit: 1 },
  CONFLICT: { http: 409, exit: 1 },
  INTERNAL: { http: 500, exit: 1 },
} as const satisfies Record<FailureCode, { http: number; exit: number }>;

export type FailureHttpStatus = (typeof FAILURE_STATUS)[FailureCode]["http"];

/**
 * The failure of a run or command as its answer shows it, redacted as the logs are: the message is stored in
 * run history, returned by routes and shown on the dashboard, and may quote what another system said.
 */
export function describeError(thrown: unknown): { code: FailureCode; message: string } {
  if (thrown instanceof CalsyncError) return { code: thrown.code, message: redactText(thrown.message) };
  return {
    code: "INTERNAL",
    message: redactText(thrown instanceof Error ? thrown.message : String(thrown)),
  };
}

/** The status for a failure code as stored in a run's answer (an unknown code counts as INTERNAL). */
export function failureStatus(code: string | undefined): (typeof FAILURE_STATUS)[FailureCode] {
  return FAILURE_STATUS[(code ?? "INTERNAL") as FailureCode] ?? FAILURE_STATUS.INTERNAL;
}
