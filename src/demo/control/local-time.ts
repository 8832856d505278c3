import { describeBookingTimeError, parseBookingTime, wallTimeAt } from "../../core/booking-time.ts";
import { err, ok, type Result } from "../../core/result.ts";

/**
 * The control page's times are the team's wall-clock times (TIMEZONE), whatever zone the browser is in:
 * a `datetime-local` field sends `2025-10-28T17:00` with no zone, read here in TIMEZONE.
 */
export function parseLocalInput(value: string, timeZone: string): Result<Date, string> {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return err(`"${value}" is not a date and time`);
  const [, year, month, day, hour, minute] = match;
  const parsed = parseBookingTime(`${hour}:${minute} ${day}/${month}/${year}`, timeZone);
  return parsed.ok ? ok(parsed.value) : err(describeBookingTimeError(parsed.error));
}

/** The value a `datetime-local` field needs to show `instant` in `timeZone`. */
export function toLocalInput(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** `Tue 28 Oct, 17:00`, in `timeZone`. */
export function displayTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

/** `17:04:09`, in `timeZone`: when something happened today. */
export function clockTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

const pad = (value: number) => String(value).padStart(2, "0");
