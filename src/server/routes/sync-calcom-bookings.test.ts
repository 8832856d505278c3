import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../../test/support/db-harness.ts";
import { inDays, SYNC_SECRET, type System, startSystem } from "../../../test/support/system.ts";
import { createRuntime } from "../../app/runtime.ts";
import { loadConfig } from "../../config/config.ts";
import { acquireRunLock } from "../../db/run-lock.ts";
import { silentLogger } from "../../log/logger.ts";
import { createApp } from "../app.ts";

const LEADS = [["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"]];
const idle = { notify: () => undefined };

describeEachDatabase(
  "GET|POST /api/sync-calcom-bookings",
  (getDb) => {
    let system: System;
    const app = () => createApp(system.runtime, { webhooks: idle });
    const call = (init: { method?: string; token?: string; query?: string } = {}) =>
      app().request(`/api/sync-calcom-bookings${init.query ?? ""}`, {
        method: init.method ?? "POST",
        headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
      });

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      await system.calcom.book({ start: inDays(2), attendee: { name: "Mark", phone: "07700123456" } });
    });
    afterEach(async () => {
      await system.close();
    });

    it("refuses a request without the bearer secret, and a wrong one, writing nothing", async () => {
      expect((await call()).status).toBe(401);
      expect((await call({ token: "guess" })).status).toBe(401);
      expect(system.sheets.stats().writes).toBe(0);
      expect(system.calcom.requests()).toEqual([]);
    });

    it("runs the sync for SYNC_SECRET and for Vercel's CRON_SECRET, by GET or POST", async () => {
      const response = await call({ token: SYNC_SECRET });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({
        success: true,
        updatesApplied: 1,
        updates: [{ row: 2, action: "booked" }],
      });
      expect(system.cell("A2")).toBe("CALL_BOOKED");

      await system.close();
      system = await startSystem({
        db: getDb(),
        rows: LEADS,
        env: { SYNC_SECRET: "", CRON_SECRET: "cron-s3cret" },
      });
      const cron = await call({ method: "GET", token: "cron-s3cret" });
      expect(cron.status).toBe(200);
      expect((await call({ method: "GET", token: SYNC_SECRET })).status).toBe(401);
    });

    it("answers 503 saying what to set when no secret is configured", async () => {
      await system.close();
      system = await startSystem({ db: getDb(), rows: LEADS, env: { SYNC_SECRET: "" } });
      const response = await call({ token: "anything" });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        message: expect.stringMatching(/SYNC_SECRET or CRON_SECRET/),
      });
    });

    it("plans without writing on ?dryRun=1", async () => {
      const response = await call({ method: "GET", token: SYNC_SECRET, query: "?dryRun=1" });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ dryRun: true, updatesApplied: 1 });
      expect(system.sheets.stats().writes).toBe(0);
      expect(system.cell("A2")).toBe("HOT");
    });

    it("answers 502 when Cal.com is down, and 409 when another run holds the lock too long", async () => {
      system.calcom.setDown(true);
      const down = await call({ token: SYNC_SECRET });
      expect(down.status).toBe(502);
      expect(await down.json()).toMatchObject({ success: false, error: { code: "UPSTREAM" } });
      system.calcom.setDown(false);

      const runtime = await createRuntime(loadConfig({ ...system.env, SYNC_LOCK_TIMEOUT_MS: "100" }), {
        db: getDb(),
        log: silentLogger,
      });
      const held = await acquireRunLock(getDb(), { name: "booking-sync", timeoutMs: 1_000 });
      const locked = await createApp(runtime, { webhooks: idle }).request("/api/sync-calcom-bookings", {
        method: "POST",
        headers: { authorization: `Bearer ${SYNC_SECRET}` },
      });
      await held.release();
      expect(locked.status).toBe(409);
      expect(await locked.json()).toMatchObject({ success: false, error: { code: "LOCKED" } });
    });

    it("reports health without calling any external system", async () => {
      system.calcom.resetRequests();
      const response = await app().request("/api/health");
      expect(response.status).toBe(200);
      const body = (await response.json()) as { systems: { database: { status: string } } };
      expect(body).toMatchObject({
        ok: true,
        version: expect.any(String),
        systems: { calcom: expect.any(Object), sheets: expect.any(Object), sanity: expect.any(Object) },
      });
      expect(body.systems.database.status).toBe("ok");
      expect(system.calcom.requests()).toEqual([]);
      expect(system.sheets.stats().requests).toEqual([]);
    });
  },
  { engines: ["sqlite"] },
);
