/**
 * Structured log lines on stderr (stdout belongs to --json results). Values under keys that look like
 * secrets are redacted, and so is anything that looks like a bearer token or a URL password.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type Logger = Record<
  Exclude<LogLevel, "silent">,
  (message: string, fields?: Record<string, unknown>) => void
>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /(secret|token|password|api[_-]?key|authorization|private[_-]?key|cookie)/i;

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const at =
    (name: Exclude<LogLevel, "silent">) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[name] < ORDER[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: name, message, ...redact(fields) }));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = createLogger("silent");

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = "[redacted]";
    else if (typeof value === "string") out[key] = redactText(value);
    else if (value instanceof Error) out[key] = redactText(value.message);
    else out[key] = value;
  }
  return out;
}

export function redactText(text: string): string {
  return text
    .replace(/(Bearer\s+)[^\s"']+/gi, "$1[redacted]")
    .replace(/(\/\/[^:/@\s]+:)[^@/\s]+@/g, "$1[redacted]@")
    .replace(/cal_(live|test)_[A-Za-z0-9]+/g, "cal_$1_[redacted]");
}
