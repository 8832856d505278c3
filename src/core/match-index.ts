/** What the index needs of a sheet row: where it is and who it is. */
export type IndexedLead = { row: number; phone: string | null; email: string | null };

/** A booker as the index sees them: an E.164 phone and a normalized email, either possibly missing. */
export type BookerIdentity = { phone: string | null; email: string | null };

export type MatchResult =
  | { kind: "matched"; row: number; via: "phone" | "email" }
  | { kind: "ambiguous"; via: "phone" | "email"; candidateRows: number[] }
  | { kind: "unmatched" };

export type MatchIndex = {
  match(booker: BookerIdentity): MatchResult;
  /** Phones and emails that more than one row holds, with those rows: reported, never matched. */
  duplicates(): { key: string; rows: number[] }[];
};

/**
 * Builds the look-up once per run: O(1) per booking by phone, then by email (a phone is the surer identity: an email is often shared or mistyped).
 * Two rows holding the same phone (or email) are ambiguous for that key: the index names them and
 * matches neither, because writing to the wrong lead's row is worse than writing to none.
 */
export function buildMatchIndex(leads: readonly IndexedLead[]): MatchIndex {
  const byPhone = groupRows(leads, (lead) => lead.phone);
  const byEmail = groupRows(leads, (lead) => lead.email);

  return {
    match(booker) {
      const phoneRows = booker.phone ? (byPhone.get(booker.phone) ?? []) : [];
      if (phoneRows.length === 1) return { kind: "matched", row: phoneRows[0] as number, via: "phone" };

      const emailRows = booker.email ? (byEmail.get(booker.email) ?? []) : [];
      if (emailRows.length === 1) return { kind: "matched", row: emailRows[0] as number, via: "email" };

      if (phoneRows.length > 1) return { kind: "ambiguous", via: "phone", candidateRows: phoneRows };
      if (emailRows.length > 1) return { kind: "ambiguous", via: "email", candidateRows: emailRows };
      return { kind: "unmatched" };
    },
    duplicates() {
      const found: { key: string; rows: number[] }[] = [];
      for (const [key, rows] of [...byPhone, ...byEmail]) if (rows.length > 1) found.push({ key, rows });
      return found;
    },
  };
}

function groupRows(leads: readonly IndexedLead[], keyOf: (lead: IndexedLead) => string | null) {
  const groups = new Map<string, number[]>();
  for (const lead of leads) {
    const key = keyOf(lead);
    if (!key) continue;
    const rows = groups.get(key);
    if (rows) rows.push(lead.row);
    else groups.set(key, [lead.row]);
  }
  return groups;
}
