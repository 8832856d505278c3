import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { MIGRATIONS, type Migration } from "../../src/db/migrations.ts";

export type DatabaseEngine = "sqlite" | "postgres";

export type DescribeDatabaseOptions = {
  /** Applied after every reset; default: all of calsync's migrations. Pass [] for an empty schema. */
  migrations?: readonly Migration[];
  /** Default both. */
  engines?: readonly DatabaseEngine[];
};

/**
 * Declares the suite once per engine: "<name> [sqlite]" and "<name> [postgres]". Each opens one database for
 * the whole suite (a SQLite file of its own in a temporary directory; a schema of its own in
 * TEST_DATABASE_URL's database, so test files running in parallel never meet) and gives every test a freshly
 * reset, migrated database. Without
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
  for (const engine of options.engines ?? (["sqlite", "postgres"] as const)) {
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
  /** PostgreSQL: the schema the database works in (search_path). SQLite: "main". */
  schema: string;
  /** SQLite: the database file. */
  file: string | undefined;
  /** Drops every table with everything in it and runs the migrations: a few milliseconds. */
  reset(migrations?: readonly Migration[]): Promise<void>;
  /** Another Database on the same data (its own pool, or its own SQLite connection), as a second process has. */
  openAnother(): Promise<Database>;
  /** Drops the schema (PostgreSQL) or deletes the file (SQLite) and closes the database. */
  dispose(): Promise<void>;
};

/** A database for tests that need more control than describeEachDatabase gives. Dispose of it in afterAll. */
export async function openTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  if (engine === "sqlite") return openTestSqlite();
  const schema = uniqueSchemaName();
  const url = requirePostgresUrl();
  const open = () => openDatabase({ url, embeddedFile: ":memory:", schema });
  const db = await open();
  const others: Database[] = [];
  return {
    db,
    engine,
    schema,
    file: undefined,
    async reset(migrations = MIGRATIONS) {
      await db.exec(`drop schema if exists "${schema}" cascade; create schema "${schema}"`);
      await migrate(db, migrations);
    },
    async openAnother() {
      const other = await open();
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await db.exec(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}

async function openTestSqlite(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), "calsync-test-db-"));
  const file = join(dir, "calsync.db");
  const open = () => openDatabase({ embeddedFile: file, busyTimeoutMs: 30_000 });
  const db = await open();
  const others: Database[] = [];
  return {
    db,
    engine: "sqlite",
    schema: "main",
    file,
    async reset(migrations = MIGRATIONS) {
      await dropEverything(db);
      await migrate(db, migrations);
    },
    async openAnother() {
      const other = await open();
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite's `drop schema … cascade`: every table and view, their indexes and triggers with them. */
async function dropEverything(db: Database): Promise<void> {
  const objects = await db.query<{ type: string; name: string }>(
    "select type, name from sqlite_schema where type in ('table', 'view') and name not like 'sqlite_%'",
  );
  if (objects.length === 0) return;
  await db.exec(objects.map((object) => `drop ${object.type} if exists "${object.name}"`).join(";\n"));
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
