import type { RequestKind } from "./request-stats.ts";

export type FaultTarget = Exclude<RequestKind, "other"> | "any";

/** A failure to answer with instead of doing the work: `status` for the next `count` requests of `kind`. */
export type Fault = { status: number; count?: number; kind?: FaultTarget };

export class FaultInjector {
  #pending: { status: number; remaining: number; kind: FaultTarget }[] = [];

  add({ status, count = 1, kind = "any" }: Fault): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`failNext needs an HTTP error status (400-599), got ${status}`);
    }
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`failNext needs a count of 1 or more, got ${count}`);
    this.#pending.push({ status, remaining: count, kind });
  }

  /** The status to fail this request with, if a fault is waiting for its kind. Faults fire in the order added. */
  take(kind: RequestKind): number | undefined {
    const fault = this.#pending.find((candidate) => candidate.kind === "any" || candidate.kind === kind);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#pending = this.#pending.filter((candidate) => candidate !== fault);
    return fault.status;
  }
}
