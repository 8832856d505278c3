import { createHmac, timingSafeEqual } from "node:crypto";

/** The header Cal.com signs deliveries with. */
export const SIGNATURE_HEADER = "X-Cal-Signature-256";
/** What Cal.com sends in place of a signature when the subscription has no secret: counts as no signature. */
export const NO_SECRET_SIGNATURE = "no-secret-provided";

/**
 * Cal.com's signature: lowercase hex HMAC-SHA256 of the exact body it sent, keyed with the subscription's
 * secret, or the literal `no-secret-provided` without one (packages/features/webhooks/lib/sendPayload.ts,
 * createWebhookSignature). The Cal.com sandbox signs its deliveries with this too.
 */
export function signWebhookBody(body: Uint8Array | string, secret: string | null | undefined): string {
  return secret ? createHmac("sha256", secret).update(body).digest("hex") : NO_SECRET_SIGNATURE;
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: "missing-secret" | "missing-signature" | "bad-signature" };

/**
 * Checks `X-Cal-Signature-256` against the raw body
 * (https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload).
 * Fails closed: without a configured secret nothing verifies. Compares in constant time.
 */
export function verifyWebhookSignature(args: {
  rawBody: Uint8Array | string;
  signature: string | null | undefined;
  secret: string | undefined;
}): SignatureCheck {
  if (!args.secret) return { ok: false, reason: "missing-secret" };
  const given = args.signature?.trim().toLowerCase() ?? "";
  if (given === "" || given === NO_SECRET_SIGNATURE) return { ok: false, reason: "missing-signature" };
  const expected = Buffer.from(signWebhookBody(args.rawBody, args.secret), "utf8");
  const received = Buffer.from(given, "utf8");
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: "bad-signature" };
  }
  return { ok: true };
}
