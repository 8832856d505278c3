/**
 * Deterministic bench data: N leads as a sheet of the lead list's shape (A..X, status in A, phone in D, email in
 * E, call_booked in X) and M bookings of them as Cal.com would hold them. Every figure of the bench must be
 * reproducible, so nothing here uses Math.random or the clock beyond the base time passed in.
 */

/** Row 1 of the bench sheet: the lead list's 24 columns, with the header names calsync's defaults look for. */
export const LEAD_HEADER = [
  "Contact_Status",
  "First_Name",
  "Last_Name",
  "Phone",
  "Email",
  "Town",
  "Postcode",
  "Campaign",
  "Source",
  "Lead_Date",
  "Property_Type",
  "Roof",
  "Monthly_Bill",
  "Interest",
  "Notes",
  "Agent",
  "Last_Contact",
  "Attempts",
  "Next_Action",
  "SMS_Status",
  "Reply",
  "Score",
  "Conversation_History",
  "call_booked",
];
export const SHEET_TITLE = "Lead List";
/** The sample event type, "Introduction Call", 15 minutes: the Cal.com sandbox's default. */
export const EVENT_TYPE_ID = 3721996;
export const COLUMN = { status: 0, first: 1, last: 2, phone: 3, email: 4, booking: 23 } as const;

const FIRST = ["Ada", "Grace", "Alan", "Mary", "Tim", "Katherine", "Linus", "Margaret", "Dennis", "Frances"];
const LAST = ["Lovelace", "Hopper", "Turing", "Jackson", "Lee", "Johnson", "Torvalds", "Hamilton", "Ritchie"];
const STATUSES = ["HOT", "WARM", "COLD", "NEW", "HOT", "CONTACTED"];
const TOWNS = ["Liverpool", "Leeds", "Bristol", "Norwich", "Derby", "Bath", "York"];

/** mulberry32: a tiny seeded generator, enough to vary formats reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Per-index generator, so lead i is the same whatever N is and whoever asks (sheet, bookings, webhooks). */
const randomFor = (kind: number, index: number) => seededRandom(kind * 1_000_003 + index * 7_919 + 1);

export type Lead = {
  index: number;
  row: number;
  first: string;
  last: string;
  /** The lead's number as UK national digits without the trunk zero, e.g. `7400012345`. */
  nationalDigits: string;
  email: string;
  /** What the sheet shows: the formats people type, or "" when the cell was left empty. */
  phoneCell: string;
  emailCell: string;
};

export function leadAt(index: number): Lead {
  const random = randomFor(1, index);
  const first = FIRST[index % FIRST.length] as string;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length] as string;
  // 074xx mobiles: valid UK numbers, unique per index up to 10^8 leads.
  const nationalDigits = `74${String(index).padStart(8, "0")}`;
  const email = `${first}.${last}.${index}@example.com`.toLowerCase();
  const formats = [
    `0${nationalDigits.slice(0, 4)} ${nationalDigits.slice(4)}`,
    `0${nationalDigits}`,
    `+44 ${nationalDigits.slice(0, 4)} ${nationalDigits.slice(4)}`,
    `44${nationalDigits}`,
    // A number cell that lost its leading zero.
    nationalDigits,
    `+44 (0) ${nationalDigits.slice(0, 4)} ${nationalDigits.slice(4)}`,
  ];
  const roll = random();
  const phoneCell = roll < 0.05 ? "" : (formats[Math.floor(random() * formats.length)] as string);
  const emailRoll = random();
  const emailCell = emailRoll < 0.05 ? "" : emailRoll < 0.2 ? `${first}.${last}.${index}@Example.com` : email;
  return { index, row: index + 2, first, last, nationalDigits, email, phoneCell, emailCell };
}

/** A lead row of the sheet, every column filled as a working sheet would be; call_booked empty. */
export function leadRow(lead: Lead): string[] {
  const random = randomFor(2, lead.index);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const cells = [
    pick(STATUSES),
    lead.first,
    lead.last,
    lead.phoneCell,
    lead.emailCell,
    pick(TOWNS),
    `L${1 + (lead.index % 30)} ${lead.index % 9}AB`,
    `DBR-${2025 - (lead.index % 3)}`,
    pick(["Facebook", "Referral", "Web form", "Import"]),
    `${1 + (lead.index % 28)}/0${1 + (lead.index % 9)}/2025`,
    pick(["Detached", "Semi", "Terraced", "Bungalow"]),
    pick(["South", "East", "West", "Flat"]),
    String(80 + (lead.index % 200)),
    pick(["Solar", "Battery", "Solar + battery"]),
    lead.index % 4 === 0 ? "Asked for a callback after 5pm" : "",
    pick(["Sam", "Priya", "Tom"]),
    `${1 + (lead.index % 28)}/10/2025`,
    String(lead.index % 5),
    pick(["Call", "SMS", "Email", ""]),
    pick(["Delivered", "Read", "Failed", ""]),
    lead.index % 7 === 0 ? "Yes please" : "",
    String(lead.index % 100),
    lead.index % 5 === 0 ? "SMS 1 sent; replied; SMS 2 sent" : "",
    "",
  ];
  return cells;
}

export function leadRows(count: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) rows.push(leadRow(leadAt(i)));
  return rows;
}

/** Whether lead i can be found from a booking whatever format the sheet holds: both cells filled. */
export function hasFullIdentity(lead: Lead): boolean {
  return lead.phoneCell !== "" && lead.emailCell !== "";
}

export type PhoneLocation = "attendees" | "bookingFieldsResponses" | "both" | "none";

export type BenchBooking = {
  start: string;
  attendee: { name: string; email: string; phone: string | null };
  phoneIn: PhoneLocation;
  /** The lead the booker is (null: someone not in the sheet), for reading results. */
  leadIndex: number | null;
};

/**
 * M bookings over N leads, one per lead (booking j goes to lead (j·7919 + 13) mod N, a permutation when
 * 7919 does not divide N), on distinct half-hour slots from `base`. Bookers give their details as people
 * do: E.164 or national phone, on the attendee or only in the booking form, an email in other case or a
 * work address instead; 5% are people not in the sheet.
 */
export function bookings(count: number, leadCount: number, base: Date): BenchBooking[] {
  const list: BenchBooking[] = [];
  for (let j = 0; j < count; j++) {
    const random = randomFor(3, j);
    const start = new Date(base.getTime() + j * 30 * 60_000).toISOString();
    if (random() < 0.05 || leadCount === 0) {
      list.push({
        start,
        attendee: {
          name: `New Booker ${j}`,
          email: `new.booker.${j}@example.org`,
          phone: `+4475${String(j).padStart(8, "0")}`,
        },
        phoneIn: "both",
        leadIndex: null,
      });
      continue;
    }
    const lead = leadAt((j * 7_919 + 13) % leadCount);
    const name = `${lead.first} ${lead.last}`;
    const e164 = `+44${lead.nationalDigits}`;
    const national = `0${lead.nationalDigits.slice(0, 4)} ${lead.nationalDigits.slice(4)}`;
    const roll = random();
    if (roll < 0.6) {
      // Booking page with a phone field: phone on the attendee and in the form.
      const phone = random() < 0.5 ? e164 : national;
      list.push({
        start,
        attendee: { name, email: lead.email, phone },
        phoneIn: "both",
        leadIndex: lead.index,
      });
    } else if (roll < 0.8) {
      // No phone asked: the email alone, typed with a capital.
      const email = lead.email.replace(/^./, (c) => c.toUpperCase());
      list.push({ start, attendee: { name, email, phone: null }, phoneIn: "none", leadIndex: lead.index });
    } else if (roll < 0.95) {
      // Booked with a work address: only the phone (on the attendee) says who it is.
      const email = `${lead.first}.${j}@company.example.net`.toLowerCase();
      list.push({
        start,
        attendee: { name, email, phone: e164 },
        phoneIn: "attendees",
        leadIndex: lead.index,
      });
    } else {
      // Work address and the phone only in the booking form's answers.
      const email = `${lead.first}.${j}@company.example.net`.toLowerCase();
      list.push({
        start,
        attendee: { name, email, phone: national },
        phoneIn: "bookingFieldsResponses",
        leadIndex: lead.index,
      });
    }
  }
  return list;
}

/** The first bookable slot of the bench: tomorrow at 08:00 UTC, so every booking is upcoming. */
export function benchBase(now: Date): Date {
  const base = new Date(now.getTime() + 86_400_000);
  base.setUTCHours(8, 0, 0, 0);
  return base;
}
