// Small deterministic statistics helpers for summaries (quantiles on sorted copies).

import { quantileSorted } from "d3-array";

export function quantiles(values: ArrayLike<number>, ps: number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => (sorted.length === 0 ? Number.NaN : (quantileSorted(sorted as unknown as number[], p) ?? Number.NaN)));
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}
