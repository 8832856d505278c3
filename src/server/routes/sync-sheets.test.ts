import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../../test/support/db-harness.ts";
import { SYNC_SECRET, type System, startSystem } from "../../../test/support/system.ts";
import { createApp } from "../app.ts";

const LEADS = [["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"]];
const idle = { notify: () => undefined };

describeEachDatabase(
  "GET|POST /api/sync-sheets",
  (getDb) => {
    let system: System;
    const call = (init: { method?: string; token?: string } = {}) =>
      createApp(system.runtime, { webhooks: idle }).request("/api/sync-sheets", {
        method: init.method ?? "POST",
        headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
      });

    beforeEach(async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
    });
    afterEach(async () => {
      await system.close();
    });

    it("refuses a request without the bearer secret, or with a wrong one, copying nothing", async () => {
      expect((await call()).status).toBe(401);
      expect((await call({ token: "guess" })).status).toBe(401);
      expect(system.sheets.stats().reads).toBe(0);
      expect(system.sanity.stats().mutateRequests).toBe(0);
    });

    it("copies the sheet for SYNC_SECRET (POST) and for Vercel's CRON_SECRET (GET)", async () => {
      const response = await call({ token: SYNC_SECRET });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ success: true, leads: 1, written: 1 });
      expect(system.sanity.documents().filter((d) => d._type === "dbrLead")).toHaveLength(1);

      await system.close();
      system = await startSystem({ db: getDb(), rows: LEADS, env: { CRON_SECRET: "cron-s3cret" } });
      const cron = await call({ method: "GET", token: "cron-s3cret" });
      expect(cron.status).toBe(200);
      expect(await cron.json()).toMatchObject({ success: true });
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

    it("answers 502 when Sanity refuses the write", async () => {
      system.sanity.failNext({ status: 403, kind: "mutate" });
      const response = await call({ token: SYNC_SECRET });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ success: false, error: { code: "UPSTREAM" } });
    });
  },
  { engines: ["sqlite"] },
);
