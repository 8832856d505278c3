import { CalsyncError, ConfigError } from "../errors.ts";

/** Exit statuses every command shares: 0 done, 1 the run failed, 2 the configuration is wrong. */
export const EXIT = { OK: 0, FAILED: 1, CONFIG: 2 } as const;

/**
 * Ends a command that failed before producing its own result: the message on stderr, and with --json the
 * same error on stdout as `{"success":false,"error":{code,message}}`.
 */
export function exitWithError(error: unknown, options: { json?: boolean | undefined }): never {
  const isConfig = error instanceof ConfigError;
  const code = error instanceof CalsyncError ? error.code : "INTERNAL";
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`calsync: ${isConfig ? "configuration error\n" : ""}${message}\n`);
  if (!(error instanceof CalsyncError)) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ success: false, error: { code, message } })}\n`);
  process.exit(isConfig ? EXIT.CONFIG : EXIT.FAILED);
}
