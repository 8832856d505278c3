import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/*
 * bin/calsync.js runs the compiled build, and refuses a missing or stale one with how to build. Tried on a
 * copy of bin/, the TypeScript settings and a one-file src/ in a temporary directory, never on the real dist/.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function run(dir: string, script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, "bin", script), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A source file dated `secondsAgo` back, so that a later one is newer whatever the clock's resolution. */
function writeSource(dir: string, name: string, text: string, secondsAgo = 0): void {
  const path = join(dir, "src", name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  const time = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, time, time);
}

describe("bin/calsync.js", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "calsync-bin-"));
    mkdirSync(join(dir, "bin"));
    for (const name of ["calsync.js", "build-state.js", "build.js"]) {
      copyFileSync(join(ROOT, "bin", name), join(dir, "bin", name));
    }
    for (const name of ["tsconfig.json", "tsconfig.build.json", "package.json"]) {
      copyFileSync(join(ROOT, name), join(dir, name));
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    writeSource(dir, "cli/main.ts", 'process.stdout.write("calsync ran\\n");\n', 60);
  });

  it("says how to build, and exits 2, when there is no build", () => {
    const run1 = run(dir, "calsync.js", "--help");
    expect(run1.code).toBe(2);
    expect(run1.stdout).toBe("");
    expect(run1.stderr).toBe(
      "calsync: calsync is not built; run `npm run build` (or `npm install`), then try again\n",
    );
  });

  it("runs the build once built; refuses it once a source is newer, added or deleted", () => {
    expect(run(dir, "build.js").code).toBe(0);
    expect(run(dir, "calsync.js")).toMatchObject({ code: 0, stdout: "calsync ran\n" });

    const stale =
      "calsync: the build in dist/ is older than the sources; run `npm run build` (or `npm install`), then try again\n";
    writeSource(dir, "cli/main.ts", 'process.stdout.write("calsync ran again\\n");\n');
    expect(run(dir, "calsync.js")).toMatchObject({ code: 2, stdout: "", stderr: stale });
    // --if-stale rebuilds a stale build (what `npm start` and the tests do first).
    expect(run(dir, "build.js", "--if-stale").code).toBe(0);
    expect(run(dir, "calsync.js")).toMatchObject({ code: 0, stdout: "calsync ran again\n" });

    // A new file dated in the past is no newer than the build, but the list of sources changed.
    writeSource(dir, "extra.ts", "export const extra = 1;\n", 3600);
    expect(run(dir, "calsync.js")).toMatchObject({ code: 2, stderr: stale });
    expect(run(dir, "build.js").code).toBe(0);
    rmSync(join(dir, "src", "extra.ts"));
    expect(run(dir, "calsync.js")).toMatchObject({ code: 2, stderr: stale });
  });

  it("runs what it was given without checking when there is no src/ (an installed copy)", () => {
    expect(run(dir, "build.js").code).toBe(0);
    rmSync(join(dir, "src"), { recursive: true });
    rmSync(join(dir, "dist", "build-stamp.json"));
    expect(run(dir, "calsync.js")).toMatchObject({ code: 0, stdout: "calsync ran again\n" });
  });
});
