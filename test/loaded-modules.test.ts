import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { CALSYNC_BIN, runNode, startServeProcess } from "./support/run-cli.ts";
import { type System, startSystem } from "./support/system.ts";

/*
 * What each command really loads, seen from a spawned `calsync` (the compiled build, as a user runs it): the
 * static import graph of test/architecture.test.ts cannot see dynamic imports or the packages' own requires.
 */

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const RECORDER = fileURLToPath(new URL("./support/programs/record-loaded-modules.mjs", import.meta.url));

type Loaded = { files: string[]; packages: string[] };

/** Our files (relative to the repository) and the packages (by name) a recorded process loaded. */
function readLoaded(file: string): Loaded {
  const files = new Set<string>();
  const packages = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line || line.startsWith("node:")) continue;
    const path = relative(ROOT, line.startsWith("file:") ? fileURLToPath(line) : line);
    const inPackage = path.lastIndexOf("node_modules/");
    if (inPackage === -1) files.add(path);
    else {
      const parts = path.slice(inPackage + "node_modules/".length).split("/");
      packages.add(parts[0]?.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function recordFile(): string {
  return join(mkdtempSync(join(tmpdir(), "calsync-loaded-")), "modules.txt");
}

async function runRecorded(args: string[], env: Record<string, string>, cwd: string) {
  const record = recordFile();
  const run = await runNode(
    ["--import", RECORDER, CALSYNC_BIN, ...args],
    { ...env, RECORD_LOADED_MODULES: record },
    cwd,
  );
  return { run, loaded: readLoaded(record) };
}

/** What no production command may load: sandboxes, the demo, groq-js (the sandbox's query engine), TypeScript. */
function expectProductionOnly(loaded: Loaded): void {
  expect(loaded.files.filter((file) => /^dist\/(sandboxes|demo)\//.test(file))).toEqual([]);
  expect(loaded.files.filter((file) => !/^(dist|bin)\//.test(file) || file.endsWith(".ts"))).toEqual([]);
  for (const name of ["groq-js", "tsx", "typescript", "playwright-core"])
    expect(loaded.packages).not.toContain(name);
}

describe("what calsync loads", () => {
  it("loads the command list and commander only for --help", async () => {
    const { run, loaded } = await runRecorded(["--help"], {}, tmpdir());
    expect(run.code).toBe(0);
    expect(loaded.packages).toEqual(["commander"]);
    expect(loaded.files.filter((file) => file.endsWith("-action.js"))).toEqual([]);
  });

  describe("against the sandboxes, on the embedded database", () => {
    let system: System;
    let cwd: string;
    const servers: ChildProcess[] = [];
    beforeAll(async () => {
      cwd = mkdtempSync(join(tmpdir(), "calsync-loaded-cwd-"));
      const db = await openDatabase({ embeddedFile: ":memory:" });
      system = await startSystem({ db, rows: [["HOT", "Mark", "Greenall", "07700123456", "m@example.com"]] });
    });
    afterAll(async () => {
      for (const server of servers) if (server.exitCode === null && server.signalCode === null) server.kill();
      await system.close();
    });

    it("`sync` loads its own code, better-sqlite3 and not pg, the server or any sandbox", async () => {
      const { run, loaded } = await runRecorded(["sync", "--json"], system.env, cwd);
      expect(run.code, run.stderr).toBe(0);
      expectProductionOnly(loaded);
      // better-sqlite3 being seen shows the recorder sees packages, so the absences below mean something.
      expect(loaded.packages).toContain("better-sqlite3");
      for (const name of ["pg", "hono", "@hono/node-server", "croner"])
        expect(loaded.packages).not.toContain(name);
      expect(loaded.files).not.toContain("dist/cli/sheets-sync-action.js");
    });

    it("`sheets-sync` loads no Cal.com sync, pg or sandbox", async () => {
      const { run, loaded } = await runRecorded(["sheets-sync", "--json"], system.env, cwd);
      expect(run.code, run.stderr).toBe(0);
      expectProductionOnly(loaded);
      for (const name of ["pg", "hono", "croner"]) expect(loaded.packages).not.toContain(name);
      expect(loaded.files).not.toContain("dist/sync/run-booking-sync.js");
    });

    it("`serve` loads the server and no sandbox, demo or pg", async () => {
      const record = recordFile();
      const serve = await startServeProcess({
        env: { ...system.env, RECORD_LOADED_MODULES: record },
        cwd,
        nodeArgs: ["--import", RECORDER],
        track: servers,
      });
      await serve.stop();
      const loaded = readLoaded(record);
      expectProductionOnly(loaded);
      expect(loaded.packages).toContain("hono");
      expect(loaded.packages).not.toContain("pg");
    });
  });
});
