import { err, ok, type Result } from "./result.ts";

/** The sheet's booking-time format, `HH:MM DD/MM/YYYY`, always in the team's time zone. */
export const BOOKING_TIME_FORMAT = "HH:MM DD/MM/YYYY";
const BOOKING_TIME_PATTERN = /^\s*(\d{1,2}):(\d{2})\s+(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;
/** How Sheets (en-GB) displays a date-time a person typed and it interpreted: `27/10/2025 17:00:00`. */
const SHEETS_DATE_TIME_PATTERN = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::00)?\s*$/;

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number };

export type BookingTimeParseError =
  | { kind: "unreadable"; text: string }
  | { kind: "nonexistent"; text: string; timeZone: string }
  | { kind: "ambiguous"; text: string; timeZone: string };

const formatters = new Map<string, Intl.DateTimeFormat>();
const WALL_CLOCK_TEXT = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time an instant shows in a time zone. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime & { second: number } {
  const formatter = wallClockFormatter(timeZone);
  // en-GB writes these options as `27/10/2025, 17:00:00`: the same numbers formatToParts gives, at a third
  // of its cost (a run reads every booking's time). Anything else written (years before 1000, say) is read
  // from the parts.
  const shown = WALL_CLOCK_TEXT.exec(formatter.format(instant));
  if (shown) {
    return {
      year: Number(shown[3]),
      month: Number(shown[2]),
      day: Number(shown[1]),
      hour: Number(shown[4]),
      minute: Number(shown[5]),
      second: Number(shown[6]),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `2025-10-27T17:00:00Z` in Europe/London gives `17:00 27/10/2025`. */
export function formatBookingTime(instant: Date | string, timeZone: string): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  const w = wallTimeAt(date, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)} ${pad(w.day)}/${pad(w.month)}/${pad(w.year, 4)}`;
}

/**
 * Reads `HH:MM DD/MM/YYYY` typed in the team's time zone back to an instant (also `DD/MM/YYYY HH:MM[:00]`,
 * which is how Sheets shows a date-time a person typed and it interpreted).
 * A wall time skipped by a clock change, or shown twice when clocks go back, is an error: guessing
 * would move a lead's call by an hour.
 */
export function parseBookingTime(text: string, timeZone: string): Result<Date, BookingTimeParseError> {
  const parts = readParts(text);
  if (!parts) return err({ kind: "unreadable", text });
  const [hour, minute, day, month, year] = parts;
  const wall: WallTime = { year, month, day, hour, minute };
  if (!isRealWallTime(wall)) return err({ kind: "unreadable", text });

  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // A zone's offset within a day of the wall time is one of at most two values (either side of a change).
  const offsets = new Set([offsetMs(asUtc - DAY_MS, timeZone), offsetMs(asUtc + DAY_MS, timeZone)]);
  const instants = new Set<number>();
  for (const offset of offsets) {
    const candidate = asUtc - offset;
    if (sameWallTime(wallTimeAt(new Date(candidate), timeZone), wall)) instants.add(candidate);
  }
  if (instants.size === 0) return err({ kind: "nonexistent", text, timeZone });
  if (instants.size > 1) return err({ kind: "ambiguous", text, timeZone });
  return ok(new Date([...instants][0] as number));
}

function readParts(text: string): [number, number, number, number, number] | null {
  const ours = BOOKING_TIME_PATTERN.exec(text);
  if (ours) return ours.slice(1).map(Number) as [number, number, number, number, number];
  const sheets = SHEETS_DATE_TIME_PATTERN.exec(text);
  if (!sheets) return null;
  const [day, month, year, hour, minute] = sheets.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return [hour, minute, day, month, year];
}

export function describeBookingTimeError(error: BookingTimeParseError): string {
  switch (error.kind) {
    case "unreadable":
      return `"${error.text}" is not a time in the form ${BOOKING_TIME_FORMAT}`;
    case "nonexistent":
      return `"${error.text}" does not exist in ${error.timeZone} (the clocks skip it)`;
    case "ambiguous":
      return `"${error.text}" happens twice in ${error.timeZone} (the clocks go back); pick another time`;
  }
}

const DAY_MS = 86_400_000;

function offsetMs(instantMs: number, timeZone: string): number {
  const w = wallTimeAt(new Date(instantMs), timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return (
    a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute
  );
}

function isRealWallTime(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.hour > 23 || w.minute > 59 || w.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= daysInMonth;
}
