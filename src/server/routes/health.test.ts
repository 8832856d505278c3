import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../../test/support/db-harness.ts";
import { type System, startSystem } from "../../../test/support/system.ts";
import { loadConfig } from "../../config/config.ts";
import { createApp } from "../app.ts";

const idle = { notify: () => undefined };

/** Item 7 of issue 14: /api/health tells strangers whether each system is up, and nothing of where it is. */
describeEachDatabase(
  "GET /api/health",
  (getDb) => {
    let system: System;
    afterEach(async () => {
      await system?.close();
    });

    it("gives strangers each system's status and the version, and the URLs only with the bearer secret", async () => {
      system = await startSystem({ db: getDb(), rows: [] });
      const app = createApp(system.runtime, { webhooks: idle });
      const anonymous = await app.request("/api/health");
      expect(anonymous.status).toBe(200);
      const body = await anonymous.json();
      expect(body).toEqual({
        ok: true,
        version: expect.any(String),
        systems: {
          calcom: { status: "configured" },
          sheets: { status: "configured" },
          sanity: { status: "configured" },
          database: { status: "ok" },
        },
      });
      const wrong = await app.request("/api/health", { headers: { authorization: "Bearer wrong" } });
      expect(JSON.stringify(await wrong.json())).not.toContain("127.0.0.1");

      const known = await app.request("/api/health", {
        headers: { authorization: `Bearer ${system.env.SYNC_SECRET}` },
      });
      expect(await known.json()).toMatchObject({
        systems: {
          calcom: { status: "configured", url: system.calcom.url },
          sheets: { url: system.sheets.url },
          sanity: { url: system.sanity.url },
          database: { status: "ok", kind: "sqlite" },
        },
      });
    });

    it("refuses credentials inside a configured URL, without echoing them", () => {
      for (const variable of ["CALCOM_API_URL", "GOOGLE_SHEETS_API_URL", "SANITY_API_HOST"]) {
        let message = "";
        try {
          loadConfig({ [variable]: "https://calsync:s3cr3t-key@proxy.example.com/v2" });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toBe(
          `${variable}: must not contain credentials (user:password@); set the key in its own variable`,
        );
      }
    });
  },
  { engines: ["sqlite"] },
);
