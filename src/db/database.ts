import { DEFAULTS } from "../config/config.ts";
import { databaseFromEngine } from "./engine.ts";

export type Row = Record<string, unknown>;

/**
 * What both a database and an open transaction offer. Write SQL that both engines accept (see sql-batch.ts for
 * lists and multi-row statements), with $1, $2… parameters. Values come back the same from both engines (see
 * type-parsers.ts): integers (int8 included) as number, instants as ISO strings, json parsed, booleans as
 * booleans. Pass json parameters through `jsonParam`.
 */
export type Queryable = {
  /** One statement with $1, $2… parameters; the rows it returns. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Any number of statements separated by semicolons, without parameters (migrations, schema resets). */
  exec(sql: string): Promise<void>;
};

/** sqlite: the embedded database, one file (better-sqlite3); postgres: DATABASE_URL (pg). */
export type DatabaseKind = "sqlite" | "postgres";

export type Database = Queryable & {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws (its error is rethrown
   * unchanged). Inside, use only `tx`: calling this database's own query/exec/transaction there throws, since on
   * the embedded database it would wait forever for the transaction to end (its one connection runs one
   * transaction at a time; other work of this process waits for it).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** A postgres:// URL (DATABASE_URL). Without it, the embedded SQLite database in `embeddedFile` is used. */
  url?: string | undefined;
  /** The embedded database's file, created with its parent directories; ":memory:" for a throwaway one. */
  embeddedFile: string;
  /** PostgreSQL only: use this schema (created if missing) instead of `public`; tests use it to keep apart. */
  schema?: string | undefined;
  /**
   * Embedded database only: how long a write waits for another process's write to finish (SQLITE_BUSY) before
   * failing with a DatabaseError. Several processes share the file; each write holds it for milliseconds.
   * Default SYNC_LOCK_TIMEOUT_MS's default.
   */
  busyTimeoutMs?: number | undefined;
  /** Called once if a write has to wait for another process, e.g. to tell the person why nothing happens. */
  onWait?: ((message: string) => void) | undefined;
  /** Called with one-line notices worth showing, e.g. an old PGlite data directory found beside the file. */
  onNotice?: ((message: string) => void) | undefined;
};

/**
 * Opens PostgreSQL when `url` is set, otherwise the embedded SQLite database (WAL mode: any number of calsync
 * processes may have it open at once; acquireRunLock serializes their runs). Errors surface as DatabaseError
 * (an UpstreamError("database")) with any password redacted. The caller must close() it.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.schema !== undefined) assertSchemaName(options.schema);
  // Each engine's module is loaded only when it is used: PostgreSQL never loads better-sqlite3, SQLite never pg.
  const engine = options.url
    ? await (await import("./postgres-engine.ts")).openPostgresEngine({
        url: options.url,
        schema: options.schema,
      })
    : await (await import("./sqlite-engine.ts")).openSqliteEngine({
        file: options.embeddedFile,
        schema: options.schema,
        busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.SYNC_LOCK_TIMEOUT_MS,
        onWait: options.onWait,
        onNotice: options.onNotice,
      });
  return databaseFromEngine(engine);
}

/**
 * A json parameter. pg sends a JavaScript array as a Postgres array literal ('{1,2}'), which jsonb rejects, and
 * SQLite cannot bind objects at all; JSON text is read the same way by both.
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value);
}

/** Schema names are spliced into SQL and connection options, so only plain lowercase identifiers pass. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema must be a lowercase identifier (letters, digits, _), got "${schema}"`);
  }
}
