/**
 * The one redaction every text leaving calsync passes through: log lines, the answers of runs (stored in
 * run history and returned by routes), action messages and dashboard pages. It masks what looks like a
 * secret (bearer tokens, URL passwords, Cal.com keys, private keys) and every secret value the running
 * configuration holds, whatever its shape.
 */

const SECRET_KEY = /(secret|token|password|api[_-]?key|authorization|private[_-]?key|cookie)/i;
const REDACTED = "[redacted]";

/** Shorter values are not masked by value: a four-letter secret would mask that word in every message. */
const MIN_KNOWN_SECRET_LENGTH = 8;

/**
 * Secret values of the configurations this process runs with, longest first (a secret that contains another
 * is masked whole). Process-wide on purpose: the texts to mask are made in places that hold no configuration
 * (an error's message, a stored run read back), and masking more is never wrong. Only ever added to.
 */
let knownSecrets: string[] = [];

/** Adds the configuration's secret values (see secretValues in config.ts) to what is masked by value. */
export function rememberSecrets(values: Iterable<string>): void {
  const added = [...values].filter((value) => value.length >= MIN_KNOWN_SECRET_LENGTH);
  knownSecrets = [...new Set([...knownSecrets, ...added])].sort((a, b) => b.length - a.length);
}

/** Anything the patterns below could match; most texts have none of it and are returned as they are. */
const MAY_HOLD_A_SECRET = /PRIVATE KEY|Bearer|\/\/[^\s/]*@|cal_(live|test)_/i;

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  if (!MAY_HOLD_A_SECRET.test(out)) return out;
  return out
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED)
    .replace(/(Bearer\s+)[^\s"']+/gi, `$1${REDACTED}`)
    .replace(/(\/\/[^:/@\s]+:)[^@/\s]+@/g, `$1${REDACTED}@`)
    .replace(/cal_(live|test)_[A-Za-z0-9_]+/g, `cal_$1_${REDACTED}`);
}

/** Structured fields: values under keys that name a secret are dropped, every text is redacted. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = REDACTED;
    else if (typeof value === "string") out[key] = redactText(value);
    else if (value instanceof Error) out[key] = redactText(value.message);
    else out[key] = value;
  }
  return out;
}

/**
 * Every text inside a JSON-like value (a run's answer), redacted; the shape is kept. Used on a run's answer
 * before it is stored and returned, since its warnings and reasons quote what other systems said.
 */
export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(walk);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
  }
  return value;
}
