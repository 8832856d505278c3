/**
 * The original hourly sync that calsync replaces (the document the project started from, which is not in
 * this repository), re-implemented as faithfully as that document allows, for the bench only: the
 * yardstick calsync is measured against ("the guide's algorithm" in the bench's output). Its flaws are kept on purpose
 * (one page of bookings, a linear scan per booking, an "already synced" check that never fires, one Sheets
 * write per row, no retry); each place where the guide is silent and we had to choose says so.
 */
import { createSanityClient } from "../src/sanity/client.ts";
import { createSheetsApi } from "../src/sheets/google-api.ts";
import { COLUMN, EVENT_TYPE_ID } from "./seed.ts";

export type GuideConnection = {
  calcomUrl: string;
  calcomApiKey: string;
  sheetsUrl: string;
  sheetsToken: string;
  spreadsheetId: string;
  sanity: { projectId: string; dataset: string; token: string; apiHost: string };
};

export type GuideUpdate = { row: number; name: string; bookingTime: string };

export type GuideResult = {
  /** The guide's JSON answer fields. */
  success: boolean;
  bookingsFound: number;
  matchesFound: number;
  updatesApplied: number;
  updates: GuideUpdate[];
  /** Rows matched and due a write (the guide's "Applying N updates"). */
  updatesPlanned: number;
  sanityWrites: number;
  /** Why the run ended early (the guide's 500), or null. */
  stopped: string | null;
  sanityWarning: string | null;
  /** Milliseconds per step, as the guide's "Execution Timing" table splits them. */
  phases: { fetchMs: number; readMs: number; matchMs: number; writeMs: number; sanityMs: number };
};

type CalBooking = {
  uid: string;
  start: string;
  status: string;
  attendees?: { name?: string; email?: string; phoneNumber?: string | null }[];
};

/**
 * Phone normalization "to +44 format", from the guide's table (07…, 44…, +44…, 0151 541 6933 all become
 * +44…). The guide shows no code; this is the obvious code for that table. Formats it does not list, such
 * as `+44 (0) 7742 201349`, come out wrong (`+4407742201349`), as such code would make them.
 */
export function normalizePhoneUk(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const cleaned = String(phone).replace(/[^\d+]/g, "");
  if (cleaned === "") return null;
  if (cleaned.startsWith("+")) return cleaned;
  if (cleaned.startsWith("44")) return `+${cleaned}`;
  if (cleaned.startsWith("0")) return `+44${cleaned.slice(1)}`;
  return `+44${cleaned}`;
}

const ukFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  hour: "2-digit",
  minute: "2-digit",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

/** `HH:MM DD/MM/YYYY` in UK time, the guide's column X format. */
export function ukBookingTime(iso: string): string {
  const parts: Record<string, string> = {};
  for (const part of ukFormatter.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

export async function runGuideAlgorithm(conn: GuideConnection): Promise<GuideResult> {
  const result: GuideResult = {
    success: false,
    bookingsFound: 0,
    matchesFound: 0,
    updatesApplied: 0,
    updates: [],
    updatesPlanned: 0,
    sanityWrites: 0,
    stopped: null,
    sanityWarning: null,
    phases: { fetchMs: 0, readMs: 0, matchMs: 0, writeMs: 0, sanityMs: 0 },
  };
  const timed = async <T>(phase: keyof GuideResult["phases"], fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      result.phases[phase] += performance.now() - started;
    }
  };

  // 1. "Fetch all upcoming/accepted bookings via API": ONE request, so one page (Cal.com's default take is
  // 100). CHANGED to make it run: the guide's `status=upcoming,accepted` is a 400 (`accepted` is a booking
  // status, not a list filter word); `status=upcoming` is what it meant, and already includes accepted ones.
  const bookings = await timed("fetchMs", async () => {
    const url = `${conn.calcomUrl}/bookings?eventTypeIds=${EVENT_TYPE_ID}&status=upcoming&sortStart=asc`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${conn.calcomApiKey}`, "cal-api-version": "2024-08-13" },
    });
    if (!response.ok) {
      result.stopped = `Cal.com answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
      return null;
    }
    const body = (await response.json()) as { data?: CalBooking[] };
    return body.data ?? [];
  });
  if (!bookings) return result;
  result.bookingsFound = bookings.length;

  // 2. "Fetches all leads from Google Sheet (rows A2:X)": no sheet name, so the first sheet.
  const sheets = createSheetsApi({
    apiUrl: conn.sheetsUrl,
    isCustomApiUrl: true,
    accessToken: conn.sheetsToken,
  });
  let rows: string[][];
  try {
    rows = await timed("readMs", async () => {
      const response = await sheets.spreadsheets.values.get({
        spreadsheetId: conn.spreadsheetId,
        range: "A2:X",
      });
      return (response.data.values ?? []).map((cells) => cells.map((value) => String(value ?? "")));
    });
  } catch (error) {
    result.stopped = `reading the sheet failed: ${describe(error)}`;
    return result;
  }

  // 3–4. "For each booking, searches sheet for matching contact (phone OR email)": a scan of every row per
  // booking, phone first ("most reliable"), then email; the sheet's phone is normalized inside the scan.
  const updates = await timed("matchMs", async () => {
    const planned: { rowNumber: number; values: string[]; update: GuideUpdate }[] = [];
    for (const booking of bookings) {
      const attendee = booking.attendees?.[0];
      const bookingPhone = normalizePhoneUk(attendee?.phoneNumber);
      const bookingEmail = attendee?.email?.toLowerCase();
      let matchIndex = -1;
      if (bookingPhone)
        matchIndex = rows.findIndex((row) => normalizePhoneUk(row[COLUMN.phone]) === bookingPhone);
      if (matchIndex === -1 && bookingEmail) {
        matchIndex = rows.findIndex((row) => row[COLUMN.email]?.toLowerCase() === bookingEmail);
      }
      if (matchIndex === -1) continue; // "booking from non-sheet contact"
      result.matchesFound++;
      const row = rows[matchIndex] ?? [];
      // The guide's duplicate check, verbatim: an ISO date (2025-10-27) looked for inside UK text
      // (17:00 27/10/2025). It can never be found, so every run rewrites every matched row.
      const currentCallBookedTime = row[COLUMN.booking];
      if (currentCallBookedTime?.includes(booking.start.split("T")[0] ?? "")) continue;
      const bookingTime = ukBookingTime(booking.start);
      const rowNumber = matchIndex + 2;
      // "Individual row updates (to preserve other columns)": A and X are not adjacent, so one update of
      // A:X writes the row back as read, with A and X changed. The guide does not say how values are
      // input; RAW keeps the rewritten cells exactly as read.
      const values = Array.from({ length: COLUMN.booking + 1 }, (_, i) => row[i] ?? "");
      values[COLUMN.status] = "CALL_BOOKED";
      values[COLUMN.booking] = bookingTime;
      planned.push({
        rowNumber,
        values,
        update: { row: rowNumber, name: attendee?.name ?? "", bookingTime },
      });
    }
    return planned;
  });
  result.updatesPlanned = updates.length;

  // 5. One values.update per row, in order, no retry: the first failure is the guide's 500 ("Logs which
  // row failed; partial updates may be applied").
  await timed("writeMs", async () => {
    for (const planned of updates) {
      try {
        await sheets.spreadsheets.values.update({
          spreadsheetId: conn.spreadsheetId,
          range: `A${planned.rowNumber}:X${planned.rowNumber}`,
          valueInputOption: "RAW",
          requestBody: { values: [planned.values] },
        });
      } catch (error) {
        result.stopped = `stopped after ${result.updatesApplied} of ${updates.length} row writes: ${describe(error)}`;
        return;
      }
      result.updatesApplied++;
      result.updates.push(planned.update);
    }
  });
  if (result.stopped) return result;

  // 6. "Triggers Sanity sync to update dashboard". The guide calls its separate sheet→Sanity job, whose code
  // it does not show; its most direct reading is one document write per updated lead. A failure is a
  // warning only ("Sheet still updated").
  await timed("sanityMs", async () => {
    const sanity = createSanityClient(conn.sanity);
    for (const planned of updates) {
      const [, first = "", last = "", phone = "", email = ""] = planned.values;
      try {
        await sanity.createOrReplace({
          _id: `dbrLead-row-${planned.rowNumber}`,
          _type: "dbrLead",
          firstName: first,
          lastName: last,
          phone,
          email,
          contactStatus: "CALL_BOOKED",
          callBooked: planned.update.bookingTime,
          sheetRow: planned.rowNumber,
        });
        result.sanityWrites++;
      } catch (error) {
        result.sanityWarning = `Sanity sync failed: ${describe(error)}`;
        return;
      }
    }
  });
  result.success = true;
  return result;
}

type ErrorLike = {
  status?: number;
  statusCode?: number;
  message?: string;
  response?: { status?: number; data?: { error?: { status?: string; message?: string } } };
};

/** `429 RESOURCE_EXHAUSTED`, as the guide's log would show the API's answer. */
function describe(error: unknown): string {
  const e = error as ErrorLike;
  const status = e?.response?.status ?? e?.status ?? e?.statusCode;
  const word = e?.response?.data?.error?.status;
  if (status !== undefined) return [status, word].filter(Boolean).join(" ");
  return e?.message ?? String(error);
}
