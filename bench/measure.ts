/**
 * The bench's arithmetic and its output format: percentiles, the busiest minute, and the plain
 * `label: key=value ...` lines it prints (parsed back by the smoke test, so the format is checked).
 */

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The most timestamps (epoch ms) inside any window of `windowMs`: the sliding-window peak. */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

export type Figure = string | number | boolean | null;

/** Whole numbers as they are; other numbers to one decimal (milliseconds and MB need no more). */
function formatFigure(value: Figure): string {
  if (value === null) return "none";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "n/a";
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
  return String(value);
}

/** `sync 1000x100 calsync: sheets_calls=3 wall_ms=812.4` — one line per measured thing. */
export function line(label: string, figures: Record<string, Figure>): string {
  const parts = Object.entries(figures).map(([key, value]) => `${key}=${formatFigure(value)}`);
  return `${label}: ${parts.join(" ")}`;
}

/** A free-text remark under a measured line, e.g. why a run stopped: `note <label>: text`. */
export function note(label: string, text: string): string {
  return `note ${label}: ${text.replace(/\s+/g, " ").trim()}`;
}

/** Parses a `line()` back into its label and figures (tests, and anyone post-processing the output). */
export function parseLine(text: string): { label: string; figures: Record<string, string> } | null {
  const match = /^([^:=]+): ((?:[a-z0-9_]+=\S+ ?)+)$/.exec(text);
  if (!match) return null;
  const figures: Record<string, string> = {};
  for (const part of (match[2] as string).trim().split(" ")) {
    // At the first `=` only: a target such as `<=60` holds one too.
    const at = part.indexOf("=");
    figures[part.slice(0, at)] = part.slice(at + 1);
  }
  return { label: match[1] as string, figures };
}
