import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: "missing-secret" | "missing-signature" | "bad-signature" };

/** What Cal.com sends when the subscription has no secret: treated as no signature at all. */
const UNSIGNED_MARKER = "no-secret-provided";

/**
 * Checks `X-Cal-Signature-256`: the lowercase hex HMAC-SHA256 of the exact request body, keyed with the
 * webhook secret (https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload).
 * Fails closed: without a configured secret nothing verifies. Compares in constant time.
 */
export function verifyCalSignature(args: {
  rawBody: Uint8Array | string;
  signature: string | undefined;
  secret: string | undefined;
}): SignatureCheck {
  if (!args.secret) return { ok: false, reason: "missing-secret" };
  const given = args.signature?.trim().toLowerCase() ?? "";
  if (given === "" || given === UNSIGNED_MARKER) return { ok: false, reason: "missing-signature" };
  const expected = createHmac("sha256", args.secret).update(args.rawBody).digest("hex");
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: "bad-signature" };
  return { ok: true };
}
