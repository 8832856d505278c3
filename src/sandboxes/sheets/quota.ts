/**
 * Per-user request quotas, counted over the last minute: by default 60 reads and 60 writes, Google's
 * "per minute per user per project" limits. https://developers.google.com/workspace/sheets/api/limits
 * Past the limit the API answers 429 RESOURCE_EXHAUSTED with an ErrorInfo naming the quota, and no
 * Retry-After header: the caller backs off on its own.
 */
import { SheetsApiError } from "./api-errors.ts";

export type RequestKind = "read" | "write";

export type QuotaLimits = { readsPerMinute: number; writesPerMinute: number };

export const DEFAULT_QUOTA: QuotaLimits = { readsPerMinute: 60, writesPerMinute: 60 };

const WINDOW_MS = 60_000;

export type Quota = {
  /** Counts the request against the user's quota, or throws the 429 Google sends when it is used up. */
  take(user: string, kind: RequestKind): void;
};

export function createQuota(limits: QuotaLimits, now: () => number): Quota {
  const recent = new Map<string, number[]>();
  return {
    take(user, kind) {
      const key = `${kind}:${user}`;
      const cutoff = now() - WINDOW_MS;
      const times = (recent.get(key) ?? []).filter((time) => time > cutoff);
      const limit = kind === "read" ? limits.readsPerMinute : limits.writesPerMinute;
      if (times.length >= limit) {
        recent.set(key, times);
        throw quotaExceeded(kind, limit);
      }
      times.push(now());
      recent.set(key, times);
    },
  };
}

/** The body the real API sends, e.g. issue reports quoting "Quota exceeded for quota metric 'Write requests'". */
export function quotaExceeded(kind: RequestKind, limit: number): SheetsApiError {
  const metric = kind === "read" ? "Read requests" : "Write requests";
  const limitName = kind === "read" ? "ReadRequestsPerMinutePerUser" : "WriteRequestsPerMinutePerUser";
  const message = `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.`;
  return new SheetsApiError(429, message, [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "RATE_LIMIT_EXCEEDED",
      domain: "googleapis.com",
      metadata: {
        quota_limit: limitName,
        quota_limit_value: String(limit),
        quota_metric: `sheets.googleapis.com/${kind}_requests`,
        quota_location: "global",
        quota_unit: "1/min/{project}/{user}",
        consumer: "projects/0",
        service: "sheets.googleapis.com",
      },
    },
  ]);
}
