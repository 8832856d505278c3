/**
 * calsync's database for the bench, in either of the two modes calsync supports:
 *
 * - embedded: a SQLite file on disk as `calsync sync` keeps it (.calsync/calsync.db), so the sync process's
 *   memory includes the database exactly as in production. Each process gets a new, empty directory: the sync
 *   process creates and migrates the file itself (milliseconds), as a first run does.
 * - postgres: a PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL), as DATABASE_URL gives a
 *   server install. Each process gets a fresh, migrated schema of its own, dropped once its runs are done
 *   (and, at the latest, by dispose).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "../src/db/database.ts";
import { migrate } from "../src/db/migrate.ts";

export type DatabaseMode = "embedded" | "postgres";

/** Where a calsync process finds its database. Plain JSON: it crosses to the case's child process. */
export type BenchDatabase =
  | { mode: "embedded"; dir: string }
  | { mode: "postgres"; url: string; schema: string };

export type BenchDatabases = {
  /** embedded always; postgres too when a URL was given. */
  modes: DatabaseMode[];
  /** The PostgreSQL server's version (`server_version`), or null without PostgreSQL. */
  postgresVersion: string | null;
  /** A new, empty directory for an embedded database (its file is created at first open). */
  freshDir(): Promise<string>;
  /** A fresh, migrated, empty database in the mode. */
  fresh(mode: DatabaseMode): Promise<BenchDatabase>;
  /** Removes the database once no process uses it (drops the schema, deletes the directory). */
  release(database: BenchDatabase): Promise<void>;
  /** Removes every database made and not yet released. */
  dispose(): Promise<void>;
};

/**
 * The PostgreSQL URL the bench uses, if any: BENCH_DATABASE_URL, else TEST_DATABASE_URL (CI's), else none.
 */
export function benchPostgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.BENCH_DATABASE_URL?.trim() || env.TEST_DATABASE_URL?.trim() || null;
}

export async function prepareBenchDatabases(options: {
  postgresUrl: string | null;
}): Promise<BenchDatabases> {
  const root = await mkdtemp(join(tmpdir(), "calsync-bench-"));
  const { postgresUrl } = options;
  let admin: Database | undefined;
  try {
    // Connecting now: a wrong URL fails the bench at once rather than after the first case.
    if (postgresUrl) admin = await openDatabase({ url: postgresUrl, embeddedFile: "" });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const postgresVersion = admin
    ? ((await admin.query<{ server_version: string }>("show server_version"))[0]?.server_version ?? null)
    : null;

  let count = 0;
  const schemas = new Set<string>();
  const freshDir = async () => {
    const dir = join(root, `db-${++count}`);
    await mkdir(dir);
    return dir;
  };
  const dropSchema = async (schema: string) => {
    await admin?.exec(`drop schema if exists "${schema}" cascade`);
    schemas.delete(schema);
  };
  return {
    modes: admin ? ["embedded", "postgres"] : ["embedded"],
    postgresVersion,
    freshDir,
    async fresh(mode) {
      if (mode === "embedded") return { mode, dir: await freshDir() };
      if (!postgresUrl || !admin) throw new Error("no PostgreSQL URL was given to the bench");
      // Unique per run, so a bench never meets another's (or the tests') tables.
      const schema = `calsync_bench_${randomBytes(6).toString("hex")}`;
      schemas.add(schema);
      const db = await openDatabase({ url: postgresUrl, embeddedFile: "", schema });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      return { mode, url: postgresUrl, schema };
    },
    async release(database) {
      if (database.mode === "postgres") await dropSchema(database.schema);
      else await rm(database.dir, { recursive: true, force: true });
    },
    async dispose() {
      try {
        for (const schema of [...schemas]) await dropSchema(schema);
      } finally {
        await admin?.close();
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}

/** Opens a prepared database as the runtime would (createRuntime migrates again: a no-op here). */
export function openBenchDatabase(database: BenchDatabase): Promise<Database> {
  return database.mode === "postgres"
    ? openDatabase({ url: database.url, embeddedFile: "", schema: database.schema })
    : openDatabase({ embeddedFile: join(database.dir, "calsync.db"), busyTimeoutMs: 10_000 });
}
