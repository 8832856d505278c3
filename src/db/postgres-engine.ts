import pg from "pg";
import type { Row } from "./database.ts";
import { type DatabaseTarget, postgresTarget, toDatabaseError } from "./database-errors.ts";
import type { DedicatedSession, Engine, EngineSession } from "./engine.ts";
import { pgTypeParsers } from "./type-parsers.ts";

/** A CLI run or a small server needs few connections; the run lock takes one more, outside the pool. */
const POOL_SIZE = 5;

export type PostgresEngineOptions = { url: string; schema?: string | undefined };

/** A pg Pool; with `schema`, every connection starts with that search_path and the schema is created. */
export async function openPostgresEngine(options: PostgresEngineOptions): Promise<Engine> {
  const target = postgresTarget(options.url);
  const clientConfig: pg.ClientConfig = {
    connectionString: options.url,
    types: pgTypeParsers,
    application_name: "calsync",
    keepAlive: true,
    // A startup parameter rather than a SET after connecting: it holds from the first statement on. Only tests
    // pass a schema (connection poolers such as PgBouncer may refuse startup options).
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({
    ...clientConfig,
    max: POOL_SIZE,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  // An idle connection dropped by the server emits "error" on the pool; unhandled, that would kill the
  // process. The pool discards such connections itself and the next query opens a fresh one.
  pool.on("error", () => {});

  try {
    // Connecting now surfaces a wrong URL at start rather than mid-sync.
    if (options.schema) await createSchema(pool, options.schema);
    else await pool.query("select 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw toDatabaseError(error, target);
  }

  return {
    kind: "postgres",
    target,
    session: sessionOf(pool),
    transaction: (fn) => inTransaction(pool, fn),
    close: () => pool.end(),
    exclusion: { kind: "advisory-lock", openSession: () => openDedicatedSession(clientConfig, target) },
  };
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once: one of them loses the race on the catalog.
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

async function inTransaction<T>(pool: pg.Pool, fn: (tx: EngineSession) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query("begin");
    const result = await fn(sessionOf(client));
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off("error", onError);
    // A connection that failed to roll back may still be inside the transaction: destroy it, never reuse it.
    client.release(broken);
  }
}

function sessionOf(client: pg.Pool | pg.PoolClient | pg.Client): EngineSession {
  return {
    async query(sql, params) {
      // Always the extended protocol, even without parameters: one statement per query(), as on SQLite.
      const config: pg.QueryConfig & { queryMode: "extended" } = {
        text: sql,
        values: [...params],
        queryMode: "extended",
      };
      return (await client.query<Row>(config)).rows;
    },
    async exec(sql) {
      // The simple protocol, which allows several statements separated by semicolons.
      await client.query(sql);
    },
  };
}

async function openDedicatedSession(
  clientConfig: pg.ClientConfig,
  target: DatabaseTarget,
): Promise<DedicatedSession> {
  const client = new pg.Client(clientConfig);
  const lost = new AbortController();
  let closing = false;
  const markLost = (error: unknown) => {
    if (!closing) lost.abort(toDatabaseError(error, target));
  };
  client.on("error", markLost);
  client.on("end", () => markLost(new Error("the connection holding the lock closed")));
  try {
    await client.connect();
  } catch (error) {
    throw toDatabaseError(error, target);
  }
  const session = sessionOf(client);
  return {
    lost: lost.signal,
    async query<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        return (await session.query(sql, params)) as T[];
      } catch (error) {
        throw toDatabaseError(error, target);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await session.exec(sql);
      } catch (error) {
        throw toDatabaseError(error, target);
      }
    },
    async close() {
      closing = true;
      await client.end().catch(() => {});
    },
  };
}
