import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "./webhook-signature.ts";

const body = JSON.stringify({
  triggerEvent: "BOOKING_CREATED",
  createdAt: "2025-10-27T10:00:00.000Z",
  payload: {},
});
const sign = (text: string, secret: string) => createHmac("sha256", secret).update(text).digest("hex");

describe("verifyWebhookSignature", () => {
  it("accepts the HMAC of the exact body", () => {
    expect(
      verifyWebhookSignature({ rawBody: body, signature: sign(body, "s3cret"), secret: "s3cret" }),
    ).toEqual({
      ok: true,
    });
  });

  it("accepts an uppercase hex signature and raw bytes", () => {
    const signature = sign(body, "s3cret").toUpperCase();
    expect(verifyWebhookSignature({ rawBody: Buffer.from(body), signature, secret: "s3cret" }).ok).toBe(true);
  });

  it("refuses a signature made with another secret or over another body", () => {
    expect(
      verifyWebhookSignature({ rawBody: body, signature: sign(body, "other"), secret: "s3cret" }),
    ).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect(
      verifyWebhookSignature({ rawBody: reformatted, signature: sign(body, "s3cret"), secret: "s3cret" }).ok,
    ).toBe(false);
  });

  it("treats no header, an empty one and Cal.com's no-secret-provided marker as missing", () => {
    for (const signature of [undefined, "", "no-secret-provided"]) {
      expect(verifyWebhookSignature({ rawBody: body, signature, secret: "s3cret" })).toEqual({
        ok: false,
        reason: "missing-signature",
      });
    }
  });

  it("fails closed when no secret is configured", () => {
    expect(verifyWebhookSignature({ rawBody: body, signature: sign(body, ""), secret: undefined })).toEqual({
      ok: false,
      reason: "missing-secret",
    });
  });

  it("refuses a truncated signature without throwing", () => {
    expect(
      verifyWebhookSignature({
        rawBody: body,
        signature: sign(body, "s3cret").slice(0, 10),
        secret: "s3cret",
      }).ok,
    ).toBe(false);
  });
});
