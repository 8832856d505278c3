import { formatBookingTime, wallTimeAt } from "../core/booking-time.ts";
import { createSeededRandom, type SeededRandom } from "../sandboxes/calcom/random.ts";
import type { SeedValue } from "../sandboxes/sheets/index.ts";
import {
  AGENTS,
  CAMPAIGNS,
  FIRST_NAMES,
  LAST_NAMES,
  NOTES,
  PRODUCTS,
  PROPERTY_TYPES,
  REPLIES,
  SOURCES,
  TOWNS,
  type Town,
} from "./demo-people.ts";
import { type DemoSchedule, demoSchedule } from "./demo-schedule.ts";
import { e164Of, formatUkNumber, PHONE_FORMATS, type PhoneFormat, type UkNumber } from "./phone-formats.ts";

/** Seeds every random choice of the demo: the same demo every time. */
export const DEMO_SEED = 20_251_027;
export const DEMO_SHEET_TITLE = "Lead List";
export const DEMO_LEAD_COUNT = 200;

/** The lead list's 24 columns, A to X, as the sales team keeps them: status, name, phone, email, location, campaign data, notes, timestamps. */
export const DEMO_HEADER = [
  "Contact_Status",
  "First_Name",
  "Last_Name",
  "Phone",
  "Email",
  "Town",
  "Postcode",
  "Campaign",
  "Lead_Source",
  "Enquiry_Date",
  "Product_Interest",
  "Property_Type",
  "Homeowner",
  "Monthly_Bill",
  "SMS_Sent_At",
  "SMS_Replied",
  "Reply_Text",
  "Last_Contacted",
  "Follow_Ups",
  "Assigned_To",
  "Notes",
  "Created_At",
  "Updated_At",
  "call_booked",
] as const;

/** Zero-based positions of the columns the demo and its tests look at. */
export const DEMO_COLUMN = { status: 0, firstName: 1, lastName: 2, phone: 3, email: 4, booking: 23 } as const;

/** Sheet rows (1-based; row 1 is the header) that hold the scenarios. */
export const DEMO_ROWS = {
  /** The sample lead Mark Greenall, row 45, phone 07700123456, HOT, booked in Cal.com but not yet in the sheet. */
  mark: 45,
  /** Shows CALL_BOOKED at the old time; the call was moved in Cal.com. */
  rescheduled: 12,
  /** Shows CALL_BOOKED; the call was cancelled in Cal.com. */
  cancelled: 23,
  /** Two calls ahead in Cal.com. */
  twoCalls: 67,
  /** Booked without a phone: only the email (typed in other letter case) matches. */
  emailOnly: 88,
  /** A CUSTOMER (protected status) who booked a call: the time is written, the status is kept. */
  protectedLead: 150,
  /** Calls that took place yesterday and the day before: nothing to do. */
  past: [9, 140],
  /** Where the sample booker "New Customer", who is in no row, is appended by the first sync. */
  unknownBooker: DEMO_LEAD_COUNT + 2,
} as const;

export const STATUS_WEIGHTS: readonly [string, number][] = [
  ["NEW", 30],
  ["COLD", 27],
  ["WARM", 20],
  ["HOT", 15],
  ["CUSTOMER", 4],
  ["DO_NOT_CONTACT", 4],
];

export type DemoLead = {
  row: number;
  status: string;
  firstName: string;
  lastName: string;
  /** Null for the few leads with no phone in the sheet. */
  phone: { e164: string; format: PhoneFormat } | null;
  /** As the sheet holds it (sometimes in mixed case); null when the row has none. */
  email: string | null;
  /** The row's 24 cells, A to X. */
  cells: SeedValue[];
};

type Person = {
  status: string;
  firstName: string;
  lastName: string;
  number: UkNumber | null;
  format: PhoneFormat;
  email: string | null;
  town?: Town;
  booking?: Date;
};

/** The demo sheet's 200 leads, rows 2 to 201; dates and booked times are relative to `now`. */
export function buildDemoLeads(args: { now: Date; timeZone: string }): DemoLead[] {
  const random = createSeededRandom(DEMO_SEED);
  const schedule = demoSchedule(args.now, args.timeZone);
  const scenarios = scenarioPeople(schedule);
  const formats = phoneFormatDeck(random, DEMO_LEAD_COUNT);
  const emails = new Set<string>();
  for (const person of scenarios.values()) if (person.email) emails.add(person.email.toLowerCase());

  const leads: DemoLead[] = [];
  for (let row = 2; row < DEMO_LEAD_COUNT + 2; row++) {
    const format = formats[row - 2] ?? "national";
    const person = scenarios.get(row) ?? randomPerson({ random, row, format, emails });
    leads.push(toLead({ person, row, random, now: args.now, timeZone: args.timeZone }));
  }
  return leads;
}

/** Row 1 and the leads, ready for the Sheets sandbox's createSpreadsheet. */
export function demoSheetRows(leads: readonly DemoLead[]): SeedValue[][] {
  return [[...DEMO_HEADER], ...leads.map((lead) => lead.cells)];
}

function scenarioPeople(schedule: DemoSchedule): Map<number, Person> {
  const mobile = (last: string): UkNumber => ["7700", `900${last}`];
  const people: [number, Person][] = [
    [
      DEMO_ROWS.mark,
      {
        status: "HOT",
        firstName: "Mark",
        lastName: "Greenall",
        number: ["7700", "123456"],
        format: "national-compact",
        email: "mark.greenall@example.com",
      },
    ],
    [
      DEMO_ROWS.rescheduled,
      {
        status: "CALL_BOOKED",
        firstName: "Hannah",
        lastName: "Whitfield",
        number: mobile("512"),
        format: "national",
        email: "hannah.whitfield@example.com",
        booking: schedule.rescheduledFrom,
      },
    ],
    [
      DEMO_ROWS.cancelled,
      {
        status: "CALL_BOOKED",
        firstName: "Owen",
        lastName: "Pritchard",
        number: mobile("523"),
        format: "dashes",
        email: "owen.pritchard@example.net",
        booking: schedule.cancelled,
      },
    ],
    [
      DEMO_ROWS.twoCalls,
      {
        status: "WARM",
        firstName: "Priya",
        lastName: "Sharma",
        number: mobile("567"),
        format: "plus-44-trunk",
        email: "priya.sharma@example.com",
      },
    ],
    [
      DEMO_ROWS.emailOnly,
      {
        status: "HOT",
        firstName: "Callum",
        lastName: "Reid",
        number: mobile("588"),
        format: "double-zero",
        email: "callum.reid@example.org",
      },
    ],
    [
      DEMO_ROWS.protectedLead,
      {
        status: "CUSTOMER",
        firstName: "Eleanor",
        lastName: "Hughes",
        number: mobile("650"),
        format: "number",
        email: "eleanor.hughes@example.com",
      },
    ],
    [
      DEMO_ROWS.past[0],
      {
        status: "CALL_BOOKED",
        firstName: "Ben",
        lastName: "Carter",
        number: mobile("509"),
        format: "e164",
        email: "ben.carter@example.com",
        booking: schedule.past[0],
      },
    ],
    [
      DEMO_ROWS.past[1],
      {
        status: "CALL_BOOKED",
        firstName: "Lucy",
        lastName: "Adams",
        number: mobile("640"),
        format: "bare-44",
        email: "lucy.adams@example.net",
        booking: schedule.past[1],
      },
    ],
  ];
  return new Map(people);
}

/**
 * One format per lead, every format at least three times, the rest drawn at random and all shuffled: the
 * sheet shows each listed form, however the seed falls.
 */
function phoneFormatDeck(random: SeededRandom, count: number): PhoneFormat[] {
  const deck: PhoneFormat[] = PHONE_FORMATS.flatMap((format) => [format, format, format]);
  const common: PhoneFormat[] = ["national", "national", "national-compact", "e164", "zero-eaten", "number"];
  while (deck.length < count) deck.push(random.pick(common));
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [deck[i], deck[j]] = [deck[j] as PhoneFormat, deck[i] as PhoneFormat];
  }
  return deck;
}

function randomPerson(args: {
  random: SeededRandom;
  row: number;
  format: PhoneFormat;
  emails: Set<string>;
}): Person {
  const { random, row } = args;
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const town = random.pick(TOWNS);
  const status = weighted(random, STATUS_WEIGHTS);
  // Row numbers make the drama-range numbers unique: 07700 900002…900201, 0161 496 0002…
  const suffix = String(row).padStart(3, "0");
  const roll = random.next();
  const number: UkNumber | null =
    roll < 0.03
      ? null
      : roll < 0.18
        ? [town.landline[0], town.landline[1], `0${suffix}`]
        : ["7700", `900${suffix}`];
  const hasEmail = number === null || random.chance(0.93);
  const email = hasEmail ? uniqueEmail({ random, firstName, lastName, taken: args.emails }) : null;
  return { status, firstName, lastName, number, format: args.format, email, town };
}

function uniqueEmail(args: {
  random: SeededRandom;
  firstName: string;
  lastName: string;
  taken: Set<string>;
}): string {
  const { random } = args;
  const first = args.firstName.toLowerCase();
  const last = args.lastName.toLowerCase().replace(/[^a-z]/g, "");
  const domain = random.pick(["example.com", "example.com", "example.net", "example.org"]);
  const base = random.pick([`${first}.${last}`, `${first}${last}`, `${first[0]}${last}`, `${first}.${last}`]);
  let local = base;
  for (let n = 2; args.taken.has(`${local}@${domain}`); n++) local = `${base}${n}`;
  args.taken.add(`${local}@${domain}`);
  // Some imports keep the capitals people typed; matching must not care.
  const typed = random.chance(0.06)
    ? local
        .split(".")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join(".")
    : local;
  return `${typed}@${domain}`;
}

function toLead(args: {
  person: Person;
  row: number;
  random: SeededRandom;
  now: Date;
  timeZone: string;
}): DemoLead {
  const { person, random, now, timeZone } = args;
  const town = person.town ?? random.pick(TOWNS);
  const day = (daysAgo: number) => formatDate(new Date(now.getTime() - daysAgo * DAY_MS), timeZone);
  const dayAndTime = (daysAgo: number) =>
    formatDateTime(new Date(now.getTime() - daysAgo * DAY_MS - random.next() * 8 * HOUR_MS), timeZone);
  const enquiryDaysAgo = 60 + Math.floor(random.next() * 840);
  const smsDaysAgo = 3 + Math.floor(random.next() * 18);
  const replies = REPLIES[person.status] ?? REPLIES.HOT ?? [""];
  const reply = random.pick(replies);
  const cells: SeedValue[] = [
    person.status,
    person.firstName,
    person.lastName,
    person.number ? formatUkNumber(person.number, person.format) : "",
    person.email ?? "",
    town.name,
    `${random.pick(town.districts)} ${1 + Math.floor(random.next() * 9)}${random.token(2, "ABDEFGHJLNPQRSTUWXYZ")}`,
    random.pick(CAMPAIGNS),
    random.pick(SOURCES),
    day(enquiryDaysAgo),
    random.pick(PRODUCTS),
    random.pick(PROPERTY_TYPES),
    random.chance(0.9) ? "Yes" : "No",
    // Spreadsheet numbers, as the import left them.
    40 + Math.floor(random.next() * 30) * 5,
    dayAndTime(smsDaysAgo),
    reply ? "Yes" : "No",
    reply,
    day(Math.floor(random.next() * smsDaysAgo)),
    Math.floor(random.next() * 5),
    random.pick(AGENTS),
    random.pick(NOTES),
    dayAndTime(enquiryDaysAgo),
    dayAndTime(Math.floor(random.next() * 3)),
    person.booking ? formatBookingTime(person.booking, timeZone) : "",
  ];
  return {
    row: args.row,
    status: person.status,
    firstName: person.firstName,
    lastName: person.lastName,
    phone: person.number ? { e164: e164Of(person.number), format: person.format } : null,
    email: person.email,
    cells,
  };
}

function weighted(random: SeededRandom, weights: readonly [string, number][]): string {
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [value, weight] of weights) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return weights[0]?.[0] ?? "NEW";
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const pad = (value: number) => String(value).padStart(2, "0");

function formatDate(date: Date, timeZone: string): string {
  const w = wallTimeAt(date, timeZone);
  return `${pad(w.day)}/${pad(w.month)}/${w.year}`;
}

function formatDateTime(date: Date, timeZone: string): string {
  const w = wallTimeAt(date, timeZone);
  return `${pad(w.day)}/${pad(w.month)}/${w.year} ${pad(w.hour)}:${pad(w.minute)}`;
}
