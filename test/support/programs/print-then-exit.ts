/**
 * Prints `--bytes` characters to stdout in one write, then ends through the CLI's exitAfterOutput with
 * `--code`: what `calsync sync --json` does with a large answer.
 */
import { exitAfterOutput } from "../../../src/cli/exit.ts";

const bytes = Number(process.argv[process.argv.indexOf("--bytes") + 1]);
const code = Number(process.argv[process.argv.indexOf("--code") + 1]);
process.stdout.write(`${"x".repeat(bytes)}\n`);
await exitAfterOutput(code);
