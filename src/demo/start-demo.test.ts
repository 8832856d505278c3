import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDemo, type TestDemo } from "../../test/support/start-test-demo.ts";
import { LEAD_HEADER, SHEET_TITLE } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { ConfigError } from "../errors.ts";
import { startCalcomSandbox } from "../sandboxes/calcom/index.ts";
import { startSheetsSandbox } from "../sandboxes/sheets/sandbox.ts";
import { demoSchedule } from "./demo-schedule.ts";
import { UNKNOWN_BOOKER } from "./seed-bookings.ts";
import { DEMO_ROWS } from "./seed-leads.ts";
import { startDemo } from "./start-demo.ts";

const TZ = "Europe/London";

describe("the demo with no credentials set", () => {
  let demo: TestDemo;
  let at: (date: Date) => string;
  let schedule: ReturnType<typeof demoSchedule>;
  beforeAll(async () => {
    demo = await startTestDemo();
    schedule = demoSchedule(demo.seededAt, TZ);
    at = (date) => formatBookingTime(date, TZ);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it("runs all three sandboxes and prints where everything is", () => {
    expect(demo.calcom).not.toBeNull();
    expect(demo.sheets).not.toBeNull();
    expect(demo.sanity).not.toBeNull();
    const banner = demo.printed.join("\n");
    expect(banner).toContain(`Dashboard       http://localhost:${demo.port}`);
    expect(banner).toContain(`http://localhost:${demo.port}/demo`);
    expect(banner).toContain(demo.calcom?.url);
    expect(banner).toContain(demo.sheets?.url);
    expect(banner).toContain(demo.sanity?.url);
    expect(banner).toContain(`Authorization: Bearer ${demo.syncSecret}`);
    expect(banner).toContain("/api/sync-calcom-bookings");
    expect(banner).toContain("*/5 * * * *");
  });

  it("opens the dashboard at the printed address", async () => {
    const response = await fetch(demo.url, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/dashboard");
  });

  it("serves the real app on its port, the sync route answering with the printed secret", async () => {
    const response = await fetch(`${demo.url}/api/sync-calcom-bookings`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.syncSecret}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ success: true, updatesApplied: 0 });
  });

  it("first sync books Mark Greenall's row 45 (the sample booking scenario)", () => {
    expect(demo.firstSync).toMatchObject({ success: true, ambiguous: [], unmatched: [] });
    expect(demo.cell("A45")).toBe("CALL_BOOKED");
    expect(demo.cell("X45")).toBe(at(schedule.mark));
    expect(demo.firstSync.updates).toContainEqual({
      row: 45,
      name: "Mark Greenall",
      bookingTime: at(schedule.mark),
      action: "booked",
    });
  });

  it("first sync moves the rescheduled call to its new time", () => {
    expect(demo.cell(`A${DEMO_ROWS.rescheduled}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`X${DEMO_ROWS.rescheduled}`)).toBe(at(schedule.rescheduledTo));
    expect(demo.firstSync.updates).toContainEqual(
      expect.objectContaining({ row: DEMO_ROWS.rescheduled, action: "rescheduled" }),
    );
  });

  it("first sync marks the cancelled lead CALL_CANCELLED and clears its time", () => {
    expect(demo.cell(`A${DEMO_ROWS.cancelled}`)).toBe("CALL_CANCELLED");
    expect(demo.cell(`X${DEMO_ROWS.cancelled}`)).toBe("");
  });

  it("first sync shows the earlier of two upcoming calls", () => {
    expect(demo.cell(`A${DEMO_ROWS.twoCalls}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`X${DEMO_ROWS.twoCalls}`)).toBe(at(schedule.twoCalls[0]));
  });

  it("first sync matches the booker who left no phone by email", () => {
    expect(demo.cell(`A${DEMO_ROWS.emailOnly}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`X${DEMO_ROWS.emailOnly}`)).toBe(at(schedule.emailOnly));
  });

  it("first sync writes the protected CUSTOMER's call time and keeps their status", () => {
    expect(demo.cell(`A${DEMO_ROWS.protectedLead}`)).toBe("CUSTOMER");
    expect(demo.cell(`X${DEMO_ROWS.protectedLead}`)).toBe(at(schedule.protectedLead));
  });

  it("first sync appends the unknown booker as a new row", () => {
    const row = DEMO_ROWS.unknownBooker;
    expect(["A", "B", "C", "D", "E", "X"].map((column) => demo.cell(`${column}${row}`))).toEqual([
      "CALL_BOOKED",
      "New",
      "Customer",
      UNKNOWN_BOOKER.phone,
      UNKNOWN_BOOKER.email,
      at(schedule.unknownBooker),
    ]);
    expect(demo.firstSync.added).toBe(1);
  });

  it("first sync leaves calls that already took place as the sheet shows them", () => {
    for (const row of DEMO_ROWS.past) {
      expect(demo.cell(`A${row}`)).toBe("CALL_BOOKED");
      expect(demo.firstSync.updates.map((update) => update.row)).not.toContain(row);
    }
  });

  it("first sync books every other matched lead whatever the sheet's phone format", () => {
    for (const booking of demo.seed.bookings.filter((b) => b.role === "matched")) {
      expect(demo.cell(`X${booking.row}`), `row ${booking.row}`).toBe(at(booking.seed.start));
    }
  });

  it("fills the dashboard's Sanity dataset with every lead, Mark Greenall booked", () => {
    const leads = demo.sanity?.documents().filter((doc) => doc._type === "dbrLead") ?? [];
    expect(leads.length).toBeGreaterThanOrEqual(200);
    expect(leads).toContainEqual(
      expect.objectContaining({
        firstName: "Mark",
        lastName: "Greenall",
        contactStatus: "CALL_BOOKED",
        sheetRow: 45,
      }),
    );
  });
});

describe("stopping the demo", () => {
  it("resolves, frees its port and closes the sandboxes", async () => {
    const demo = await startTestDemo();
    const sandboxUrls = [demo.calcom?.url, demo.sheets?.url, demo.sanity?.url] as string[];
    await demo.close();
    await demo.stop(); // a second Ctrl-C finds nothing left to do

    await expect(fetch(`${demo.url}/api/health`)).rejects.toThrow();
    for (const url of sandboxUrls) await expect(fetch(url)).rejects.toThrow();
    await expect(listenOn(demo.port)).resolves.toBe(demo.port);
  });
});

describe("the demo with real credentials set", () => {
  it("uses the real Cal.com instead of starting its sandbox, and seeds no sample bookings", async () => {
    // Another Cal.com, started here, plays the person's real account.
    const real = await startCalcomSandbox();
    const booked = real.addBooking({
      start: new Date(Date.now() + 2 * 86_400_000),
      attendee: { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" },
    });
    const demo = await startTestDemo({ CALCOM_API_KEY: real.apiKey, CALCOM_API_URL: real.url });
    try {
      expect(demo.calcom).toBeNull();
      expect(demo.seed.bookings).toEqual([]);
      expect(demo.printed.join("\n")).toMatch(/Cal\.com +REAL/);
      expect(demo.cell("X45")).toBe(formatBookingTime(booked.start, TZ));
    } finally {
      await demo.close();
      await real.close();
    }
  });

  it("refuses an incomplete real system before starting anything, naming what is missing", async () => {
    const dbDir = join(mkdtempSync(join(tmpdir(), "calsync-demo-")), "demo-db");
    const start = startDemo({ env: { SANITY_PROJECT_ID: "my-project" }, port: 0, dbDir, log: () => {} });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/SANITY_TOKEN/);
    expect(existsSync(dbDir)).toBe(false);
  });
});

describe("the demo controls with anything real in play", () => {
  it("are not mounted when the sheet is real: nothing of it is listed, and nothing is appended to it", async () => {
    // Another Sheets server, started here, plays the person's real Google Sheet.
    const real = await startSheetsSandbox();
    const realRows = [LEAD_HEADER, ["HOT", "Rita", "Real", "07700 900123", "rita@example.com", "", "", ""]];
    const spreadsheetId = real.createSpreadsheet({
      title: "Leads",
      sheets: [{ title: SHEET_TITLE, rows: realRows }],
    });
    const demo = await startTestDemo({
      GOOGLE_SHEETS_SPREADSHEET_ID: spreadsheetId,
      GOOGLE_SHEETS_SHEET_NAME: SHEET_TITLE,
      GOOGLE_SHEETS_API_URL: real.url,
      GOOGLE_ACCESS_TOKEN: "real-sheet-token",
    });
    try {
      expect(demo.controlUrl).toBeNull();
      expect(demo.printed.join("\n")).toMatch(/Demo controls +off: .*GOOGLE_SHEETS_SPREADSHEET_ID/);
      const page = await fetch(`${demo.url}/demo`);
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain("Rita");
      const book = await fetch(`${demo.url}/demo/book`, {
        method: "POST",
        body: new URLSearchParams({
          name: "Stranger Danger",
          email: "s@example.com",
          start: "2030-01-07T10:00",
        }),
      });
      expect(book.status).toBe(404);
      await demo.webhooksIdle();
      expect(demo.calcom?.bookings()).toEqual([]);
      expect(real.values(spreadsheetId, SHEET_TITLE)).toHaveLength(2);
      // The real sheet's leads are not on an open dashboard either (item 2).
      expect((await fetch(`${demo.url}/dashboard`)).status).toBe(503);
    } finally {
      await demo.close();
      await real.close();
    }
  });

  it("are not mounted while any real credential is set, even one the sandboxes would not use", async () => {
    const demo = await startTestDemo({ SANITY_TOKEN: "sk-real-sanity-token-0123456789" });
    try {
      expect(demo.sanity).not.toBeNull();
      expect(demo.controlUrl).toBeNull();
      expect((await fetch(`${demo.url}/demo`)).status).toBe(404);
    } finally {
      await demo.close();
    }
  });
});

describe("a demo whose port is taken", () => {
  it("fails with EADDRINUSE before starting anything", async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, "127.0.0.1", () => resolve((holder.address() as { port: number }).port)),
    );
    const dbDir = join(mkdtempSync(join(tmpdir(), "calsync-demo-")), "demo-db");
    try {
      await expect(
        startDemo({ env: { LOG_LEVEL: "silent" }, port, dbDir, log: () => {} }),
      ).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
      expect(existsSync(dbDir)).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(port)));
  });
}
