import type { SyncRunResult } from "../core/run-report.ts";
import { nextEventDueAt } from "../db/webhook-events.ts";
import type { SyncContext } from "../sync/context.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { createTokenBucket } from "./token-bucket.ts";

/**
 * Applies stored webhook deliveries in the background of `calsync serve`.
 *
 * Deliveries are coalesced: the first one after a quiet spell is applied at once (after a short debounce that
 * gathers its neighbours); during a burst, every batch takes all deliveries waiting, so one sheet read and
 * one write serve hundreds of bookings. Batches are paced by budgets (token buckets), not by fixed spacing:
 * one of Sheets writes and one of Sheets reads, as Google counts them against two separate quotas of 60 a
 * minute, so a batch's read never spends the write allowance. A lone delivery goes through at once; a burst
 * drains the burst allowance and then runs at the refill rate, which stays inside each quota. A failed batch
 * is retried with backoff, also after a restart.
 */
export type EventWorkerOptions = {
  debounceMs?: number;
  /** Sheets calls of each kind (reads, writes) the batches may make per minute, on average. */
  sheetsCallsPerMinute?: number;
  /** Sheets calls of each kind a quiet worker may spend at once before the per-minute rate applies. */
  sheetsBurst?: number;
  retryBaseMs?: number;
  onBatch?: (result: SyncRunResult) => void;
};

/**
 * The pacing `calsync serve` uses: 50 Sheets writes a minute with a burst of 10, and as many reads, leaving
 * 10 of each of Sheets' 60 a minute to the scheduled sync, the sheet copy and the dashboard.
 */
export const SERVER_PACING = { debounceMs: 50, sheetsCallsPerMinute: 50, sheetsBurst: 10 } as const;

/**
 * The Sheets calls a batch of new bookings makes: one read; two writes (the rows' anchors, seen where they
 * landed, then the cells through them). A batch starts only with that much in both budgets, so it seldom
 * spends more than it had and the quota's minute holds no more than the burst and a minute of refill.
 */
const BATCH_COST = { reads: 1, writes: 2 } as const;

export type EventWorker = {
  /** A delivery was stored: apply it soon. */
  notify(): void;
  /** Resolves once no stored delivery is due (tests and shutdown); not while a batch keeps failing. */
  idle(): Promise<void>;
  /** Stops scheduling; resolves when a batch under way has finished, so the database can close after it. */
  stop(): Promise<void>;
};

export function startEventWorker(ctx: SyncContext, options: EventWorkerOptions = {}): EventWorker {
  const debounceMs = options.debounceMs ?? SERVER_PACING.debounceMs;
  const bucket = () =>
    createTokenBucket({
      perMinute: options.sheetsCallsPerMinute ?? SERVER_PACING.sheetsCallsPerMinute,
      burst: options.sheetsBurst ?? SERVER_PACING.sheetsBurst,
      now: () => Date.now(),
    });
  const budget = { reads: bucket(), writes: bucket() };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let notifiedWhileRunning = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (running) {
      notifiedWhileRunning = true;
      return;
    }
    if (!timer) timer = setTimeout(fire, delayMs);
  };

  const settleIdle = () => {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const fire = async () => {
    timer = null;
    // Nothing stored, or not due yet (a retry's backoff): no batch, and no budget spent on an empty one.
    const due = await nextEventDueAt(ctx.db).catch(() => null);
    if (stopped) return;
    if (!due) {
      if (notifiedWhileRunning) {
        notifiedWhileRunning = false;
        schedule(debounceMs);
      } else settleIdle();
      return;
    }
    const untilDue = due.getTime() - ctx.clock().getTime();
    if (untilDue > 0) {
      schedule(untilDue);
      return;
    }
    const wait = Math.max(budget.reads.waitMs(BATCH_COST.reads), budget.writes.waitMs(BATCH_COST.writes));
    if (wait > 0) {
      timer = setTimeout(fire, wait);
      return;
    }
    notifiedWhileRunning = false;
    const batch = runBookingSync(ctx, {
      trigger: "webhook",
      source: "webhook-events",
      retryBaseMs: options.retryBaseMs ?? 2_000,
    });
    running = batch;
    try {
      const result = await batch;
      budget.writes.spend(result.apiCalls.sheetsWrites);
      budget.reads.spend(result.apiCalls.sheets - result.apiCalls.sheetsWrites);
      options.onBatch?.(result);
    } finally {
      running = null;
    }
    // More may have arrived, or a failed batch waits for its retry: look again.
    schedule(notifiedWhileRunning ? debounceMs : 0);
  };

  // Deliveries stored before a restart are picked up now.
  schedule(0);

  return {
    notify: () => schedule(debounceMs),
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        schedule(0);
      }),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      settleIdle();
      await running?.catch(() => undefined);
    },
  };
}
