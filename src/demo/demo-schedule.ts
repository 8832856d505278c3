import { parseBookingTime, wallTimeAt } from "../core/booking-time.ts";

/**
 * When the demo's calls are, relative to the moment the demo starts: whole days ahead at round times of the
 * team's time zone, as a booking page offers them. The sheet and Cal.com seeds both read these, so the
 * times a row shows and the bookings Cal.com holds agree.
 */
export type DemoSchedule = {
  /** The sample lead Mark Greenall, booked for 17:00 (tomorrow here). */
  mark: Date;
  /** A call that was booked (the sheet shows it) and then moved to `rescheduledTo`. */
  rescheduledFrom: Date;
  rescheduledTo: Date;
  /** A call that was booked (the sheet shows it) and then cancelled. */
  cancelled: Date;
  /** One lead with two calls ahead; the sheet should show the earlier. */
  twoCalls: readonly [Date, Date];
  unknownBooker: Date;
  emailOnly: Date;
  protectedLead: Date;
  /** Calls that already took place: left as they are. */
  past: readonly [Date, Date];
};

export function demoSchedule(now: Date, timeZone: string): DemoSchedule {
  const at = (daysAhead: number, time: string) => atLocalTime({ now, daysAhead, time, timeZone });
  return {
    mark: at(1, "17:00"),
    rescheduledFrom: at(1, "11:00"),
    rescheduledTo: at(3, "14:30"),
    cancelled: at(2, "10:00"),
    twoCalls: [at(1, "15:00"), at(5, "09:30")],
    unknownBooker: at(1, "12:00"),
    emailOnly: at(2, "13:00"),
    protectedLead: at(2, "16:00"),
    past: [at(-1, "10:00"), at(-2, "14:00")],
  };
}

/** The schedule's upcoming times, which other bookings must not overlap. */
export function scheduledTimes(schedule: DemoSchedule): Date[] {
  return [
    schedule.mark,
    schedule.rescheduledTo,
    schedule.cancelled,
    ...schedule.twoCalls,
    schedule.unknownBooker,
    schedule.emailOnly,
    schedule.protectedLead,
  ];
}

/** Every half-hour slot from 09:00 to 17:30 over the next `days` days, minus the ones taken. */
export function freeSlots(args: {
  now: Date;
  timeZone: string;
  days: number;
  taken: readonly Date[];
}): Date[] {
  const taken = new Set(args.taken.map((date) => date.getTime()));
  const slots: Date[] = [];
  for (let day = 1; day <= args.days; day++) {
    for (let hour = 9; hour <= 17; hour++) {
      for (const minute of ["00", "30"]) {
        const slot = atLocalTime({
          now: args.now,
          daysAhead: day,
          time: `${String(hour).padStart(2, "0")}:${minute}`,
          timeZone: args.timeZone,
        });
        if (!taken.has(slot.getTime())) slots.push(slot);
      }
    }
  }
  return slots;
}

/** `time` ("HH:MM") on the day `daysAhead` days after `now`'s date, both in `timeZone`. */
export function atLocalTime(args: { now: Date; daysAhead: number; time: string; timeZone: string }): Date {
  const today = wallTimeAt(args.now, args.timeZone);
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + args.daysAhead));
  const date = `${pad(day.getUTCDate())}/${pad(day.getUTCMonth() + 1)}/${day.getUTCFullYear()}`;
  const parsed = parseBookingTime(`${args.time} ${date}`, args.timeZone);
  // Office hours never fall in a clock change's skipped or repeated hour, so this is a programming error.
  if (!parsed.ok) throw new Error(`${args.time} ${date} is not a single time in ${args.timeZone}`);
  return parsed.value;
}

const pad = (value: number) => String(value).padStart(2, "0");
