import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { pollWithBackoff } from "./backoff.ts";
import type { Database } from "./database.ts";
import { DatabaseError } from "./database-errors.ts";

/**
 * A lock not renewed for this long is taken over: its holder hung, or died where we cannot tell (another
 * machine's or container's process). A holder that died on this machine is noticed at once (its pid is gone).
 * Generous because better-sqlite3 and the planner run on the main thread: a long synchronous stretch delays
 * the timer that renews the lease, and the lease must survive that.
 */
export const DEFAULT_LEASE_MS = 60_000;
/** Renewals per lease: one missed renewal is harmless. */
const RENEWALS_PER_LEASE = 6;

const CREATE_TABLE = `
  create table if not exists calsync_run_locks (
    name text primary key,
    owner text not null,
    host text not null,
    pid integer not null,
    acquired_at text not null,
    expires_at integer not null
  )`;

/**
 * One statement, so atomic however many processes try at once (SQLite serializes writes): inserts the lock,
 * or takes over a row whose lease ran out or whose owner ($7) is known to be dead. `returning` says whether it
 * did. expires_at is milliseconds since the epoch, by this machine's clock, as every process sharing the file
 * runs here (WAL needs shared memory, so one machine).
 */
const TAKE = `
  insert into calsync_run_locks (name, owner, host, pid, acquired_at, expires_at)
  values ($1, $2, $3, $4, now(), $5)
  on conflict (name) do update set
    owner = excluded.owner, host = excluded.host, pid = excluded.pid, acquired_at = excluded.acquired_at,
    expires_at = excluded.expires_at
  where calsync_run_locks.expires_at < $6 or calsync_run_locks.owner = $7
  returning owner`;

type Holder = { owner: string; host: string; pid: number; expires_at: number };

export type HeldLeaseLock = { signal: AbortSignal; release(): Promise<void> };

/**
 * The embedded database's cross-process run lock: a row in calsync_run_locks naming its owner (this process,
 * this acquisition) with a lease the owner renews while it holds the lock. A second process polls until the
 * row is gone (released), its lease ran out, or its owner's process is gone; a crashed holder therefore never
 * blocks for long. `signal` aborts if a renewal finds the row no longer ours (we stalled past the lease and
 * another process took over).
 */
export async function acquireLeaseLock(
  db: Database,
  name: string,
  options: { timeoutMs: number; onWait?: (() => void) | undefined; leaseMs?: number | undefined },
): Promise<HeldLeaseLock | undefined> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const take = async (deadOwner: string) =>
    (
      await db.query(TAKE, [
        name,
        owner,
        hostname(),
        process.pid,
        Date.now() + leaseMs,
        Date.now(),
        deadOwner,
      ])
    ).length > 0;

  await db.query(CREATE_TABLE);
  const taken = await pollWithBackoff(async () => {
    if (await take("")) return true;
    const [holder] = await db.query<Holder>(
      "select owner, host, pid, expires_at from calsync_run_locks where name = $1",
      [name],
    );
    // Released meanwhile, or held by a process that no longer exists: try again at once.
    if (!holder || isDeadHere(holder)) return (await take(holder?.owner ?? "")) || undefined;
    return undefined;
  }, options);
  if (!taken) return undefined;

  const lost = new AbortController();
  let released = false;
  const renew = async () => {
    try {
      const renewed = await db.query(
        "update calsync_run_locks set expires_at = $3 where name = $1 and owner = $2 returning owner",
        [name, owner, Date.now() + leaseMs],
      );
      if (renewed.length === 0 && !released) {
        stop();
        lost.abort(
          new DatabaseError(
            `another process took over the run lock "${name}": this one did not renew its lease within ` +
              `${leaseMs} ms. Stopped so that two runs never write at once.`,
            undefined,
          ),
        );
      }
    } catch (error) {
      // The database was closed under the lock: nothing left to renew. Anything else: try at the next tick.
      if (error instanceof Error && /after db\.close\(\)/.test(error.message)) stop();
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(leaseMs / RENEWALS_PER_LEASE)));
  timer.unref();
  const stop = () => clearInterval(timer);

  return {
    signal: lost.signal,
    async release() {
      if (released) return;
      released = true;
      stop();
      // A failed delete (the database already closed) leaves the row to expire, or to be taken over as soon as
      // this process is gone; as with PostgreSQL's advisory locks, not worth failing the run for.
      await db
        .query("delete from calsync_run_locks where name = $1 and owner = $2", [name, owner])
        .catch(() => {});
    },
  };
}

/** The holder runs on this machine, and no process has its pid: it died without releasing. */
function isDeadHere(holder: Holder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: unknown }).code === "ESRCH";
  }
}
