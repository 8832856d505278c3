#!/usr/bin/env node
// `npm run build` (and `npm install`, through `prepare`): compiles src/ into dist/ with tsconfig.build.json,
// then writes dist/build-stamp.json, which bin/calsync.js checks against the sources at every start.
// With --if-stale it does nothing when the build is current (`npm start`, the tests' globalSetup).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildState, STAMP_FILE, sourceState } from "./build-state.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

if (process.argv.includes("--if-stale") && buildState(ROOT) === "fresh") process.exit(0);

// Taken before compiling: a file saved during the build then makes the build stale, not falsely current.
const sources = sourceState(ROOT);
let tsc;
try {
  tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
} catch {
  // `npm ci --omit=dev` leaves out the compiler: say so rather than fail on a missing module.
  process.stderr.write(
    "calsync: building needs the devDependencies (typescript); run `npm install` without --omit=dev\n",
  );
  process.exit(1);
}
// A clean output: a module whose source was deleted must not linger in dist/ and stay importable.
rmSync(join(ROOT, "dist"), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], {
  stdio: "inherit",
});
// Status 2: type errors, but every file was emitted. The build runs as tsx used to, without type checking;
// `npm run typecheck` (and CI) is where type errors fail.
if (compiled.status === 2) {
  process.stderr.write("calsync: built despite the type errors above; `npm run typecheck` lists them\n");
} else if (compiled.status !== 0) {
  process.stderr.write(
    "calsync: the build failed (see the compiler's messages above); dist/ is incomplete\n",
  );
  process.exit(compiled.status ?? 1);
}
writeFileSync(
  join(ROOT, "dist", STAMP_FILE),
  `${JSON.stringify({ builtAt: new Date().toISOString(), sources }, null, 2)}\n`,
);
