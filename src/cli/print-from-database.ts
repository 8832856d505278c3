import { createRuntime, type Runtime } from "../app/runtime.ts";
import { loadConfig } from "../config/config.ts";
import { EXIT, exitAfterOutput, exitWithError } from "./exit.ts";
import { parseLimit } from "./parse-limit.ts";

/**
 * How a command that only reads calsync's database ends (`history`, `webhooks deliveries`): a bad `--limit`
 * or configuration ends it with that error; otherwise it prints what `read` returns (the database closed
 * first) and exits 0.
 */
export async function printFromDatabase(
  options: { json?: boolean | undefined; limit: string },
  read: (runtime: Runtime, limit: number) => Promise<string>,
): Promise<void> {
  let runtime: Runtime;
  let limit: number;
  try {
    limit = parseLimit(options.limit);
    runtime = await createRuntime(loadConfig(process.env));
  } catch (error) {
    return exitWithError(error, options);
  }
  try {
    const text = await read(runtime, limit);
    await runtime.close();
    process.stdout.write(`${text}\n`);
    return exitAfterOutput(EXIT.OK);
  } catch (error) {
    return exitWithError(error, options);
  }
}
