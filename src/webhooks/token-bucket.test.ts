import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./token-bucket.ts";

describe("the Sheets call budget", () => {
  it("lets a burst through at once, then makes the next call wait for the refill", () => {
    let now = 0;
    const bucket = createTokenBucket({ perMinute: 50, burst: 10, now: () => now });
    expect(bucket.waitMs()).toBe(0);
    bucket.spend(10);
    expect(bucket.waitMs()).toBe(1_200);
    now += 1_200;
    expect(bucket.waitMs()).toBe(0);
  });

  it("waits until as many calls as asked for are in the budget", () => {
    let now = 0;
    const bucket = createTokenBucket({ perMinute: 50, burst: 10, now: () => now });
    bucket.spend(9);
    expect(bucket.waitMs()).toBe(0);
    expect(bucket.waitMs(2)).toBe(1_200);
    now += 1_200;
    expect(bucket.waitMs(2)).toBe(0);
    // More than the burst is never in hand: asking for it waits only for a full bucket.
    expect(bucket.waitMs(20)).toBe(8 * 1_200);
  });

  it("never lets more calls through in any minute than the burst plus a minute of refill", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 4 })), {
          maxLength: 200,
        }),
        (steps) => {
          let now = 0;
          const bucket = createTokenBucket({ perMinute: 50, burst: 10, now: () => now });
          const spent: { at: number; calls: number }[] = [];
          for (const [pause, calls] of steps) {
            now += pause;
            const wait = bucket.waitMs();
            now += wait;
            bucket.spend(calls);
            spent.push({ at: now, calls });
          }
          for (const { at } of spent) {
            const inMinute = spent
              .filter((s) => s.at >= at && s.at < at + 60_000)
              .reduce((n, s) => n + s.calls, 0);
            // A batch starts with at least one call in hand and may use up to 3 more than it had.
            expect(inMinute).toBeLessThanOrEqual(10 + 50 + 3);
          }
        },
      ),
    );
  });

  it("never passes the burst plus a minute of refill when each batch waits for what it spends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 2 })), {
          maxLength: 200,
        }),
        (steps) => {
          let now = 0;
          const bucket = createTokenBucket({ perMinute: 50, burst: 10, now: () => now });
          const spent: { at: number; calls: number }[] = [];
          for (const [pause, calls] of steps) {
            now += pause + bucket.waitMs(2);
            bucket.spend(calls);
            spent.push({ at: now, calls });
          }
          for (const { at } of spent) {
            const inMinute = spent
              .filter((s) => s.at >= at && s.at < at + 60_000)
              .reduce((n, s) => n + s.calls, 0);
            // 60: Sheets' write quota a minute, never passed.
            expect(inMinute).toBeLessThanOrEqual(10 + 50);
          }
        },
      ),
    );
  });
});
