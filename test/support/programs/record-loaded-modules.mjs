// `node --import <this file> bin/calsync.js …`: records every module the process loads into the file named by
// RECORD_LOADED_MODULES, one per line (ES modules as resolved URLs, CommonJS ones as paths), so a test can
// see what a command really loads. Plain JavaScript: it must not need tsx, which calsync no longer loads.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.RECORD_LOADED_MODULES;
if (file) {
  register(new URL("./record-loaded-modules-hooks.mjs", import.meta.url), { data: { file } });
  const require = createRequire(import.meta.url);
  // CommonJS modules that packages require among themselves never reach the ES hooks; the cache has them all.
  process.on("exit", () => appendFileSync(file, `${Object.keys(require.cache).join("\n")}\n`));
}
