/**
 * The closed set of errors calsync reports to people. Each carries a stable code and says what to do next.
 * Anything else thrown is a bug.
 */
export type ErrorCode = "CONFIG" | "UPSTREAM" | "RATE_LIMITED" | "LOCKED" | "SHEET_LAYOUT" | "CONFLICT";

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
