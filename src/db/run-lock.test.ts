import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeEachDatabase,
  openTestDatabase,
  type TestDatabase,
  testPostgresUrl,
} from "../../test/support/db-harness.ts";
import { LockedError } from "../errors.ts";
import { acquireRunLock, withRunLock } from "./run-lock.ts";

/** A callback for onWait, and a promise that resolves once it has been called. */
function waitSignal(onWait: () => void = () => {}): { onWait: () => void; started: Promise<void> } {
  let resolveStarted = () => {};
  const started = new Promise<void>((resolve) => {
    resolveStarted = resolve;
  });
  return {
    onWait: () => {
      onWait();
      resolveStarted();
    },
    started,
  };
}

describeEachDatabase(
  "run lock",
  (getDb) => {
    it("makes a second acquisition wait, and lets it in when the first releases", async () => {
      const db = getDb();
      const events: string[] = [];
      const first = await acquireRunLock(db, { name: "sync", timeoutMs: 5_000 });
      events.push("A acquired");
      const waiting = waitSignal(() => events.push("B waiting"));
      const second = acquireRunLock(db, { name: "sync", timeoutMs: 30_000, onWait: waiting.onWait }).then(
        (lock) => {
          events.push("B acquired");
          return lock;
        },
      );
      await waiting.started;
      events.push("A releasing");
      await first.release();
      await (await second).release();
      expect(events).toEqual(["A acquired", "B waiting", "A releasing", "B acquired"]);
    });

    it("throws LockedError saying another run is in progress when the wait runs out", async () => {
      const db = getDb();
      const held = await acquireRunLock(db, { name: "sync", timeoutMs: 1_000 });
      try {
        const error = await acquireRunLock(db, { name: "sync", timeoutMs: 50 }).catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(LockedError);
        expect(error).toMatchObject({ code: "LOCKED" });
        expect((error as Error).message).toMatch(/^Another sync run is in progress; waited 50 ms/);
      } finally {
        await held.release();
      }
      // Having timed out leaves nothing behind: the lock is free again.
      await (await acquireRunLock(db, { name: "sync", timeoutMs: 0 })).release();
    });

    it("does not wait at all with timeoutMs 0", async () => {
      const db = getDb();
      const held = await acquireRunLock(db, { name: "sync", timeoutMs: 0 });
      await expect(acquireRunLock(db, { name: "sync", timeoutMs: 0 })).rejects.toBeInstanceOf(LockedError);
      await held.release();
    });

    it("serves waiters first come, first served", async () => {
      const db = getDb();
      const order: string[] = [];
      const held = await acquireRunLock(db, { name: "sync", timeoutMs: 0 });
      const waiters = ["B", "C", "D"].map((label) =>
        withRunLock(db, { name: "sync", timeoutMs: 30_000 }, async () => {
          order.push(label);
        }),
      );
      // The queue is joined synchronously, in call order; nothing needs to run before releasing.
      await held.release();
      await Promise.all(waiters);
      expect(order).toEqual(["B", "C", "D"]);
    });

    it("keeps locks with different names apart", async () => {
      const db = getDb();
      const sync = await acquireRunLock(db, { name: "sync", timeoutMs: 0 });
      const other = await acquireRunLock(db, { name: "sheets-sync", timeoutMs: 0 });
      await Promise.all([sync.release(), other.release()]);
    });

    it("releases when the work inside withRunLock throws", async () => {
      const db = getDb();
      const failure = new Error("sheet unreachable");
      await expect(
        withRunLock(db, { name: "sync", timeoutMs: 0 }, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      await (await acquireRunLock(db, { name: "sync", timeoutMs: 0 })).release();
    });

    it("tolerates release being called twice", async () => {
      const db = getDb();
      const lock = await acquireRunLock(db, { name: "sync", timeoutMs: 0 });
      expect(lock.signal.aborted).toBe(false);
      await lock.release();
      await lock.release();
      const next = await acquireRunLock(db, { name: "sync", timeoutMs: 0 });
      // A stray second release from the first holder must not have freed the lock the second one now holds.
      await expect(acquireRunLock(db, { name: "sync", timeoutMs: 0 })).rejects.toBeInstanceOf(LockedError);
      await next.release();
    });
  },
  { migrations: [] },
);

for (const engine of ["sqlite", "postgres"] as const) {
  describe.runIf(engine === "sqlite" || testPostgresUrl())(
    `run lock between servers sharing one database [${engine}]`,
    () => {
      let testDatabase: TestDatabase;
      beforeAll(async () => {
        testDatabase = await openTestDatabase(engine);
        await testDatabase.reset([]);
      });
      afterAll(async () => {
        await testDatabase.dispose();
      });

      it("makes a server wait for another server's run, then lets it in", async () => {
        const serverA = testDatabase.db;
        const serverB = await testDatabase.openAnother();
        const events: string[] = [];
        const first = await acquireRunLock(serverA, { name: "sync", timeoutMs: 0 });
        const waiting = waitSignal(() => events.push("B waiting"));
        const second = acquireRunLock(serverB, {
          name: "sync",
          timeoutMs: 30_000,
          onWait: waiting.onWait,
        }).then((lock) => {
          events.push("B acquired");
          return lock;
        });
        await waiting.started;
        events.push("A releasing");
        await first.release();
        await (await second).release();
        expect(events).toEqual(["B waiting", "A releasing", "B acquired"]);
      });

      it("times out with LockedError when the other server keeps the lock", async () => {
        const serverB = await testDatabase.openAnother();
        const held = await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 });
        try {
          await expect(acquireRunLock(serverB, { name: "sync", timeoutMs: 100 })).rejects.toThrow(
            /Another sync run is in progress/,
          );
        } finally {
          await held.release();
        }
      });

      it("does not collide with the same lock name in another schema (or file)", async () => {
        const elsewhere = await openTestDatabase(engine);
        try {
          const here = await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 });
          const there = await acquireRunLock(elsewhere.db, { name: "sync", timeoutMs: 0 });
          await Promise.all([here.release(), there.release()]);
        } finally {
          await elsewhere.dispose();
        }
      });

      it.runIf(engine === "postgres")(
        "aborts the lock's signal when the connection holding it is lost",
        async () => {
          const lock = await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 });
          const lost = new Promise((resolve) => lock.signal.addEventListener("abort", resolve));
          // What a server restart or a network cut would do: end the backend that holds the advisory lock.
          await testDatabase.db.query(
            `select pg_terminate_backend(pid) from pg_locks
        where locktype = 'advisory' and objsubid = 1
          and ((classid::bigint << 32) | objid::bigint)
              = hashtextextended('calsync:run-lock:sync' || ':' || current_schema(), 0)`,
          );
          await lost;
          expect(lock.signal.aborted).toBe(true);
          await lock.release();
          // The server dropped the lock with the connection, so the next run can start.
          await (await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 5_000 })).release();
        },
      );

      it.runIf(engine === "sqlite")(
        "aborts the lock's signal when another process took the lock over",
        async () => {
          const lock = await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0, leaseMs: 300 });
          const lost = new Promise<unknown>((resolve) =>
            lock.signal.addEventListener("abort", () => resolve(lock.signal.reason)),
          );
          // What a process that found our lease run out would have done (we stalled past it).
          await testDatabase.db.query("update calsync_run_locks set owner = 'elsewhere' where name = 'sync'");
          expect(await lost).toMatchObject({
            name: "DatabaseError",
            message: expect.stringMatching(/took over the run lock "sync"/),
          });
          await lock.release();
          // Releasing did not delete the new owner's row.
          expect(await testDatabase.db.query("select owner from calsync_run_locks")).toEqual([
            { owner: "elsewhere" },
          ]);
          await testDatabase.db.query("delete from calsync_run_locks");
        },
      );

      it.runIf(engine === "sqlite")(
        "takes over a lock whose lease ran out, or whose process is gone",
        async () => {
          const other = await testDatabase.openAnother();
          const stalled = await acquireRunLock(other, { name: "sync", timeoutMs: 0, leaseMs: 60_000 });
          await expect(
            acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 }),
          ).rejects.toBeInstanceOf(LockedError);
          // The holder stopped renewing (hung): once its lease is over, the lock is free to take.
          await testDatabase.db.query("update calsync_run_locks set expires_at = 0 where name = 'sync'");
          const next = await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 });
          await next.release();
          await stalled.release();

          // A holder on this machine whose process no longer exists: taken over at once, lease or not.
          const gone = await exitedPid();
          await testDatabase.db.query(
            `insert into calsync_run_locks (name, owner, host, pid, acquired_at, expires_at)
       values ('sync', 'crashed', $1, $2, now(), $3)`,
            [hostname(), gone, Date.now() + 3_600_000],
          );
          await (await acquireRunLock(testDatabase.db, { name: "sync", timeoutMs: 0 })).release();
        },
      );
    },
  );
}

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (child.pid === undefined) throw new Error("could not start a process");
  return child.pid;
}
