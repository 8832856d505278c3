import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import type { Row } from "./database.ts";
import {
  embeddedDatabaseBusyError,
  embeddedTarget,
  sqliteCodeOf,
  toDatabaseError,
} from "./database-errors.ts";
import type { Engine, EngineSession } from "./engine.ts";
import { SQLITE_COLUMN_PARSERS, sqliteInteger, sqliteParam } from "./sqlite-type-parsers.ts";

export type SqliteEngineOptions = {
  /** The database file, or ":memory:". */
  file: string;
  /** PostgreSQL's option; refused here. */
  schema?: string | undefined;
  /** How long a write waits in all for other processes' writes (SQLITE_BUSY) before failing. */
  busyTimeoutMs: number;
  onWait?: ((message: string) => void) | undefined;
  onNotice?: ((message: string) => void) | undefined;
};

/**
 * How long SQLite itself waits for a lock, blocking this thread, before the statement fails with SQLITE_BUSY
 * and is retried after an asynchronous sleep (so a server's event loop keeps serving meanwhile).
 */
const BLOCKING_BUSY_WAIT_MS = 10;
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 100;
/**
 * Prepared statements kept per connection, by SQL text, up to a count and a total length of SQL: full batches
 * of a multi-row statement (sql-batch.ts) repeat the same long text, and preparing it each time would cost.
 */
const STATEMENT_CACHE_SIZE = 256;
const STATEMENT_CACHE_SQL_LENGTH = 2_000_000;

/**
 * The embedded database: one SQLite file through better-sqlite3, in WAL mode, so any number of processes can
 * have it open at once: readers never wait, and writers take turns (SQLite's write lock, waited for up to
 * busyTimeoutMs). calsync's runs are serialized on top of that by run-lock.ts, not by keeping processes out.
 *
 * better-sqlite3 is synchronous and this process has one connection, so a transaction, which spans awaits,
 * would see other async tasks' statements slip into it. A gate prevents that: a transaction holds it from
 * BEGIN to COMMIT, and statements from elsewhere in the process wait for it. Every transaction begins with
 * BEGIN IMMEDIATE, taking the write lock at once: a transaction that read first and wrote later could fail with
 * SQLITE_BUSY mid-way (another process wrote meanwhile), which no waiting can fix.
 */
export async function openSqliteEngine(options: SqliteEngineOptions): Promise<Engine> {
  const inMemory = options.file === ":memory:";
  const file = inMemory ? options.file : resolve(options.file);
  const target = embeddedTarget(file);
  if (options.schema !== undefined) {
    throw new Error("the schema option is PostgreSQL's: the embedded database has one schema per file");
  }
  if (!inMemory) announceLeftoverPglite(file, options.onNotice);

  let waitAnnounced = false;
  const busy: BusyPolicy = {
    timeoutMs: options.busyTimeoutMs,
    onWait: () => {
      if (waitAnnounced) return;
      waitAnnounced = true;
      options.onWait?.(`Waiting for another calsync process to finish writing ${target.description}…`);
    },
    file,
  };

  let connection: BetterSqlite3.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    connection = new BetterSqlite3(file, { timeout: BLOCKING_BUSY_WAIT_MS });
    const db = connection;
    // Switching to WAL writes the file header: another process doing the same at the same moment is busy.
    await retryWhileBusy(busy, () => {
      if (!inMemory) db.pragma("journal_mode = WAL");
      // In WAL mode, NORMAL loses no integrity on power loss, only the last commits; it saves an fsync each.
      db.pragma("synchronous = NORMAL");
      // A large save grows the write-ahead log; once checkpointed, it is cut back to this size.
      db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
    });
    // The same instant text as PostgreSQL's timestamptz comes back as (see type-parsers.ts).
    db.function("now", { deterministic: false }, () => new Date().toISOString());
  } catch (error) {
    connection?.close();
    throw toDatabaseError(error, target);
  }
  const db = connection;
  const statements = new StatementCache(db);
  const gate = new Gate();

  const inTransaction = (): EngineSession => ({
    async query(sql, params) {
      return statements.run(sql, params);
    },
    async exec(sql) {
      db.exec(sql);
    },
  });

  const transaction = async <T>(fn: (tx: EngineSession) => Promise<T>): Promise<T> => {
    await gate.enter();
    try {
      await retryWhileBusy(busy, () => db.exec("begin immediate"));
      try {
        const result = await fn(inTransaction());
        db.exec("commit");
        return result;
      } catch (error) {
        // SQLite itself rolls back on some failures (disk full, I/O error); a failed rollback must not hide why.
        if (db.inTransaction) {
          try {
            db.exec("rollback");
          } catch {}
        }
        throw error;
      }
    } finally {
      gate.leave();
    }
  };

  /** A statement outside any transaction: at once if the gate is free, else after the transaction ends. */
  const outside = async <T>(run: () => T): Promise<T> => {
    if (!gate.held) {
      try {
        return run();
      } catch (error) {
        if (!isBusy(error)) throw error;
      }
    }
    await gate.enter();
    try {
      return await retryWhileBusy(busy, run);
    } finally {
      gate.leave();
    }
  };

  return {
    kind: "sqlite",
    target,
    session: {
      query: (sql, params) => outside(() => statements.run(sql, params)),
      // Several statements at once run all or nothing, as they do in one PostgreSQL simple query.
      exec: (sql) => transaction(async (tx) => tx.exec(sql)),
    },
    transaction,
    async close() {
      await gate.enter();
      try {
        db.close();
      } finally {
        gate.leave();
      }
    },
    exclusion: { kind: "lease-table" },
  };
}

type BusyPolicy = { timeoutMs: number; onWait: () => void; file: string };

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, sleeping (asynchronously) between tries, up to the
 * busy timeout. A statement that failed with SQLITE_BUSY changed nothing, so trying it again is safe.
 */
async function retryWhileBusy<T>(policy: BusyPolicy, attempt: () => T): Promise<T> {
  const started = Date.now();
  let delayMs = FIRST_RETRY_MS;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= policy.timeoutMs) throw embeddedDatabaseBusyError(policy.file, waited, error);
      policy.onWait();
      await sleep(Math.min(delayMs * (0.5 + Math.random() / 2), policy.timeoutMs - waited));
      delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
    }
  }
}

function isBusy(error: unknown): boolean {
  return sqliteCodeOf(error)?.startsWith("SQLITE_BUSY") ?? false;
}

type Prepared = {
  statement: BetterSqlite3.Statement<unknown[], Row>;
  /** For each `?` of the statement, in order, the number n of the $n it replaced. */
  order: readonly number[];
  /** Columns whose declared type needs a conversion (SQLITE_COLUMN_PARSERS), by result name. */
  parsed: readonly (readonly [string, (value: unknown) => unknown])[];
};

class StatementCache {
  readonly #db: BetterSqlite3.Database;
  readonly #cache = new Map<string, Prepared>();
  #sqlLength = 0;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  run(sql: string, params: readonly unknown[]): Row[] {
    const { statement, order, parsed } = this.#prepare(sql);
    const args: unknown[] = new Array(order.length);
    for (let i = 0; i < order.length; i++) {
      const n = order[i] as number;
      if (n > params.length) {
        throw new RangeError(`the statement uses $${n}, but ${params.length} parameter(s) were given`);
      }
      args[i] = sqliteParam(params[n - 1]);
    }
    if (!statement.reader) {
      statement.run(args);
      return [];
    }
    const rows = statement.all(args);
    for (const row of rows) {
      for (const key in row) {
        const value = row[key];
        if (typeof value === "bigint") row[key] = sqliteInteger(value);
      }
      for (const [name, parse] of parsed) {
        const value = row[name];
        if (value !== null && value !== undefined) row[name] = parse(value);
      }
    }
    return rows;
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached) {
      // Most recently used last, so the oldest is the first key.
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const positional = toPositional(sql);
    const statement = this.#db.prepare<unknown[], Row>(positional.text);
    let parsed: Prepared["parsed"] = [];
    if (statement.reader) {
      statement.safeIntegers(true);
      parsed = statement.columns().flatMap((column) => {
        const parse = column.type ? SQLITE_COLUMN_PARSERS[column.type.toLowerCase()] : undefined;
        return parse ? [[column.name, parse] as const] : [];
      });
    }
    const prepared = { statement, order: positional.order, parsed };
    if (sql.length <= STATEMENT_CACHE_SQL_LENGTH / 4) {
      this.#cache.set(sql, prepared);
      this.#sqlLength += sql.length;
      for (const oldest of this.#cache.keys()) {
        if (this.#cache.size <= STATEMENT_CACHE_SIZE && this.#sqlLength <= STATEMENT_CACHE_SQL_LENGTH) break;
        this.#cache.delete(oldest);
        this.#sqlLength -= oldest.length;
      }
    }
    return prepared;
  }
}

/**
 * `$1`, `$2`… as SQLite's anonymous `?`, in order, with the parameter number each stands for. SQLite takes `$1`
 * as a named parameter too, but it looks each name up among those seen so far: a statement with thousands of
 * them (a multi-row insert, a long IN list) takes seconds to prepare, where `?` takes microseconds. Quoted
 * strings, quoted identifiers and comments are left alone.
 */
export function toPositional(sql: string): { text: string; order: number[] } {
  const order: number[] = [];
  let text = "";
  let copied = 0;
  let i = 0;
  while (i < sql.length) {
    const char = sql[i];
    if (char === "'" || char === '"' || char === "`") {
      const end = sql.indexOf(char, i + 1);
      // A doubled quote inside ('it''s') is two adjacent quoted runs: the next loop turn skips the second.
      i = end === -1 ? sql.length : end + 1;
    } else if (char === "[") {
      const end = sql.indexOf("]", i + 1);
      i = end === -1 ? sql.length : end + 1;
    } else if (char === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (char === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (char === "$" && isDigit(sql.charCodeAt(i + 1))) {
      let end = i + 1;
      while (end < sql.length && isDigit(sql.charCodeAt(end))) end++;
      order.push(Number(sql.slice(i + 1, end)));
      text += `${sql.slice(copied, i)}?`;
      copied = end;
      i = end;
    } else {
      i++;
    }
  }
  return { text: text + sql.slice(copied), order };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** First come, first served; `held` from enter() until leave(), handed straight to the next waiter. */
class Gate {
  held = false;
  readonly #waiters: (() => void)[] = [];

  enter(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  leave(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * calsync kept its embedded database in a PGlite data directory (.calsync/db) before it used SQLite. Nothing is
 * migrated from it (calsync was unreleased); saying it is there tells the person why their data "vanished"
 * and what they may delete.
 */
function announceLeftoverPglite(file: string, onNotice: ((message: string) => void) | undefined): void {
  if (!onNotice) return;
  const beside = dirname(file);
  for (const dir of [join(beside, "db"), beside]) {
    if (existsSync(join(dir, "PG_VERSION"))) {
      onNotice(
        `Found an old embedded database (PGlite) at ${dir}: calsync no longer reads it and keeps its data in ` +
          `${file} now. Delete ${dir} once you no longer need it.`,
      );
      return;
    }
  }
}
