// Whether dist/ holds a build of the current sources. Shared by bin/calsync.js (which refuses a missing or
// stale build), bin/build.js (which writes the stamp) and the tests' globalSetup (which rebuilds when stale).
// Plain JavaScript, and cheap (a stat of each source file, a few milliseconds): it runs at every start.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The file the build writes last, describing the sources it compiled. */
export const STAMP_FILE = "build-stamp.json";

/** Besides src/, what changes the output. */
const SETTINGS = ["tsconfig.json", "tsconfig.build.json"];

/**
 * The sources a build of `root` compiles, described cheaply: their names (a file added or deleted changes
 * them) and the newest modification time (an edit, or a git checkout, changes it). null when there is no
 * src/ (an installed copy, which runs what it was given).
 */
export function sourceState(root) {
  const src = join(root, "src");
  if (!existsSync(src)) return null;
  const names = [];
  let newestMtimeMs = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        names.push(relative(root, path));
        newestMtimeMs = Math.max(newestMtimeMs, statSync(path).mtimeMs);
      }
    }
  };
  visit(src);
  for (const name of SETTINGS) {
    const path = join(root, name);
    if (existsSync(path)) newestMtimeMs = Math.max(newestMtimeMs, statSync(path).mtimeMs);
  }
  names.sort();
  return { files: names, newestMtimeMs };
}

/**
 * "fresh", "missing" (no dist/ or no stamp: never built, or a build that did not finish) or "stale" (the
 * sources changed since). An installed copy without src/ is always "fresh".
 */
export function buildState(root) {
  const current = sourceState(root);
  if (current === null) return "fresh";
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, "dist", STAMP_FILE), "utf8")).sources;
  } catch {
    return "missing";
  }
  const same =
    stamp?.newestMtimeMs === current.newestMtimeMs && stamp.files?.join("\n") === current.files.join("\n");
  return same ? "fresh" : "stale";
}
