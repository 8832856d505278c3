/**
 * Where each measured calsync process keeps its database, in the two modes calsync supports, set up the way
 * a user's would be:
 *
 * - embedded: DATABASE_URL unset, so calsync opens ./.calsync/calsync.db in its working directory. Each case
 *   gets a new, empty working directory: its first process creates and migrates the file, as a first run does.
 * - postgres: DATABASE_URL names a database of its own on the bench's PostgreSQL server (BENCH_DATABASE_URL),
 *   created empty for the case (calsync migrates it on first open) and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type DatabaseMode = "embedded" | "postgres";

/** One case's place: the working directory its processes run in and the environment naming the database. */
export type CaseDatabase = {
  mode: DatabaseMode;
  cwd: string;
  /** `{}` for embedded; `{ DATABASE_URL }` for PostgreSQL. */
  env: Record<string, string>;
};

export type BenchDatabases = {
  /** embedded always; postgres too when a URL was given. */
  modes: DatabaseMode[];
  /** The PostgreSQL server's version, or null without PostgreSQL. */
  postgresVersion: string | null;
  /** A new working directory and, for postgres, a new empty database. */
  fresh(mode: DatabaseMode): Promise<CaseDatabase>;
  /** Removes the case's directory and database once its processes have exited. */
  release(database: CaseDatabase): Promise<void>;
  /** Removes whatever was made and not yet released. */
  dispose(): Promise<void>;
};

/** `npm run bench` measures PostgreSQL only when BENCH_DATABASE_URL names a server. */
export function benchPostgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.BENCH_DATABASE_URL?.trim() || null;
}

export async function prepareBenchDatabases(options: {
  postgresUrl: string | null;
}): Promise<BenchDatabases> {
  const { postgresUrl } = options;
  const root = await mkdtemp(join(tmpdir(), "calsync-bench-"));
  let admin: pg.Client | undefined;
  try {
    // Connecting now: a wrong URL fails the bench at once rather than after the first case.
    if (postgresUrl) {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const postgresVersion = admin
    ? (((await admin.query("show server_version")).rows[0] as { server_version?: string } | undefined)
        ?.server_version ?? null)
    : null;

  const made = new Set<CaseDatabase>();
  const databaseName = (database: CaseDatabase) =>
    database.env.DATABASE_URL ? new URL(database.env.DATABASE_URL).pathname.slice(1) : null;
  const release = async (database: CaseDatabase) => {
    made.delete(database);
    const name = databaseName(database);
    // WITH (FORCE): a process killed mid-run may leave a connection the server has not noticed yet.
    if (name && admin) await admin.query(`drop database if exists "${name}" with (force)`);
    await rm(database.cwd, { recursive: true, force: true });
  };
  return {
    modes: admin ? ["embedded", "postgres"] : ["embedded"],
    postgresVersion,
    async fresh(mode) {
      const cwd = await mkdtemp(join(root, `${mode}-`));
      const database: CaseDatabase = { mode, cwd, env: {} };
      if (mode === "postgres") {
        if (!postgresUrl || !admin) throw new Error("no PostgreSQL URL was given to the bench");
        // Unique per case, so a bench never meets another's (or the tests') tables.
        const name = `calsync_bench_${randomBytes(6).toString("hex")}`;
        await admin.query(`create database "${name}"`);
        const url = new URL(postgresUrl);
        url.pathname = `/${name}`;
        database.env = { DATABASE_URL: url.href };
      }
      made.add(database);
      return database;
    },
    release,
    async dispose() {
      try {
        for (const database of [...made]) await release(database);
      } finally {
        await admin?.end();
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
