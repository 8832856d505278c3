import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { pageClient } from "../../test/support/page-client.ts";
import { inDays, LOOPBACK, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import { recentRuns } from "../db/run-history.ts";
import { createApp } from "../server/app.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";

const LEADS = [["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "", ""]];
const PASSWORD = "correct horse battery staple";
const idle = { notify: () => undefined };
const BIG = "x".repeat(20 * 1024);

/**
 * Items 5 and 10 of issue 14: form bodies are bounded before anything reads them, a broken form gets a
 * fixed answer, the flash cookie holds nothing about a lead, and pages forbid every script.
 */
describeEachDatabase(
  "the dashboard's forms",
  (getDb) => {
    let system: System | undefined;
    afterEach(async () => {
      await system?.close();
      system = undefined;
    });
    const start = async (env: Record<string, string> = {}) => {
      system = await startSystem({
        db: getDb(),
        rows: LEADS,
        env: { CALCOM_EVENT_TYPE_IDS: "3721996", ...env },
      });
      return createApp(system.runtime, { webhooks: idle, listenHost: LOOPBACK });
    };

    it("answers 413 to a body over 16 KB before looking at the session or the form", async () => {
      const app = await start({ DASHBOARD_PASSWORD: PASSWORD });
      const stranger = pageClient(app);
      const declared = await stranger.post("/dashboard/login", { password: BIG });
      expect(declared.status).toBe(413);
      expect(await declared.text()).toContain("larger than 16 KB");
      // A chunked body declares no length: it is counted as it arrives.
      const chunks = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode("y".repeat(1024)));
          controller.close();
        },
      });
      const chunked = await app.request("http://127.0.0.1:3000/dashboard/sync", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", host: "127.0.0.1:3000" },
        body: chunks,
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(await recentRuns(getDb())).toEqual([]);
    });

    it("answers 400 with a fixed message to a form it cannot read, never the parser's words", async () => {
      const app = await start();
      const browser = pageClient(app);
      await browser.get("/dashboard");
      const broken = await app.request("http://127.0.0.1:3000/dashboard/sync", {
        method: "POST",
        headers: {
          host: "127.0.0.1:3000",
          cookie: `calsync_session=${browser.cookies.get("calsync_session")}`,
          "content-type": "multipart/form-data; boundary=----calsync",
        },
        body: '------calsync\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nno end',
      });
      expect(broken.status).toBe(400);
      const text = await broken.text();
      expect(text).toContain("The form could not be read");
      expect(text).not.toMatch(/FormData|boundary|TypeError/i);
      expect(await recentRuns(getDb())).toEqual([]);
    });

    it("keeps the flash message on the server: its cookie is Secure off this machine and names no lead", async () => {
      const app = await start({ DASHBOARD_PASSWORD: PASSWORD });
      await copySheetToSanity(system!.runtime.ctx, { trigger: "cli" });
      const browser = pageClient(app, "http://calsync.example.com");
      await browser.get("/dashboard/login");
      await browser.post("/dashboard/login", { _csrf: browser.csrf(), password: PASSWORD });
      const leadPath = `/dashboard/leads/${leadDocumentId("tel:+447700111111")}`;
      await browser.get(leadPath);

      const when = inDays(3, 11);
      const local = formatBookingTime(when, "Europe/London");
      const booked = await browser.post("/api/book-call", {
        _csrf: browser.csrf(),
        leadId: leadDocumentId("tel:+447700111111"),
        start: `${local.slice(12)}-${local.slice(9, 11)}-${local.slice(6, 8)}T${local.slice(0, 5)}`,
      });
      expect(booked.status).toBe(303);
      const flashCookie = booked.headers.getSetCookie().find((line) => line.startsWith("calsync_flash="));
      expect(flashCookie).toMatch(/;\s*Secure/i);
      const value = decodeURIComponent(flashCookie?.split(";")[0]?.split("=")[1] ?? "");
      for (const text of [value, Buffer.from(value, "base64url").toString("utf8")]) {
        expect(text).not.toMatch(/Anna|Smith|Booked/);
      }
      // The person still reads it on the next page, once.
      const page = await (await browser.get(leadPath)).text();
      expect(page).toContain("Booked Anna Smith for");
      expect(await (await browser.get(leadPath)).text()).not.toContain("Booked Anna Smith for");
    });

    it("forbids every script on its pages, whatever a lead's name holds", async () => {
      const app = await start();
      const response = await pageClient(app).get("/dashboard");
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy).toContain("script-src 'none'");
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("cache-control")).toBe("no-store");
    });
  },
  { engines: ["sqlite"] },
);
