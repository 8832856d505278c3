import { redactFields, redactText } from "./redact.ts";

/**
 * Structured log lines on stderr (stdout belongs to --json results). The message and every field pass through
 * the redaction all of calsync's output shares (redact.ts): secret-named fields are dropped, and anything that
 * looks like a secret, or is one of the configuration's secret values, is masked.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type Logger = Record<
  Exclude<LogLevel, "silent">,
  (message: string, fields?: Record<string, unknown>) => void
>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const at =
    (name: Exclude<LogLevel, "silent">) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[name] < ORDER[level]) return;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: name,
          message: redactText(message),
          ...redactFields(fields),
        }),
      );
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = createLogger("silent");
