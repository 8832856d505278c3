import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEmbeddedDir } from "../../test/support/db-harness.ts";
import { LockedError } from "../errors.ts";
import { openDatabase } from "./database.ts";
import { EmbeddedDatabaseBusyError } from "./database-errors.ts";

describe("the embedded database in a directory", () => {
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "calsync-embedded-"));
    dataDir = join(root, "nested", "db");
    await prepareEmbeddedDir(dataDir);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("makes a second opener wait until the first has closed, then shows it the first's data", async () => {
    const events: string[] = [];
    const first = await openDatabase({ embeddedDir: dataDir });
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    await first.query("insert into calsync_meta (key, value) values ('cursor', '42')");

    let announceWaiting = () => {};
    const secondIsWaiting = new Promise<void>((resolve) => {
      announceWaiting = resolve;
    });
    const opening = openDatabase({
      embeddedDir: dataDir,
      lockTimeoutMs: 30_000,
      onWait: (message) => {
        events.push(`second waiting: ${message}`);
        announceWaiting();
      },
    }).then((db) => {
      events.push("second opened");
      return db;
    });
    await secondIsWaiting;
    events.push("first closing");
    await first.close();

    const second = await opening;
    try {
      expect(events).toEqual([
        `second waiting: Waiting for another calsync process to close the embedded database at ${dataDir}…`,
        "first closing",
        "second opened",
      ]);
      expect(await second.query("select value from calsync_meta where key = 'cursor'")).toEqual([
        { value: "42" },
      ]);
    } finally {
      await second.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("gives up with EmbeddedDatabaseBusyError, a LockedError, when the first stays open", async () => {
    const first = await openDatabase({ embeddedDir: dataDir });
    try {
      const error = await openDatabase({ embeddedDir: dataDir, lockTimeoutMs: 100 }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(EmbeddedDatabaseBusyError);
      expect(error).toBeInstanceOf(LockedError);
      expect((error as Error).message).toMatch(/Another calsync process .* is using the embedded database/);
    } finally {
      await first.close();
    }
  });
});
