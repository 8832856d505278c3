/**
 * The webhook path end to end: `calsync serve` (startServer: the HTTP route and the event worker, as in
 * production) on sandboxes with the simulated network delay, subscribed to the Cal.com sandbox; a booker
 * books on the booking page at a steady rate (latency) or all at once (burst), and the sandbox side times
 * each booking from the webhook leaving Cal.com to the booking's cell appearing in the sheet.
 */
import { createRuntime } from "../src/app/runtime.ts";
import { startServer } from "../src/app/start-server.ts";
import { loadConfig } from "../src/config/config.ts";
import { silentLogger } from "../src/log/logger.ts";
import { openBenchDatabase } from "./database.ts";
import { line, peakInWindow, percentile } from "./measure.ts";
import { spawnSandboxes } from "./sandbox-server.ts";
import { type BenchSandboxes, type DriveResult, type SandboxSpec, startBenchSandboxes } from "./sandboxes.ts";

const WEBHOOK_SECRET = "bench-webhook-secret";

export type WebhookPhase = {
  /** `latency`: a steady rate; `burst`: `count` bookings inside `windowS` seconds. */
  kind: "latency" | "burst";
  count: number;
  perSecond: number;
  latencyMs: number;
  /** An embedded database directory: the webhook path is measured on the embedded database only. */
  databaseDir: string;
  /** Sandboxes in a child process (the bench) or in this one (the smoke test). */
  sandboxesInChild: boolean;
  drainTimeoutMs?: number;
};

/** Runs one phase on a system of its own (fresh quotas and worker), and gives its printed line. */
export async function runWebhookPhase(phase: WebhookPhase): Promise<{ lines: string[]; lost: number }> {
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
  const db = await openBenchDatabase({ mode: "embedded", dir: phase.databaseDir });
  const config = loadConfig({
    ...sandboxes.env,
    CALCOM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PORT: "0",
    SYNC_SCHEDULE: "off",
    // The sheet→Sanity copy is another job with its own schedule; off, so only the webhook path is measured.
    SHEETS_SYNC_SCHEDULE: "off",
    LOG_LEVEL: "silent",
  });
  const runtime = await createRuntime(config, { db, log: silentLogger });
  const server = await startServer(runtime, "127.0.0.1");
  let result: DriveResult;
  try {
    await sandboxes.subscribe(`${server.url}/api/webhooks/calcom`, WEBHOOK_SECRET);
    result = await sandboxes.drive({
      firstLead: 0,
      count: phase.count,
      perSecond: phase.perSecond,
      drainTimeoutMs: phase.drainTimeoutMs ?? 90_000,
    });
  } finally {
    await server.stop();
    await db.close();
    await sandboxes.close();
  }
  return { lines: describe(phase, result), lost: lostOf(result) };
}

function lostOf(result: DriveResult): number {
  return result.latenciesMs.filter((ms) => ms === null).length;
}

function describe(phase: WebhookPhase, result: DriveResult): string[] {
  const seen = result.latenciesMs.filter((ms): ms is number => ms !== null);
  const common = {
    p50_ms: percentile(seen, 50),
    p99_ms: percentile(seen, 99),
    max_ms: seen.length > 0 ? Math.max(...seen) : Number.NaN,
  };
  if (phase.kind === "latency") {
    return [
      line("webhook latency", {
        events: phase.count,
        rate_per_s: phase.perSecond,
        database: "embedded",
        ...common,
        events_lost: lostOf(result),
        delivery_failures: result.deliveryFailures,
        peak_writes_per_min: peakInWindow(result.writeTimes, 60_000),
        sheets_writes: result.sheets.writes,
        sheets_reads: result.sheets.reads,
        sheets_429: result.sheets.refused,
      }),
    ];
  }
  return [
    line("webhook burst", {
      events: phase.count,
      window_s: phase.count / phase.perSecond,
      database: "embedded",
      write_calls: result.sheets.writes,
      read_calls: result.sheets.reads,
      peak_writes_per_min: peakInWindow(result.writeTimes, 60_000),
      sheets_429: result.sheets.refused,
      events_lost: lostOf(result),
      delivery_failures: result.deliveryFailures,
      all_written_s: result.durationMs / 1000,
      ...common,
    }),
  ];
}
