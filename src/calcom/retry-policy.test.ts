import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, rateLimitResetMs, rateLimitWaitMs } from "./retry-policy.ts";

const NOW = Date.parse("2025-11-05T12:00:00Z");

describe("rateLimitResetMs", () => {
  it("reads Cal.com's -Default reset, in seconds", () => {
    expect(rateLimitResetMs(new Headers({ "X-RateLimit-Reset-Default": "42" }), NOW)).toBe(42_000);
  });

  it("prefers the -Default throttler's reset over the plain one", () => {
    const headers = new Headers({ "X-RateLimit-Reset": "5", "X-RateLimit-Reset-Default": "30" });
    expect(rateLimitResetMs(headers, NOW)).toBe(30_000);
  });

  it("reads a custom throttler's reset when no default one is sent", () => {
    expect(rateLimitResetMs(new Headers({ "X-RateLimit-Reset-Bookings": "7" }), NOW)).toBe(7_000);
  });

  it("reads an epoch-seconds reset as a time, and Retry-After as a fallback", () => {
    const epoch = String(NOW / 1000 + 12);
    expect(rateLimitResetMs(new Headers({ "X-RateLimit-Reset": epoch }), NOW)).toBe(12_000);
    expect(rateLimitResetMs(new Headers({ "Retry-After": "3" }), NOW)).toBe(3_000);
  });

  it("is null when no header says", () => {
    expect(rateLimitResetMs(new Headers({ "X-RateLimit-Reset": "soon" }), NOW)).toBeNull();
    expect(rateLimitResetMs(new Headers(), NOW)).toBeNull();
  });
});

describe("waits", () => {
  it("backs off exponentially, with jitter between half and all of the step, never over 30 s", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, r) => {
          const step = Math.min(30_000, 500 * 2 ** attempt);
          const delay = backoffDelayMs(attempt, () => r);
          return delay >= step / 2 && delay <= step;
        },
      ),
    );
    expect(backoffDelayMs(3, () => 0.999)).toBeGreaterThan(backoffDelayMs(1, () => 0.999));
  });

  it("waits for the reset plus a little jitter, capped near Cal.com's 60 s block", () => {
    expect(rateLimitWaitMs(new Headers({ "X-RateLimit-Reset-Default": "10" }), 0, () => 0.5, NOW)).toBe(
      10_125,
    );
    expect(rateLimitWaitMs(new Headers({ "X-RateLimit-Reset-Default": "3600" }), 0, () => 0, NOW)).toBe(
      65_000,
    );
    expect(rateLimitWaitMs(new Headers(), 2, () => 0, NOW)).toBe(1_000);
  });
});
