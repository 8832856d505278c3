import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDemo, type TestDemo } from "../../test/support/start-test-demo.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { DEMO_SHEET_TITLE } from "./seed-leads.ts";

/**
 * The guide's "Manual Test (Before Going Live)", step by step, as a user runs it against `npm start`:
 * book a call for a lead in the sheet, run the sync by hand, check the answer, the sheet and the dashboard,
 * then run it again and see nothing written twice.
 */
describe("the guide's manual test list, against the demo", () => {
  let demo: TestDemo;
  beforeAll(async () => {
    demo = await startTestDemo();
  });
  afterAll(async () => {
    await demo.close();
  });

  it("passes every step", async () => {
    const calcom = demo.calcom;
    const sheets = demo.sheets;
    if (!calcom || !sheets) throw new Error("the demo runs on its sandboxes here");
    // A lead in the sheet with a phone and an email, and no call yet (columns A status, D phone, E email, X call_booked).
    const grid = sheets.values(demo.seed.spreadsheetId as string, DEMO_SHEET_TITLE).map((r) => r.map(String));
    const rowIndex = grid.findIndex(
      (cells, i) =>
        i > 0 &&
        cells[0] === "NEW" &&
        /^0\d{4} \d{6}$/.test(cells[3] ?? "") &&
        cells[4]?.includes("@") &&
        !cells[23],
    );
    expect(rowIndex).toBeGreaterThan(0);
    const lead = grid[rowIndex] as string[];
    const row = rowIndex + 1;

    // 1. Create a test booking in Cal.com with the phone and email that exist in the sheet. (Webhooks held back:
    //    the guide's test predates them, and the manual run must find the work to do.)
    calcom.setWebhookMode("manual");
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(9, 0, 0, 0);
    await calcom.book({
      start,
      attendee: { name: `${lead[1]} ${lead[2]}`, phone: lead[3] as string, email: lead[4] as string },
    });

    // 2. Run the sync manually.  3. Check the response.
    const run = () =>
      fetch(`${demo.url}/api/sync-calcom-bookings`, {
        headers: { authorization: `Bearer ${demo.syncSecret}` },
      });
    const response = await run();
    expect(response.status).toBe(200);
    const result = (await response.json()) as Record<string, unknown>;
    const bookingTime = formatBookingTime(start, "Europe/London");
    expect(result).toMatchObject({ success: true, updatesApplied: 1 });
    expect(result.bookingsFound).toBeGreaterThanOrEqual(1);
    expect(result.matchesFound).toBeGreaterThanOrEqual(1);
    expect(result.updates).toEqual([{ row, name: `${lead[1]} ${lead[2]}`, bookingTime, action: "booked" }]);

    // 4. Verify the Google Sheet: column A = CALL_BOOKED, column X = the booking time.
    expect(demo.cell(`A${row}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`X${row}`)).toBe(bookingTime);

    // 5. Verify the dashboard: the booking appears under Upcoming Calls.
    const page = await (await fetch(`${demo.url}/dashboard`)).text();
    expect(page).toContain(`${lead[1]} ${lead[2]}`);
    const doc = demo.sanity?.documents().find((d) => d.sheetRow === row);
    expect(doc).toMatchObject({ contactStatus: "CALL_BOOKED", callBooked: bookingTime });

    // 6. Test duplicate prevention: run again at once: updatesApplied 0, no write.
    sheets.resetStats();
    const again = (await (await run()).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ success: true, updatesApplied: 0, updates: [] });
    expect(sheets.stats().writes).toBe(0);
  });
});
