import { toBookingSnapshot } from "../../calcom/to-snapshot.ts";
import type { ApiBooking } from "../../calcom/types.ts";
import type { RowUpdate } from "../../core/plan-booking-sync.ts";
import { columnLetter } from "../../core/sheet-layout.ts";
import type { RunRecord } from "../../db/run-history.ts";
import { formatValue, type Scalar, userEntered } from "../../sandboxes/sheets/cell-values.ts";
import { DEMO_ROWS } from "../seed-leads.ts";
import { clockTime, displayTime, toLocalInput } from "./local-time.ts";
import type { Notice } from "./notices.ts";

/** Everything the control page shows, gathered from the sandboxes and the database before rendering. */
export type ControlView = {
  basePath: string;
  csrfToken: string;
  timeZone: string;
  notice: Notice | null;
  links: { label: string; url: string }[];
  /** Null when Cal.com is the real account: the page does not touch it. */
  bookings: BookingLine[] | null;
  bookDefault: string;
  /** Null when the sheet is the real Google Sheet. */
  sheet: SheetView | null;
  /** The sample sheet's scenario rows; empty when the sheet is real. */
  scenarios: { row: number; label: string }[];
  runs: RunLine[];
  deliveries: { trigger: string; status: number | null; at: string }[];
};

/** A run as the page lists it, newest first: booking syncs with their row updates, other jobs by message. */
export type RunLine = { at: string; label: string; message: string; updates: RowUpdate[] };

export function runLines(runs: readonly RunRecord[], timeZone: string): RunLine[] {
  return runs.map((run) => ({
    at: clockTime(new Date(run.startedAt), timeZone),
    label: runLabel(run),
    message: runMessage(run),
    updates: isBookingSync(run) ? run.result.updates : [],
  }));
}

/** sync_runs keeps every job's runs; only the booking sync's answers have the SyncRunResult shape. */
export function isBookingSync(run: RunRecord): boolean {
  return run.kind === "booking-sync";
}

export function runLabel(run: RunRecord): string {
  return isBookingSync(run) ? run.trigger : `${run.kind}, ${run.trigger}`;
}

export function runMessage(run: RunRecord): string {
  const message: unknown = (run.result as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : run.success ? "done" : "failed";
}

export type BookingState = "booked" | "pending" | "cancelled" | "rescheduled" | "rejected";

export type BookingLine = {
  uid: string;
  when: string;
  name: string;
  email: string | null;
  phone: string | null;
  state: BookingState;
  isPast: boolean;
  /** For a rescheduled booking: when the call is now. */
  movedTo: string | null;
  /** The reschedule field's starting value: the same time a day later. */
  rescheduleDefault: string;
};

export function bookingLines(bookings: readonly ApiBooking[], now: Date, timeZone: string): BookingLine[] {
  const byUid = new Map(bookings.map((booking) => [booking.uid, booking]));
  return [...bookings]
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((booking) => {
      const snapshot = toBookingSnapshot(booking);
      const start = new Date(snapshot.start);
      const successor = snapshot.rescheduledToUid ? byUid.get(snapshot.rescheduledToUid) : undefined;
      return {
        uid: snapshot.uid,
        when: displayTime(start, timeZone),
        name: snapshot.attendee.name,
        email: snapshot.attendee.email,
        phone: snapshot.attendee.phone,
        state: snapshot.rescheduledToUid ? "rescheduled" : stateOf(snapshot.status),
        isPast: Date.parse(snapshot.end) <= now.getTime(),
        movedTo: successor ? displayTime(new Date(successor.start), timeZone) : null,
        rescheduleDefault: toLocalInput(new Date(start.getTime() + 86_400_000), timeZone),
      };
    });
}

function stateOf(status: ApiBooking["status"]): BookingState {
  return status === "accepted" ? "booked" : status;
}

export type SheetView = {
  title: string;
  /** Column letters and header texts of the columns shown. */
  columns: { index: number; letter: string; header: string }[];
  rows: { row: number; cells: string[]; scenario: string | null }[];
  allColumns: boolean;
  edit: { cell: string; value: string } | null;
};

/** The columns a phone screen has room for: status, name, phone, email, town and call_booked. */
const SHORT_COLUMNS = ["Contact_Status", "First_Name", "Last_Name", "Phone", "Email", "Town", "call_booked"];

export function sheetView(args: {
  title: string;
  values: readonly (readonly Scalar[])[];
  allColumns: boolean;
  edit: string | null;
}): SheetView {
  const [header = [], ...body] = args.values.map((cells) => cells.map((value) => formatValue(value)));
  const width = Math.max(header.length, ...body.map((cells) => cells.length));
  const columns = Array.from({ length: width }, (_, index) => ({
    index,
    letter: columnLetter(index),
    header: header[index] ?? "",
  })).filter((column) => args.allColumns || SHORT_COLUMNS.includes(column.header));
  const labels = scenarioLabels();
  const rows = [header, ...body].map((cells, index) => ({
    row: index + 1,
    cells: columns.map((column) => cells[column.index] ?? ""),
    scenario: labels.get(index + 1) ?? null,
  }));
  return {
    title: args.title,
    columns,
    rows,
    allColumns: args.allColumns,
    edit: editedCell(args.values, args.edit),
  };
}

/** The cell the person chose to edit (`?edit=D45`) and its current text, to fill the form. */
function editedCell(values: readonly (readonly Scalar[])[], edit: string | null): SheetView["edit"] {
  const match = edit ? /^([A-Z]{1,2})([1-9]\d{0,5})$/.exec(edit.toUpperCase()) : null;
  if (!match) return null;
  const [, letters = "", digits = ""] = match;
  const column = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const value = values[Number(digits) - 1]?.[column];
  return { cell: `${letters}${digits}`, value: value === undefined ? "" : asTyped(value) };
}

/**
 * What to type to get the cell back as it is: text that typing would turn into a number, a boolean or a
 * formula (`07700 900123`) gets the leading `'` Sheets shows in its own edit box.
 */
function asTyped(value: Scalar): string {
  if (typeof value !== "string") return formatValue(value);
  const typed = userEntered(value);
  return typed.value === value && typed.formula === undefined ? value : `'${value}`;
}

/** What each scenario row is there to show, for the sheet's "scenario" column. */
export function scenarioLabels(): Map<number, string> {
  return new Map<number, string>([
    [DEMO_ROWS.mark, "Mark Greenall: booked in Cal.com, not yet in the sheet"],
    [DEMO_ROWS.rescheduled, "moved to another time in Cal.com"],
    [DEMO_ROWS.cancelled, "cancelled in Cal.com"],
    [DEMO_ROWS.twoCalls, "two calls ahead: the earlier one shows"],
    [DEMO_ROWS.emailOnly, "booked without a phone: matched by email"],
    [DEMO_ROWS.protectedLead, "CUSTOMER (protected): status kept, time written"],
    [DEMO_ROWS.past[0], "call already took place: left alone"],
    [DEMO_ROWS.past[1], "call already took place: left alone"],
    [DEMO_ROWS.unknownBooker, "New Customer: in no row, added by calsync"],
  ]);
}
