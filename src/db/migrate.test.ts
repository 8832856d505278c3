import { describe, expect, it } from "vitest";
import { describeEachDatabase, openTestDatabase, testPostgresUrl } from "../../test/support/db-harness.ts";
import { DatabaseError } from "./database-errors.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";

const FIRST: Migration = { id: "0001_widgets", sql: "create table widgets (id int primary key)" };
const SECOND: Migration = {
  id: "0002_widget_names",
  sql: "alter table widgets add column name text; create index widgets_name on widgets (name)",
};

describeEachDatabase(
  "migrate",
  (getDb, engine) => {
    it("applies every migration in order and records it", async () => {
      const db = getDb();
      expect(await migrate(db, [FIRST, SECOND])).toEqual({ applied: [FIRST.id, SECOND.id] });
      await db.query("insert into widgets (id, name) values (1, 'sprocket')");
      const recorded = await db.query<{ id: string; applied_at: string }>(
        "select id, applied_at from schema_migrations order by id",
      );
      expect(recorded.map((row) => row.id)).toEqual([FIRST.id, SECOND.id]);
      expect(recorded[0]?.applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it("is idempotent: a second run applies nothing", async () => {
      const db = getDb();
      await migrate(db, [FIRST, SECOND]);
      expect(await migrate(db, [FIRST, SECOND])).toEqual({ applied: [] });
    });

    it("applies only the migrations added since the last run", async () => {
      const db = getDb();
      await migrate(db, [FIRST]);
      expect(await migrate(db, [FIRST, SECOND])).toEqual({ applied: [SECOND.id] });
    });

    it("applies calsync's own migrations", async () => {
      const db = getDb();
      expect(await migrate(db)).toEqual({ applied: MIGRATIONS.map((migration) => migration.id) });
      expect(await migrate(db)).toEqual({ applied: [] });
    });

    it("leaves nothing of a migration that fails part-way, and can apply it once fixed", async () => {
      const db = getDb();
      const broken: Migration = {
        id: SECOND.id,
        sql: "alter table widgets add column name text; select nonsense",
      };
      await migrate(db, [FIRST]);
      await expect(migrate(db, [FIRST, broken])).rejects.toBeInstanceOf(DatabaseError);
      const columns = await db.query(
        engine === "postgres"
          ? "select column_name from information_schema.columns where table_name = 'widgets'"
          : "select name as column_name from pragma_table_info('widgets')",
      );
      expect(columns).toEqual([{ column_name: "id" }]);
      expect(await migrate(db, [FIRST, SECOND])).toEqual({ applied: [SECOND.id] });
    });

    it("refuses to run when an applied migration has changed", async () => {
      const db = getDb();
      await migrate(db, [FIRST]);
      const edited = { ...FIRST, sql: `${FIRST.sql}; create table extra (id int)` };
      await expect(migrate(db, [edited])).rejects.toThrow(/0001_widgets has changed since it was applied/);
    });

    it("refuses to run when the database is newer than the code", async () => {
      const db = getDb();
      await migrate(db, [FIRST, SECOND]);
      await expect(migrate(db, [FIRST])).rejects.toThrow(
        /has migration 0002_widget_names, which .* does not know/,
      );
    });

    it("refuses a list whose ids are not unique and ascending", async () => {
      await expect(migrate(getDb(), [SECOND, FIRST])).rejects.toThrow(/unique and ascending/);
      await expect(migrate(getDb(), [FIRST, FIRST])).rejects.toThrow(/unique and ascending/);
    });

    it("copes with being started twice at once", async () => {
      const db = getDb();
      const results = await Promise.all([migrate(db, [FIRST, SECOND]), migrate(db, [FIRST, SECOND])]);
      expect(results.flatMap((result) => result.applied).sort()).toEqual([FIRST.id, SECOND.id]);
    });
  },
  { migrations: [] },
);

describe.runIf(testPostgresUrl())("migrate from two servers at once [postgres]", () => {
  it("applies each migration exactly once when two pools race", async () => {
    const testDatabase = await openTestDatabase("postgres");
    try {
      await testDatabase.reset([]);
      const other = await testDatabase.openAnother();
      const many = Array.from({ length: 6 }, (_, index) => ({
        id: `000${index}_table`,
        sql: `create table t${index} (id int)`,
      }));
      const results = await Promise.all([migrate(testDatabase.db, many), migrate(other, many)]);
      expect(results.flatMap((result) => result.applied).sort()).toEqual(
        many.map((migration) => migration.id),
      );
      const [count] = await testDatabase.db.query("select count(*) as n from schema_migrations");
      expect(count).toEqual({ n: many.length });
    } finally {
      await testDatabase.dispose();
    }
  });
});
