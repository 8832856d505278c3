import type { CalcomSandbox } from "../sandboxes/calcom/index.ts";
import type { SheetsSandbox } from "../sandboxes/sheets/index.ts";
import { buildDemoBookings, type DemoBooking } from "./seed-bookings.ts";
import { buildDemoLeads, DEMO_SHEET_TITLE, type DemoLead, demoSheetRows } from "./seed-leads.ts";

export type DemoSeed = { spreadsheetId: string | null; leads: DemoLead[]; bookings: DemoBooking[] };

/**
 * Loads the sample data into whichever sandboxes run. Bookings go in only when the sheet is a sandbox too:
 * against a real sheet, every sample booker would be appended to it as a new lead.
 */
export function seedSandboxes(args: {
  calcom: CalcomSandbox | null;
  sheets: SheetsSandbox | null;
  now: Date;
  timeZone: string;
}): DemoSeed {
  const { calcom, sheets, now, timeZone } = args;
  const leads = buildDemoLeads({ now, timeZone });
  const spreadsheetId = sheets
    ? sheets.createSpreadsheet({
        title: "Greenstar DBR leads (calsync demo)",
        sheets: [{ title: DEMO_SHEET_TITLE, rows: demoSheetRows(leads) }],
      })
    : null;
  const bookings = calcom && sheets ? buildDemoBookings({ now, timeZone, leads }) : [];
  // addBooking stores them as they are and fires no webhooks: this is the world before calsync starts.
  for (const booking of bookings) calcom?.addBooking(booking.seed);
  return { spreadsheetId, leads, bookings };
}
