import { createHmac, timingSafeEqual } from "node:crypto";

/** The header Cal.com signs deliveries with. */
export const SIGNATURE_HEADER = "X-Cal-Signature-256";
/** What Cal.com sends in place of a signature when the subscription has no secret. */
export const NO_SECRET_SIGNATURE = "no-secret-provided";

/**
 * Cal.com's signature: lowercase hex HMAC-SHA256 of the exact body text it sent, keyed with the
 * subscription's secret, or the literal `no-secret-provided` without one
 * (packages/features/webhooks/lib/sendPayload.ts, createWebhookSignature).
 */
export function signWebhookBody(body: string, secret: string | null | undefined): string {
  return secret ? createHmac("sha256", secret).update(body).digest("hex") : NO_SECRET_SIGNATURE;
}

/** Checks a delivery's signature against the raw body, in constant time. */
export function verifyWebhookSignature(
  body: string,
  signature: string | null | undefined,
  secret: string,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(body, secret), "utf8");
  const received = Buffer.from(signature.trim().toLowerCase(), "utf8");
  return expected.length === received.length && timingSafeEqual(expected, received);
}
