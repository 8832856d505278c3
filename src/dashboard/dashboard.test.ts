import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { pageClient } from "../../test/support/page-client.ts";
import { inDays, LOOPBACK, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import { createApp } from "../server/app.ts";
import { copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo", ""],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", "", ""],
  ["WARM", "Dev", "Patel", "", "dev@example.com", "", "", ""],
];
const idle = { notify: () => undefined };
const text = (response: Response) => response.text();
const visibleText = (page: string) =>
  page
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describeEachDatabase(
  "the dashboard over HTTP",
  (getDb) => {
    let system: System;
    const start = async (env: Record<string, string> = {}, rows = LEADS) => {
      system = await startSystem({ db: getDb(), rows, env: { CALCOM_EVENT_TYPE_IDS: "3721996", ...env } });
      return pageClient(createApp(system.runtime, { webhooks: idle, listenHost: LOOPBACK }));
    };
    const syncAll = async () => {
      await runBookingSync(system.runtime.ctx, { trigger: "cli" });
      await copySheetToSanity(system.runtime.ctx, { trigger: "cli" });
    };
    afterEach(async () => {
      await system?.close();
    });

    it("shows Upcoming Calls of the next 7 days in TIMEZONE and Hot Leads with their next call", async () => {
      const browser = await start();
      const soon = inDays(1, 9);
      const later = inDays(3, 14);
      await system.calcom.book({ start: later, attendee: { name: "Anna Smith", email: "anna@example.com" } });
      await system.calcom.book({ start: soon, attendee: { name: "Dev Patel", email: "dev@example.com" } });
      await system.calcom.book({
        start: inDays(9),
        attendee: { name: "Dev Patel", email: "dev@example.com" },
      });
      await syncAll();

      const response = await browser.get("/dashboard");
      expect(response.status).toBe(200);
      // Never framed by another site, never kept by a shared cache.
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect((await browser.get("/dashboard/no-such-page")).status).toBe(404);
      const page = visibleText(await text(response));
      const upcoming = page.slice(page.indexOf("Upcoming Calls"), page.indexOf("Hot Leads"));
      const clock = (d: Date) => formatBookingTime(d, "Europe/London").slice(0, 5);
      // Earliest first; the call 9 days out is not in the week.
      expect(upcoming).toMatch(
        new RegExp(`${clock(soon)} Dev Patel CALL_BOOKED.*${clock(later)} Anna Smith`),
      );
      expect(upcoming.match(/Dev Patel/g)).toHaveLength(1);
      expect(upcoming).toContain("Open in Cal.com");
      // Anna's status is now CALL_BOOKED, so only Mark is still hot.
      const hot = page.slice(page.indexOf("Hot Leads"));
      expect(hot).toContain("Mark Greenall");
      expect(hot).not.toContain("Anna Smith");
      expect(hot).toContain("No call booked");
    });

    it("shows a lead's bookings and sheet row, and books a call from its page into Cal.com and the sheet", async () => {
      const browser = await start();
      const first = await system.calcom.book({
        start: inDays(2),
        attendee: { name: "Mark Greenall", phone: "+447700123456" },
      });
      await system.calcom.cancel(first.uid, "cannot make it");
      await syncAll();

      const leadPath = `/dashboard/leads/${leadDocumentId("tel:+447700123456")}`;
      const page = visibleText(await text(await browser.get(leadPath)));
      expect(page).toContain("Mark Greenall");
      expect(page).toMatch(/cancelled Open in Cal\.com/);
      expect(page).toMatch(/Company Greenstar/);

      const when = inDays(4, 15);
      const local = formatBookingTime(when, "Europe/London"); // HH:MM DD/MM/YYYY
      const [hh, dd, mm, yyyy] = [local.slice(0, 5), local.slice(6, 8), local.slice(9, 11), local.slice(12)];
      const booked = await browser.post("/api/book-call", {
        _csrf: browser.csrf(),
        leadId: leadDocumentId("tel:+447700123456"),
        start: `${yyyy}-${mm}-${dd}T${hh}`,
        eventTypeId: "3721996",
      });
      expect(booked.status).toBe(303);
      expect(booked.headers.get("location")).toBe(leadPath);
      const made = system.calcom.bookings().find((b) => b.status === "accepted");
      expect(made).toMatchObject({ start: when.toISOString(), eventTypeId: 3721996 });
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect(system.cell("H3")).toBe(local);

      const after = visibleText(await text(await browser.get(leadPath)));
      expect(after).toContain(`Booked Mark Greenall for`);
      expect(after).toMatch(/upcoming Open in Cal\.com/);
      expect(after).toMatch(new RegExp(`call_booked ${local.replace(/\//g, "\\/")}`));
    });

    it("books a call for API callers with the bearer secret, and refuses without it", async () => {
      const browser = await start();
      const app = createApp(system.runtime, { webhooks: idle, listenHost: LOOPBACK });
      const body = JSON.stringify({ leadKey: "mailto:dev@example.com", start: inDays(2, 11).toISOString() });
      const post = (headers: Record<string, string>) =>
        app.request("/api/book-call", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: "Bearer wrong" })).status).toBe(401);
      // A form post without the dashboard's token is refused too.
      expect((await browser.post("/api/book-call", { leadId: "x", start: "2030-01-01T10:00" })).status).toBe(
        403,
      );
      expect(system.calcom.bookings()).toHaveLength(0);

      const response = await post({ authorization: `Bearer ${system.env.SYNC_SECRET}` });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({
        success: true,
        booking: { start: inDays(2, 11).toISOString(), status: "accepted" },
        lead: { row: 4, name: "Dev Patel" },
        sync: { success: true, updatesApplied: 1 },
      });
      expect(system.cell("A4")).toBe("CALL_BOOKED");

      const taken = await post({ authorization: `Bearer ${system.env.SYNC_SECRET}` });
      expect(taken.status).toBe(422);
      const past = await app.request("/api/book-call", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${system.env.SYNC_SECRET}` },
        body: JSON.stringify({ row: 2, start: "2020-01-01T10:00:00Z" }),
      });
      expect(past.status).toBe(400);
    });

    it("lists bookings that need attention, and adds a booker as a new lead or links one to a row", async () => {
      const rows = [
        ...LEADS,
        ["WARM", "Sam", "Lee", "07700 555555", "sam@example.com", "", "", ""],
        ["COLD", "Alex", "Lee", "07700 555555", "alex@example.com", "", "", ""],
      ];
      const browser = await start({ AUTO_ADD_UNKNOWN: "false" }, rows);
      await system.calcom.book({
        start: inDays(2),
        attendee: { name: "Nina New", email: "nina@example.com" },
      });
      await system.calcom.book({ start: inDays(3), attendee: { name: "S Lee", phone: "07700555555" } });
      await syncAll();

      const page = visibleText(await text(await browser.get("/dashboard/attention")));
      expect(page).toMatch(/match no lead Nina New/);
      expect(page).toMatch(/more than one row S Lee .* Link to row 5 Link to row 6/);
      expect(visibleText(await text(await browser.get("/dashboard")))).toContain(
        "2 booking(s) need attention",
      );

      const nina = system.calcom.bookings().find((b) => b.attendees[0]?.name === "Nina New");
      const added = await browser.post("/dashboard/attention/add-lead", {
        _csrf: browser.csrf(),
        uid: nina?.uid ?? "",
      });
      expect(added.status).toBe(303);
      expect(system.grid()[6]?.slice(0, 5)).toEqual(["CALL_BOOKED", "Nina", "New", "", "nina@example.com"]);

      const lee = system.calcom.bookings().find((b) => b.attendees[0]?.name === "S Lee");
      await browser.get("/dashboard/attention");
      const linked = await browser.post("/dashboard/attention/link", {
        _csrf: browser.csrf(),
        uid: lee?.uid ?? "",
        row: "6",
      });
      expect(linked.status).toBe(303);
      expect(system.cell("A6")).toBe("CALL_BOOKED");
      expect(system.cell("A5")).toBe("WARM");

      const after = visibleText(await text(await browser.get("/dashboard/attention")));
      expect(after).toContain("Linked the booking to row 6 (Alex Lee).");
      expect(after).toMatch(/match no lead None\./);
      expect(after).toMatch(/more than one row None\./);
    });

    it("lists sheet edits put back, and confirms held sheet edits so they act on Cal.com", async () => {
      const browser = await start({ MAX_REVERSE_ACTIONS_PER_RUN: "1" });
      const anna = await system.calcom.book({
        start: inDays(2),
        attendee: { name: "Anna Smith", email: "anna@example.com" },
      });
      const mark = await system.calcom.book({
        start: inDays(3),
        attendee: { name: "Mark G", phone: "07700123456" },
      });
      const devTime = inDays(4);
      await system.calcom.book({ start: devTime, attendee: { name: "Dev Patel", email: "dev@example.com" } });
      await syncAll();
      const type = (a1: string, value: string) =>
        system.sheets.typeCell(system.spreadsheetId, "Lead List", a1, value);
      type("A2", "CALL_CANCELLED");
      type("A3", "CALL_CANCELLED");
      type("H4", "whenever");
      await runBookingSync(system.runtime.ctx, { trigger: "cli" });

      const page = visibleText(await text(await browser.get("/dashboard/attention")));
      expect(page).toContain("2 Cal.com action(s) from sheet edits are held");
      expect(page).toContain(
        `Row 4 (Dev Patel): "whenever" was put back to "${formatBookingTime(devTime, "Europe/London")}"`,
      );
      expect(system.calcom.booking(anna.uid)?.status).toBe("accepted");

      const confirmed = await browser.post("/dashboard/sync", { _csrf: browser.csrf(), confirmReverse: "1" });
      expect(confirmed.status).toBe(303);
      expect(system.calcom.booking(anna.uid)?.status).toBe("cancelled");
      expect(system.calcom.booking(mark.uid)?.status).toBe("cancelled");
      expect(visibleText(await text(await browser.get("/dashboard/attention")))).not.toContain(
        "Confirm and act on them in Cal.com",
      );
    });

    it("shows the last runs, webhook events and whether each system answers", async () => {
      const browser = await start();
      await syncAll();
      // Sanity refuses the next copy's read and the page's check of it.
      system.sanity.failNext({ status: 403, kind: "query", count: 2 });
      await copySheetToSanity(system.runtime.ctx, { trigger: "schedule" });
      const page = visibleText(await text(await browser.get("/dashboard/history")));
      expect(page).toMatch(/Cal\.com answering/);
      expect(page).toMatch(/Google Sheets answering \("Lead List", 3 row\(s\)/);
      expect(page).toMatch(/down Sanity/);
      expect(page).toMatch(/Database answering/);
      expect(page).toMatch(/0 received in the last 24 hours, 0 pending/);
      expect(page).toMatch(/Sheet → Sanity schedule failed Sanity: .*\(check SANITY_TOKEN/);
      expect(page).toMatch(/Sheet → Sanity cli ok 3 lead\(s\) copied, 0 archived, of 3/);
      expect(page).toMatch(/Cal\.com → sheet cli ok 0 booking\(s\) read/);
    });

    it("needs the password when DASHBOARD_PASSWORD is set, with a signed session cookie and CSRF on every form", async () => {
      const browser = await start({ DASHBOARD_PASSWORD: "correct horse" });
      const first = await browser.get("/dashboard/leads?q=anna");
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toBe("/dashboard/login?next=%2Fdashboard%2Fleads%3Fq%3Danna");
      expect((await browser.post("/dashboard/sync", { _csrf: "x" })).status).toBe(401);

      await browser.get("/dashboard/login");
      const wrong = await browser.post("/dashboard/login", { _csrf: browser.csrf(), password: "guess" });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain("That password is not right.");
      expect((await browser.post("/dashboard/login", { password: "correct horse" })).status).toBe(403);

      const right = await browser.post("/dashboard/login", {
        _csrf: browser.csrf(),
        password: "correct horse",
        next: "/dashboard/leads?q=anna",
      });
      expect(right.status).toBe(303);
      expect(right.headers.get("location")).toBe("/dashboard/leads?q=anna");
      expect(right.headers.getSetCookie().join()).toMatch(/calsync_session=.*HttpOnly.*SameSite=Lax/i);
      expect((await browser.get("/dashboard/leads?q=anna")).status).toBe(200);

      // Forms need this session's token; another site's post is refused even with it.
      expect((await browser.post("/dashboard/sync", { _csrf: "forged" })).status).toBe(403);
      const csrf = browser.csrf();
      expect(
        (await browser.post("/dashboard/sync", { _csrf: csrf }, { origin: "https://evil.example" })).status,
      ).toBe(403);
      expect((await browser.post("/dashboard/sync", { _csrf: csrf })).status).toBe(303);

      // Behind an HTTPS proxy, or reached by a name other than this machine, the cookie is Secure.
      const app = createApp(system.runtime, { webhooks: idle, listenHost: LOOPBACK });
      for (const headers of [{ "x-forwarded-proto": "https" }, { host: "calsync.example.com" }]) {
        const login = await app.request("http://127.0.0.1/dashboard/login", { headers });
        expect(login.headers.getSetCookie().join()).toMatch(/calsync_session=.*;\s*Secure/i);
      }

      // A tampered cookie is a stranger.
      const session = browser.cookies.get("calsync_session") ?? "";
      browser.cookies.set(
        "calsync_session",
        session.replace(/^./, (c) => (c === "e" ? "f" : "e")),
      );
      expect((await browser.get("/dashboard")).status).toBe(303);
    });
  },
  { engines: ["sqlite"] },
);
