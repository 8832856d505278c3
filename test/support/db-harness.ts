import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { openEmbeddedEngine } from "../../src/db/embedded-engine.ts";
import { databaseFromEngine } from "../../src/db/engine.ts";
import { migrate } from "../../src/db/migrate.ts";
import { MIGRATIONS, type Migration } from "../../src/db/migrations.ts";
import { pgliteTemplate } from "./pglite-template.ts";

export type DatabaseEngine = "pglite" | "postgres";

export type DescribeDatabaseOptions = {
  /** Applied after every reset; default: all of calsync's migrations. Pass [] for an empty schema. */
  migrations?: readonly Migration[];
  /** Default both. */
  engines?: readonly DatabaseEngine[];
};

/**
 * Declares the suite once per engine: "<name> [pglite]" and "<name> [postgres]". Each opens one database for
 * the whole suite (an in-memory PGlite; a schema of its own in TEST_DATABASE_URL's database, so test files
 * running in parallel never meet) and gives every test a freshly reset, migrated schema. Without
 * TEST_DATABASE_URL the PostgreSQL suite is skipped, saying so once.
 *
 *   describeEachDatabase("booking ledger", (getDb) => {
 *     it("keeps the furthest-known state", async () => {
 *       await saveBookings(getDb(), [booking]);
 *       expect(await loadBookings(getDb())).toEqual(…);
 *     });
 *   });
 */
export function describeEachDatabase(
  name: string,
  body: (getDb: () => Database, engine: DatabaseEngine) => void,
  options: DescribeDatabaseOptions = {},
): void {
  const migrations = options.migrations ?? MIGRATIONS;
  for (const engine of options.engines ?? (["pglite", "postgres"] as const)) {
    if (engine === "postgres" && !testPostgresUrl()) {
      announcePostgresSkipped();
      describe.skip(`${name} [postgres]`, () => body(notAvailable, engine));
      continue;
    }
    describe(`${name} [${engine}]`, () => {
      let testDatabase: TestDatabase | undefined;
      beforeAll(async () => {
        testDatabase = await openTestDatabase(engine);
      });
      beforeEach(async () => {
        await testDatabase?.reset(migrations);
      });
      afterAll(async () => {
        await testDatabase?.dispose();
      });
      body(() => {
        if (!testDatabase) throw new Error("getDb() works inside tests and hooks, not while declaring them");
        return testDatabase.db;
      }, engine);
    });
  }
}

export type TestDatabase = {
  db: Database;
  engine: DatabaseEngine;
  /** The schema the database works in (search_path). */
  schema: string;
  /** Drops the schema with everything in it, recreates it and runs the migrations: a few milliseconds. */
  reset(migrations?: readonly Migration[]): Promise<void>;
  /** PostgreSQL only: another Database (its own pool) on the same schema, as a second server would have. */
  openAnother(): Promise<Database>;
  /** Drops the schema (PostgreSQL) and closes the database. */
  dispose(): Promise<void>;
};

/** A database for tests that need more control than describeEachDatabase gives. Dispose of it in afterAll. */
export async function openTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  const schema = engine === "pglite" ? "calsync_test" : uniqueSchemaName();
  const url = engine === "postgres" ? requirePostgresUrl() : undefined;
  const open = async (): Promise<Database> =>
    url
      ? openDatabase({ url, embeddedDir: ":memory:", schema })
      : databaseFromEngine(
          await openEmbeddedEngine({
            dataDir: ":memory:",
            schema,
            lockTimeoutMs: 0,
            loadDataDir: await pgliteTemplate(),
          }),
        );
  const db = await open();
  const others: Database[] = [];
  return {
    db,
    engine,
    schema,
    async reset(migrations = MIGRATIONS) {
      await db.exec(`drop schema if exists "${schema}" cascade; create schema "${schema}"`);
      await migrate(db, migrations);
    },
    async openAnother() {
      if (!url) throw new Error("an in-memory PGlite database cannot be opened twice");
      const other = await open();
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      if (url) await db.exec(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}

/**
 * Initialises an embedded database directory for tests that open it by path (other processes, reopening),
 * from the PGlite template rather than initdb, and migrates it.
 */
export async function prepareEmbeddedDir(dataDir: string, migrations = MIGRATIONS): Promise<void> {
  const db = databaseFromEngine(
    await openEmbeddedEngine({ dataDir, lockTimeoutMs: 0, loadDataDir: await pgliteTemplate() }),
  );
  try {
    await migrate(db, migrations);
  } finally {
    await db.close();
  }
}

/** The PostgreSQL that database tests may use (CI: postgres://root@127.0.0.1:5432/test), if any. */
export function testPostgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL?.trim() || undefined;
}

function requirePostgresUrl(): string {
  const url = testPostgresUrl();
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  return url;
}

/** A schema name no other test file will pick. */
export function uniqueSchemaName(): string {
  return `calsync_test_${randomBytes(6).toString("hex")}`;
}

let skipAnnounced = false;

/** Says once per test file why the PostgreSQL runs are missing. */
export function announcePostgresSkipped(): void {
  if (skipAnnounced) return;
  skipAnnounced = true;
  console.info(
    "db-harness: TEST_DATABASE_URL is not set, so the PostgreSQL runs are skipped " +
      "(set it, e.g. TEST_DATABASE_URL=postgres://root@127.0.0.1:5432/test, to run them).",
  );
}

function notAvailable(): never {
  throw new Error("TEST_DATABASE_URL is not set");
}
