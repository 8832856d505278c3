/**
 * What tests see and steer of the sandbox's traffic: hooks that run before a request is handled, faults
 * to inject, and the log of requests with their outcome.
 */
import { SheetsApiError } from "./api-errors.ts";
import type { RequestKind } from "./quota.ts";

export type RequestInfo = { method: string; path: string; kind: RequestKind };

export type RequestRecord = RequestInfo & { status: number };

/** Runs before the sandbox handles a request, e.g. to sort the sheet between a client's read and its write. */
export type RequestHook = (request: RequestInfo) => void | Promise<void>;

/** The next `count` requests of `kind` (default: any) fail with `status` and Google's error body for it. */
export type Fault = { status: number; count?: number; kind?: RequestKind | "any" };

export type SandboxStats = { reads: number; writes: number; requests: RequestRecord[] };

export type Traffic = {
  addHook(hook: RequestHook): () => void;
  runHooks(request: RequestInfo): Promise<void>;
  failNext(fault: Fault): void;
  /** The injected failure for this request, if one is due; consumes it. */
  takeFault(kind: RequestKind): SheetsApiError | null;
  record(request: RequestRecord): void;
  stats(): SandboxStats;
  resetStats(): void;
};

export function createTraffic(): Traffic {
  const hooks = new Set<RequestHook>();
  const faults: { status: number; remaining: number; kind: RequestKind | "any" }[] = [];
  let requests: RequestRecord[] = [];
  return {
    addHook(hook) {
      // Wrapped so the same function can be added twice and removed once.
      const entry: RequestHook = (request) => hook(request);
      hooks.add(entry);
      return () => hooks.delete(entry);
    },
    async runHooks(request) {
      for (const hook of [...hooks]) await hook(request);
    },
    failNext({ status, count = 1, kind = "any" }) {
      faults.push({ status, remaining: count, kind });
    },
    takeFault(kind) {
      const fault = faults.find((candidate) => candidate.kind === "any" || candidate.kind === kind);
      if (!fault) return null;
      fault.remaining--;
      if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      return new SheetsApiError(fault.status);
    },
    record(request) {
      requests.push(request);
    },
    stats() {
      const count = (kind: RequestKind) => requests.filter((request) => request.kind === kind).length;
      return {
        reads: count("read"),
        writes: count("write"),
        requests: requests.map((request) => ({ ...request })),
      };
    },
    resetStats() {
      requests = [];
    },
  };
}
