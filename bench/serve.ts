/**
 * `calsync serve` as a user starts it (`node bin/calsync.js serve`), on a free port, measured: it is up once
 * /api/health answers. Its resident set is read from /proc while it runs; its own peak and CPU when it exits.
 */
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CALSYNC_BIN, type ProcessRun, procMemoryMb, startMeasured } from "./process-run.ts";

export type RunningServe = {
  url: string;
  pid: number;
  /** Spawn → the first answer of /api/health. */
  readyMs: number;
  /** SIGTERM (calsync stops its worker and closes its database), then its figures. */
  stop(): Promise<ProcessRun>;
};

const READY_TIMEOUT_MS = 60_000;

export async function startServe(env: Record<string, string>, cwd: string): Promise<RunningServe> {
  const port = await freePort();
  const started = performance.now();
  const serve = startMeasured([CALSYNC_BIN, "serve"], { ...env, PORT: String(port) }, cwd);
  const pid = serve.child.pid;
  let exited: ProcessRun | null = null;
  void serve.exited.then((run) => {
    exited = run;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) serve.child.kill("SIGTERM");
    return serve.exited;
  };
  if (pid === undefined) throw new Error(`calsync serve did not start: ${serve.stderrSoFar()}`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`calsync serve exited before it answered: ${tail(serve.stderrSoFar())}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`calsync serve did not answer /api/health within ${READY_TIMEOUT_MS} ms`);
    }
    const answered = await fetch(`${url}/api/health`).then(
      (response) => response.arrayBuffer().then(() => true),
      () => false,
    );
    if (answered) break;
    await sleep(20);
  }
  return { url, pid, readyMs: performance.now() - started, stop };
}

/** Its resident set now, and the peak so far, from /proc/<pid>/status. */
export const serveMemoryMb = (serve: RunningServe) => procMemoryMb(serve.pid);

/** A port nothing listens on now: the OS picks it, and it is handed to calsync's PORT. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const tail = (text: string) => text.trim().split("\n").slice(-5).join(" | ").slice(0, 600);
