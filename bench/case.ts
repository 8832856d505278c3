/**
 * One measured sync: calsync's runtime, or the guide's algorithm, against sandboxes in another process.
 *
 * As a child (`fork`ed by spawnCase, `node --import tsx bench/case.ts <kind>`): the process holds only the
 * sync, so `process.resourceUsage().maxRSS` is the sync's own peak. It answers `run` (one sync run; several
 * may follow, e.g. a re-run with nothing changed) and `close` over IPC. As a module: openCase does the same
 * in-process (the smoke test).
 */
import { type ChildProcess, fork } from "node:child_process";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Runtime } from "../src/app/runtime.ts";
import type { Database } from "../src/db/database.ts";
import type { BenchDatabase } from "./database.ts";
import { peakRssMb } from "./measure.ts";

export type CaseKind = "calsync" | "guide";

export type CaseSummary = {
  ok: boolean;
  bookings: number;
  matched: number;
  updated: number;
  /** calsync: new leads appended; the guide never adds. */
  added: number;
  /** Why a run failed or stopped early, or a warning; null when there is nothing to say. */
  note: string | null;
  /** Milliseconds per step, when the runner knows them. */
  phases: Record<string, number>;
};

/** `cpuMs`: the sync process's own CPU time (user + system) during the run: what the machine's load does not inflate. */
export type CaseRun = { wallMs: number; cpuMs: number; peakRssMb: number; summary: CaseSummary };

export type CaseRunner = {
  /** RSS once the runner is ready, before any sync: modules, clients and (calsync) the open database. */
  readyRssMb: number;
  run(): Promise<CaseRun>;
  close(): Promise<void>;
};

export type CaseOptions = {
  kind: CaseKind;
  /** What the sandboxes gave (BenchSandboxes.env). */
  env: Record<string, string>;
  /** calsync only: a prepared database, embedded or a PostgreSQL schema (see database.ts). */
  database?: BenchDatabase;
  /**
   * false: Node's global HTTP agent stops reusing connections (the Sheets and Sanity clients use it). A
   * diagnostic: it shows what a run costs once a reused connection that the server closed meanwhile can no
   * longer fail it. Default true, as in production.
   */
  httpKeepAlive?: boolean;
};

export async function openCase(options: CaseOptions): Promise<CaseRunner> {
  if (options.httpKeepAlive === false) http.globalAgent = new http.Agent({ keepAlive: false });
  const runner = options.kind === "calsync" ? await openCalsync(options) : await openGuide(options.env);
  return { readyRssMb: currentRssMb(), ...runner };
}

/**
 * Each runner imports only its own code, so that the guide's process does not carry calsync's modules (and
 * the embedded database) in its RSS, nor calsync's the guide's.
 */
async function openCalsync(options: CaseOptions): Promise<Omit<CaseRunner, "readyRssMb">> {
  if (!options.database) throw new Error("calsync needs a database");
  const [{ createRuntime }, { loadConfig }, { silentLogger }, { runBookingSync }, { openBenchDatabase }] =
    await Promise.all([
      import("../src/app/runtime.ts"),
      import("../src/config/config.ts"),
      import("../src/log/logger.ts"),
      import("../src/sync/run-booking-sync.ts"),
      import("./database.ts"),
    ]);
  const db: Database = await openBenchDatabase(options.database);
  const config = loadConfig({ ...options.env, LOG_LEVEL: "silent", SYNC_SCHEDULE: "off" });
  const runtime: Runtime = await createRuntime(config, { db, log: silentLogger });
  const steps = timeSteps(runtime);
  // The longest stretch the event loop was blocked: while it is, `calsync serve` answers no webhook, and
  // pooled connections the server closes meanwhile are only noticed when next used.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return {
    async run() {
      steps.reset();
      loop.reset();
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await runBookingSync(runtime.ctx, { trigger: "cli" });
      const wallMs = performance.now() - started;
      const cpuMs = cpuMsSince(cpu);
      const note = result.error
        ? `${result.error.code}: ${result.error.message}`
        : result.warnings.length > 0
          ? result.warnings.join(" | ")
          : null;
      return {
        wallMs,
        cpuMs,
        peakRssMb: peakRssMb(),
        summary: {
          ok: result.success,
          bookings: result.bookingsFound,
          matched: result.matchesFound,
          updated: result.updatesApplied - result.added,
          added: result.added,
          note,
          phases: { ...steps.take(wallMs), loop_block_max_ms: loop.max / 1e6 },
        },
      };
    },
    async close() {
      loop.disable();
      await runtime.close();
      await db.close();
    },
  };
}

/**
 * Times each step of a calsync run by wrapping the runtime's clients and database in place (the run is
 * sequential, so the steps never overlap): what is left of the wall time is calsync's own computing.
 * Also samples the heap after each step, to tell the sync's data from the process's fixed cost.
 */
function timeSteps(runtime: Runtime): { reset(): void; take(wallMs: number): Record<string, number> } {
  let totals: Record<string, number> = {};
  let heapPeak = 0;
  const timed =
    <A extends unknown[], R>(step: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        totals[step] = (totals[step] ?? 0) + performance.now() - started;
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
    };
  const { ctx, db } = runtime;
  const { calcom, sheet, dashboard } = ctx;
  ctx.calcom = {
    ...calcom,
    listBookings: timed("calcom_ms", calcom.listBookings.bind(calcom)),
    getBooking: timed("calcom_ms", calcom.getBooking.bind(calcom)),
  };
  ctx.sheet = {
    read: timed("sheets_read_ms", sheet.read.bind(sheet)),
    readColumns: timed("sheets_read_ms", sheet.readColumns.bind(sheet)),
    sheetId: timed("sheets_read_ms", sheet.sheetId.bind(sheet)),
    anchorCensus: timed("sheets_read_ms", sheet.anchorCensus.bind(sheet)),
    prepare: timed("sheets_prepare_ms", sheet.prepare.bind(sheet)),
    writeAnchored: timed("sheets_write_ms", sheet.writeAnchored.bind(sheet)),
    anchorCharacters: sheet.anchorCharacters.bind(sheet),
  };
  ctx.dashboard = {
    publish: timed("sanity_ms", dashboard.publish.bind(dashboard)),
    retire: timed("sanity_ms", dashboard.retire.bind(dashboard)),
  };
  // The database object itself must stay (the run lock keys on it), so its methods are wrapped in place.
  db.query = timed("db_ms", db.query.bind(db)) as Database["query"];
  db.exec = timed("db_ms", db.exec.bind(db));
  db.transaction = timed("db_ms", db.transaction.bind(db)) as Database["transaction"];
  return {
    reset() {
      totals = {};
      heapPeak = 0;
    },
    take(wallMs) {
      const spent = Object.values(totals).reduce((sum, ms) => sum + ms, 0);
      return { ...totals, compute_ms: wallMs - spent, heap_peak_mb: heapPeak / 1024 / 1024 };
    },
  };
}

async function openGuide(env: Record<string, string>): Promise<Omit<CaseRunner, "readyRssMb">> {
  const { runGuideAlgorithm } = await import("./guide-algorithm.ts");
  const need = (name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`the sandboxes gave no ${name}`);
    return value;
  };
  const connection = {
    calcomUrl: need("CALCOM_API_URL"),
    calcomApiKey: need("CALCOM_API_KEY"),
    sheetsUrl: need("GOOGLE_SHEETS_API_URL"),
    sheetsToken: need("GOOGLE_ACCESS_TOKEN"),
    spreadsheetId: need("GOOGLE_SHEETS_SPREADSHEET_ID"),
    sanity: {
      projectId: need("SANITY_PROJECT_ID"),
      dataset: need("SANITY_DATASET"),
      token: need("SANITY_TOKEN"),
      apiHost: need("SANITY_API_HOST"),
    },
  };
  return {
    async run() {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await runGuideAlgorithm(connection);
      const wallMs = performance.now() - started;
      const cpuMs = cpuMsSince(cpu);
      return {
        wallMs,
        cpuMs,
        peakRssMb: peakRssMb(),
        summary: {
          ok: result.success,
          bookings: result.bookingsFound,
          matched: result.matchesFound,
          updated: result.updatesApplied,
          added: 0,
          note: result.stopped ?? result.sanityWarning,
          phases: {
            fetch_ms: result.phases.fetchMs,
            read_ms: result.phases.readMs,
            match_ms: result.phases.matchMs,
            write_ms: result.phases.writeMs,
            sanity_ms: result.phases.sanityMs,
            planned_writes: result.updatesPlanned,
          },
        },
      };
    },
    close: async () => undefined,
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function currentRssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

type Call = { id: number; method: "run" | "close" };
type Answer = { id: number; ok: true; value: CaseRun | null } | { id: number; ok: false; error: string };
type Ready = { ready: true; readyRssMb: number } | { ready: false; error: string };

/**
 * The case in a child process. `execArgv` adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` to profile
 * the sync (the profile is written when the child exits).
 */
export async function spawnCase(options: CaseOptions & { execArgv?: string[] }): Promise<CaseRunner> {
  const { execArgv = [], ...caseOptions } = options;
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(caseOptions)], {
    execArgv: ["--import", "tsx", ...execArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const readyRssMb = await new Promise<number>((resolve, reject) => {
    child.once("message", (message: Ready) => {
      if (message.ready) resolve(message.readyRssMb);
      else reject(new Error(`the ${options.kind} case failed to start: ${message.error}`));
    });
    child.once("exit", (code) => reject(new Error(`the ${options.kind} case exited with ${code}`)));
  });
  let nextId = 1;
  const call = (method: Call["method"]) =>
    new Promise<CaseRun | null>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (answer: Answer) => {
        if (answer.id !== id) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (answer.ok) resolve(answer.value);
        else reject(new Error(answer.error));
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the ${options.kind} case exited with ${code}`));
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ id, method } satisfies Call);
    });
  return {
    readyRssMb,
    async run() {
      const run = await call("run");
      if (!run) throw new Error("the case answered no run");
      return run;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await call("close").catch(() => null);
      await exited;
    },
  };
}

async function serveCase(options: CaseOptions): Promise<void> {
  let runner: CaseRunner;
  try {
    runner = await openCase(options);
  } catch (error) {
    process.send?.({
      ready: false,
      error: error instanceof Error ? error.message : String(error),
    } satisfies Ready);
    process.exit(1);
  }
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (message: Call) => {
    try {
      if (message.method === "close") {
        await runner.close();
        process.send?.({ id: message.id, ok: true, value: null } satisfies Answer, () => process.exit(0));
        return;
      }
      const run = await runner.run();
      process.send?.({ id: message.id, ok: true, value: run } satisfies Answer);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      process.send?.({ id: message.id, ok: false, error: text } satisfies Answer);
    }
  });
  process.send?.({ ready: true, readyRssMb: runner.readyRssMb } satisfies Ready);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  await serveCase(JSON.parse(process.argv[2] ?? "{}") as CaseOptions);
}
