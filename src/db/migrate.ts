import { createHash } from "node:crypto";
import type { Database, DatabaseKind, Queryable } from "./database.ts";
import { DatabaseError } from "./database-errors.ts";
import { MIGRATIONS, type Migration, migrationSql } from "./migrations.ts";
import { SQLITE_NOW } from "./schema.ts";

const CREATE_MIGRATIONS_TABLE: Readonly<Record<DatabaseKind, string>> = {
  postgres: `
    create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`,
  sqlite: `
    create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at text not null default ${SQLITE_NOW}
    )`,
};

/**
 * Brings the schema up to date: applies each migration not yet recorded in schema_migrations, each in its own
 * transaction together with its record, so a failed one leaves nothing half done. Safe to run at every start and
 * from several processes at once: every step holds a lock (PostgreSQL: a transaction-level advisory lock per
 * schema; SQLite: the write lock, which its transactions take at BEGIN), and a migration is re-checked under
 * that lock, so a process that waited finds it applied and moves on.
 * Refuses to run when the database holds a migration this code does not know (the database is newer than this
 * calsync) or one whose SQL has changed since it was applied.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: string[] }> {
  assertInOrder(migrations);
  await db.transaction(async (tx) => {
    // Under the lock: two concurrent `create table if not exists` can both try to create it and one fail.
    await lockMigrations(db, tx);
    await tx.exec(CREATE_MIGRATIONS_TABLE[db.kind]);
  });
  const recorded = await db.query<{ id: string; checksum: string }>(
    "select id, checksum from schema_migrations order by id",
  );
  assertMatchesCode(db.kind, recorded, migrations);

  const recordedIds = new Set(recorded.map((row) => row.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (recordedIds.has(migration.id)) continue;
    const didApply = await db.transaction(async (tx) => {
      await lockMigrations(db, tx);
      const [done] = await tx.query("select 1 from schema_migrations where id = $1", [migration.id]);
      if (done) return false;
      await tx.exec(migrationSql(migration, db.kind));
      await tx.query("insert into schema_migrations (id, checksum) values ($1, $2)", [
        migration.id,
        checksumOf(migration, db.kind),
      ]);
      return true;
    });
    if (didApply) applied.push(migration.id);
  }
  return { applied };
}

/**
 * PostgreSQL: released at commit or rollback; keyed by schema so tests in separate schemas do not wait for each
 * other. SQLite: the transaction already holds the file's write lock (BEGIN IMMEDIATE).
 */
async function lockMigrations(db: Database, tx: Queryable): Promise<void> {
  if (db.kind !== "postgres") return;
  await tx.query("select pg_advisory_xact_lock(hashtextextended('calsync:migrate:' || current_schema(), 0))");
}

function checksumOf(migration: Migration, kind: DatabaseKind): string {
  return createHash("sha256").update(migrationSql(migration, kind)).digest("hex");
}

function assertInOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && previous.id >= migration.id) {
      throw new Error(
        `migration ids must be unique and ascending: "${previous.id}" comes before "${migration.id}"`,
      );
    }
  });
}

function assertMatchesCode(
  kind: DatabaseKind,
  recorded: { id: string; checksum: string }[],
  migrations: readonly Migration[],
): void {
  const known = new Map(migrations.map((migration) => [migration.id, migration]));
  for (const row of recorded) {
    const migration = known.get(row.id);
    if (!migration) {
      throw new DatabaseError(
        `the database has migration ${row.id}, which this version of calsync does not know: it was set up by a ` +
          "newer calsync. Upgrade calsync.",
        undefined,
      );
    }
    if (checksumOf(migration, kind) !== row.checksum) {
      throw new DatabaseError(
        `migration ${row.id} has changed since it was applied to this database. Applied migrations must not ` +
          "change: add a new migration instead (in development, delete the embedded database file).",
        undefined,
      );
    }
  }
}
