import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Vitest's globalSetup: the CLI tests spawn bin/calsync.js, which runs the compiled build in dist/. So that
 * `npm test` after an edit of src/ tests the code as it now is, the build is redone first when it is missing
 * or stale (bin/build.js --if-stale; a few milliseconds when it is current).
 */
export default function setup(): void {
  const build = fileURLToPath(new URL("../../bin/build.js", import.meta.url));
  const result = spawnSync(process.execPath, [build, "--if-stale"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("calsync could not be built for the tests (see above)");
}
