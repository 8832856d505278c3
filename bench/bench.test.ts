import { describe, expect, it } from "vitest";
import { benchPostgresUrl } from "./database.ts";
import { parseLine, peakInWindow, percentile } from "./measure.ts";
import { runBench } from "./run.ts";

/**
 * The bench's own functions, in this process, at a tiny size and without network delay: checks that every
 * printed line has the documented shape and the figures a reader looks for. No timing is asserted; timings
 * are what `npm run bench` is for.
 */
describe("npm run bench (smoke)", () => {
  it("prints one well-formed line per measured thing", { timeout: 240_000 }, async () => {
    // PostgreSQL too when the tests have one (CI sets TEST_DATABASE_URL).
    const postgresUrl = benchPostgresUrl();
    const modes = postgresUrl ? ["embedded", "postgres"] : ["embedded"];
    const lines: string[] = [];
    await runBench({
      // The second size is the "large" one the speed, wall and RSS targets are for; its 120 bookings are
      // more than the guide's one page, so the same-work estimate is exercised.
      sizes: [
        { leads: 30, bookings: 8 },
        { leads: 150, bookings: 120 },
      ],
      latencyMs: 0,
      webhookLatency: { count: 5, perSecond: 50 },
      webhookBurst: { count: 6, perSecond: 100 },
      childProcesses: false,
      drainTimeoutMs: 30_000,
      postgresUrl,
      emit: (text) => lines.push(text),
    });

    const measured = new Map<string, Record<string, string>>();
    const notes: string[] = [];
    for (const text of lines) {
      if (text.startsWith("note ")) {
        expect(text).toMatch(/^note [^:]+: \S.*$/);
        notes.push(text);
        continue;
      }
      const parsed = parseLine(text);
      expect(parsed, `not a "label: key=value ..." line: ${text}`).not.toBeNull();
      if (parsed) measured.set(parsed.label, parsed.figures);
    }

    expect(measured.get("bench")?.databases).toBe(modes.join(","));
    if (!postgresUrl) {
      expect(notes).toContain("note bench: PostgreSQL runs skipped (set BENCH_DATABASE_URL=postgres://…)");
    }
    const calsync = modes.map((mode) => `calsync[${mode}]`);
    const number = /^-?\d+(\.\d+)?$/;
    for (const name of ["30x8", "150x120"]) {
      for (const system of [...calsync.flatMap((c) => [c, `${c}-rerun`]), "guide", "guide-lifted"]) {
        const figures = measured.get(`sync ${name} ${system}`);
        expect(figures, `no line for ${name} ${system}`).toBeDefined();
        for (const key of [
          "sheets_calls",
          "calcom_calls",
          "sanity_calls",
          "wall_ms",
          "cpu_ms",
          "peak_rss_mb",
        ]) {
          expect(figures?.[key], `${name} ${system} ${key}`).toMatch(number);
        }
      }
      for (const system of calsync) {
        // No quota is reached, so every run succeeds and calsync keeps to its Sheets budget.
        expect(measured.get(`sync ${name} ${system}`)?.ok, `${name} ${system}`).toBe("true");
        // The read, the tab's id (once ever), one batch anchoring the rows, one write.
        expect(Number(measured.get(`sync ${name} ${system}`)?.sheets_calls)).toBeLessThanOrEqual(4);
        expect(Number(measured.get(`sync ${name} ${system}-rerun`)?.sheets_calls)).toBe(1);
        const compare = measured.get(`sync ${name} ${system} vs guide-lifted`);
        expect(compare?.speedup_vs_guide_as_is).toMatch(number);
        expect(compare?.speedup_vs_guide_same_work).toMatch(number);
        expect(measured.get(`target ${name} ${system} sheets_calls_within_budget`)?.met).toBe("true");
      }
      expect(measured.get(`sync ${name} guide-lifted`)?.ok).toBe("true");
    }
    // The guide's one page holds 100 of the 120 bookings: its all-bookings time is estimated.
    expect(measured.get("sync 150x120 guide-lifted")?.bookings).toBe("100");
    expect(measured.get("sync 150x120 guide-lifted-all-bookings-estimate")?.wall_ms).toMatch(number);
    expect(measured.has("sync 30x8 guide-lifted-all-bookings-estimate")).toBe(false);
    // Speed, wall time and RSS: for the largest size only, per database mode.
    for (const system of calsync) {
      const speedup = measured.get(`target 150x120 ${system} speedup_vs_guide_same_work_at_least_10x`);
      expect(speedup?.vs_guide_same_work).toMatch(number);
      expect(speedup?.vs_guide_as_is).toMatch(number);
      expect(measured.get(`target 150x120 ${system} first_run_wall_under_10s`)?.wall_ms).toMatch(number);
      expect(measured.get(`target 150x120 ${system} peak_rss_under_500mb`)?.peak_rss_mb).toMatch(number);
      expect(measured.has(`target 30x8 ${system} first_run_wall_under_10s`)).toBe(false);
    }
    // The speed-up note says which comparison decides, once however many modes there are.
    const speedupNotes = notes.filter((text) =>
      text.startsWith("note target 150x120 speedup_vs_guide_same_work_at_least_10x:"),
    );
    expect(speedupNotes).toHaveLength(1);
    expect(speedupNotes[0]).toContain("vs_guide_same_work");

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
