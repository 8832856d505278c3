import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/db-harness.ts";
import { runNode } from "../../test/support/run-cli.ts";
import { type System, startSystem } from "../../test/support/system.ts";

const PROGRAM = fileURLToPath(new URL("../../test/support/programs/sheets-sync-program.ts", import.meta.url));
// By path: the command runs in a temporary directory (its embedded database), where `tsx` does not resolve.
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

const calsync = (args: string[], env: Record<string, string>, cwd: string) =>
  runNode(["--import", TSX, PROGRAM, ...args], env, cwd);

describe("calsync sheets-sync", () => {
  let system: System;
  let cwd: string;
  let harnessDb: TestDatabase;
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), "calsync-sheets-cli-"));
    // The harness's runtime needs a database of its own; the command opens ./.calsync/calsync.db under cwd.
    harnessDb = await openTestDatabase("sqlite");
    await harnessDb.reset();
    system = await startSystem({
      db: harnessDb.db,
      rows: [
        ["HOT", "Mark", "Greenall", "07700123456", "m@example.com"],
        ["WARM", "Anna", "Smith", "", "anna@example.com"],
      ],
    });
  });
  afterAll(async () => {
    await system.close();
    await harnessDb.dispose();
  });

  it("copies the sheet and prints a summary; exits 2 naming what is missing", async () => {
    // One spawned run only: each starts a process, which takes a while. The copy itself is tested in
    // src/sync; this checks the command's wiring, output and exit statuses.
    const run = await calsync(["sheets-sync"], system.env, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Sheet copy completed: 2 lead\(s\) written, 0 archived/);
    expect(run.stdout).toMatch(/API calls: Sheets 1, Sanity 2/);
    expect(system.sanity.documents().filter((d) => d._type === "dbrLead")).toHaveLength(2);

    const missing = await calsync(["sheets-sync", "--json"], {}, cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("GOOGLE_SHEETS_SPREADSHEET_ID: required");
    expect(missing.stderr).toContain("SANITY_PROJECT_ID: required");
    expect(JSON.parse(missing.stdout)).toMatchObject({ success: false, error: { code: "CONFIG" } });
  });
});
