// sweep/sensitivity: sensitivity.csv — the indices of a `sobol` or `morris` sweep, long form: metric,
// parameter, index, estimate, ci_low, ci_high. Written with the sweep folder (and by `sim merge`),
// from the same design functions that made the points (./sensitivity-design.ts).
// The output of a point is the mean of the metric over its "ok" replicates; a metric is analysed
// when it is a number in some successful run and varies; only complete base rows (Sobol': all k+2
// points of row j) or trajectories (Morris: all k+1 points) are used.
// Sobol' estimators (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
// Comput. Phys. Commun. 181, table 2): V = population variance of f(A) ∪ f(B);
// S1_i = mean(f(B)·(f(AB_i) − f(A))) / V (Saltelli 2010), ST_i = mean((f(A) − f(AB_i))²) / (2V)
// (Jansen 1999). Morris: elementary effect EE = (f(x + sΔe_i) − f(x)) / (sΔ) in unit-cube units, so
// effects are comparable across parameters; μ* = mean |EE| (Campolongo et al. 2007), μ = mean EE,
// σ = sample standard deviation of EE.
// Intervals: 95% percentile bootstrap over base rows (trajectories), `bootstrap` resamples drawn from
// RngTree(base).stream("sweep.bootstrap", n) for n usable rows, shared by every metric with n rows;
// the estimate is the full-sample value.
// May import: scenario, world, metrics, report, kernel.

import { RngTree } from "../kernel/index.js";
import { type Cell, quantiles, type Table } from "../metrics/index.js";
import type { SweepSpec } from "../scenario/sections/sweep.js";
import { morrisPlan, type MorrisStep } from "./sensitivity-design.js";
import type { TaskResult } from "./task.js";

export const SENSITIVITY_COLUMNS = ["metric", "parameter", "index", "estimate", "ci_low", "ci_high"] as const;

export interface Estimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

export interface IndexRow extends Estimate {
  parameter: string;
  index: string;
}

/** What the analysis needs of a sweep: its spec, base seed and parameter order (a manifest has them). */
export interface SensitivityInput {
  sweep: unknown;
  baseSeed: number;
  params: readonly string[];
}

/** `resamples` lists of n row indices drawn with replacement. */
export function bootstrapRows(baseSeed: number, n: number, resamples: number): Uint32Array[] {
  const s = new RngTree(baseSeed).stream("sweep.bootstrap", n);
  const out: Uint32Array[] = [];
  for (let b = 0; b < resamples; b++) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = s.int(n);
    out.push(idx);
  }
  return out;
}

const IDENTITY = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/** Percentile interval of bootstrap values (non-finite ones dropped) around the full-sample estimate. */
function interval(estimate: number, boots: number[]): Estimate {
  const ok = boots.filter(Number.isFinite);
  if (ok.length === 0) return { estimate, ciLow: Number.NaN, ciHigh: Number.NaN };
  const [lo, hi] = quantiles(ok, [0.025, 0.975]) as [number, number];
  return { estimate, ciLow: lo, ciHigh: hi };
}

/** S1 and ST for each parameter from one set of rows (indices into yA, yB, yAB[i]). */
function sobolOnce(yA: Float64Array, yB: Float64Array, yAB: Float64Array[], rows: Uint32Array): { s1: number[]; st: number[] } {
  const n = rows.length;
  let sum = 0;
  for (let r = 0; r < n; r++) sum += yA[rows[r]!]! + yB[rows[r]!]!;
  const mean = sum / (2 * n);
  let ss = 0;
  for (let r = 0; r < n; r++) {
    const a = yA[rows[r]!]! - mean;
    const b = yB[rows[r]!]! - mean;
    ss += a * a + b * b;
  }
  const v = ss / (2 * n);
  const s1: number[] = [];
  const st: number[] = [];
  for (const ab of yAB) {
    let first = 0;
    let total = 0;
    for (let r = 0; r < n; r++) {
      const j = rows[r]!;
      const a = yA[j]!;
      const d = ab[j]! - a;
      first += yB[j]! * d;
      total += d * d;
    }
    s1.push(first / n / v);
    st.push(total / (2 * n) / v);
  }
  return { s1, st };
}

/**
 * First-order and total Sobol' indices from the outputs of a Saltelli design's complete rows:
 * yA[j] = f(A_j), yB[j] = f(B_j), yAB[i][j] = f(AB_j^i). Undefined when the output does not vary.
 */
export function sobolIndices(
  yA: Float64Array,
  yB: Float64Array,
  yAB: Float64Array[],
  resamples: readonly Uint32Array[],
): { S1: Estimate[]; ST: Estimate[] } | undefined {
  const n = yA.length;
  if (n < 2) return undefined;
  const full = sobolOnce(yA, yB, yAB, IDENTITY(n));
  if (!full.s1.every(Number.isFinite) || !full.st.every(Number.isFinite)) return undefined;
  const bs1: number[][] = yAB.map(() => []);
  const bst: number[][] = yAB.map(() => []);
  for (const rows of resamples) {
    const b = sobolOnce(yA, yB, yAB, rows);
    for (let i = 0; i < yAB.length; i++) {
      bs1[i]!.push(b.s1[i]!);
      bst[i]!.push(b.st[i]!);
    }
  }
  return {
    S1: full.s1.map((x, i) => interval(x, bs1[i]!)),
    ST: full.st.map((x, i) => interval(x, bst[i]!)),
  };
}

function morrisOnce(ee: Float64Array[], rows: Uint32Array): { muStar: number[]; mu: number[]; sigma: number[] } {
  const n = rows.length;
  const muStar: number[] = [];
  const mu: number[] = [];
  const sigma: number[] = [];
  for (const e of ee) {
    let s = 0;
    let sa = 0;
    for (let r = 0; r < n; r++) {
      const x = e[rows[r]!]!;
      s += x;
      sa += Math.abs(x);
    }
    const m = s / n;
    let ss = 0;
    for (let r = 0; r < n; r++) ss += (e[rows[r]!]! - m) ** 2;
    mu.push(m);
    muStar.push(sa / n);
    sigma.push(n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN);
  }
  return { muStar, mu, sigma };
}

/** μ*, μ and σ per parameter from elementary effects ee[i][t] (parameter i, trajectory t). */
export function morrisIndices(
  ee: Float64Array[],
  resamples: readonly Uint32Array[],
): { mu_star: Estimate[]; mu: Estimate[]; sigma: Estimate[] } | undefined {
  const n = ee[0]?.length ?? 0;
  if (n < 2) return undefined;
  const full = morrisOnce(ee, IDENTITY(n));
  const boots = resamples.map((rows) => morrisOnce(ee, rows));
  const pick = (key: "muStar" | "mu" | "sigma") =>
    full[key].map((x, i) =>
      interval(
        x,
        boots.map((b) => b[key][i]!),
      ),
    );
  return { mu_star: pick("muStar"), mu: pick("mu"), sigma: pick("sigma") };
}

/** Elementary effects of complete trajectories: ee[i][t] for parameter i. */
export function elementaryEffects(y: ArrayLike<number>, steps: readonly MorrisStep[][], delta: number): Float64Array[] {
  const k = steps[0]?.length ?? 0;
  const complete: number[] = [];
  steps.forEach((_, t) => {
    let ok = true;
    for (let m = 0; m <= k; m++) if (!Number.isFinite(y[t * (k + 1) + m]!)) ok = false;
    if (ok) complete.push(t);
  });
  const ee = Array.from({ length: k }, () => new Float64Array(complete.length));
  complete.forEach((t, c) => {
    steps[t]!.forEach((step, m) => {
      const before = y[t * (k + 1) + m]!;
      const after = y[t * (k + 1) + m + 1]!;
      ee[step.param]![c] = (after - before) / (step.sign * delta);
    });
  });
  return ee;
}

/** Splits a Saltelli design's outputs into f(A), f(B), f(AB_i) over its complete rows. */
export function saltelliOutputs(y: ArrayLike<number>, samples: number, k: number): { yA: Float64Array; yB: Float64Array; yAB: Float64Array[] } {
  const rows: number[] = [];
  for (let j = 0; j < samples; j++) {
    let ok = true;
    for (let m = 0; m < k + 2; m++) if (!Number.isFinite(y[j * (k + 2) + m]!)) ok = false;
    if (ok) rows.push(j);
  }
  const at = (j: number, m: number) => y[j * (k + 2) + m]!;
  return {
    yA: Float64Array.from(rows, (j) => at(j, 0)),
    yB: Float64Array.from(rows, (j) => at(j, k + 1)),
    yAB: Array.from({ length: k }, (_, i) => Float64Array.from(rows, (j) => at(j, i + 1))),
  };
}

/** Per point and metric: the mean over the point's ok replicates whose value is a number. */
export function pointMeans(results: readonly TaskResult[], points: number): { metrics: string[]; y: Map<string, Float64Array> } {
  const sums = new Map<string, { sum: Float64Array; n: Uint32Array }>();
  for (const r of results) {
    if (r.status !== "ok") continue;
    for (const [k, v] of Object.entries(r.metrics)) {
      if (typeof v !== "number") continue;
      let acc = sums.get(k);
      if (acc === undefined) sums.set(k, (acc = { sum: new Float64Array(points), n: new Uint32Array(points) }));
      acc.sum[r.point]! += v;
      acc.n[r.point]!++;
    }
  }
  const metrics = [...sums.keys()].sort();
  const y = new Map<string, Float64Array>();
  for (const m of metrics) {
    const { sum, n } = sums.get(m)!;
    y.set(m, Float64Array.from(sum, (s, p) => (n[p]! > 0 ? s / n[p]! : Number.NaN)));
  }
  return { metrics, y };
}

/** The indices of every analysable metric (sorted by metric; parameters in declaration order). */
export function sensitivityRows(input: SensitivityInput, results: readonly TaskResult[]): Map<string, IndexRow[]> | undefined {
  const spec = input.sweep as SweepSpec;
  const block = spec.sobol ?? spec.morris;
  if (block === undefined) return undefined;
  const params = Object.keys(block.params);
  const k = params.length;
  const points = spec.sobol ? spec.sobol.samples * (k + 2) : spec.morris!.trajectories * (k + 1);
  const { metrics, y } = pointMeans(results, points);
  const resampleCache = new Map<number, Uint32Array[]>();
  const resamples = (n: number) => {
    let r = resampleCache.get(n);
    if (r === undefined) resampleCache.set(n, (r = bootstrapRows(input.baseSeed, n, block.bootstrap)));
    return r;
  };
  const plan = spec.morris ? morrisPlan(input.baseSeed, spec.morris.trajectories, spec.morris.levels, k) : undefined;
  const out = new Map<string, IndexRow[]>();
  for (const metric of metrics) {
    const values = y.get(metric)!;
    const rows: IndexRow[] = [];
    if (spec.sobol) {
      const o = saltelliOutputs(values, spec.sobol.samples, k);
      const r = sobolIndices(o.yA, o.yB, o.yAB, resamples(o.yA.length));
      if (r === undefined) continue;
      params.forEach((p, i) => {
        rows.push({ parameter: p, index: "S1", ...r.S1[i]! }, { parameter: p, index: "ST", ...r.ST[i]! });
      });
    } else {
      const ee = elementaryEffects(values, plan!.steps, plan!.delta);
      const r = morrisIndices(ee, resamples(ee[0]?.length ?? 0));
      if (r === undefined || r.mu_star.every((e) => e.estimate === 0)) continue;
      params.forEach((p, i) => {
        for (const index of ["mu_star", "mu", "sigma"] as const) rows.push({ parameter: p, index, ...r[index][i]! });
      });
    }
    out.set(metric, rows);
  }
  return out;
}

/** sensitivity.csv, or undefined when the sweep has no sensitivity design. */
export function sensitivityTable(input: SensitivityInput, results: readonly TaskResult[]): Table | undefined {
  const byMetric = sensitivityRows(input, results);
  if (byMetric === undefined) return undefined;
  const rows: Cell[][] = [];
  for (const [metric, list] of byMetric) {
    for (const r of list) rows.push([metric, r.parameter, r.index, r.estimate, nullIfNaN(r.ciLow), nullIfNaN(r.ciHigh)]);
  }
  return { name: "sensitivity", columns: [...SENSITIVITY_COLUMNS], rows };
}

function nullIfNaN(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
