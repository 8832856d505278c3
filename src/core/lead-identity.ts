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
    let out = "{";
    for (const [key, quoted] of sortedKeys(Object.keys(record))) {
      const field = record[key];
      if (field === undefined) continue;
      if (out.length > 1) out += ",";
      out += quoted + stableStringify(field);
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Each object's keys sorted, each with its JSON name and colon. Documents of one kind share their keys in one
 * order, so the sorted list is made once per key list seen (a run's documents have a handful), not per object:
 * a tree with one level per key, whose node at the end of a key list holds that list sorted.
 */
type KeyNode = { next: Map<string, KeyNode>; sorted: (readonly [string, string])[] | null };
let keyTree: KeyNode = { next: new Map(), sorted: null };
let keyNodes = 0;
const MAX_KEY_NODES = 10_000;

function sortedKeys(keys: string[]): readonly (readonly [string, string])[] {
  let node = keyTree;
  for (const key of keys) {
    let child = node.next.get(key);
    if (!child) {
      // Objects of ever new shapes (keyed by ids, say) would grow the tree without end: start it again.
      if (++keyNodes > MAX_KEY_NODES) {
        keyTree = { next: new Map(), sorted: null };
        keyNodes = 0;
        return sortKeys(keys);
      }
      child = { next: new Map(), sorted: null };
      node.next.set(key, child);
    }
    node = child;
  }
  node.sorted ??= sortKeys(keys);
  return node.sorted;
}

// Default sort: UTF-16 code unit order, as comparing the strings with < does.
const sortKeys = (keys: string[]) => [...keys].sort().map((key) => [key, `${JSON.stringify(key)}:`] as const);
