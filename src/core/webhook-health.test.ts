import { describe, expect, it } from "vitest";
import { webhookHealth } from "./webhook-health.ts";

const NOW = new Date("2025-10-27T12:00:00.000Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const health = (input: Partial<Parameters<typeof webhookHealth>[0]>) =>
  webhookHealth({
    configured: true,
    received24h: 0,
    missed24h: 0,
    lastReceivedAt: null,
    missedInSilence: 0,
    now: NOW,
    silenceHours: 6,
    ...input,
  }).status;

describe("the webhooks' health", () => {
  it("is off without a secret, whatever the polls find", () => {
    expect(health({ configured: false, missedInSilence: 3 })).toBe("off");
  });

  it("turns degraded only when polls found changes and no delivery arrived for WEBHOOK_SILENCE_HOURS", () => {
    expect(health({ lastReceivedAt: hoursAgo(7), missedInSilence: 1 })).toBe("degraded");
    expect(health({ lastReceivedAt: null, missedInSilence: 1 })).toBe("degraded");
    expect(health({ lastReceivedAt: hoursAgo(5), missedInSilence: 4 })).toBe("ok");
    expect(health({ lastReceivedAt: hoursAgo(7), missedInSilence: 0, missed24h: 2 })).toBe("ok");
    expect(health({ lastReceivedAt: hoursAgo(7), missedInSilence: 1, silenceHours: 8 })).toBe("ok");
  });
});
