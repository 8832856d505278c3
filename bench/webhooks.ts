/**
 * The webhook path end to end, as production runs it: a spawned `calsync serve` on the embedded database,
 * subscribed to the Cal.com sandbox (its deliveries cross the same simulated network as every API call); a
 * booker books on the booking page, alone (each booking once the previous one's cell is written, at least 1 s
 * apart) or in a burst, and the sandbox side times each booking from Cal.com sending the webhook to the
 * booking's cell appearing in the sheet, and takes the time of every Sheets write call.
 */
import type { BenchDatabases } from "./database.ts";
import { line, note, peakInWindow, percentile } from "./measure.ts";
import { spawnSandboxes } from "./sandbox-server.ts";
import { type BenchSandboxes, type DriveResult, type SandboxSpec, startBenchSandboxes } from "./sandboxes.ts";
import { startServe } from "./serve.ts";
import { type Target, target } from "./targets.ts";

const WEBHOOK_SECRET = "bench-webhook-secret";

export type WebhookPhase = {
  /** `latency`: lone deliveries ≥ 1 s apart; `burst`: `count` bookings evenly inside `windowS` seconds. */
  kind: "latency" | "burst";
  count: number;
  windowS: number;
  /** Per API request and per delivery. */
  latencyMs: number;
  drainTimeoutMs: number;
  sandboxesInChild: boolean;
};

/** Runs one phase on a system of its own (fresh sandboxes, quotas, database and server). */
export async function runWebhookPhase(
  phase: WebhookPhase,
  dbs: BenchDatabases,
): Promise<{ lines: string[]; targets: Target[]; notes: string[] }> {
  // About one lead in ten lacks a phone or an email; those are skipped so every booking has one lead.
  const spec: SandboxSpec = {
    latencyMs: phase.latencyMs,
    quotas: "real",
    leads: Math.ceil(phase.count * 1.3) + 20,
    bookings: 0,
  };
  const sandboxes: BenchSandboxes = phase.sandboxesInChild
    ? await spawnSandboxes(spec)
    : await startBenchSandboxes(spec);
  const database = await dbs.fresh("embedded");
  let result: DriveResult;
  let readyMs: number;
  let serveOk: boolean;
  let serveNote: string | null = null;
  try {
    const serve = await startServe(
      {
        ...sandboxes.env,
        CALCOM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // The scheduled syncs are other jobs: off, so only the webhook path is measured.
        SYNC_SCHEDULE: "off",
        SHEETS_SYNC_SCHEDULE: "off",
      },
      database.cwd,
    );
    readyMs = serve.readyMs;
    try {
      await sandboxes.subscribe(`${serve.url}/api/webhooks/calcom`, WEBHOOK_SECRET);
      result = await sandboxes.drive({
        firstLead: 0,
        count: phase.count,
        perSecond: phase.count / phase.windowS,
        lone: phase.kind === "latency",
        drainTimeoutMs: phase.drainTimeoutMs,
      });
    } finally {
      const exit = await serve.stop();
      serveOk = exit.code === 0;
      if (!serveOk)
        serveNote = `calsync serve exited ${exit.code ?? exit.signal}: ${exit.stderr.slice(-300)}`;
    }
  } finally {
    await sandboxes.close();
    await dbs.release(database);
  }
  return describe(phase, result, readyMs, serveOk, serveNote);
}

function describe(
  phase: WebhookPhase,
  result: DriveResult,
  readyMs: number,
  serveOk: boolean,
  serveNote: string | null,
): { lines: string[]; targets: Target[]; notes: string[] } {
  const seen = result.latenciesMs.filter((ms): ms is number => ms !== null);
  const lost = result.latenciesMs.length - seen.length;
  const p99 = percentile(seen, 99);
  const peakWrites = peakInWindow(result.writeTimes, 60_000);
  const common = {
    events: phase.count,
    latency_ms: phase.latencyMs,
    database: "embedded",
    serve_ready_ms: Math.round(readyMs),
    p50_ms: percentile(seen, 50),
    p99_ms: p99,
    max_ms: seen.length > 0 ? Math.max(...seen) : Number.NaN,
    events_lost: lost,
    delivery_failures: result.deliveryFailures,
    sheets_writes: result.sheets.writes,
    sheets_reads: result.sheets.reads,
    sheets_429: result.sheets.refused,
    peak_writes_per_min: peakWrites,
    // What each delivery costs of the Sheets budget `calsync serve` paces its batches by.
    sheets_calls_per_event: ((result.sheets.writes + result.sheets.reads) / Math.max(1, phase.count)).toFixed(
      2,
    ),
  };
  const lines = serveNote ? [`note webhook ${phase.kind}: ${serveNote.replace(/\s+/g, " ")}`] : [];
  if (phase.kind === "latency") {
    const spacingS = phase.windowS / phase.count;
    lines.unshift(line("webhook latency", { ...common, spacing: `lone_${spacingS}s` }));
    const p99Known = Number.isNaN(p99) ? null : p99;
    const label = `webhook latency p99 ${spacingS}s apart`;
    const latencyTarget = target(
      label,
      [
        { figure: "p99_ms", value: p99Known, limit: 250, compare: "<" },
        { figure: "events_lost", value: lost, limit: 0, compare: "<=" },
      ],
      serveOk,
    );
    // What the deliveries asked of the Sheets write budget: when it is more than the budget refills, batches
    // wait for it, whatever the worker's debounce.
    const writesPerEvent = result.sheets.writes / Math.max(1, phase.count);
    const writesPerMinute = (writesPerEvent * 60) / spacingS;
    const notes = latencyTarget.met
      ? []
      : [
          note(
            `target ${label}`,
            `each delivery took ${writesPerEvent.toFixed(2)} Sheets writes (a lead calsync has not written yet needs 2: its row anchor, checked where it landed, then the cells through it); ${spacingS} s apart that is ${Math.round(writesPerMinute)} writes a minute against the worker's budget of 50 (Google allows 60), so once the burst of 10 is spent each batch waits for the budget`,
          ),
        ];
    return { lines, targets: [latencyTarget], notes };
  }
  const allWrittenS = result.durationMs / 1000;
  lines.unshift(line("webhook burst", { ...common, window_s: phase.windowS, all_written_s: allWrittenS }));
  return {
    lines,
    targets: [
      target(
        `webhook burst ${phase.count} in ${phase.windowS}s`,
        [
          { figure: "events_lost", value: lost, limit: 0, compare: "<=" },
          { figure: "peak_writes_per_min", value: peakWrites, limit: 60, compare: "<=" },
          {
            figure: "all_written_s",
            value: lost > 0 ? null : allWrittenS,
            limit: 60,
            compare: "<=",
            decimals: 1,
          },
        ],
        serveOk,
      ),
    ],
    notes: [],
  };
}
