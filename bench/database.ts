/**
 * calsync's embedded database for the bench, on disk as `calsync sync` keeps it (.calsync/db), so the sync
 * process's memory includes the database exactly as in production. Initialising PGlite takes ~6 s, so one
 * directory is prepared (from the tests' PGlite template, then migrated) and copied for each process.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "../src/db/database.ts";
import { openEmbeddedEngine } from "../src/db/embedded-engine.ts";
import { databaseFromEngine } from "../src/db/engine.ts";
import { migrate } from "../src/db/migrate.ts";
import { pgliteTemplate } from "../test/pglite-template.ts";

export type DatabaseDirs = {
  /** A fresh, migrated, empty database directory (a copy of the prepared one). */
  fresh(): Promise<string>;
  /** Removes every directory made. */
  dispose(): Promise<void>;
};

export async function prepareDatabaseDirs(): Promise<DatabaseDirs> {
  const root = await mkdtemp(join(tmpdir(), "calsync-bench-"));
  const prepared = join(root, "prepared");
  const db = databaseFromEngine(
    await openEmbeddedEngine({ dataDir: prepared, lockTimeoutMs: 0, loadDataDir: await pgliteTemplate() }),
  );
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  let count = 0;
  return {
    async fresh() {
      const dir = join(root, `db-${++count}`);
      await cp(prepared, dir, { recursive: true });
      return dir;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** Opens a prepared directory as the runtime would (createRuntime migrates again: a no-op here). */
export function openBenchDatabase(dir: string): Promise<Database> {
  return openDatabase({ embeddedDir: dir, lockTimeoutMs: 10_000 });
}
