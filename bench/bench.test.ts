import { describe, expect, it } from "vitest";
import { parseLine, peakInWindow, percentile } from "./measure.ts";
import { runBench } from "./run.ts";
import { target } from "./targets.ts";

/**
 * The bench harness at tiny sizes and without network delay: every case runs (real `calsync` processes, the
 * guide's process, a spawned `calsync serve`), every printed line has the documented shape, and the counts
 * the runs report are the seeded ones. No timing is asserted; timings are what `npm run bench` is for.
 */
describe("npm run bench (smoke)", () => {
  it("runs every case as its own process and prints one well-formed line per measured thing", {
    timeout: 240_000,
  }, async () => {
    // PostgreSQL too when the tests have one (CI sets TEST_DATABASE_URL).
    const postgresUrl = process.env.TEST_DATABASE_URL?.trim() || null;
    const modes = postgresUrl ? ["embedded", "postgres"] : ["embedded"];
    const lines: string[] = [];
    await runBench({
      quick: false,
      latencyMs: 0,
      small: { leads: 30, bookings: 8 },
      // 120 bookings: more than the guide's one page of 100.
      versusGuide: { leads: 150, bookings: 120 },
      large: { leads: 60, bookings: 12 },
      serveIdleMs: 200,
      webhookLatency: [{ count: 2, latencyMs: 0, spacingS: 1 }],
      webhookBurst: { count: 6, windowS: 0.2, drainTimeoutMs: 30_000 },
      sandboxesInChild: false,
      postgresUrl,
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
    const get = (label: string) => {
      const figures = measured.get(label);
      expect(figures, `no line "${label}" in:\n${lines.join("\n")}`).toBeDefined();
      return figures as Record<string, string>;
    };
    const number = /^-?\d+(\.\d+)?$/;

    const header = get("bench");
    expect(header.databases).toBe(modes.join(","));
    expect(header.cpus).toMatch(number);
    expect(header.node).toBe(process.version);
    expect(lines[0]?.startsWith("bench: ")).toBe(true);
    expect(get("startup calsync --help").ok).toBe("true");

    for (const mode of modes) {
      const system = `calsync[${mode}]`;
      for (const [name, seeded] of [
        ["30x8", "8"],
        ["60x12", "12"],
      ] as const) {
        const first = get(`sync ${name} ${system} first`);
        const rerun = get(`sync ${name} ${system} rerun`);
        for (const run of [first, rerun]) {
          expect(run.ok).toBe("true");
          expect(run.bookings).toBe(seeded);
          // The process's own figures came back from the preload.
          for (const key of ["wall_ms", "cpu_ms", "peak_rss_mb", "sheets_calls", "calcom_calls"]) {
            expect(run[key], `${name} ${system} ${key}`).toMatch(number);
          }
        }
        expect(Number(first.updated) + Number(first.added)).toBeGreaterThan(0);
        // A re-run with nothing new writes nothing and reads the sheet once.
        expect(rerun.updated).toBe("0");
        expect(rerun.added).toBe("0");
        expect(rerun.sheets_writes).toBe("0");
      }
      const vsGuide = get(`sync 150x120 ${system} first`);
      expect(vsGuide.ok).toBe("true");
      expect(vsGuide.bookings).toBe("120");
      expect(get(`target 150x120 ${system} first run vs guide`).ratio).toMatch(number);
      for (const label of [
        `target 30x8 ${system} rerun nothing new`,
        `target 30x8 ${system} first run new database`,
        `target 60x12 ${system} first run`,
        `target 60x12 ${system} rerun`,
      ]) {
        expect(get(label).wall_ms_target).toMatch(/^<\d+$/);
      }
      expect(get(`target 60x12 ${system} first run`).cpu_ms).toMatch(number);
    }
    // The guide reads one page: 100 of the 120 bookings.
    expect(get("sync 150x120 guide").ok).toBe("true");
    expect(get("sync 150x120 guide").bookings).toBe("100");

    expect(get("serve idle calsync[embedded]").rss_mb).toMatch(number);
    expect(get("target serve idle calsync[embedded]").rss_mb_target).toBe("<120");

    const latency = get("webhook latency");
    expect(latency.events_lost).toBe("0");
    expect(latency.p99_ms).toMatch(number);
    const burst = get("webhook burst");
    expect(burst.events_lost).toBe("0");
    expect(burst.peak_writes_per_min).toMatch(number);
    expect(get("target webhook burst 6 in 0.2s").all_written_s).toMatch(number);

    const targets = [...measured.keys()].filter((label) => label.startsWith("target "));
    expect(targets.length).toBe(4 * modes.length + modes.length + 3);
    for (const label of targets) {
      const figures = get(label);
      expect(figures.met).toMatch(/^(true|false)$/);
      if (figures.met === "false") expect(figures.missed_by).toBeDefined();
    }
  });

  it("says by how much a target is missed", () => {
    const met = target("a", [{ figure: "wall_ms", value: 400, limit: 600, compare: "<" }]);
    expect(met).toEqual({ text: "target a: wall_ms=400 wall_ms_target=<600 met=true", met: true });
    const missed = target("b", [
      { figure: "wall_ms", value: 1_200, limit: 600, compare: "<" },
      { figure: "ratio", value: 0.8, limit: 0.1, compare: "<=", decimals: 2 },
      { figure: "lost", value: 3, limit: 0, compare: "<=" },
      { figure: "rss_mb", value: null, limit: 150, compare: "<" },
    ]);
    expect(missed.met).toBe(false);
    expect(parseLine(missed.text)?.figures).toMatchObject({
      ratio: "0.80",
      ratio_target: "<=0.10",
      rss_mb: "none",
      missed_by: "wall_ms+600(2.0x),ratio+0.70(8.0x),lost+3,rss_mb:unmeasured",
    });
    expect(target("c", [], false).text).toBe("target c: met=false missed_by=run_failed");
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
