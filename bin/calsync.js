#!/usr/bin/env node
// Runs the compiled build in dist/ (`npm install` or `npm run build` makes it): no TypeScript at run time.
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { buildState } from "./build-state.js";

// A .env file in the working directory is read first; variables already set in the environment win.
if (existsSync(".env") && typeof process.loadEnvFile === "function") process.loadEnvFile(".env");

// A missing or stale build would run other code than the sources say: say how to build instead.
const state = buildState(fileURLToPath(new URL("..", import.meta.url)));
if (state !== "fresh") {
  const why = state === "missing" ? "calsync is not built" : "the build in dist/ is older than the sources";
  process.stderr.write(`calsync: ${why}; run \`npm run build\` (or \`npm install\`), then try again\n`);
  process.exit(2);
}
// Node 22.1 and later keep V8's compiled code of calsync and its packages between runs (in the temp dir).
module.enableCompileCache?.();
await import("../dist/cli/main.js");
