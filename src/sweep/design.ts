// sweep/design: the points of a sweep — the product of its factors in a fixed order: each grid key
// (declaration order), then each zip group, then the random samples, then the LHS samples; the last
// factor varies fastest. A `sobol` or `morris` design is a sweep's only factor; its points are in
// the order ./sensitivity-design.ts defines (which ./sensitivity.ts reads back). No factor at all
// gives one point (replicates only). A point is a list of values aligned with `params` and the
// `key=value` overrides that apply it. Unit coordinates map to values with ./sampling.ts's fromUnit.
// May import: scenario, world, metrics, report, kernel.

import { fromUnit, type Range, sampleRows } from "./sampling.js";
import { morrisPlan, saltelliUnits } from "./sensitivity-design.js";
import type { SweepSpec } from "../scenario/sections/sweep.js";
import { overrideOf } from "./values.js";

export interface Factor {
  keys: string[];
  rows: unknown[][];
}

export interface Design {
  /** Swept key paths, in column order. */
  params: string[];
  /** points[i][j] is the value of params[j] at point i. */
  points: unknown[][];
}

/** The factors of a spec, in product order. Throws on unequal zip lists (the schema reports them first). */
export function factorsOf(spec: SweepSpec, baseSeed: number): Factor[] {
  const out: Factor[] = [];
  for (const [key, values] of Object.entries(spec.grid)) out.push({ keys: [key], rows: values.map((v) => [v]) });
  spec.zip.forEach((group, gi) => {
    const keys = Object.keys(group);
    const n = keys.length === 0 ? 0 : group[keys[0]!]!.length;
    for (const k of keys) {
      if (group[k]!.length !== n) throw new Error(`zip[${gi}]: lists must have equal lengths (${keys[0]} has ${n}, ${k} has ${group[k]!.length})`);
    }
    if (keys.length > 0) out.push({ keys, rows: Array.from({ length: n }, (_, i) => keys.map((k) => group[k]![i])) });
  });
  for (const kind of ["random", "lhs"] as const) {
    const block = spec[kind];
    if (block === undefined) continue;
    out.push({ keys: Object.keys(block.params), rows: sampleRows(kind, baseSeed, block.samples, block.params) });
  }
  if (spec.sobol !== undefined) {
    const ranges = Object.values(spec.sobol.params);
    out.push({ keys: Object.keys(spec.sobol.params), rows: mapUnits(saltelliUnits(spec.sobol.samples, ranges.length), ranges) });
  }
  if (spec.morris !== undefined) {
    const m = spec.morris;
    const ranges = Object.values(m.params);
    out.push({ keys: Object.keys(m.params), rows: mapUnits(morrisPlan(baseSeed, m.trajectories, m.levels, ranges.length).units, ranges) });
  }
  return out;
}

function mapUnits(units: number[][], ranges: readonly Range[]): number[][] {
  return units.map((row) => row.map((u, k) => fromUnit(u, ranges[k]!)));
}

/** The cartesian product of factors, last factor fastest. */
export function product(factors: readonly Factor[]): Design {
  const params = factors.flatMap((f) => f.keys);
  const dup = params.find((k, i) => params.indexOf(k) !== i);
  if (dup !== undefined) throw new Error(`key ${JSON.stringify(dup)} is swept twice`);
  const total = factors.reduce((n, f) => n * f.rows.length, 1);
  const points: unknown[][] = [];
  for (let i = 0; i < total; i++) {
    const parts: unknown[][] = [];
    let rest = i;
    for (let f = factors.length - 1; f >= 0; f--) {
      const rows = factors[f]!.rows;
      parts.unshift(rows[rest % rows.length]!);
      rest = Math.floor(rest / rows.length);
    }
    const values: unknown[] = [];
    for (const row of parts) values.push(...row);
    points.push(values);
  }
  return { params, points };
}

export function generateDesign(spec: SweepSpec, baseSeed: number): Design {
  return product(factorsOf(spec, baseSeed));
}

/** The overrides that apply point values to the scenario. */
export function pointOverrides(params: readonly string[], values: readonly unknown[]): string[] {
  return params.map((k, j) => overrideOf(k, values[j]));
}
