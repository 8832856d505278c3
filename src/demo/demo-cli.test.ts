import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const CALSYNC = fileURLToPath(new URL("../../bin/calsync.js", import.meta.url));

type Child = { process: ChildProcess; stdout(): string; stderr(): string; exit: Promise<number | null> };

/** `calsync demo` as `npm start` runs it, in a fresh directory and with none of this machine's credentials. */
function calsyncDemo(cwd: string, env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [CALSYNC, "demo"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Resolves once the demo has printed its addresses (or rejects with what it said if it exited instead). */
function printedAddresses(child: Child): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (child.stdout().includes("Press Ctrl-C to stop.")) resolve(child.stdout());
    };
    child.process.stdout?.on("data", check);
    void child.exit.then((code) =>
      reject(
        new Error(`calsync demo exited (${code}) before it was up:\n${child.stdout()}\n${child.stderr()}`),
      ),
    );
    check();
  });
}

describe("calsync demo (npm start)", () => {
  let running: Child | undefined;
  afterEach(() => {
    if (running?.process.exitCode === null) running.process.kill("SIGKILL");
  });

  it("comes up on a fresh clone's directory, prints its real addresses, and exits 0 on Ctrl-C", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "calsync-demo-cli-"));
    // A ledger left by an earlier demo, which must not survive into this one.
    mkdirSync(join(cwd, ".calsync", "demo-db"), { recursive: true });
    writeFileSync(join(cwd, ".calsync", "demo-db", "left-over"), "old ledger");
    running = calsyncDemo(cwd);

    const printed = await printedAddresses(running);
    const port = Number(/Dashboard\s+http:\/\/localhost:(\d+)/.exec(printed)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(printed).toContain(`Demo controls   http://localhost:${port}/demo`);
    expect(printed).toMatch(/Cal\.com\s+sandbox\s+http:\/\/127\.0\.0\.1:\d+\/v2/);
    expect(printed).toMatch(/Google Sheets\s+sandbox\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(printed).toMatch(/Sanity\s+sandbox\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(printed).toContain("row 45  Mark Greenall");

    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/demo`)).text()).toContain("Mark Greenall");
    expect(existsSync(join(cwd, ".calsync", "demo-db", "left-over"))).toBe(false);

    running.process.kill("SIGINT");
    expect(await running.exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });

  it("exits 2 naming the variable when the configuration is wrong", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "calsync-demo-cli-"));
    running = calsyncDemo(cwd, { TIMEZONE: "Mars/Olympus" });
    expect(await running.exit).toBe(2);
    expect(running.stderr()).toContain("TIMEZONE");
    expect(existsSync(join(cwd, ".calsync"))).toBe(false);
  });
});
