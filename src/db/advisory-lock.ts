import { pollWithBackoff } from "./backoff.ts";
import type { DedicatedSession } from "./engine.ts";

/**
 * Advisory locks are per database, not per schema, so the key hashes the schema in too: tests that share a
 * database in separate schemas, or two installations in one database, do not block each other.
 */
const KEY_SQL = "hashtextextended($1 || ':' || current_schema(), 0)";

export type HeldAdvisoryLock = { signal: AbortSignal; release(): Promise<void> };

/**
 * A session-level advisory lock on a connection opened for it and kept until release. pg_try_advisory_lock is
 * polled rather than pg_advisory_lock awaited, so the wait honours the timeout and never holds a statement open
 * on the server. If the connection breaks, the server drops the lock with it: `signal` aborts to say so.
 */
export async function acquireAdvisoryLock(
  openSession: () => Promise<DedicatedSession>,
  name: string,
  options: { timeoutMs: number; onWait?: (() => void) | undefined },
): Promise<HeldAdvisoryLock | undefined> {
  const key = `calsync:${name}`;
  const session = await openSession();
  try {
    const locked = await pollWithBackoff(async () => {
      const [row] = await session.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(${KEY_SQL}) as locked`,
        [key],
      );
      return row?.locked ? true : undefined;
    }, options);
    if (!locked) {
      await session.close();
      return undefined;
    }
  } catch (error) {
    await session.close();
    throw error;
  }

  return {
    signal: session.lost,
    async release() {
      // Unlocking lets the next waiter in at once; closing the connection would release the lock anyway, so
      // a failed unlock (the connection already broke) is not worth reporting.
      await session.query(`select pg_advisory_unlock(${KEY_SQL})`, [key]).catch(() => {});
      await session.close();
    },
  };
}
