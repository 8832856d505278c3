import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { pageClient } from "../../test/support/page-client.ts";
import { LOOPBACK, type System, startSystem, WEBHOOK_SECRET } from "../../test/support/system.ts";
import { type RunningServer, startServer } from "../app/start-server.ts";
import { signWebhookBody } from "../calcom/webhook-signature.ts";
import { recentRuns } from "../db/run-history.ts";
import { createApp } from "../server/app.ts";

const LEADS = [["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "", ""]];
const idle = { notify: () => undefined };
const PING = JSON.stringify({ triggerEvent: "PING", createdAt: new Date().toISOString(), payload: {} });

/**
 * Item 2 of issue 14: the dashboard is open without a password only for calsync's own sandboxes on a
 * loopback address; anything else needs DASHBOARD_PASSWORD, while the API routes and webhooks keep working.
 */
describeEachDatabase(
  "who may open the dashboard",
  (getDb) => {
    let system: System | undefined;
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
      await system?.close();
      system = undefined;
    });

    /** `calsync serve` as it starts: the HTTP server, worker and schedules on one runtime. */
    const serve = async (hostname: string, sandboxes = { calcom: true, sheets: true, sanity: true }) => {
      system = await startSystem({ db: getDb(), rows: LEADS, sandboxes, env: { PORT: "0" } });
      server = await startServer(system.runtime, hostname);
      const port = new URL(server.url).port;
      return { base: `http://127.0.0.1:${port}`, system };
    };

    it("locks the dashboard of a self-hosted Cal.com on this machine, and keeps the API and webhooks working", async () => {
      // The Cal.com here is not one calsync started: it plays a self-hosted Cal.com at a loopback URL.
      const { base, system } = await serve(LOOPBACK, { calcom: false, sheets: true, sanity: true });
      const locked = await fetch(`${base}/dashboard`);
      expect(locked.status).toBe(503);
      expect(locked.headers.get("content-security-policy")).toContain("script-src 'none'");
      const text = await locked.text();
      expect(text).toContain("Set DASHBOARD_PASSWORD to open the dashboard");
      expect(text).not.toContain("Anna");
      for (const path of ["/dashboard/leads?q=anna", "/dashboard/history", "/dashboard/login"]) {
        expect((await fetch(`${base}${path}`)).status).toBe(503);
      }
      const posted = await fetch(`${base}/dashboard/sync`, { method: "POST", body: new URLSearchParams() });
      expect(posted.status).toBe(503);
      expect(await recentRuns(system.runtime.db)).toEqual([]);

      const sync = await fetch(`${base}/api/sync-calcom-bookings`, {
        method: "POST",
        headers: { authorization: `Bearer ${system.env.SYNC_SECRET}` },
      });
      expect(sync.status).toBe(200);
      const webhook = await fetch(`${base}/api/webhooks/calcom`, {
        method: "POST",
        headers: { "x-cal-signature-256": signWebhookBody(PING, WEBHOOK_SECRET) },
        body: PING,
      });
      expect(webhook.status).toBe(200);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
    });

    it("locks the sandboxes' dashboard too when the server listens on every interface", async () => {
      const { base } = await serve("0.0.0.0");
      const response = await fetch(`${base}/dashboard`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("DASHBOARD_PASSWORD");
    });

    it("opens on the sandboxes at 127.0.0.1, and refuses a page asked for by another host name (DNS rebinding)", async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      const app = createApp(system.runtime, { webhooks: idle, listenHost: LOOPBACK });
      expect((await pageClient(app, "http://localhost:3000").get("/dashboard")).status).toBe(200);

      // A page at rebind.evil.example whose name now resolves to 127.0.0.1 reads and posts as a browser would.
      const attacker = pageClient(app, "http://rebind.evil.example:3000");
      const page = await attacker.get("/dashboard/leads?q=anna");
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain("Anna");
      const forwarded = await attacker.get("/dashboard/leads", { "x-forwarded-host": "localhost:3000" });
      expect(forwarded.status).toBe(403);
      const sync = await attacker.post("/dashboard/sync", { _csrf: "whatever" });
      expect(sync.status).toBe(403);
      expect(await recentRuns(system.runtime.db)).toEqual([]);
    });
  },
  { engines: ["sqlite"] },
);
