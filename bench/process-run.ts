/**
 * A measured process, started as a user starts it: its own node, its own working directory, an environment
 * of PATH, HOME and what the case gives. Wall time is spawn → exit; peak RSS and CPU come from the process
 * itself (usage-preload.mjs writes `process.resourceUsage()` on exit), since Node reports no rusage of children.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** `bin/calsync.js`, as `npm install -g` or `npx calsync` runs it. */
export const CALSYNC_BIN = fileURLToPath(new URL("../bin/calsync.js", import.meta.url));
const PRELOAD = pathToFileURL(fileURLToPath(new URL("./usage-preload.mjs", import.meta.url))).href;

/** What the process said about itself on exit; null figures when it died before it could (a signal, say). */
export type Usage = { peakRssMb: number | null; cpuMs: number | null };

export type ProcessRun = Usage & {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
};

export type MeasuredProcess = {
  child: ChildProcess;
  /** Resolves when the process has exited, with everything it printed and its own figures. */
  exited: Promise<ProcessRun>;
  /** What it has printed on stderr so far (e.g. to see why a server did not come up). */
  stderrSoFar(): string;
};

/** Starts `node <args>` measured. `env` is the whole environment besides PATH and HOME, as the CLI tests do. */
export function startMeasured(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): MeasuredProcess {
  const scratch = mkdtempSync(join(tmpdir(), "calsync-bench-run-"));
  // stdout and stderr go to files, as `calsync sync --json > result.json` would: a pipe loses what is still
  // buffered when the process calls process.exit (10,000 updates of JSON are cut at ~400 KB), a file does not.
  const stdoutFile = join(scratch, "stdout");
  const stderrFile = join(scratch, "stderr");
  const stdoutFd = openSync(stdoutFile, "w");
  const stderrFd = openSync(stderrFile, "w");
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...env,
      NODE_OPTIONS: `--import=${PRELOAD}`,
      CALSYNC_BENCH_USAGE_DIR: scratch,
    },
    stdio: ["ignore", stdoutFd, stderrFd],
  });
  // The child has its own copies of the descriptors.
  closeSync(stdoutFd);
  closeSync(stderrFd);
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  let spawnError = "";
  const exited = new Promise<ProcessRun>((resolve) => {
    child.on("error", (error) => {
      spawnError = String(error);
    });
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      const usage = readUsage(scratch, child.pid);
      const stdout = read(stdoutFile);
      const stderr = read(stderrFile) + spawnError;
      rmSync(scratch, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, wallMs, ...usage });
    });
  });
  return { child, exited, stderrSoFar: () => read(stderrFile) + spawnError };
}

/** Runs `node <args>` to its end, measured. */
export function runMeasured(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<ProcessRun> {
  return startMeasured(args, env, cwd).exited;
}

function readUsage(dir: string, pid: number | undefined): Usage {
  if (pid === undefined) return { peakRssMb: null, cpuMs: null };
  try {
    const figures = JSON.parse(readFileSync(join(dir, `${pid}.json`), "utf8")) as {
      maxRssKb: number;
      userUs: number;
      systemUs: number;
    };
    return { peakRssMb: figures.maxRssKb / 1024, cpuMs: (figures.userUs + figures.systemUs) / 1000 };
  } catch {
    return { peakRssMb: null, cpuMs: null };
  }
}

/** A process's resident set now and its peak so far, in MB, from /proc (Linux); nulls elsewhere. */
export function procMemoryMb(pid: number): { rssMb: number | null; hwmMb: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
      return match ? Number(match[1]) / 1024 : null;
    };
    return { rssMb: kb("VmRSS"), hwmMb: kb("VmHWM") };
  } catch {
    return { rssMb: null, hwmMb: null };
  }
}
