import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { UpstreamError } from "../errors.ts";
import { jsonParam } from "./database.ts";
import { DatabaseError } from "./database-errors.ts";

const ITEMS = "create table items (id int primary key, label text not null)";

describeEachDatabase("database", (getDb, engine) => {
  it("is the engine it says", () => {
    expect(getDb().kind).toBe(engine);
  });

  it("runs one statement with parameters and returns its rows", async () => {
    const db = getDb();
    await db.exec(ITEMS);
    await db.query("insert into items (id, label) values ($1, $2), ($3, $4)", [1, "one", 2, "two"]);
    const rows = await db.query<{ id: number; label: string }>(
      "select id, label from items where id >= $1",
      [1],
    );
    expect(rows).toEqual([
      { id: 1, label: "one" },
      { id: 2, label: "two" },
    ]);
  });

  it("runs several statements in exec, and refuses them in query on both engines", async () => {
    const db = getDb();
    await db.exec(`${ITEMS}; insert into items values (1, 'one'); insert into items values (2, 'two')`);
    expect(await db.query("select count(*) as n from items")).toEqual([{ n: 2 }]);
    await expect(db.query("select 1; select 2")).rejects.toBeInstanceOf(DatabaseError);
  });

  it("returns calsync's columns the same on both engines: ids as numbers, instants as ISO text, json parsed", async () => {
    const db = getDb();
    const startedAt = "2025-03-01T09:30:00.123Z";
    await db.query(
      "insert into sync_runs (kind, trigger, started_at, finished_at, success, result) values ($1, $2, $3, now(), $4, $5)",
      ["booking-sync", "cli", startedAt, true, jsonParam({ a: [1, { b: null }], ok: false })],
    );
    const [row] = await db.query<Record<string, unknown>>(
      "select id, started_at, finished_at, success, result, (select count(*) from sync_runs) as n from sync_runs",
    );
    expect(row).toEqual({
      id: 1,
      started_at: startedAt,
      finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      success: true,
      result: { a: [1, { b: null }], ok: false },
      n: 1,
    });
  });

  it.runIf(engine === "postgres")(
    "returns int8 as number, timestamptz as ISO text and jsonb parsed",
    async () => {
      const db = getDb();
      const instant = "2025-03-01T09:30:00.123Z";
      const [row] = await db.query(
        `select 9007199254740991::int8 as big, count(*) as n, $1::timestamptz as at,
              array[1, 2]::int8[] as bigs, array[$1::timestamptz] as ats,
              'infinity'::timestamptz as forever, '2025-03-01'::date as day,
              '2025-03-01 09:30:00'::timestamp as local_time, 1.50::numeric as amount,
              '{"a": [1, {"b": null}]}'::jsonb as doc`,
        [instant],
      );
      expect(row).toEqual({
        big: Number.MAX_SAFE_INTEGER,
        n: 1,
        at: instant,
        bigs: [1, 2],
        ats: [instant],
        forever: "infinity",
        day: "2025-03-01",
        local_time: "2025-03-01 09:30:00",
        amount: "1.50",
        doc: { a: [1, { b: null }] },
      });
    },
  );

  it.runIf(engine === "postgres")("normalises timestamptz from any offset to UTC", async () => {
    const [row] = await getDb().query("select '2025-03-01 10:30:00+01'::timestamptz as at");
    expect(row).toEqual({ at: "2025-03-01T09:30:00.000Z" });
  });

  it("refuses an int8 that a JavaScript number cannot hold", async () => {
    const big = engine === "postgres" ? "9007199254740993::int8" : "9007199254740993";
    await expect(getDb().query(`select ${big} as big`)).rejects.toThrow(/does not fit/);
  });

  it("round-trips jsonb objects and arrays passed through jsonParam", async () => {
    const db = getDb();
    await db.exec(
      `create table docs (id int primary key, body ${engine === "postgres" ? "jsonb" : "json_text"} not null)`,
    );
    const values = [{ name: "Ada", tags: ["a", "b"] }, [1, "two", { three: 3 }], "text", 42, null];
    for (const [id, value] of values.entries()) {
      await db.query("insert into docs (id, body) values ($1, $2)", [id, jsonParam(value)]);
    }
    const rows = await db.query<{ body: unknown }>("select body from docs order by id");
    expect(rows.map((row) => row.body)).toEqual(values);
  });

  it.runIf(engine === "sqlite")("passes a JavaScript array as JSON text, which json_each reads", async () => {
    const rows = await getDb().query<{ n: number }>("select count(*) as n from json_each($1)", [
      ["a", "b", "c"],
    ]);
    expect(rows).toEqual([{ n: 3 }]);
  });

  it.runIf(engine === "sqlite")("keeps text parameters that look like numbers as text", async () => {
    const db = getDb();
    await db.query("insert into calsync_meta (key, value) values ($1, $2), ($3, $4)", ["a", "0042", "b", 42]);
    expect(await db.query("select key, value from calsync_meta order by key")).toEqual([
      { key: "a", value: "0042" },
      { key: "b", value: "42" },
    ]);
  });

  it.runIf(engine === "postgres")("passes a JavaScript array as a Postgres array parameter", async () => {
    const rows = await getDb().query<{ n: number }>("select count(*) as n from unnest($1::text[]) as t", [
      ["a", "b", "c"],
    ]);
    expect(rows).toEqual([{ n: 3 }]);
  });

  describe("transactions", () => {
    it("commits what the callback wrote and returns its result", async () => {
      const db = getDb();
      await db.exec(ITEMS);
      const result = await db.transaction(async (tx) => {
        await tx.query("insert into items values (1, 'one')");
        return (await tx.query<{ n: number }>("select count(*) as n from items"))[0]?.n;
      });
      expect(result).toBe(1);
      expect(await db.query("select label from items")).toEqual([{ label: "one" }]);
    });

    it("rolls back when the callback throws, and rethrows that very error", async () => {
      const db = getDb();
      await db.exec(ITEMS);
      const failure = new Error("planner gave up");
      const attempt = db.transaction(async (tx) => {
        await tx.query("insert into items values (1, 'one')");
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      expect(await db.query("select * from items")).toEqual([]);
    });

    it("rolls back when a statement fails, reporting it as a database error with its SQLSTATE", async () => {
      const db = getDb();
      await db.exec(ITEMS);
      const attempt = db.transaction(async (tx) => {
        await tx.query("insert into items values (1, 'one')");
        await tx.query("insert into items values (1, 'again')");
      });
      await expect(attempt).rejects.toMatchObject({
        name: "DatabaseError",
        sqlState: "23505",
        system: "database",
      });
      expect(await db.query("select * from items")).toEqual([]);
    });

    it("refuses the database's own query inside its transaction instead of hanging", async () => {
      const db = getDb();
      const attempt = db.transaction(async () => db.query("select 1"));
      await expect(attempt).rejects.toThrow(/inside db\.transaction\(\)/);
      // The database is still usable afterwards.
      expect(await db.query("select 1 as one")).toEqual([{ one: 1 }]);
    });

    it("lets work that outlives the transaction use the database once the transaction is over", async () => {
      const db = getDb();
      let later: Promise<unknown> = Promise.resolve();
      await db.transaction(async () => {
        // Started inside the transaction, run after it: not a query inside the transaction.
        later = new Promise((resolve) => setImmediate(resolve)).then(() => db.query("select 1 as one"));
      });
      expect(await later).toEqual([{ one: 1 }]);
    });

    it("refuses a tx used after its transaction ended", async () => {
      const escaped = await getDb().transaction(async (tx) => tx);
      await expect(escaped.query("select 1")).rejects.toThrow(/after its transaction ended/);
    });
  });

  it("reports a failed statement as UpstreamError('database') with the server's message and SQLSTATE", async () => {
    const error = await getDb()
      .query("select * from no_such_table")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ system: "database", sqlState: "42P01", code: "UPSTREAM" });
    expect((error as Error).message).toMatch(
      engine === "postgres"
        ? /^Database: relation "no_such_table" does not exist/
        : /^Database: no such table: no_such_table/,
    );
  });
});
