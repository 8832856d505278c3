import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNode } from "../../test/support/run-cli.ts";

const PROGRAM = fileURLToPath(new URL("../../test/support/programs/print-then-exit.ts", import.meta.url));

describe("exitAfterOutput", () => {
  it("hands a large answer through a pipe whole before exiting with the status", async () => {
    // 5 MB: far more than a pipe holds, as the JSON of a 100,000-lead run is.
    const bytes = 5_000_000;
    const run = await runNode(
      ["--import", "tsx", PROGRAM, "--bytes", String(bytes), "--code", "3"],
      {},
      process.cwd(),
    );
    expect(run.code).toBe(3);
    expect(run.stdout.length).toBe(bytes + 1);
  });
});
