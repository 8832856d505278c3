// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a person reads, which is what these tests assert.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceChromiumMissing, hasChromium, launchChromium } from "../../test/support/chromium.ts";
import { openTestDatabase, type TestDatabase } from "../../test/support/db-harness.ts";
import { type DemoDashboard, startDemoDashboard, TIME_ZONE } from "../../test/support/demo-dashboard.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { atLocalTime } from "../demo/demo-schedule.ts";
import type { DemoLead } from "../demo/seed-leads.ts";

const SCREENSHOT = fileURLToPath(new URL("../../docs/dashboard.png", import.meta.url));
const RUN_SCREENSHOT = fileURLToPath(new URL("../../docs/run-page.png", import.meta.url));
const BOOKING_COLUMN = "X";

announceChromiumMissing();

/**
 * The dashboard as a person uses it, in Chromium, on the demo's data: what they see, what they click, and
 * what lands in the Cal.com and Sheets sandboxes. Skipped (one line) where Debian's Chromium is missing.
 */
describe.skipIf(!hasChromium)("the dashboard in a browser", () => {
  let database: TestDatabase;
  let demo: DemoDashboard;
  let browser: Browser;
  let page: Page;

  /** Two leads nobody has booked yet, each findable by its own email. */
  const freeLeads = (): DemoLead[] => {
    const booked = new Set(demo.seed.bookings.map((booking) => booking.row));
    return demo.seed.leads.filter(
      (lead) =>
        (lead.status === "COLD" || lead.status === "WARM") &&
        lead.email !== null &&
        lead.phone !== null &&
        !booked.has(lead.row) &&
        demo.seed.leads.filter((other) => other.lastName === lead.lastName).length === 1,
    );
  };
  const nameOf = (lead: DemoLead) => `${lead.firstName} ${lead.lastName}`;
  /** A third unbooked lead, for the run page and its undo: found by email, named uniquely. */
  const runLead = (): DemoLead => {
    const booked = new Set(demo.seed.bookings.map((booking) => booking.row));
    const taken = new Set(freeLeads().map((lead) => lead.row));
    return demo.seed.leads.find(
      (lead) =>
        (lead.status === "COLD" || lead.status === "WARM") &&
        lead.email !== null &&
        !booked.has(lead.row) &&
        !taken.has(lead.row) &&
        demo.seed.leads.filter((other) => nameOf(other) === nameOf(lead)).length === 1 &&
        demo.seed.leads.filter((other) => other.email === lead.email).length === 1,
    ) as DemoLead;
  };
  const localTime = (daysAhead: number, time: string) =>
    atLocalTime({ now: new Date(), daysAhead, time, timeZone: TIME_ZONE });
  const upcomingCalls = () => page.locator("#upcoming-calls");

  beforeAll(async () => {
    database = await openTestDatabase("sqlite");
    await database.reset();
    [demo, browser] = await Promise.all([startDemoDashboard(database.db), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await database?.dispose();
  });

  it("opens on the demo data with Upcoming Calls and Hot Leads, on a desktop and on a phone", async () => {
    await page.goto(`${demo.url}/dashboard`);
    await expect.poll(() => page.title()).toBe("Overview · calsync");
    // The sample lead Mark Greenall, booked in Cal.com for 17:00 tomorrow, is on the list once the sync has run.
    const mark = upcomingCalls().locator("li", { hasText: "Mark Greenall" });
    expect(await mark.innerText()).toMatch(/^17:00\s+Mark Greenall\s+CALL_BOOKED/);
    expect(await upcomingCalls().locator("h3").first().innerText()).toMatch(/^(Today|Tomorrow) · /);
    expect(await page.locator("#hot-leads li").count()).toBeGreaterThan(5);

    mkdirSync(fileURLToPath(new URL("../../docs/", import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    await page.setViewportSize({ width: 390, height: 844 });
    // A string, evaluated in the page: this project's TypeScript has no DOM types.
    const fitsPhone = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
    expect(fitsPhone).toBe(true);
    expect(await mark.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("shows a booking made in Cal.com under Upcoming Calls after a sync", async () => {
    const lead = freeLeads()[0] as DemoLead;
    const start = localTime(2, "08:15");
    await demo.calcom.book({ start, attendee: { name: nameOf(lead), email: lead.email as string } });

    await page.goto(`${demo.url}/dashboard`);
    expect(await upcomingCalls().innerText()).not.toContain(nameOf(lead));
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.waitForURL(`${demo.url}/dashboard`);
    expect(await page.locator(".notice.ok").innerText()).toMatch(
      /Cal\.com sync completed: 1 row\(s\) written/,
    );
    const item = upcomingCalls().locator("li", { hasText: nameOf(lead) });
    expect(await item.innerText()).toMatch(new RegExp(`^08:15\\s+${nameOf(lead)}\\s+CALL_BOOKED`));
    expect(demo.cell(`${BOOKING_COLUMN}${lead.row}`)).toBe(formatBookingTime(start, TIME_ZONE));
  });

  it("books a call from a lead's page: Cal.com has it, the sheet shows it, and so does the list", async () => {
    const lead = freeLeads()[1] as DemoLead;
    const start = localTime(3, "08:45");
    await page.goto(`${demo.url}/dashboard`);
    await page.getByRole("link", { name: "Leads", exact: true }).click();
    await page.getByLabel("Find a lead").fill(lead.email as string);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: nameOf(lead) }).click();
    expect(await page.locator("h1").innerText()).toContain(nameOf(lead));
    expect(await page.locator("#bookings").innerText()).toContain("No bookings yet.");

    const local = formatBookingTime(start, TIME_ZONE); // HH:MM DD/MM/YYYY
    const field = `${local.slice(12)}-${local.slice(9, 11)}-${local.slice(6, 8)}T${local.slice(0, 5)}`;
    await page.getByLabel(`Start (${TIME_ZONE})`).fill(field);
    await page.getByRole("button", { name: "Book call" }).click();
    await page.waitForSelector(".notice");
    expect(await page.locator(".notice").innerText()).toMatch(
      new RegExp(`^Booked ${nameOf(lead)} for .*08:45.* The sheet shows it in row ${lead.row}\\.$`),
    );
    expect(await page.locator("#bookings").innerText()).toMatch(/upcoming/);

    const made = demo.calcom.bookings().find((booking) => booking.attendees[0]?.email === lead.email);
    expect(made).toMatchObject({ start: start.toISOString(), status: "accepted", eventTypeId: 3721996 });
    expect(demo.cell(`A${lead.row}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`${BOOKING_COLUMN}${lead.row}`)).toBe(local);

    await page.getByRole("link", { name: "Overview" }).click();
    expect(
      await upcomingCalls()
        .locator("li", { hasText: nameOf(lead) })
        .innerText(),
    ).toMatch(/^08:45/);
  });

  it("opens a run from the history: its counts, and every cell it changed with before, after and why", async () => {
    const lead = runLead();
    const start = localTime(4, "09:30");
    await demo.calcom.book({ start, attendee: { name: nameOf(lead), email: lead.email as string } });
    await page.goto(`${demo.url}/dashboard`);
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.waitForURL(`${demo.url}/dashboard`);

    await page.getByRole("link", { name: "Sync history" }).click();
    await page.locator("#runs tr", { hasText: "Cal.com → sheet" }).first().getByRole("link").click();
    await page.waitForURL(/\/dashboard\/runs\/\d+$/);
    expect(await page.locator("h1").innerText()).toMatch(/^Run \d+ ok$/);
    expect(await page.locator("#counts").innerText()).toMatch(
      /2\s+cell change\(s\)\s+0\s+Cal\.com action\(s\)\s+1\s+Sanity document\(s\)\s+0\s+warning\(s\)\s+0\s+conflict\(s\)/,
    );
    const rows = page.locator("#changes tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(
      new RegExp(
        `^${lead.row}\\s+${nameOf(lead)}\\s+Contact_Status\\s+${lead.status}\\s+CALL_BOOKED\\s+poll Cal\\.com, read by the dashboard sync`,
      ),
    );
    expect(await rows.nth(1).innerText()).toContain(formatBookingTime(start, TIME_ZONE));
    expect(await rows.nth(1).innerText()).toMatch(/call booked for .* \(booking \w+\)/);
    await page.screenshot({ path: RUN_SCREENSHOT });
  });

  it("confirms an undo with what it will change, then restores the cells in the sheet", async () => {
    const lead = runLead();
    expect(demo.cell(`A${lead.row}`)).toBe("CALL_BOOKED");
    const runUrl = page.url();
    await page.getByRole("link", { name: "Undo this run…" }).click();
    expect(await page.locator("h1").innerText()).toMatch(/^Undo run \d+\?$/);
    const restore = page.locator("#will-restore tbody tr");
    expect(await restore.count()).toBe(2);
    expect(await page.locator("#will-restore").innerText()).toMatch(
      new RegExp(`${lead.row}\\s+Contact_Status\\s+CALL_BOOKED\\s+${lead.status}`),
    );
    expect(await page.locator("#not-undone").innerText()).toContain("This run took no action in Cal.com.");
    // Nothing changed by looking.
    expect(demo.cell(`A${lead.row}`)).toBe("CALL_BOOKED");

    await page.getByRole("button", { name: "Restore 2 cell(s)" }).click();
    await page.waitForURL((url) => /\/dashboard\/runs\/\d+$/.test(url.pathname) && url.href !== runUrl);
    expect(await page.locator(".notice.ok").innerText()).toMatch(
      /^Undo of run \d+: 2 cell\(s\) restored, 0 skipped\.$/,
    );
    expect(await page.locator("h1").innerText()).toMatch(/^Run \d+ ok$/);
    expect(demo.cell(`A${lead.row}`)).toBe(lead.status);
    expect(demo.cell(`${BOOKING_COLUMN}${lead.row}`)).toBe("");
  });

  it("shows a lead's timeline, newest first: the undo, the booking written, and Cal.com's report", async () => {
    const lead = runLead();
    await page.getByRole("link", { name: "Leads", exact: true }).click();
    await page.getByLabel("Find a lead").fill(lead.email as string);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: nameOf(lead) }).click();
    const items = page.locator("#timeline li");
    const texts = await items.allInnerTexts();
    const at = (pattern: RegExp) => texts.findIndex((text) => pattern.test(text));
    const undone = at(new RegExp(`Contact_Status: "CALL_BOOKED" → "${lead.status}"[\\s\\S]*the undo of run`));
    const written = at(
      new RegExp(`Contact_Status: "${lead.status}" → "CALL_BOOKED"[\\s\\S]*call booked for`),
    );
    const reported = at(/^Cal\.com\s+Cal\.com: call booked for [\s\S]*reported by a poll of Cal\.com/);
    expect(
      [undone, written, reported].every((index) => index >= 0),
      texts.join("\n"),
    ).toBe(true);
    expect(undone).toBeLessThan(written);
    expect(written).toBeLessThan(reported);
    await items.nth(undone).getByRole("link").click();
    await page.waitForURL(/\/dashboard\/runs\/\d+$/);
    expect(await page.locator("p.meta").first().innerText()).toMatch(/^Undo · trigger dashboard/);
  });

  it("asks for DASHBOARD_PASSWORD when one is set, and shows nothing without it", async () => {
    const url = await demo.serveWith({ DASHBOARD_PASSWORD: "letmein-please" });
    const visitor = await browser.newPage();
    try {
      await visitor.goto(`${url}/dashboard/history`);
      expect(visitor.url()).toContain("/dashboard/login");
      await visitor.getByLabel("Password").fill("guess");
      await visitor.getByRole("button", { name: "Log in" }).click();
      expect(await visitor.locator("[role=alert]").innerText()).toBe("That password is not right.");
      await visitor.goto(`${url}/dashboard`);
      expect(visitor.url()).toContain("/dashboard/login");
      expect(await visitor.content()).not.toContain("Mark Greenall");

      await visitor.getByLabel("Password").fill("letmein-please");
      await visitor.getByRole("button", { name: "Log in" }).click();
      await visitor.waitForURL(`${url}/dashboard`);
      expect(await visitor.locator("#upcoming-calls").innerText()).toContain("Mark Greenall");
      await visitor.getByRole("button", { name: "Log out" }).click();
      await visitor.waitForURL(/\/dashboard\/login$/);
    } finally {
      await visitor.close();
    }
  });
});
