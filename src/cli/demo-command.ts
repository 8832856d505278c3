import type { Command } from "commander";
import type { Demo } from "../demo/start-demo.ts";
import { EXIT, exitWithError } from "./exit.ts";

/**
 * `calsync demo` (what `npm start` runs): the sandboxes seeded with sample data, the server and the demo's
 * control page, until Ctrl-C. Real credentials in the environment replace the matching sandbox.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("Try calsync on built-in sandboxes with sample data (real credentials replace each sandbox)")
    .option("--port <number>", "port of the server (default PORT, or 3000; 0 picks a free one)")
    .option(
      "--host <address>",
      "address to listen on; 0.0.0.0 lets a phone on your network in (the dashboard then needs DASHBOARD_PASSWORD)",
      "127.0.0.1",
    )
    .action(async (options: { port?: string; host: string }) => {
      let demo: Demo;
      try {
        // Loaded only for this command: the demo brings the sandboxes, which no other command may load.
        const { startDemo } = await import("../demo/start-demo.ts");
        demo = await startDemo({
          env: process.env,
          hostname: options.host,
          ...(options.port !== undefined ? { port: parsePort(options.port) } : {}),
        });
      } catch (error) {
        if (isAddressInUse(error)) {
          process.stderr.write(
            "calsync: the port is already in use; stop whatever holds it, or start with PORT=3001 npm start\n",
          );
          process.exit(EXIT.FAILED);
        }
        return exitWithError(error, {});
      }
      stopOnSignals(demo);
    });
}

/** Ctrl-C stops everything and exits 0; a second Ctrl-C while stopping gives up at once. */
function stopOnSignals(demo: Demo): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signal === "SIGINT" ? 130 : 143);
    stopping = true;
    process.stdout.write("\nStopping the demo…\n");
    demo.stop().then(
      () => process.exit(EXIT.OK),
      (error: unknown) => {
        process.stderr.write(`calsync: could not stop cleanly: ${String(error)}\n`);
        process.exit(EXIT.FAILED);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    process.stderr.write(`calsync: --port expects a number from 0 to 65535, got "${text}"\n`);
    process.exit(EXIT.CONFIG);
  }
  return port;
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EADDRINUSE";
}
