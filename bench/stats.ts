/** Small, exact statistics over samples (no interpolation surprises): nearest-rank percentiles. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** One figure over several runs of a benchmark, as every figure on docs/benchmarks.md is shown: "min / median / max". */
export function spread(values: readonly number[], digits = 3): string {
  if (values.length === 0) return 'n/a';
  return `${fmt(Math.min(...values), digits)} / ${fmt(median(values), digits)} / ${fmt(Math.max(...values), digits)}`;
}

/**
 * A target's verdict over several runs: met in every run, met only in the median (said plainly, with how many runs
 * met it), or not met. `figure` is the value the target is about, per run; `holds` says whether a value meets it;
 * `alsoHolds` is any other condition of the target, per run (e.g. "nothing failed").
 */
export function verdict(
  figure: readonly number[],
  holds: (value: number) => boolean,
  alsoHolds: readonly boolean[] = [],
): string {
  const runs = figure.length;
  const met = figure.filter((value, i) => holds(value) && alsoHolds[i] !== false).length;
  const others = alsoHolds.every(Boolean);
  if (met === runs) return `met in every run (${runs} of ${runs})`;
  if (holds(median(figure)) && others) return `**met only in the median** (met in ${met} of ${runs} runs)`;
  return `**NOT met** (met in ${met} of ${runs} runs)`;
}

/** The most of `times` (ms, any order) that fall in any window of `windowMs` starting at one of them. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] ?? Number.POSITIVE_INFINITY) < (sorted[i] ?? 0) + windowMs) j++;
    busiest = Math.max(busiest, j - i);
  }
  return busiest;
}
