/** Failures a test can order from the sandbox, answered as the live API answers them. */
export type FaultSpec = {
  /** 500/502/503/504 answer a bare body, 401 the real envelope, 429 the throttler's answer. */
  status: number;
  /** How many matching requests fail; default 1. */
  count?: number;
  /** Only requests under this path, e.g. `/bookings` or `/v2/bookings/abc`; default every path. */
  path?: string;
  /** Only this method, e.g. `GET`; default every method. */
  method?: string;
};

export type FaultInjector = {
  failNext(spec: FaultSpec): void;
  /** The status the request must fail with, consuming one use of the fault; null when none applies. */
  take(method: string, path: string): number | null;
  setDown(down: boolean): void;
  isDown(): boolean;
};

type ArmedFault = { status: number; remaining: number; path: string | null; method: string | null };

export function createFaultInjector(): FaultInjector {
  const faults: ArmedFault[] = [];
  let down = false;

  return {
    failNext(spec) {
      faults.push({
        status: spec.status,
        remaining: spec.count ?? 1,
        path: spec.path === undefined ? null : apiPath(spec.path),
        method: spec.method?.toUpperCase() ?? null,
      });
    },
    take(method, path) {
      const fault = faults.find(
        (candidate) =>
          (candidate.method === null || candidate.method === method.toUpperCase()) &&
          (candidate.path === null || path === candidate.path || path.startsWith(`${candidate.path}/`)),
      );
      if (!fault) return null;
      fault.remaining--;
      if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      return fault.status;
    },
    setDown(value) {
      down = value;
    },
    isDown: () => down,
  };
}

/** Paths may be given relative to the API base (`/bookings`) or in full (`/v2/bookings`). */
function apiPath(path: string): string {
  const absolute = path.startsWith("/") ? path : `/${path}`;
  const full = absolute.startsWith("/v2/") || absolute === "/v2" ? absolute : `/v2${absolute}`;
  return full.replace(/\/+$/, "");
}
