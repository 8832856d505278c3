/**
 * The targets, as the bench prints them: one `target <case>: …` line per case with each figure, its
 * target, `met`, and when not met by how much (the difference and, where it means something, the factor).
 */
import { type Figure, line } from "./measure.ts";

export type Criterion = {
  /** The figure's name on the line, e.g. `wall_ms`. */
  figure: string;
  /** null: the figure could not be measured (e.g. the process died before it reported its usage). */
  value: number | null;
  limit: number;
  /** `<` (strictly under) or `<=`. */
  compare: "<" | "<=";
  /** Decimals to print the figure with (ratios need two). */
  decimals?: number;
};

export type Target = { text: string; met: boolean };

/**
 * `runsOk` false: a run the figures come from failed, so the case is not met whatever its figures. `info`:
 * figures printed first that have no target of their own (what a ratio is made of, say).
 */
export function target(
  label: string,
  criteria: readonly Criterion[],
  runsOk = true,
  info: Record<string, Figure> = {},
): Target {
  const figures: Record<string, Figure> = { ...info };
  const misses: string[] = [];
  for (const c of criteria) {
    const show = (value: number) => (c.decimals ? value.toFixed(c.decimals) : Math.round(value));
    figures[c.figure] = c.value === null ? null : show(c.value);
    figures[`${c.figure}_target`] = `${c.compare}${c.decimals ? c.limit.toFixed(c.decimals) : c.limit}`;
    if (c.value === null) {
      misses.push(`${c.figure}:unmeasured`);
      continue;
    }
    const ok = c.compare === "<" ? c.value < c.limit : c.value <= c.limit;
    if (ok) continue;
    const over = `+${show(c.value - c.limit)}`;
    const factor = c.limit > 0 ? `(${(c.value / c.limit).toFixed(1)}x)` : "";
    misses.push(`${c.figure}${over}${factor}`);
  }
  if (!runsOk) misses.push("run_failed");
  const met = misses.length === 0;
  return {
    text: line(`target ${label}`, { ...figures, met, ...(met ? {} : { missed_by: misses.join(",") }) }),
    met,
  };
}
