import { createRuntime } from "../app/runtime.ts";
import { startServer } from "../app/start-server.ts";
import { loadConfig, requireSystems } from "../config/config.ts";
import { EXIT, exitWithError } from "./exit.ts";

/** What `calsync serve` does: starts the server, and stops it on SIGINT or SIGTERM. */
export async function runServeCommand(): Promise<void> {
  try {
    const config = loadConfig(process.env);
    requireSystems(config, ["calcom", "sheets", "sanity"]);
    const running = await startServer(await createRuntime(config), "0.0.0.0");
    const stop = async () => {
      await running.stop();
      process.exit(EXIT.OK);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    return exitWithError(error, {});
  }
}
