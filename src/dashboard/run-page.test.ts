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
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "", ""],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", "", ""],
];
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const london = (date: Date) => formatBookingTime(date, "Europe/London");
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

/** Issue 15's pages over HTTP: the run page, the undo confirmation and the lead page's timeline. */
describeEachDatabase("the run page, undo and the lead timeline", (getDb) => {
  let system: System;
  const start = async () => {
    system = await startSystem({ db: getDb(), rows: LEADS, env: { CALCOM_EVENT_TYPE_IDS: "3721996" } });
    return pageClient(
      createApp(system.runtime, { webhooks: { notify: () => undefined }, listenHost: LOOPBACK }),
    );
  };
  const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
  afterEach(async () => {
    await system?.close();
  });

  it("links each run of the history to its page, which lists every cell change with its counts", async () => {
    const browser = await start();
    const when = inDays(2);
    const booking = await system.calcom.book({ start: when, attendee: mark });
    const run = await sync();

    const history = await (await browser.get("/dashboard/history")).text();
    expect(history).toContain(`href="/dashboard/runs/${run.runId}"`);
    const response = await browser.get(`/dashboard/runs/${run.runId}`);
    expect(response.status).toBe(200);
    const page = visibleText(await response.text());
    expect(page).toContain(`Run ${run.runId} ok`);
    expect(page).toMatch(
      /2 cell change\(s\) 0 Cal\.com action\(s\) 1 Sanity document\(s\) 0 warning\(s\) 0 conflict\(s\)/,
    );
    expect(page).toContain(
      `3 Mark Greenall Contact_Status HOT CALL_BOOKED poll Cal.com, read by the cli sync: call booked for ${london(when)} (booking ${booking.uid})`,
    );
    expect(page).toContain(`3 Mark Greenall call_booked (empty) ${london(when)} poll`);
    expect(page).toContain("Undo this run…");
    expect((await browser.get("/dashboard/runs/999")).status).toBe(404);
  });

  it("shows what an undo will change before it does it, and does it on confirmation", async () => {
    const browser = await start();
    const when = inDays(2);
    await system.calcom.book({ start: when, attendee: mark });
    await system.calcom.book({
      start: inDays(3),
      attendee: { name: "Anna Smith", email: "anna@example.com" },
    });
    const run = await sync();
    system.sheets.typeCell(system.spreadsheetId, "Lead List", "H2", "call her first");

    const confirm = visibleText(await (await browser.get(`/dashboard/runs/${run.runId}/undo`)).text());
    expect(confirm).toContain(`Undo run ${run.runId}?`);
    expect(confirm).toContain(
      `Will be restored (3) Row Column Now Goes back to 2 Contact_Status CALL_BOOKED HOT 3 call_booked ${london(when)} (empty) 3 Contact_Status CALL_BOOKED HOT`,
    );
    expect(confirm).toContain(
      'Will be left as they are (1) Row 2, call_booked: changed since: it holds "call her first" now',
    );
    expect(confirm).toContain("Restore 3 cell(s)");
    // Looking changed nothing.
    expect(system.cell("A3")).toBe("CALL_BOOKED");

    // The form needs the session's token.
    expect((await browser.post(`/dashboard/runs/${run.runId}/undo`, { _csrf: "forged" })).status).toBe(403);
    expect(system.cell("A3")).toBe("CALL_BOOKED");
    const done = await browser.post(`/dashboard/runs/${run.runId}/undo`, { _csrf: browser.csrf() });
    expect(done.status).toBe(303);
    const location = done.headers.get("location") ?? "";
    expect(location).toMatch(/^\/dashboard\/runs\/\d+$/);
    expect(location).not.toBe(`/dashboard/runs/${run.runId}`);
    expect([system.cell("A2"), system.cell("H2"), system.cell("A3"), system.cell("H3")]).toEqual([
      "HOT",
      "call her first",
      "HOT",
      "",
    ]);
    const undoPage = visibleText(await (await browser.get(location)).text());
    expect(undoPage).toContain(`Undo of run ${run.runId}: 3 cell(s) restored, 1 skipped.`);
    expect(undoPage).toContain(`undoes run ${run.runId}`);
    expect(undoPage).toMatch(/3 cell change\(s\)/);
  });

  it("shows a lead's timeline, newest first: bookings as Cal.com reported them, the row's changes and why, Cal.com actions", async () => {
    const browser = await start();
    await sync(); // the first read
    const when = inDays(2);
    const booking = await system.calcom.book({ start: when, attendee: mark });
    await sync();
    system.sheets.typeCell(system.spreadsheetId, "Lead List", "H3", "soonish");
    await sync();
    system.sheets.typeCell(system.spreadsheetId, "Lead List", "A3", "CALL_CANCELLED");
    await sync();
    await copySheetToSanity(system.runtime.ctx, { trigger: "cli" });

    const page = visibleText(
      await (await browser.get(`/dashboard/leads/${leadDocumentId("tel:+447700123456")}`)).text(),
    );
    const timeline = page.slice(page.indexOf("Timeline"));
    const order = [
      `sheet row 3, call_booked: "${london(when)}" → (empty) a sheet edit (calsync cancelled the call in Cal.com)`,
      'Cal.com action calsync cancelled the call in Cal.com "CALL_CANCELLED" was typed in the status cell',
      'put back Sheet edit put back: row 3, call_booked: "soonish" → ',
      `sheet row 3, Contact_Status: "HOT" → "CALL_BOOKED" Cal.com, read by the cli sync: call booked for ${london(when)} (booking ${booking.uid})`,
      `Cal.com Cal.com: call booked for ${london(when)} no webhook reported it booking ${booking.uid}, reported by a poll of Cal.com`,
    ].map((text) => timeline.indexOf(text));
    expect(
      order.every((at) => at >= 0),
      timeline,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("records a call booked from the lead page as the run's Cal.com action", async () => {
    const browser = await start();
    await sync();
    const leadPath = `/dashboard/leads/${leadDocumentId("tel:+447700123456")}`;
    await copySheetToSanity(system.runtime.ctx, { trigger: "cli" });
    await browser.get(leadPath);
    const when = inDays(4, 15);
    const local = london(when);
    const field = `${local.slice(12)}-${local.slice(9, 11)}-${local.slice(6, 8)}T${local.slice(0, 5)}`;
    const booked = await browser.post("/api/book-call", {
      _csrf: browser.csrf(),
      leadId: leadDocumentId("tel:+447700123456"),
      start: field,
      eventTypeId: "3721996",
    });
    expect(booked.status).toBe(303);
    const made = system.calcom.bookings().find((b) => b.status === "accepted");
    const [{ id: runId }] = (await getDb().query<{ id: number }>(
      "select max(id) as id from sync_runs where kind = 'booking-sync' and trigger = 'dashboard'",
    )) as [{ id: number }];
    const page = visibleText(await (await browser.get(`/dashboard/runs/${runId}`)).text());
    expect(page).toContain(`book Mark Greenall · row 3 · ${local}`);
    expect(page).toContain(`the dashboard's Book call: calsync booked the call in Cal.com for ${local}`);
    expect(page).toContain(`booking ${made?.uid} · Open in Cal.com`);
    expect(page).toContain(`dashboard the dashboard (booked a call for ${local}): call booked for ${local}`);
    // A call calsync booked is no webhook that went missing.
    const timeline = visibleText(await (await browser.get(leadPath)).text());
    expect(timeline).not.toContain("no webhook reported it");
  });
});
