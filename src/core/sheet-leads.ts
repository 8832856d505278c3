import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "./email.ts";
import { leadKeyOf } from "./lead-identity.ts";
import { normalizePhone } from "./phone.ts";
import type { SheetLayout } from "./sheet-layout.ts";

/** One lead row as read: `row` is the 1-based sheet row number; cells are the sheet's displayed text. */
export type SheetLead = {
  row: number;
  /** Stable identity (see leadKeyOf), or null when the row's phone and email are both missing or shared. */
  key: string | null;
  phone: string | null;
  email: string | null;
  firstName: string;
  lastName: string;
  status: string;
  bookingText: string;
  note: string | null;
};

export type SheetGrid = readonly (readonly string[])[];

const cell = (cells: readonly string[], index: number | null) =>
  index === null ? "" : String(cells[index] ?? "");

/**
 * Reads every data row (row 2 on) into leads. A row's key is its phone, or its email when the phone is
 * missing or held by another row too; a row whose phone and email are both shared has no key and is never written.
 */
export function readSheetLeads(grid: SheetGrid, layout: SheetLayout, region: CountryCode): SheetLead[] {
  const leads: SheetLead[] = [];
  for (let index = 1; index < grid.length; index++) {
    const cells = grid[index] ?? [];
    if (cells.every((value) => String(value ?? "").trim() === "")) continue;
    leads.push({
      row: index + 1,
      key: null,
      phone: normalizePhone(cell(cells, layout.phone), region),
      email: normalizeEmail(cell(cells, layout.email)),
      firstName: cell(cells, layout.firstName).trim(),
      lastName: cell(cells, layout.lastName).trim(),
      status: cell(cells, layout.status).trim(),
      bookingText: cell(cells, layout.booking).trim(),
      note: layout.note === null ? null : cell(cells, layout.note),
    });
  }
  assignKeys(leads);
  return leads;
}

function assignKeys(leads: SheetLead[]): void {
  const count = new Map<string, number>();
  const bump = (key: string | null) => key && count.set(key, (count.get(key) ?? 0) + 1);
  // Each lead's two candidate keys are made once (100,000 leads: 200,000 strings, not 400,000).
  const byPhone = leads.map((lead) => leadKeyOf({ phone: lead.phone, email: null }));
  const byEmail = leads.map((lead) => leadKeyOf({ phone: null, email: lead.email }));
  for (let i = 0; i < leads.length; i++) {
    bump(byPhone[i] ?? null);
    bump(byEmail[i] ?? null);
  }
  leads.forEach((lead, i) => {
    const phoneKey = byPhone[i];
    const emailKey = byEmail[i];
    if (phoneKey && count.get(phoneKey) === 1) lead.key = phoneKey;
    else if (emailKey && count.get(emailKey) === 1) lead.key = emailKey;
  });
}

export const leadName = (lead: { firstName: string; lastName: string }) =>
  `${lead.firstName} ${lead.lastName}`.trim();

export type LeadLookups = {
  /** Each keyed lead by its key. */
  byKey: ReadonlyMap<string, SheetLead>;
  /** Each lead by its row. */
  byRow: ReadonlyMap<number, SheetLead>;
};

/** Leads as read are not changed afterwards: a run's look-ups of one list are made once (100,000 rows each). */
const lookupsOf = new WeakMap<readonly SheetLead[], LeadLookups>();

/** The leads by key and by row (a later lead wins a key or row two leads share, as Map.set does). */
export function leadLookups(leads: readonly SheetLead[]): LeadLookups {
  const known = lookupsOf.get(leads);
  if (known) return known;
  const byKey = new Map<string, SheetLead>();
  const byRow = new Map<number, SheetLead>();
  for (const lead of leads) {
    byRow.set(lead.row, lead);
    if (lead.key) byKey.set(lead.key, lead);
  }
  const made = { byKey, byRow };
  lookupsOf.set(leads, made);
  return made;
}
