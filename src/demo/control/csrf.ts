import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * A token per demo process, sent in a hidden field of every form and checked on every POST: another site
 * the person has open cannot make their browser book or cancel through the control page.
 */
export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

export function isValidCsrfToken(expected: string, received: unknown): boolean {
  if (typeof received !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
