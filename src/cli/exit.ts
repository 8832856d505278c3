import { CalsyncError, ConfigError, describeError, FAILURE_STATUS, failureStatus } from "../errors.ts";

/** Exit statuses every command shares: 0 done, 1 the run failed, 2 the configuration is wrong. */
export const EXIT = {
  OK: 0,
  FAILED: FAILURE_STATUS.UPSTREAM.exit,
  CONFIG: FAILURE_STATUS.CONFIG.exit,
} as const;

/** How a command that produced a run's answer ends: 0 when it succeeded, else its failure's exit status. */
export function exitStatusOf(result: { success: boolean; error?: { code: string } | undefined }): number {
  return result.success ? EXIT.OK : failureStatus(result.error?.code).exit;
}

/**
 * Writes a command's answer on stdout and resolves once it is handed to the system. A pipe takes 64 KiB at
 * a time and Node queues the rest: `process.exit()` right after a large write (the JSON of a run of 10,000
 * updates is ~0.5 MB) cut the answer short while still exiting 0.
 */
export function printOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(`${text}\n`, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Ends a command that failed before producing its own result: the message on stderr, and with --json the
 * same error on stdout as `{"success":false,"error":{code,message}}`.
 */
export function exitWithError(error: unknown, options: { json?: boolean | undefined }): never {
  const isConfig = error instanceof ConfigError;
  const { code, message } = describeError(error);
  process.stderr.write(`calsync: ${isConfig ? "configuration error\n" : ""}${message}\n`);
  if (!(error instanceof CalsyncError)) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ success: false, error: { code, message } })}\n`);
  process.exit(FAILURE_STATUS[code].exit);
}
