import type { SyncRunResult } from "../core/run-report.ts";
import { nextEventDueAt } from "../db/webhook-events.ts";
import type { SyncContext } from "../sync/context.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";

/**
 * Applies stored webhook deliveries in the background of `calsync serve`.
 *
 * Deliveries are coalesced: the first one after a quiet spell is applied at once (after a short debounce that
 * gathers its neighbours); during a burst, every batch takes all deliveries waiting, so one sheet read and
 * one write serve hundreds of bookings. Batches are spaced so the sheet never sees more than
 * `maxBatchesPerMinute` batches (each at most one read and two writes) in any minute, well inside the
 * Sheets limit of 60 writes per minute. A failed batch is retried with backoff, also after a restart.
 */
export type EventWorkerOptions = {
  debounceMs?: number;
  minSpacingMs?: number;
  maxBatchesPerMinute?: number;
  retryBaseMs?: number;
  onBatch?: (result: SyncRunResult) => void;
};

/** The pacing `calsync serve` uses. 60 s / 25 batches = 2.4 s apart: a steady stream never spends the minute's
 * budget early and then stalls, and a lone delivery after a quiet spell still goes at once. */
export const SERVER_PACING = { debounceMs: 50, minSpacingMs: 2_400, maxBatchesPerMinute: 25 } as const;

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
  const minSpacingMs = options.minSpacingMs ?? SERVER_PACING.minSpacingMs;
  const maxBatchesPerMinute = options.maxBatchesPerMinute ?? SERVER_PACING.maxBatchesPerMinute;
  const batchStarts: number[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let notifiedWhileRunning = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const budgetWaitMs = () => {
    const now = Date.now();
    while (batchStarts.length > 0 && (batchStarts[0] as number) <= now - 60_000) batchStarts.shift();
    const spacing = batchStarts.length > 0 ? (batchStarts.at(-1) as number) + minSpacingMs - now : 0;
    const window = batchStarts.length >= maxBatchesPerMinute ? (batchStarts[0] as number) + 60_000 - now : 0;
    return Math.max(0, spacing, window);
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (running) {
      notifiedWhileRunning = true;
      return;
    }
    if (!timer) timer = setTimeout(fire, delayMs);
  };

  const fire = async () => {
    timer = null;
    const wait = budgetWaitMs();
    if (wait > 0) {
      timer = setTimeout(fire, wait);
      return;
    }
    notifiedWhileRunning = false;
    batchStarts.push(Date.now());
    const batch = runBookingSync(ctx, {
      trigger: "webhook",
      source: "webhook-events",
      retryBaseMs: options.retryBaseMs ?? 2_000,
    });
    running = batch;
    try {
      options.onBatch?.(await batch);
    } finally {
      running = null;
    }
    if (stopped) return;
    const due = await nextEventDueAt(ctx.db).catch(() => null);
    if (notifiedWhileRunning || due) {
      const untilDue = due ? due.getTime() - ctx.clock().getTime() : 0;
      schedule(Math.max(debounceMs, untilDue));
      return;
    }
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
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
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
      await running?.catch(() => undefined);
    },
  };
}
