/** One request the sandbox received. `status` is null when the connection was dropped unanswered. */
export type LoggedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | null;
  /** A JSON body, as sent. */
  body?: unknown;
};

export type RequestLog = {
  record(entry: LoggedRequest): void;
  entries(): LoggedRequest[];
  reset(): void;
};

export function createRequestLog(): RequestLog {
  let entries: LoggedRequest[] = [];
  return {
    record: (entry) => entries.push(entry),
    entries: () => entries.map((entry) => ({ ...entry, query: { ...entry.query } })),
    reset() {
      entries = [];
    },
  };
}
