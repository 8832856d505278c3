import { createHash } from "node:crypto";

/**
 * A lead is who the row is, not where it is: rows move when people sort and insert, so identity is the
 * row's normalized phone, or its email when it has no phone. Rows with neither cannot be matched and get no key.
 */
export function leadKeyOf(identity: { phone: string | null; email: string | null }): string | null {
  if (identity.phone) return `tel:${identity.phone}`;
  if (identity.email) return `mailto:${identity.email}`;
  return null;
}

/** Sanity document id of a lead: stable across row moves, and free of personal data. */
export function leadDocumentId(leadKey: string): string {
  return `dbrLead-${createHash("sha256").update(leadKey).digest("hex").slice(0, 24)}`;
}

/** A content hash, so an unchanged document is never written twice. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex").slice(0, 32);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
