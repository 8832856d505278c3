import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** `bin/calsync.js`, as a user runs it: the build in dist/, which the tests' globalSetup keeps current. */
export const CALSYNC_BIN = fileURLToPath(new URL("../../bin/calsync.js", import.meta.url));

/**
 * Runs a node program as its own process with only the given environment (plus PATH and HOME), in `cwd`,
 * and collects what it printed: how the CLI tests see calsync the way a user does.
 */
export function runNode(args: readonly string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export type ServeProcess = {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<unknown>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
};

/**
 * Starts `calsync serve` as its own process (no schedules, any free port) with only the given environment
 * (plus PATH and HOME), and resolves once it logs that it is listening; rejects with its log if it exits first.
 * `nodeArgs` go before the script, e.g. `--import` of a recorder.
 */
export async function startServeProcess(options: {
  env: Record<string, string>;
  cwd: string;
  nodeArgs?: readonly string[];
  /** The child is pushed here at once, so an afterAll can kill it even if it never starts listening. */
  track?: ChildProcess[];
}): Promise<ServeProcess> {
  const { env, cwd, nodeArgs = [] } = options;
  const child = spawn(process.execPath, [...nodeArgs, CALSYNC_BIN, "serve"], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...env,
      // After `env`: the listening line is how this helper knows the server is up, so the log level is fixed.
      PORT: "0",
      LOG_LEVEL: "info",
      SYNC_SCHEDULE: "off",
      SHEETS_SYNC_SCHEDULE: "off",
    },
  });
  options.track?.push(child);
  const exited = new Promise((done) => child.on("close", done));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  let logged = "";
  await new Promise<void>((listening, failed) => {
    child.stderr?.on("data", (chunk) => {
      logged += chunk;
      if (logged.includes("calsync is listening")) listening();
    });
    child.on("close", () => failed(new Error(`calsync serve exited: ${logged}`)));
  });
  return { child, exited, stop };
}
