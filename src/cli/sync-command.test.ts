import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALSYNC_BIN, runNode, startServeProcess } from "../../test/support/run-cli.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { openDatabase } from "../db/database.ts";

const calsync = (args: string[], env: Record<string, string>, cwd: string) =>
  runNode([CALSYNC_BIN, ...args], env, cwd);

describe("calsync on the command line", () => {
  it("lists its commands", async () => {
    const run = await calsync(["--help"], {}, tmpdir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/sync \[options\]/);
    expect(run.stdout).toMatch(/serve/);
  });

  it("stops with exit 2 and names the bad variable before any network call", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = {
      CALCOM_EVENT_TYPE_IDS: "abc",
      CALCOM_API_KEY: "cal_test_x",
      CALCOM_API_URL: `${url}/v2`,
      GOOGLE_SHEETS_API_URL: url,
      SANITY_API_HOST: url,
    };
    const plain = await calsync(["sync"], env, tmpdir());
    const json = await calsync(["sync", "--json"], env, tmpdir());
    server.close();

    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('CALCOM_EVENT_TYPE_IDS: expected comma-separated integers, got "abc"');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      success: false,
      error: {
        code: "CONFIG",
        message: 'CALCOM_EVENT_TYPE_IDS: expected comma-separated integers, got "abc"',
      },
    });
    expect(requests).toBe(0);
  });

  it("names every missing credential", async () => {
    const run = await calsync(["sync"], {}, tmpdir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("CALCOM_API_KEY: required");
    expect(run.stderr).toContain("GOOGLE_SHEETS_SPREADSHEET_ID: required");
    expect(run.stderr).toContain("SANITY_PROJECT_ID: required");
  });

  describe("against the sandboxes, on the embedded database", () => {
    let system: System;
    let cwd: string;
    /** Servers started by a test, stopped here too: a test that times out never reaches its own cleanup. */
    const servers: ChildProcess[] = [];
    beforeAll(async () => {
      cwd = mkdtempSync(join(tmpdir(), "calsync-cli-"));
      // The harness needs a database of its own; the CLI opens ./.calsync/calsync.db under cwd.
      const db = await openDatabase({ embeddedFile: ":memory:" });
      system = await startSystem({ db, rows: [["HOT", "Mark", "Greenall", "07700123456", "m@example.com"]] });
      await system.calcom.book({
        start: inDays(2),
        attendee: { name: "Mark Greenall", phone: "+447700123456" },
      });
    });
    afterAll(async () => {
      for (const server of servers) if (server.exitCode === null && server.signalCode === null) server.kill();
      await system.close();
    });

    it("prints the run's JSON and exits 0; a second process run at once waits for it", async () => {
      const env = { ...system.env, SYNC_LOCK_TIMEOUT_MS: "60000" };
      const [first, second] = await Promise.all([
        calsync(["sync", "--json"], env, cwd),
        calsync(["sync", "--json"], env, cwd),
      ]);
      expect(first.code, first.stderr + first.stdout).toBe(0);
      expect(second.code).toBe(0);
      const results = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
      expect(results.map((r) => r.success)).toEqual([true, true]);
      expect(results.map((r) => r.updatesApplied).sort()).toEqual([0, 1]);
      expect(system.cell("A2")).toBe("CALL_BOOKED");
    });

    it("runs while `calsync serve` has the same embedded database open", async () => {
      const serve = await startServeProcess({ env: system.env, cwd, track: servers });
      try {
        const run = await calsync(["sync", "--json"], system.env, cwd);
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ success: true });
        // The server is still up and using the database.
        expect(serve.child.exitCode).toBe(null);
      } finally {
        await serve.stop();
      }
    });

    it("prints a readable summary without --json", async () => {
      const run = await calsync(["sync", "--dry-run"], system.env, cwd);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Dry run: 0 row\(s\) would be written/);
      expect(run.stdout).toMatch(/API calls: Cal\.com \d+, Sheets \d+, Sanity \d+/);
    });

    it("exits 1 with success:false when Cal.com is down", async () => {
      system.calcom.setDown(true);
      const run = await calsync(["sync", "--json"], system.env, cwd);
      system.calcom.setDown(false);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ success: false, error: { code: "UPSTREAM" } });
    });
  });
});
