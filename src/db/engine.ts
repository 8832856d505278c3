import type { Database, DatabaseKind, Queryable, Row } from "./database.ts";
import { type DatabaseTarget, toDatabaseError } from "./database-errors.ts";
import { assertNotInTransactionOf, runInTransactionOf } from "./transaction-scope.ts";

/** A driver's bare statements, before errors are translated. */
export type EngineSession = {
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
  exec(sql: string): Promise<void>;
};

/** A connection of its own, outside the pool, for holding a session-level lock. */
export type DedicatedSession = Queryable & {
  /** Aborted when the connection breaks, and with it anything it held. */
  readonly lost: AbortSignal;
  close(): Promise<void>;
};

/**
 * How runs are kept apart across processes (see run-lock.ts).
 * - lease-table (SQLite): a row per run lock in calsync_run_locks, with its owner and a lease the owner keeps
 *   renewing; written through the database itself, whose writes SQLite serializes across processes.
 * - advisory-lock (PostgreSQL): advisory locks, each on a dedicated connection that lives as long as the lock.
 */
export type ProcessExclusion =
  | { kind: "lease-table" }
  | { kind: "advisory-lock"; openSession(): Promise<DedicatedSession> };

/** What an engine module provides; databaseFromEngine adds what both engines share. */
export type Engine = {
  kind: DatabaseKind;
  target: DatabaseTarget;
  session: EngineSession;
  transaction<T>(fn: (tx: EngineSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  exclusion: ProcessExclusion;
};

const exclusions = new WeakMap<Database, ProcessExclusion>();

/** The locking capability of a database from openDatabase (run-lock.ts needs it; it is not public API). */
export function processExclusionOf(db: Database): ProcessExclusion {
  const exclusion = exclusions.get(db);
  if (!exclusion) throw new Error("expected a Database from openDatabase()");
  return exclusion;
}

/**
 * Wraps an engine into a Database: driver errors become DatabaseError, the database refuses use after close()
 * and from inside its own transactions, and a transaction's `tx` refuses use after the transaction ended (on
 * PostgreSQL its connection would already belong to someone else).
 */
export function databaseFromEngine(engine: Engine): Database {
  let closed = false;
  const translate = (error: unknown) => toDatabaseError(error, engine.target);

  const guard = (operation: string) => {
    if (closed) throw new Error(`db.${operation}() was called after db.close()`);
    assertNotInTransactionOf(db, operation);
  };

  const db: Database = {
    kind: engine.kind,

    async query<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      guard("query");
      try {
        return (await engine.session.query(sql, params)) as T[];
      } catch (error) {
        throw translate(error);
      }
    },

    async exec(sql: string): Promise<void> {
      guard("exec");
      try {
        await engine.session.exec(sql);
      } catch (error) {
        throw translate(error);
      }
    },

    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      guard("transaction");
      // Errors from `fn` pass through untouched; only BEGIN/COMMIT failures are the driver's to translate.
      let callbackFailed = false;
      try {
        return await engine.transaction(async (session) => {
          const tx = transactionHandle(session, translate);
          try {
            return await runInTransactionOf(db, () => fn(tx.queryable));
          } catch (error) {
            callbackFailed = true;
            throw error;
          } finally {
            tx.end();
          }
        });
      } catch (error) {
        throw callbackFailed ? error : translate(error);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await engine.close();
      } catch (error) {
        throw translate(error);
      }
    },
  };

  exclusions.set(db, engine.exclusion);
  return db;
}

function transactionHandle(session: EngineSession, translate: (error: unknown) => Error) {
  let ended = false;
  const guard = () => {
    if (ended) throw new Error("tx was used after its transaction ended (a query escaped the callback?)");
  };
  const queryable: Queryable = {
    async query<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      guard();
      try {
        return (await session.query(sql, params)) as T[];
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(sql: string): Promise<void> {
      guard();
      try {
        await session.exec(sql);
      } catch (error) {
        throw translate(error);
      }
    },
  };
  return {
    queryable,
    end: () => {
      ended = true;
    },
  };
}
