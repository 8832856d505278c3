/**
 * One calsync-like process for the cross-process run lock tests: opens the database (embedded SQLite file or
 * PostgreSQL), migrates, takes a run lock (--lock, default "sync"), writes a row and reports all the rows
 * written so far, optionally holds the lock (and the open database) until told "release" on stdin, then lets
 * go. Every step is appended to a shared log file, whose order is the real order of events across processes,
 * and echoed on stdout for the test to wait on.
 *
 *   node --import tsx test/support/programs/run-lock-contender.ts --label A --log events.log --timeout-ms 30000 \
 *     (--embedded-file FILE | --url postgres://… --schema S) [--lock NAME] [--hold]
 */
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { openDatabase } from "../../../src/db/database.ts";
import { migrate } from "../../../src/db/migrate.ts";
import { acquireRunLock } from "../../../src/db/run-lock.ts";
import { LockedError } from "../../../src/errors.ts";

const { values } = parseArgs({
  options: {
    label: { type: "string" },
    log: { type: "string" },
    "timeout-ms": { type: "string" },
    "embedded-file": { type: "string" },
    lock: { type: "string", default: "sync" },
    url: { type: "string" },
    schema: { type: "string" },
    hold: { type: "boolean", default: false },
  },
});
const label = values.label ?? "?";
const logFile = values.log ?? "";
const timeoutMs = Number(values["timeout-ms"] ?? "30000");

function record(event: string, detail?: string): void {
  const line = JSON.stringify({ label, event, ...(detail === undefined ? {} : { detail }) });
  appendFileSync(logFile, `${line}\n`);
  process.stdout.write(`${line}\n`);
}

function nextStdinLine(expected: string): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    lines.on("line", (line) => {
      if (line.trim() !== expected) return;
      lines.close();
      // An open stdin pipe would keep this process alive after its work is done.
      process.stdin.destroy();
      resolve();
    });
  });
}

record("starting");
try {
  const db = await openDatabase({
    url: values.url,
    embeddedFile: values["embedded-file"] ?? ":memory:",
    schema: values.schema,
    // Waiting for the other processes' writes is not what is tested: only the run lock's timeout varies.
    busyTimeoutMs: 30_000,
  });
  await migrate(db);
  record("opened");
  const lock = await acquireRunLock(db, {
    name: values.lock ?? "sync",
    timeoutMs,
    onWait: () => record("waiting"),
  });
  record("acquired");
  await db.query("insert into calsync_meta (key, value) values ($1, $2)", [`run-${label}`, "done"]);
  // Every run so far, as this process sees them: proof that each saw the other's committed work.
  const runs = await db.query<{ key: string }>(
    "select key from calsync_meta where key like 'run-%' order by key",
  );
  record("wrote", runs.map((run) => run.key).join(","));
  if (values.hold) await nextStdinLine("release");
  record("releasing");
  await lock.release();
  await db.close();
  record("closed");
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  record(error instanceof LockedError ? "locked" : "failed", message);
  process.exitCode = error instanceof LockedError ? 3 : 1;
}
