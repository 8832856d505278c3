import { describe, expect, it } from "vitest";
import { parseLine, peakInWindow, percentile } from "./measure.ts";
import { runBench } from "./run.ts";

/**
 * The bench's own functions, in this process, at a tiny size and without network delay: checks that every
 * printed line has the documented shape and the figures a reader looks for. No timing is asserted; timings
 * are what `npm run bench` is for.
 */
describe("npm run bench (smoke)", () => {
  it("prints one well-formed line per measured thing", { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    await runBench({
      sizes: [{ leads: 30, bookings: 8 }],
      latencyMs: 0,
      webhookLatency: { count: 5, perSecond: 50 },
      webhookBurst: { count: 6, perSecond: 100 },
      childProcesses: false,
      drainTimeoutMs: 30_000,
      emit: (text) => lines.push(text),
    });

    const measured = new Map<string, Record<string, string>>();
    for (const text of lines) {
      if (text.startsWith("note ")) {
        expect(text).toMatch(/^note [^:]+: \S.*$/);
        continue;
      }
      const parsed = parseLine(text);
      expect(parsed, `not a "label: key=value ..." line: ${text}`).not.toBeNull();
      if (parsed) measured.set(parsed.label, parsed.figures);
    }

    const number = /^-?\d+(\.\d+)?$/;
    for (const system of ["calsync", "calsync-rerun", "guide", "guide-lifted"]) {
      const figures = measured.get(`sync 30x8 ${system}`);
      expect(figures, `no line for ${system}`).toBeDefined();
      for (const key of [
        "sheets_calls",
        "calcom_calls",
        "sanity_calls",
        "wall_ms",
        "cpu_ms",
        "peak_rss_mb",
      ]) {
        expect(figures?.[key], `${system} ${key}`).toMatch(number);
      }
    }
    // The small case reaches no quota, so every run succeeds and calsync keeps to its Sheets budget.
    expect(measured.get("sync 30x8 calsync")?.ok).toBe("true");
    expect(Number(measured.get("sync 30x8 calsync")?.sheets_calls)).toBeLessThanOrEqual(3);
    expect(measured.get("sync 30x8 guide-lifted")?.ok).toBe("true");
    expect(measured.get("sync 30x8 compare")?.speedup_vs_guide_lifted).toMatch(number);

    const latency = measured.get("webhook latency");
    for (const key of ["events", "p50_ms", "p99_ms", "max_ms", "events_lost"]) {
      expect(latency?.[key], `webhook latency ${key}`).toMatch(number);
    }
    expect(latency?.events_lost).toBe("0");
    const burst = measured.get("webhook burst");
    for (const key of ["events", "write_calls", "peak_writes_per_min", "events_lost"]) {
      expect(burst?.[key], `webhook burst ${key}`).toMatch(number);
    }
    expect(burst?.events_lost).toBe("0");

    const targets = [...measured.keys()].filter((label) => label.startsWith("target "));
    expect(targets.length).toBeGreaterThan(0);
    for (const label of targets) expect(measured.get(label)?.met).toMatch(/^(true|false)$/);
  });

  it("computes percentiles and the busiest minute", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 99)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
    // A minute is [t, t + 60 s): 0 and 60 000 are never in the same one.
    expect(peakInWindow([0, 30_000, 59_999, 60_000, 120_000], 60_000)).toBe(3);
    expect(peakInWindow([], 60_000)).toBe(0);
  });
});
