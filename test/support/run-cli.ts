import { spawn } from "node:child_process";
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
