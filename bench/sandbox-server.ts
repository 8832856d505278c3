/**
 * The sandboxes in a process of their own, so that the measured sync's process holds nothing but the sync
 * (its peak RSS is then its own) and the sandboxes' work does not share its event loop.
 *
 * As a child (`fork`ed by spawnSandboxes): starts the sandboxes from the spec in argv[2], says `ready` with
 * their environment, then answers calls over IPC. As a module: spawnSandboxes gives the same BenchSandboxes
 * interface as startBenchSandboxes, backed by the child.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type BenchSandboxes,
  type DriveOptions,
  type DriveResult,
  type SandboxSpec,
  type SystemStats,
  startBenchSandboxes,
} from "./sandboxes.ts";

type Call =
  | { id: number; method: "stats" | "resetStats" | "close" }
  | { id: number; method: "subscribe"; url: string; secret: string }
  | { id: number; method: "drive"; options: DriveOptions };

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

type Ready = { ready: true; env: Record<string, string> } | { ready: false; error: string };

export async function spawnSandboxes(spec: SandboxSpec): Promise<BenchSandboxes> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(spec)], {
    execArgv: ["--import", "tsx", "--max-old-space-size=4096"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once("message", (message: Ready) => {
      if (message.ready) resolve(message.env);
      else reject(new Error(`sandbox server failed to start: ${message.error}`));
    });
    child.once("exit", (code) => reject(new Error(`sandbox server exited with ${code} before it was ready`)));
  });
  return proxyTo(child, env);
}

function proxyTo(child: ChildProcess, env: Record<string, string>): BenchSandboxes {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on("message", (answer: Answer) => {
    const pending = waiting.get(answer.id);
    if (!pending) return;
    waiting.delete(answer.id);
    if (answer.ok) pending.resolve(answer.value);
    else pending.reject(new Error(answer.error));
  });
  child.on("exit", (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`sandbox server exited with ${code}`));
    waiting.clear();
  });
  // Distributive, so each variant of Call keeps its own fields once the id is left out.
  type CallWithoutId = Call extends infer C ? (C extends Call ? Omit<C, "id"> : never) : never;
  const call = <T>(message: CallWithoutId): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ ...message, id });
    });

  return {
    env,
    stats: () => call<SystemStats>({ method: "stats" }),
    resetStats: () => call<void>({ method: "resetStats" }),
    subscribe: (url, secret) => call<void>({ method: "subscribe", url, secret }),
    drive: (options) => call<DriveResult>({ method: "drive", options }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await call<void>({ method: "close" }).catch(() => undefined);
      await exited;
    },
  };
}

async function serve(spec: SandboxSpec): Promise<void> {
  const send = (message: Ready | Answer) => process.send?.(message);
  let sandboxes: BenchSandboxes;
  try {
    sandboxes = await startBenchSandboxes(spec);
  } catch (error) {
    send({ ready: false, error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  // The parent going away (Ctrl-C, a crash) must not leave sandboxes listening.
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (message: Call) => {
    try {
      let value: unknown;
      switch (message.method) {
        case "stats":
          value = await sandboxes.stats();
          break;
        case "resetStats":
          value = await sandboxes.resetStats();
          break;
        case "subscribe":
          value = await sandboxes.subscribe(message.url, message.secret);
          break;
        case "drive":
          value = await sandboxes.drive(message.options);
          break;
        case "close":
          await sandboxes.close();
          process.send?.({ id: message.id, ok: true, value: null } satisfies Answer, () => process.exit(0));
          return;
      }
      send({ id: message.id, ok: true, value: value ?? null });
    } catch (error) {
      send({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ ready: true, env: sandboxes.env });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  await serve(JSON.parse(process.argv[2] ?? "{}") as SandboxSpec);
}
