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
 * Ends a command that failed before producing its own result: the message on stderr, and with --json the
 * same error on stdout as `{"success":false,"error":{code,message}}`. Callers `return` it, so nothing runs after.
 */
export function exitWithError(error: unknown, options: { json?: boolean | undefined }): Promise<never> {
  const isConfig = error instanceof ConfigError;
  const { code, message } = describeError(error);
  process.stderr.write(`calsync: ${isConfig ? "configuration error\n" : ""}${message}\n`);
  if (!(error instanceof CalsyncError)) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ success: false, error: { code, message } })}\n`);
  return exitAfterOutput(FAILURE_STATUS[code].exit);
}

/**
 * Exits once stdout and stderr have handed over everything written to them. `process.exit` right after a
 * write drops what a pipe has not taken yet: a 100,000-lead run's JSON piped into `jq` arrived cut short.
 * Exiting at all (rather than letting the process end by itself) stops keep-alive sockets and timers from
 * holding it open. Callers `return` it, so nothing runs after.
 */
export function exitAfterOutput(code: number): Promise<never> {
  process.exitCode = code;
  return new Promise<never>(() => {
    let pending = 2;
    const flushed = () => {
      pending -= 1;
      if (pending === 0) process.exit(code);
    };
    // A stream calls write callbacks in order: these run once everything written before them is flushed.
    process.stdout.write("", flushed);
    process.stderr.write("", flushed);
  });
}
