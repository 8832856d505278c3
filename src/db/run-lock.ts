import { LockedError } from "../errors.ts";
import { acquireAdvisoryLock } from "./advisory-lock.ts";
import { AsyncMutex } from "./async-mutex.ts";
import type { Database } from "./database.ts";
import { type ProcessExclusion, processExclusionOf } from "./engine.ts";
import { acquireLeaseLock } from "./lease-lock.ts";

export type RunLockOptions = {
  /** What is serialized, e.g. "sync". Locks with different names do not exclude each other. */
  name: string;
  /** How long to wait for the current holder before throwing LockedError; 0 means do not wait. */
  timeoutMs: number;
  /** Called once if the lock is busy and we start waiting, e.g. to print "waiting for the running sync". */
  onWait?: (() => void) | undefined;
  /**
   * Embedded database only: how long the lock outlives a holder that stopped renewing it (default 60 s; see
   * lease-lock.ts). A holder that died on this machine is noticed at once, whatever the lease.
   */
  leaseMs?: number | undefined;
};

export type RunLock = {
  /**
   * Aborted if exclusivity is lost while holding the lock: the PostgreSQL connection holding it broke, or, on
   * the embedded database, another process took the lock over because this one stalled past its lease. A long
   * run should check it between writes.
   */
  readonly signal: AbortSignal;
  release(): Promise<void>;
};

/**
 * Serializes runs of `name` across everything sharing this database:
 * - within this process, an in-process queue (first come, first served);
 * - across processes on PostgreSQL, a session-level advisory lock (several servers, server plus CLI);
 * - across processes on the embedded database, a leased row in calsync_run_locks (lease-lock.ts): `calsync sync`
 *   while `calsync serve` runs, or two syncs started together, share the file and take turns per run.
 * Waits up to timeoutMs in all for both, then throws LockedError ("Another sync run is in progress").
 */
export async function acquireRunLock(db: Database, options: RunLockOptions): Promise<RunLock> {
  const exclusion = processExclusionOf(db);
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  const onWait = () => {
    if (waiting) return;
    waiting = true;
    options.onWait?.();
  };

  const releaseInProcess = await queueFor(db, options.name).acquire(options.timeoutMs, onWait);
  if (!releaseInProcess) throw new LockedError(options.timeoutMs);
  try {
    const acrossProcesses = await acquireAcrossProcesses(db, exclusion, options.name, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      onWait,
      leaseMs: options.leaseMs,
    });
    if (!acrossProcesses) throw new LockedError(options.timeoutMs);
    let released = false;
    return {
      signal: acrossProcesses.signal,
      async release() {
        if (released) return;
        released = true;
        try {
          await acrossProcesses.release();
        } finally {
          releaseInProcess();
        }
      },
    };
  } catch (error) {
    releaseInProcess();
    throw error;
  }
}

/** acquireRunLock around `fn`, released however `fn` ends. */
export async function withRunLock<T>(
  db: Database,
  options: RunLockOptions,
  fn: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireRunLock(db, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

const inProcessQueues = new WeakMap<Database, Map<string, AsyncMutex>>();

function queueFor(db: Database, name: string): AsyncMutex {
  let queues = inProcessQueues.get(db);
  if (!queues) {
    queues = new Map();
    inProcessQueues.set(db, queues);
  }
  let queue = queues.get(name);
  if (!queue) {
    queue = new AsyncMutex();
    queues.set(name, queue);
  }
  return queue;
}

async function acquireAcrossProcesses(
  db: Database,
  exclusion: ProcessExclusion,
  name: string,
  options: { timeoutMs: number; onWait: () => void; leaseMs: number | undefined },
): Promise<{ signal: AbortSignal; release(): Promise<void> } | undefined> {
  switch (exclusion.kind) {
    case "lease-table":
      return acquireLeaseLock(db, name, options);
    case "advisory-lock":
      return acquireAdvisoryLock(exclusion.openSession, `run-lock:${name}`, options);
  }
}
