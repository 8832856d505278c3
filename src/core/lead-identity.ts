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

/**
 * JSON with object keys sorted and undefined fields left out. Stored hashes depend on its exact output. A run
 * hashes every lead's document (10,000 at a time and more), so objects are written with one sorted key list
 * and a string, not entries filtered, sorted, mapped and joined.
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    // Default sort: UTF-16 code unit order, as comparing the strings with < does.
    const keys = Object.keys(record).sort();
    let out = "{";
    for (const key of keys) {
      const field = record[key];
      if (field === undefined) continue;
      if (out.length > 1) out += ",";
      out += `${JSON.stringify(key)}:${stableStringify(field)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}
