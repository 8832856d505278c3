import { DEFAULTS } from "../config/config.ts";
import { openEmbeddedEngine } from "./embedded-engine.ts";
import { databaseFromEngine } from "./engine.ts";
import { openPostgresEngine } from "./postgres-engine.ts";

export type Row = Record<string, unknown>;

/**
 * What both a database and an open transaction offer. Values come back the same from both engines (see
 * type-parsers.ts): int8 as number, timestamptz as an ISO string, jsonb parsed. Pass jsonb parameters through
 * `jsonParam`.
 */
export type Queryable = {
  /** One statement with $1, $2… parameters; the rows it returns. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Any number of statements separated by semicolons, without parameters (migrations, schema resets). */
  exec(sql: string): Promise<void>;
};

export type DatabaseKind = "pglite" | "postgres";

export type Database = Queryable & {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws (its error is rethrown
   * unchanged). Inside, use only `tx`: calling this database's own query/exec/transaction there throws, since on
   * the embedded database it would wait forever for the transaction to end.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** A postgres:// URL (DATABASE_URL). Without it, the embedded database in `embeddedDir` is used. */
  url?: string | undefined;
  /** The embedded database's directory, created with its parents; ":memory:" for a throwaway one. */
  embeddedDir: string;
  /** Use this schema (created if missing) instead of `public`; tests use it to keep to themselves. */
  schema?: string | undefined;
  /**
   * Embedded database only: how long to wait for another process that has it open (it serves one process at
   * a time) before giving up with EmbeddedDatabaseBusyError. Default SYNC_LOCK_TIMEOUT_MS's default.
   */
  lockTimeoutMs?: number | undefined;
  /** Called once if opening has to wait for another process, e.g. to tell the person why nothing happens. */
  onWait?: ((message: string) => void) | undefined;
};

/**
 * Opens PostgreSQL when `url` is set, otherwise the embedded PGlite database. Errors surface as DatabaseError
 * (an UpstreamError("database")) with any password redacted. The caller must close() it: for the embedded
 * database, closing is what lets the next process in.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.schema !== undefined) assertSchemaName(options.schema);
  const engine = options.url
    ? await openPostgresEngine({ url: options.url, schema: options.schema })
    : await openEmbeddedEngine({
        dataDir: options.embeddedDir,
        schema: options.schema,
        lockTimeoutMs: options.lockTimeoutMs ?? DEFAULTS.SYNC_LOCK_TIMEOUT_MS,
        onWait: options.onWait,
      });
  return databaseFromEngine(engine);
}

/**
 * A jsonb parameter. pg sends a JavaScript array as a Postgres array literal ('{1,2}'), which jsonb rejects,
 * while PGlite sends it as JSON; JSON text is read the same way by both.
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
