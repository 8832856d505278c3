// The same metadata as core/phone.ts, so that a process loads one set of it.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { wallTimeAt } from "../../core/booking-time.ts";

export { calcomBookingUrl } from "../../core/calcom-links.ts";

/** Every time the dashboard shows is in the team's time zone (TIMEZONE), whatever the viewer's device says. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    formatters.set(key, found);
  }
  return found;
}

/** `Tue 28 Oct 2025, 10:00` */
export function dateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "time unknown";
  const parts: Record<string, string> = {};
  const format = formatter(timeZone, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  for (const part of format.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

/** `10:00` */
export function clockTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "--:--";
  return formatter(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** `Today`, `Tomorrow`, or `Thu 30 Oct`, by the calendar of the time zone. */
export function dayLabel(iso: string, timeZone: string, now: Date): string {
  const day = calendarDay(new Date(iso), timeZone);
  const today = calendarDay(now, timeZone);
  const label = formatter(timeZone, { weekday: "short", day: "numeric", month: "short" }).format(
    new Date(iso),
  );
  if (day === today) return `Today · ${label}`;
  if (day === today + 1) return `Tomorrow · ${label}`;
  return label;
}

/** Days since the epoch of the date the instant falls on in the time zone. */
export function calendarDay(instant: Date, timeZone: string): number {
  const w = wallTimeAt(instant, timeZone);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
}

/** The value of a datetime-local field for an instant, in the time zone: `2025-10-28T10:00`. */
export function localInputValue(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

export function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/** `+447700900123` → `+44 7700 900123`: E.164 as stored, grouped for reading. */
export function phoneText(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
