import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const EXIT_MODULE = fileURLToPath(new URL("./exit.ts", import.meta.url));

describe("printOut", () => {
  it("hands a whole large answer to a pipe before the process exits", async () => {
    // A megabyte, then exit at once, as `calsync sync --json` does after a run of many updates.
    const script = `import(${JSON.stringify(EXIT_MODULE)}).then(async ({ printOut }) => {
      await printOut("x".repeat(1_000_000));
      process.exit(0);
    });`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "-e", script], {
      maxBuffer: 8 * 1024 * 1024,
    });
    expect(stdout.length).toBe(1_000_001);
  });
});
