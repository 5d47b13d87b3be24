// From each run's counts to what a gate reports: per path, how many seeds reached it and how often.

import type { CoverageCounts } from "./counter.js";
import { pathsOf } from "./paths.js";

export interface PathTally {
  readonly path: string;
  /** Runs counted (finished seeds of the scenario). */
  readonly seeds: number;
  /** Of those, runs that reached the path at least once. */
  readonly seedsReached: number;
  /** Times it was reached, over all runs. */
  readonly count: number;
}

/** One row per path the model has (paths.ts order), then any other path a run reported, by name. */
export function tallyCoverage(model: string, runs: readonly CoverageCounts[]): PathTally[] {
  const names = pathsOf(model).map((p) => p.name);
  const known = new Set(names);
  const extra = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r)) if (!known.has(k)) extra.add(k);
  return [...names, ...[...extra].sort()].map((path) => {
    let seedsReached = 0;
    let count = 0;
    for (const r of runs) {
      const c = r[path] ?? 0;
      if (c > 0) seedsReached++;
      count += c;
    }
    return { path, seeds: runs.length, seedsReached, count };
  });
}
