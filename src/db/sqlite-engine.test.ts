import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "./database.ts";
import { DatabaseError } from "./database-errors.ts";
import { migrate } from "./migrate.ts";
import { toPositional } from "./sqlite-engine.ts";

describe("toPositional", () => {
  it("turns $n into ?, remembering which parameter each stands for, repeats and order included", () => {
    expect(toPositional("select $2 as b, $1 as a where x = $2")).toEqual({
      text: "select ? as b, ? as a where x = ?",
      order: [2, 1, 2],
    });
  });

  it("leaves $n alone inside strings, quoted identifiers and comments", () => {
    const sql = `select '$1 it''s', "$2", [$3] -- $4\n, /* $5 */ $6`;
    expect(toPositional(sql)).toEqual({
      text: `select '$1 it''s', "$2", [$3] -- $4\n, /* $5 */ ?`,
      order: [6],
    });
  });
});

/** A promise and the function that resolves it. */
function signal(): { done: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  return { done, resolve };
}

describe("the embedded database in one SQLite file", () => {
  let root: string;
  const opened: Database[] = [];
  const open = async (file: string, options: Partial<Parameters<typeof openDatabase>[0]> = {}) => {
    const db = await openDatabase({ embeddedFile: file, ...options });
    opened.push(db);
    return db;
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "calsync-sqlite-"));
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await rm(root, { recursive: true, force: true });
  });

  it("creates the file and its directories, and keeps it in WAL mode", async () => {
    const file = join(root, "nested", ".calsync", "calsync.db");
    const db = await open(file);
    expect(db.kind).toBe("sqlite");
    await migrate(db);
    expect(existsSync(file)).toBe(true);
    expect(await db.query("pragma journal_mode")).toEqual([{ journal_mode: "wal" }]);
  });

  it("lets a second process's connection in while the first is open, and shows it the first's writes", async () => {
    const file = join(root, "shared.db");
    const first = await open(file);
    await migrate(first);
    await first.query("insert into calsync_meta (key, value) values ('cursor', '42')");
    const second = await open(file);
    await migrate(second);
    expect(await second.query("select value from calsync_meta where key = 'cursor'")).toEqual([
      { value: "42" },
    ]);
    await second.query("update calsync_meta set value = '43' where key = 'cursor'");
    expect(await first.query("select value from calsync_meta where key = 'cursor'")).toEqual([
      { value: "43" },
    ]);
  });

  it("makes a write wait for another connection's transaction, then lets it through", async () => {
    const file = join(root, "busy.db");
    const events: string[] = [];
    const first = await open(file);
    await migrate(first);
    const waiting = signal();
    const second = await open(file, {
      onWait: (message) => {
        events.push(`second waiting: ${message}`);
        waiting.resolve();
      },
    });
    const inside = signal();
    const finish = signal();
    const transaction = first.transaction(async (tx) => {
      await tx.query("insert into calsync_meta (key, value) values ('a', 'first')");
      inside.resolve();
      await finish.done;
    });
    await inside.done;
    const write = second.query("insert into calsync_meta (key, value) values ('b', 'second')").then(() => {
      events.push("second wrote");
    });
    await waiting.done;
    events.push("first committing");
    finish.resolve();
    await transaction;
    await write;
    expect(events).toEqual([
      `second waiting: Waiting for another calsync process to finish writing the embedded database ${file}…`,
      "first committing",
      "second wrote",
    ]);
    expect(await second.query("select key from calsync_meta order by key")).toEqual([
      { key: "a" },
      { key: "b" },
    ]);
  });

  it("gives up with a DatabaseError saying so when another writer keeps the file locked", async () => {
    const file = join(root, "stuck.db");
    const first = await open(file);
    await migrate(first);
    const second = await open(file, { busyTimeoutMs: 50 });
    const inside = signal();
    const finish = signal();
    const transaction = first.transaction(async (tx) => {
      await tx.query("insert into calsync_meta (key, value) values ('a', 'first')");
      inside.resolve();
      await finish.done;
    });
    await inside.done;
    const error = await second
      .query("insert into calsync_meta (key, value) values ('b', 'second')")
      .catch((caught: unknown) => caught);
    finish.resolve();
    await transaction;
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ sqlState: "55P03", system: "database" });
    expect((error as Error).message).toMatch(/stuck\.db stayed locked by another process's write/);
    // Nothing was written by the failed statement; the database is fine afterwards.
    expect(await second.query("select key from calsync_meta order by key")).toEqual([{ key: "a" }]);
  });

  it("keeps this process's other statements out of an open transaction until it ends", async () => {
    const db = await open(":memory:");
    await migrate(db);
    const inside = signal();
    const finish = signal();
    const events: string[] = [];
    const transaction = db.transaction(async (tx) => {
      await tx.query("insert into calsync_meta (key, value) values ('a', 'inside')");
      inside.resolve();
      await finish.done;
      events.push("transaction rolling back");
      throw new Error("changed my mind");
    });
    await inside.done;
    // Another task of this process: on one connection it would see (and be part of) the open transaction.
    const outside = db.query("select count(*) as n from calsync_meta").then((rows) => {
      events.push("outside query answered");
      return rows;
    });
    finish.resolve();
    await expect(transaction).rejects.toThrow("changed my mind");
    expect(await outside).toEqual([{ n: 0 }]);
    expect(events).toEqual(["transaction rolling back", "outside query answered"]);
  });

  it("says once that an old PGlite data directory is left where the embedded database used to be", async () => {
    const dir = join(root, "upgraded", ".calsync");
    await mkdir(join(dir, "db"), { recursive: true });
    await writeFile(join(dir, "db", "PG_VERSION"), "17\n");
    const notices: string[] = [];
    await open(join(dir, "calsync.db"), { onNotice: (message) => notices.push(message) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/old embedded database \(PGlite\) at .*upgraded\/\.calsync\/db/);
    expect(notices[0]).not.toContain("\n");
  });

  it("prepares a statement with tens of thousands of parameters", async () => {
    const db = await open(":memory:");
    const values = Array.from({ length: 30_000 }, (_, index) => index);
    const list = values.map((_, index) => `$${index + 1}`).join(", ");
    expect(await db.query(`select count(*) as n from (select 1) where 29999 in (${list})`, values)).toEqual([
      { n: 1 },
    ]);
  });

  it("refuses a statement that uses more parameters than it was given", async () => {
    const db = await open(":memory:");
    await expect(db.query("select $1 as a, $2 as b", [1])).rejects.toThrow(/uses \$2, but 1 parameter/);
  });

  it("refuses PostgreSQL's schema option", async () => {
    await expect(openDatabase({ embeddedFile: ":memory:", schema: "elsewhere" })).rejects.toThrow(
      /PostgreSQL's/,
    );
  });
});
