import { randomBytes, randomUUID } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A transaction id in the real API's form: 22 base-62 characters, e.g. `UBS0CGlpAgCmKl30x8S9mv`.
 * Content Lake gives every document a transaction writes that transaction's id as its `_rev`.
 */
export function newTransactionId(): string {
  return Array.from(randomBytes(22), (byte) => BASE62[byte % 62]).join("");
}

/** Ids the server generates for `create` without `_id` (or with a `prefix.` one). */
export function newDocumentId(prefix = ""): string {
  return `${prefix}${randomUUID()}`;
}

/** Keys `autoGenerateArrayKeys` adds to array items: short random hex, unique within the array. */
export function newArrayKey(): string {
  return randomBytes(6).toString("hex");
}

/** System timestamps are UTC to the second, e.g. `2025-10-27T17:00:00Z`, as the real `_createdAt`/`_updatedAt`. */
export function systemTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Document ids: letters, digits, `.`, `_` and `-`, at most 128 characters, not starting with `-`.
 * https://www.sanity.io/docs/content-lake/ids
 */
export function isValidDocumentId(id: string): boolean {
  return /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}$/.test(id);
}
