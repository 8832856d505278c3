import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALSYNC_BIN, runNode } from "../../test/support/run-cli.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { openDatabase } from "../db/database.ts";

const calsync = (args: string[], env: Record<string, string>, cwd: string) =>
  runNode([CALSYNC_BIN, ...args], env, cwd);

/**
 * `calsync history`, `calsync undo` and `calsync webhooks deliveries` as a user runs them, on the embedded
 * database of a working directory of their own (each spawned run is a process: kept few).
 */
describe("calsync history, undo and webhooks deliveries", () => {
  let system: System;
  let cwd: string;
  const start = inDays(2);
  const london = formatBookingTime(start, "Europe/London");
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), "calsync-history-cli-"));
    const db = await openDatabase({ embeddedFile: ":memory:" });
    system = await startSystem({
      db,
      rows: [
        ["HOT", "Mark", "Greenall", "07700123456", "m@example.com"],
        ["WARM", "Anna", "Smith", "", "anna@example.com"],
      ],
    });
    await system.calcom.book({ start, attendee: { name: "Mark Greenall", phone: "+447700123456" } });
  });
  afterAll(async () => {
    await system.close();
  });

  it("prints every run with its cell changes, newest first; undoes one (dry run first); exits 2 for an unknown run", async () => {
    const synced = await calsync(["sync", "--json"], system.env, cwd);
    expect(synced.code, synced.stderr).toBe(0);
    const { runId } = JSON.parse(synced.stdout) as { runId: number };
    expect(runId).toEqual(expect.any(Number));

    const [json, plain, badLimit] = await Promise.all([
      calsync(["history", "--json", "--limit", "5"], system.env, cwd),
      calsync(["history"], system.env, cwd),
      calsync(["history", "--limit", "lots", "--json"], system.env, cwd),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const { runs } = JSON.parse(json.stdout);
    expect(runs).toEqual([
      expect.objectContaining({
        id: runId,
        startedAt: expect.any(String),
        trigger: "cli",
        success: true,
        changes: [
          expect.objectContaining({
            row: 2,
            column: "Contact_Status",
            before: "HOT",
            after: "CALL_BOOKED",
            reason: expect.stringMatching(/^Cal\.com, read by the cli sync: call booked for /),
          }),
          expect.objectContaining({ row: 2, column: "call_booked", before: "", after: london }),
        ],
        calcomActions: [],
      }),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`Run ${runId}  `);
    expect(plain.stdout).toContain('row 2  Contact_Status  "HOT" → "CALL_BOOKED"  Mark Greenall: Cal.com');
    expect(badLimit.code).toBe(2);
    expect(JSON.parse(badLimit.stdout)).toMatchObject({ success: false, error: { code: "INPUT" } });

    const dry = await calsync(["undo", String(runId), "--dry-run", "--json"], system.env, cwd);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      success: true,
      runId: null,
      undoes: runId,
      restored: [
        { row: 2, column: "call_booked", value: "" },
        { row: 2, column: "Contact_Status", value: "HOT" },
      ],
      skipped: [],
      notUndone: [],
    });
    expect(system.cell("A2")).toBe("CALL_BOOKED");

    const [undone, unknown] = await Promise.all([
      calsync(["undo", String(runId), "--json"], system.env, cwd),
      calsync(["undo", "999", "--json"], system.env, cwd),
    ]);
    expect(undone.code, undone.stderr).toBe(0);
    const result = JSON.parse(undone.stdout);
    expect(result).toMatchObject({ success: true, undoes: runId, restored: expect.any(Array) });
    expect(result.runId).toBeGreaterThan(runId);
    expect(result.restored).toHaveLength(2);
    expect(system.cell("A2")).toBe("HOT");
    expect(system.cell("H2")).toBe("");

    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
    expect(unknown.stderr).toContain("There is no run 999");

    const after = JSON.parse((await calsync(["history", "--json", "--limit", "1"], system.env, cwd)).stdout);
    expect(after.runs).toEqual([
      expect.objectContaining({
        id: result.runId,
        kind: "undo",
        changes: [
          expect.objectContaining({ row: 2, column: "Contact_Status", before: "CALL_BOOKED", after: "HOT" }),
          expect.objectContaining({ row: 2, column: "call_booked", before: london, after: "" }),
        ],
      }),
    ]);
  });

  it("lists the webhook deliveries, with the last day's received and missed", async () => {
    const run = await calsync(["webhooks", "deliveries", "--json"], system.env, cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      success: true,
      webhooks: { received24h: 0, missed24h: 0, status: "ok" },
      deliveries: [],
    });
    const plain = await calsync(["webhooks", "deliveries"], system.env, cwd);
    expect(plain.stdout).toContain("Webhooks ok: 0 delivery(ies) received and 0 change(s) missed");
  });
});
