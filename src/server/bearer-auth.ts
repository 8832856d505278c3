import { timingSafeEqual } from "node:crypto";

/** Constant-time check of `Authorization: Bearer <secret>` against any of the configured secrets. */
export function hasValidBearer(
  header: string | undefined,
  secrets: readonly (string | undefined)[],
): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  let ok = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = Buffer.from(secret);
    // Compare every secret, always, so timing tells nothing about which one (or whether any) matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
