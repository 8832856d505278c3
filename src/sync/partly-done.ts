import type { RunReport } from "../core/run-report.ts";

/**
 * A run failed after part of its work had landed (some Cal.com actions taken, some rows written): the
 * failure carries the report of what landed, so the run's answer never hides a change that was made.
 */
export class PartlyDone extends Error {
  readonly done: readonly Partial<RunReport>[];

  constructor(
    done: Partial<RunReport> | readonly Partial<RunReport>[],
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "PartlyDone";
    this.done = Array.isArray(done) ? done : [done as Partial<RunReport>];
  }
}

/** The failure itself, and what had landed before it, in the order it landed. */
export function unwrapPartlyDone(thrown: unknown): { cause: unknown; done: Partial<RunReport>[] } {
  const done: Partial<RunReport>[] = [];
  let cause = thrown;
  while (cause instanceof PartlyDone) {
    done.push(...cause.done);
    cause = cause.cause;
  }
  return { cause, done };
}
