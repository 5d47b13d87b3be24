// sweep/sampling: random and Latin-hypercube samples of numeric ranges from seeded kernel streams.
// `random` draws from RngTree(base).stream("sweep.random"): for each sample, one uniform per key in
// declaration order. `lhs` draws from RngTree(base).stream("sweep.lhs"): for each key in declaration
// order, a Fisher–Yates permutation of the N strata, then one uniform jitter per sample, so sample i
// of key k lies in stratum perm_k[i] (u = (perm_k[i] + jitter) / N). A unit value u maps to the range
// linearly (or linearly in log space when `log`); `integer` ranges give each integer an equal share
// (log: a share proportional to its log-width). Float samples are rounded to 12 significant digits
// so the value in overrides, CSV and the run are the same number.
// May import: scenario, world, metrics, report, kernel.

import { RngTree } from "../kernel/index.js";
import { round } from "../metrics/index.js";

export interface Range {
  min: number;
  max: number;
  log?: boolean;
  integer?: boolean;
}

/** Maps u in [0, 1] into the range (1 gives max). */
export function fromUnit(u: number, r: Range): number {
  const { min, max } = r;
  if (r.integer) {
    const x = r.log ? Math.exp(Math.log(min) + u * (Math.log(max + 1) - Math.log(min))) : min + u * (max - min + 1);
    return Math.min(max, Math.max(min, Math.floor(x)));
  }
  const x = r.log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  return Math.min(max, Math.max(min, round(x)));
}

/** Unit coordinates (samples × keys) for `random`. */
export function randomUnits(baseSeed: number, samples: number, keys: number): number[][] {
  const s = new RngTree(baseSeed).stream("sweep.random");
  const out: number[][] = [];
  for (let i = 0; i < samples; i++) {
    const row: number[] = [];
    for (let k = 0; k < keys; k++) row.push(s.next());
    out.push(row);
  }
  return out;
}

/** Unit coordinates (samples × keys) for a Latin hypercube. */
export function lhsUnits(baseSeed: number, samples: number, keys: number): number[][] {
  const s = new RngTree(baseSeed).stream("sweep.lhs");
  const out: number[][] = Array.from({ length: samples }, () => []);
  for (let k = 0; k < keys; k++) {
    const perm = s.shuffle(Array.from({ length: samples }, (_, i) => i));
    for (let i = 0; i < samples; i++) out[i]!.push((perm[i]! + s.next()) / samples);
  }
  return out;
}

/** Samples as rows of values, one column per key of `params` in declaration order. */
export function sampleRows(
  kind: "random" | "lhs",
  baseSeed: number,
  samples: number,
  params: Record<string, Range>,
): number[][] {
  const ranges = Object.values(params);
  const units = (kind === "random" ? randomUnits : lhsUnits)(baseSeed, samples, ranges.length);
  return units.map((row) => row.map((u, k) => fromUnit(u, ranges[k]!)));
}
