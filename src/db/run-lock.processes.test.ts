import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcePostgresSkipped, testPostgresUrl, uniqueSchemaName } from "../../test/support/db-harness.ts";
import { openDatabase } from "./database.ts";

/**
 * Real OS processes contending for the run lock, as two `calsync sync` invocations (or two servers) would.
 * Ordering is read from a log file the processes append to, never from timings.
 */
const CONTENDER = fileURLToPath(
  new URL("../../test/support/programs/run-lock-contender.ts", import.meta.url),
);
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

type ContenderEvent = { label: string; event: string; detail?: string };

type Contender = {
  waitFor(event: string): Promise<ContenderEvent>;
  /** Writes the line to the process's stdin and closes it. */
  send(line: string): void;
  /** Kills the process outright, as a crash or `kill -9` would: no cleanup of any kind runs. */
  crash(): void;
  exitCode: Promise<number | null>;
};

/** Every contender started, so that none outlives a failed or timed-out test. */
const started: ChildProcess[] = [];

function startContender(label: string, logFile: string, args: string[]): Contender {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", CONTENDER, "--label", label, "--log", logFile, ...args],
    { cwd: PROJECT_ROOT, stdio: ["pipe", "pipe", "pipe"] },
  );
  started.push(child);
  const seen: ContenderEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (child.stdout) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      seen.push(JSON.parse(line) as ContenderEvent);
      for (const listener of listeners) listener();
    });
  }
  let exited = false;
  const exitCode = new Promise<number | null>((resolve) => child.on("close", resolve));
  void exitCode.then(() => {
    exited = true;
    for (const listener of listeners) listener();
  });

  return {
    waitFor(event) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = seen.find((entry) => entry.event === event);
          if (found) {
            listeners.delete(check);
            resolve(found);
          } else if (exited) {
            listeners.delete(check);
            reject(new Error(`${label} exited before "${event}": ${JSON.stringify(seen)}\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    send(line) {
      child.stdin?.end(`${line}\n`);
    },
    crash() {
      child.kill("SIGKILL");
    },
    exitCode,
  };
}

async function readLog(logFile: string): Promise<string[]> {
  const text = await readFile(logFile, "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as ContenderEvent)
    .map((entry) => `${entry.label} ${entry.event}`);
}

/**
 * A takes the lock and holds it; B starts and has to wait; C, started alongside B with a short timeout, gives
 * up with LockedError; only then does A release, and B gets in. Returns the shared log, C's message and the
 * runs B saw once it was in.
 */
async function contend(
  logFile: string,
  target: string[],
): Promise<{ log: string[]; lockedMessage: string; runsSeenByB: string }> {
  const a = startContender("A", logFile, [...target, "--timeout-ms", "30000", "--hold"]);
  await a.waitFor("acquired");
  const b = startContender("B", logFile, [...target, "--timeout-ms", "30000"]);
  const c = startContender("C", logFile, [...target, "--timeout-ms", "200"]);
  await b.waitFor("waiting");
  const locked = await c.waitFor("locked");
  expect(await c.exitCode).toBe(3);
  a.send("release");
  expect(await a.exitCode).toBe(0);
  const wrote = await b.waitFor("wrote");
  expect(await b.exitCode).toBe(0);
  return { log: await readLog(logFile), lockedMessage: locked.detail ?? "", runsSeenByB: wrote.detail ?? "" };
}

function expectBefore(log: string[], earlier: string, later: string): void {
  expect(log).toContain(earlier);
  expect(log).toContain(later);
  expect(log.indexOf(earlier), `${earlier} before ${later} in ${log.join(", ")}`).toBeLessThan(
    log.indexOf(later),
  );
}

if (!testPostgresUrl()) announcePostgresSkipped();

// The two engines share nothing, so their scenarios run side by side.
describe.concurrent("run lock between processes", () => {
  let root: string;
  const postgresSchema = uniqueSchemaName();
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "calsync-processes-"));
  });
  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill();
    await rm(root, { recursive: true, force: true });
    const url = testPostgresUrl();
    if (url) {
      const db = await openDatabase({ url, embeddedFile: ":memory:" });
      await db.exec(`drop schema if exists "${postgresSchema}" cascade`);
      await db.close();
    }
  });

  it("on the embedded database, the second process waits for the first run to finish", async () => {
    const file = join(root, "waits", "calsync.db");
    const outcome = await contend(join(root, "embedded.log"), ["--embedded-file", file]);

    expectBefore(outcome.log, "B waiting", "A releasing");
    expectBefore(outcome.log, "A releasing", "B acquired");
    // The run lock serializes runs, not processes: B had the database open while A's run held the lock.
    expectBefore(outcome.log, "B opened", "A releasing");
    expect(outcome.lockedMessage).toMatch(/^Another sync run is in progress/);
    expect(outcome.runsSeenByB).toBe("run-A,run-B");
  });

  it("on the embedded database, two processes use one file at once and both succeed", async () => {
    const file = join(root, "shared", "calsync.db");
    const logFile = join(root, "shared.log");
    // A stands for `calsync serve`: the database open, its own work under way (another lock's name).
    const a = startContender("A", logFile, ["--embedded-file", file, "--lock", "serve", "--hold"]);
    await a.waitFor("wrote");
    // B stands for `calsync sync` started meanwhile: it opens, migrates, writes and finishes while A is inside.
    const b = startContender("B", logFile, ["--embedded-file", file, "--timeout-ms", "0"]);
    const wrote = await b.waitFor("wrote");
    expect(await b.exitCode).toBe(0);
    a.send("release");
    expect(await a.exitCode).toBe(0);

    const log = await readLog(logFile);
    expectBefore(log, "B closed", "A releasing");
    expect(log).not.toContain("B waiting");
    expect(wrote.detail).toBe("run-A,run-B");
  });

  it("on the embedded database, a run lock whose holder crashed is taken over", async () => {
    const file = join(root, "crash", "calsync.db");
    const logFile = join(root, "crash.log");
    const a = startContender("A", logFile, ["--embedded-file", file, "--hold"]);
    await a.waitFor("wrote");
    a.crash();
    expect(await a.exitCode).toBe(null);
    // The lock's row is still there, with a lease far from over; its owner's process is gone.
    const b = startContender("B", logFile, ["--embedded-file", file, "--timeout-ms", "30000"]);
    const wrote = await b.waitFor("wrote");
    expect(await b.exitCode).toBe(0);

    const log = await readLog(logFile);
    expect(log).not.toContain("A releasing");
    expect(log).toContain("B acquired");
    // What A had committed before it died is there.
    expect(wrote.detail).toBe("run-A,run-B");
  });

  it.runIf(testPostgresUrl())("on PostgreSQL, the second process waits for the first to finish", async () => {
    const url = testPostgresUrl() ?? "";
    const outcome = await contend(join(root, "postgres.log"), ["--url", url, "--schema", postgresSchema]);

    expectBefore(outcome.log, "B waiting", "A releasing");
    expectBefore(outcome.log, "A releasing", "B acquired");
    expect(outcome.lockedMessage).toMatch(/^Another sync run is in progress/);
    expect(outcome.runsSeenByB).toBe("run-A,run-B");
  });
});
