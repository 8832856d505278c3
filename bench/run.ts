/**
 * `npm run bench`: calsync's booking sync against a faithful re-implementation of the guide's hourly sync,
 * on the sandboxes with a simulated network delay, at 1,000 leads × 100 bookings and 100,000 × 10,000; then
 * the webhook path's latency and a burst. Plain lines, one measured thing each (see measure.ts `line`).
 *
 *   npm run bench                 everything (about 5 minutes)
 *   npm run bench -- --quick      the small case and a 100-event latency sample
 *   BENCH_CPU_PROF=/tmp/prof npm run bench -- --quick   also writes a .cpuprofile per sync process
 */
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { type CaseKind, type CaseRun, type CaseRunner, openCase, spawnCase } from "./case.ts";
import { type DatabaseDirs, prepareDatabaseDirs } from "./database.ts";
import { type Figure, line, note } from "./measure.ts";
import { spawnSandboxes } from "./sandbox-server.ts";
import { type BenchSandboxes, type SandboxSpec, type SystemStats, startBenchSandboxes } from "./sandboxes.ts";
import { runWebhookPhase } from "./webhooks.ts";

export type Size = { leads: number; bookings: number };

export type BenchOptions = {
  sizes: Size[];
  latencyMs: number;
  /** Steady-rate webhook sample; null skips it. */
  webhookLatency: { count: number; perSecond: number } | null;
  /** Burst; null skips it. */
  webhookBurst: { count: number; perSecond: number } | null;
  /** false: sandboxes and syncs in this process (the smoke test; RSS figures are then not the sync's own). */
  childProcesses: boolean;
  /** Node flags for the sync processes, e.g. --cpu-prof. */
  caseExecArgv?: string[];
  /** false: the sync process does not reuse HTTP connections (a diagnostic; see case.ts). */
  httpKeepAlive?: boolean;
  drainTimeoutMs?: number;
  emit: (text: string) => void;
};

/** How a failed request on a connection the server had already closed reads in the sync's error. */
const DROPPED_CONNECTION = /EPIPE|ECONNRESET|socket hang up/;
/** The guide's algorithm reads one page: Cal.com's default page size. */
const GUIDE_PAGE_SIZE = 100;
/** "Within seconds": the large run must finish in under this. */
const WITHIN_SECONDS_MS = 10_000;
const RSS_LIMIT_MB = 500;

export const FULL: Omit<BenchOptions, "emit"> = {
  sizes: [
    { leads: 1_000, bookings: 100 },
    { leads: 100_000, bookings: 10_000 },
  ],
  latencyMs: 100,
  // 10 bookings a second, steadily: far above any real booking page (a busy one sees a few an hour), so
  // the worker is always busy and its batching and spacing show; 1,000 events then take 100 s.
  webhookLatency: { count: 1_000, perSecond: 10 },
  webhookBurst: { count: 500, perSecond: 50 },
  childProcesses: true,
  // The worker spaces batches to at most 25 a minute, so a due delivery waits at most a minute for its
  // batch: one not in the sheet 90 s after the last booking is stuck, and counted as lost.
  drainTimeoutMs: 90_000,
};

export const QUICK: Omit<BenchOptions, "emit"> = {
  ...FULL,
  sizes: [{ leads: 1_000, bookings: 100 }],
  webhookLatency: { count: 100, perSecond: 10 },
  webhookBurst: null,
};

type Measured = { run: CaseRun; stats: SystemStats; readyRssMb: number };

export async function runBench(options: BenchOptions): Promise<{ targetsMet: boolean }> {
  const { emit } = options;
  const dbs = await prepareDatabaseDirs();
  const targets: { label: string; met: boolean; figures: Record<string, Figure> }[] = [];
  try {
    emit(
      line("bench", {
        latency_ms: options.latencyMs,
        sizes: options.sizes.map((s) => `${s.leads}x${s.bookings}`).join(","),
        child_processes: options.childProcesses,
        cpus: availableParallelism(),
        load_avg_1m: round1(loadavg()[0] ?? 0),
      }),
    );
    for (const size of options.sizes) targets.push(...(await benchSize(size, options, dbs)));
    if (options.webhookLatency) {
      const phase = await runWebhookPhase({
        kind: "latency",
        ...options.webhookLatency,
        latencyMs: options.latencyMs,
        databaseDir: await dbs.fresh(),
        sandboxesInChild: options.childProcesses,
        ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
      });
      for (const text of phase.lines) emit(text);
      targets.push({
        label: "webhook latency no_events_lost",
        met: phase.lost === 0,
        figures: { lost: phase.lost },
      });
    }
    if (options.webhookBurst) {
      const phase = await runWebhookPhase({
        kind: "burst",
        ...options.webhookBurst,
        latencyMs: options.latencyMs,
        databaseDir: await dbs.fresh(),
        sandboxesInChild: options.childProcesses,
        ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
      });
      for (const text of phase.lines) emit(text);
      targets.push({
        label: "webhook burst no_events_lost",
        met: phase.lost === 0,
        figures: { lost: phase.lost },
      });
    }
  } finally {
    await dbs.dispose();
  }
  for (const target of targets) emit(line(`target ${target.label}`, { ...target.figures, met: target.met }));
  return { targetsMet: targets.every((t) => t.met) };
}

async function benchSize(size: Size, options: BenchOptions, dbs: DatabaseDirs) {
  const { emit } = options;
  const name = `${size.leads}x${size.bookings}`;

  // calsync, real quotas: a first run (everything new) and a re-run with nothing changed.
  let [first, rerun] = (await measureRuns("calsync", size, "real", options, dbs, 2)) as [Measured, Measured];
  emit(syncLine(`sync ${name} calsync`, first));
  if (first.run.summary.note) emit(note(`sync ${name} calsync`, first.run.summary.note));
  emit(syncLine(`sync ${name} calsync-rerun`, rerun));
  if (rerun.run.summary.note) emit(note(`sync ${name} calsync-rerun`, rerun.run.summary.note));
  emit(line(`sync ${name} calsync phases`, roundAll(first.run.summary.phases)));
  emit(line(`sync ${name} calsync-rerun phases`, roundAll(rerun.run.summary.phases)));
  const failedAsIs = !first.run.summary.ok;
  if (failedAsIs && DROPPED_CONNECTION.test(first.run.summary.note ?? "")) {
    // A Sheets call went out on a pooled connection the server had closed while the sync computed, and
    // calsync retries only answered failures (429, 5xx). Measured again without connection reuse, so the
    // remaining figures exist; the failure above stands as a finding.
    [first, rerun] = (await measureRuns(
      "calsync",
      size,
      "real",
      { ...options, httpKeepAlive: false },
      dbs,
      2,
    )) as [Measured, Measured];
    emit(syncLine(`sync ${name} calsync-keepalive-off`, first));
    emit(syncLine(`sync ${name} calsync-keepalive-off-rerun`, rerun));
    emit(line(`sync ${name} calsync-keepalive-off phases`, roundAll(first.run.summary.phases)));
    emit(line(`sync ${name} calsync-keepalive-off-rerun phases`, roundAll(rerun.run.summary.phases)));
    emit(
      note(
        `sync ${name} calsync-keepalive-off`,
        "diagnostic re-measure: HTTP connections not reused in the sync process; the figures below compare these runs",
      ),
    );
  }

  // The guide as it was: real quotas, no retry.
  const [guide] = (await measureRuns("guide", size, "real", options, dbs, 1)) as [Measured];
  emit(syncLine(`sync ${name} guide`, guide));
  if (guide.run.summary.note) emit(note(`sync ${name} guide`, guide.run.summary.note));

  // The guide with every quota lifted, so its wall time is not cut short by its first 429.
  const [lifted] = (await measureRuns("guide", size, "lifted", options, dbs, 1)) as [Measured];
  emit(syncLine(`sync ${name} guide-lifted`, lifted));
  emit(
    note(
      `sync ${name} guide-lifted`,
      "quotas lifted in all three sandboxes so the guide runs to the end; the Sheets sandbox copies the whole sheet on every write call (negligible at 1,000 rows, ~0.1-0.4 s per row write at 100,000; the guide's own table says 200-400 ms per row write against Google)",
    ),
  );
  emit(line(`sync ${name} guide-lifted phases`, roundAll(lifted.run.summary.phases)));
  if (lifted.run.summary.note) emit(note(`sync ${name} guide-lifted`, lifted.run.summary.note));
  const estimate = guideAllBookingsEstimateMs(lifted.run, size);
  // Only meaningful when the guide's one page left bookings out.
  if (lifted.run.summary.bookings < size.bookings) {
    emit(
      line(`sync ${name} guide-lifted-all-bookings-estimate`, {
        wall_ms: Math.round(estimate),
        bookings: size.bookings,
      }),
    );
    emit(
      note(
        `sync ${name} guide-lifted-all-bookings-estimate`,
        `the guide reads one page (${GUIDE_PAGE_SIZE} bookings); extrapolated from its measured phases as if it handled all ${size.bookings} the way it handles ${lifted.run.summary.bookings}: one fetch per ${GUIDE_PAGE_SIZE}, the same sheet read, match/write/Sanity time per booking.`,
      ),
    );
  }

  const speedup = lifted.run.wallMs / first.run.wallMs;
  const speedupAll = estimate / first.run.wallMs;
  emit(
    line(`sync ${name} compare`, {
      speedup_vs_guide_lifted: round1(speedup),
      speedup_vs_guide_all_bookings_estimate: round1(speedupAll),
      bookings_handled_calsync: first.run.summary.bookings,
      bookings_handled_guide: lifted.run.summary.bookings,
      sheets_calls_calsync: first.stats.sheets.calls,
      sheets_calls_guide_lifted: lifted.stats.sheets.calls,
    }),
  );

  // Every target also needs the run to have succeeded as it is, without the diagnostic.
  const ran = (met: boolean) => met && !failedAsIs && first.run.summary.ok && rerun.run.summary.ok;
  const basis = failedAsIs ? "keepalive_off" : "as_is";
  const targets: { label: string; met: boolean; figures: Record<string, Figure> }[] = [
    {
      label: `${name} sheets_calls_per_run_at_most_3`,
      met: ran(first.stats.sheets.calls <= 3 && rerun.stats.sheets.calls <= 3),
      figures: { first: first.stats.sheets.calls, rerun: rerun.stats.sheets.calls, runs: basis },
    },
  ];
  if (size === options.sizes.at(-1) && options.sizes.length > 1) {
    targets.push(
      {
        label: `${name} speedup_at_least_10x`,
        met: ran(speedup >= 10),
        figures: {
          vs_guide_lifted: round1(speedup),
          vs_guide_all_bookings_estimate: round1(speedupAll),
          runs: basis,
        },
      },
      {
        label: `${name} wall_under_${WITHIN_SECONDS_MS / 1000}s`,
        met: ran(first.run.wallMs < WITHIN_SECONDS_MS),
        figures: { wall_ms: Math.round(first.run.wallMs), runs: basis },
      },
      {
        label: `${name} peak_rss_under_${RSS_LIMIT_MB}mb`,
        met: ran(first.run.peakRssMb < RSS_LIMIT_MB && rerun.run.peakRssMb < RSS_LIMIT_MB),
        figures: { peak_rss_mb: Math.round(Math.max(first.run.peakRssMb, rerun.run.peakRssMb)), runs: basis },
      },
    );
  }
  return targets;
}

/**
 * Starts sandboxes seeded for the size, then one sync process, and runs it `runs` times, taking the
 * sandboxes' own request counts for each run.
 */
async function measureRuns(
  kind: CaseKind,
  size: Size,
  quotas: SandboxSpec["quotas"],
  options: BenchOptions,
  dbs: DatabaseDirs,
  runs: number,
): Promise<Measured[]> {
  const spec: SandboxSpec = { latencyMs: options.latencyMs, quotas, ...size };
  const sandboxes: BenchSandboxes = options.childProcesses
    ? await spawnSandboxes(spec)
    : await startBenchSandboxes(spec);
  let runner: CaseRunner | undefined;
  try {
    const caseOptions = {
      kind,
      env: sandboxes.env,
      ...(kind === "calsync" ? { databaseDir: await dbs.fresh() } : {}),
      ...(options.httpKeepAlive === false ? { httpKeepAlive: false } : {}),
    };
    runner = options.childProcesses
      ? await spawnCase({
          ...caseOptions,
          ...(options.caseExecArgv ? { execArgv: options.caseExecArgv } : {}),
        })
      : await openCase(caseOptions);
    const measured: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      await sandboxes.resetStats();
      const run = await runner.run();
      measured.push({ run, stats: await sandboxes.stats(), readyRssMb: runner.readyRssMb });
    }
    return measured;
  } finally {
    await runner?.close();
    await sandboxes.close();
  }
}

function syncLine(label: string, { run, stats, readyRssMb }: Measured): string {
  const s = run.summary;
  return line(label, {
    ok: s.ok,
    sheets_calls: stats.sheets.calls,
    calcom_calls: stats.calcom.calls,
    sanity_calls: stats.sanity.calls,
    wall_ms: Math.round(run.wallMs),
    cpu_ms: Math.round(run.cpuMs),
    peak_rss_mb: Math.round(run.peakRssMb),
    ready_rss_mb: Math.round(readyRssMb),
    bookings: s.bookings,
    matched: s.matched,
    updated: s.updated,
    added: s.added,
    sheets_reads: stats.sheets.reads,
    sheets_writes: stats.sheets.writes,
    sheets_429: stats.sheets.refused,
    calcom_429: stats.calcom.refused,
    sanity_429: stats.sanity.refused,
    sanity_mutations: stats.sanity.mutations,
  });
}

/**
 * The guide's wall time had it handled every booking rather than its one page: the page fetch repeated per
 * 100 bookings, the sheet read once, and matching, row writes and Sanity writes per booking as measured.
 */
export function guideAllBookingsEstimateMs(run: CaseRun, size: Size): number {
  const p = run.summary.phases;
  const seen = run.summary.bookings;
  if (seen === 0) return Number.NaN;
  const scale = size.bookings / seen;
  const pages = Math.ceil(size.bookings / GUIDE_PAGE_SIZE);
  const perBooking = (p.match_ms ?? 0) + (p.write_ms ?? 0) + (p.sanity_ms ?? 0);
  return (p.fetch_ms ?? 0) * pages + (p.read_ms ?? 0) + perBooking * scale;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function roundAll(figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, Math.round(value)]));
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const started = performance.now();
  const profileDir = process.env.BENCH_CPU_PROF;
  const { targetsMet } = await runBench({
    ...(quick ? QUICK : FULL),
    ...(profileDir ? { caseExecArgv: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {}),
    emit: (text) => console.log(text),
  });
  console.log(
    line("bench done", {
      quick,
      total_s: Math.round((performance.now() - started) / 1000),
      targets_met: targetsMet,
      // Wall times move with the machine's load; cpu_ms much less.
      load_avg_1m: round1(loadavg()[0] ?? 0),
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
