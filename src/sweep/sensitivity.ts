// sweep/sensitivity: sensitivity.csv — the indices of a `sobol` or `morris` sweep, long form: metric,
// parameter, index, estimate, ci_low, ci_high. Written with the sweep folder (and by `sim merge`),
// from the same design functions that made the points (./sensitivity-design.ts).
// The output of a point is the mean of the metric over its "ok" replicates; a metric is analysed
// when it is a number in some successful run and varies; only complete base rows (Sobol': all k+2
// points of row j) or trajectories (Morris: all k+1 points) are used.
// Sobol' estimators (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
// Comput. Phys. Commun. 181, table 2), on outputs standardised by the mean and sd of f(A) ∪ f(B):
// V = population variance of f(A) ∪ f(B);
// S1_i = mean(f(B)·(f(AB_i) − f(A))) / V (Saltelli 2010), ST_i = mean((f(A) − f(AB_i))²) / (2V)
// (Jansen 1999). Morris: elementary effect EE = (f(x + sΔe_i) − f(x)) / (sΔ) in unit-cube units, so
// effects are comparable across parameters; μ* = mean |EE| (Campolongo et al. 2007), μ = mean EE,
// σ = sample standard deviation of EE.
// Intervals: 95% percentile bootstrap over base rows (trajectories), `bootstrap` resamples drawn from
// RngTree(base).stream("sweep.bootstrap", n) for n usable rows, shared by every metric with n rows
// and kept as per-row draw counts, so each estimator is a weighted sum over contiguous arrays
// (`npm run bench -- sobol` measures the analysis against the sweep); the estimate is the
// full-sample value.
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

/** What the analysis needs of a sweep: its spec, base seed and the design's parameter order (a manifest has them). */
export interface SensitivityInput {
  sweep: unknown;
  baseSeed: number;
  params: readonly string[];
}

/**
 * `resamples` bootstrap resamples of n rows, each as the count of times row j was drawn (n draws
 * with replacement from the stream). Counts let every estimator below run as weighted sums over
 * contiguous arrays (see the header of sobolIndices).
 */
export function bootstrapCounts(baseSeed: number, n: number, resamples: number): Float64Array[] {
  const s = new RngTree(baseSeed).stream("sweep.bootstrap", n);
  const out: Float64Array[] = [];
  for (let b = 0; b < resamples; b++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[s.int(n)]!++;
    out.push(c);
  }
  return out;
}

const ONES = (n: number) => new Float64Array(n).fill(1);

/** Percentile interval of bootstrap values (non-finite ones dropped) around the full-sample estimate. */
function interval(estimate: number, boots: ArrayLike<number>): Estimate {
  const ok = Array.prototype.filter.call(boots, Number.isFinite) as number[];
  if (ok.length === 0) return { estimate, ciLow: Number.NaN, ciHigh: Number.NaN };
  const [lo, hi] = quantiles(ok, [0.025, 0.975]) as [number, number];
  return { estimate, ciLow: lo, ciHigh: hi };
}

/** Mean and population standard deviation of the concatenation of a and b. */
function pooled(a: Float64Array, b: Float64Array): { mean: number; sd: number } {
  const n = a.length + b.length;
  let sum = 0;
  for (const x of a) sum += x;
  for (const x of b) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of a) ss += (x - mean) ** 2;
  for (const x of b) ss += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n) };
}

export interface SaltelliOutputs {
  yA: Float64Array;
  yB: Float64Array;
  yAB: Float64Array[];
}

export type SobolResult = { S1: Estimate[]; ST: Estimate[] } | undefined;

/**
 * acc = Σ_j c_j · rows[j·width … j·width + width) over the rows with c_j > 0; returns Σ c_j. A
 * top-level function over its arguments only, so the loop reads locals (not closure slots).
 */
function addRows(acc: Float64Array, rows: Float64Array, c: Float64Array, n: number, width: number): number {
  acc.fill(0);
  let w = 0;
  for (let j = 0; j < n; j++) {
    const cj = c[j]!;
    if (cj === 0) continue;
    w += cj;
    const o = j * width;
    for (let t = 0; t < width; t++) acc[t] = acc[t]! + cj * rows[o + t]!;
  }
  return w;
}

/**
 * First-order and total Sobol' indices from the outputs of a Saltelli design's complete rows:
 * yA[j] = f(A_j), yB[j] = f(B_j), yAB[i][j] = f(AB_j^i). Undefined when the output does not vary.
 * Outputs are first standardised by the mean and sd of f(A) ∪ f(B) (as SALib does: the estimators
 * are then well conditioned for any offset and scale). With per-row terms p_ij = b_j (ab_ij − a_j)
 * and q_ij = (a_j − ab_ij)², a resample with counts c_j gives W = Σc, V = Σc(a² + b²)/2W −
 * (Σc(a + b)/2W)², S1_i = Σc·p_i / W / V and ST_i = Σc·q_i / 2W / V; the full sample is c = 1.
 */
export function sobolIndices(yA: Float64Array, yB: Float64Array, yAB: Float64Array[], resamples: readonly Float64Array[]): SobolResult {
  return sobolIndicesBatch([{ yA, yB, yAB }], resamples)[0];
}

/**
 * sobolIndices for several outputs over the same rows at once (every metric of a sweep whose runs
 * all succeeded). Performance: the per-row terms of all outputs sit side by side, so a resample is
 * one pass over the rows it drew (those drawn 0 times, about 37%, skipped) adding c_j times a
 * contiguous run of terms — no dependency chain between the additions, unlike one dot product per
 * term. Equal to calling sobolIndices per output (test/sweep/sensitivity.test.ts compares them).
 */
export function sobolIndicesBatch(outputs: readonly SaltelliOutputs[], resamples: readonly Float64Array[]): SobolResult[] {
  const n = outputs[0]?.yA.length ?? 0;
  const k = outputs[0]?.yAB.length ?? 0;
  const stride = 2 + 2 * k;
  const results: SobolResult[] = outputs.map(() => undefined);
  if (n < 2) return results;
  // Outputs that vary, standardised; constant ones (up to rounding: a mean of equal values can
  // differ from them in the last bit) have no indices.
  const live: number[] = [];
  const terms: Float64Array[] = [];
  outputs.forEach(({ yA, yB, yAB }, m) => {
    if (yA.length !== n || yAB.length !== k) throw new Error("sobolIndicesBatch: outputs must share their rows");
    const { mean, sd } = pooled(yA, yB);
    if (!(sd > 1e-12 * Math.abs(mean)) || !Number.isFinite(sd)) return;
    const t = new Float64Array(n * stride);
    for (let j = 0; j < n; j++) {
      const a = (yA[j]! - mean) / sd;
      const b = (yB[j]! - mean) / sd;
      const o = j * stride;
      t[o] = a + b;
      t[o + 1] = a * a + b * b;
      for (let i = 0; i < k; i++) {
        const ab = (yAB[i]![j]! - mean) / sd;
        t[o + 2 + 2 * i] = b * (ab - a);
        t[o + 3 + 2 * i] = (a - ab) ** 2;
      }
    }
    live.push(m);
    terms.push(t);
  });
  const L = live.length;
  const width = L * stride;
  // Row j's terms for every live output: all[j·width + l·stride + t].
  const all = new Float64Array(n * width);
  terms.forEach((t, l) => {
    for (let j = 0; j < n; j++) all.set(t.subarray(j * stride, (j + 1) * stride), j * width + l * stride);
  });
  const acc = new Float64Array(width);
  const B = resamples.length;
  // est[l][(2i or 2i+1)·(B+1) + b]: S1_i / ST_i of output l in resample b (b = B: the full sample).
  const est = Array.from({ length: L }, () => new Float64Array(2 * k * (B + 1)));
  const once = (c: Float64Array, b: number) => {
    const w = addRows(acc, all, c, n, width);
    for (let l = 0; l < L; l++) {
      const o = l * stride;
      const mean = acc[o]! / (2 * w);
      const v = acc[o + 1]! / (2 * w) - mean * mean;
      const e = est[l]!;
      for (let i = 0; i < k; i++) {
        e[2 * i * (B + 1) + b] = acc[o + 2 + 2 * i]! / w / v;
        e[(2 * i + 1) * (B + 1) + b] = acc[o + 3 + 2 * i]! / (2 * w) / v;
      }
    }
  };
  once(ONES(n), B);
  resamples.forEach((c, b) => {
    once(c, b);
  });
  live.forEach((m, l) => {
    const e = est[l]!;
    const pick = (row: number) => interval(e[row * (B + 1) + B]!, e.subarray(row * (B + 1), row * (B + 1) + B));
    const S1 = Array.from({ length: k }, (_, i) => pick(2 * i));
    const ST = Array.from({ length: k }, (_, i) => pick(2 * i + 1));
    if (S1.every((x) => Number.isFinite(x.estimate)) && ST.every((x) => Number.isFinite(x.estimate))) results[m] = { S1, ST };
  });
  return results;
}

/**
 * μ*, μ and σ per parameter from elementary effects ee[i][t] (parameter i, trajectory t), as
 * weighted sums over trajectories with bootstrap counts (σ from effects shifted by their
 * full-sample mean, for conditioning).
 */
export function morrisIndices(
  ee: Float64Array[],
  resamples: readonly Float64Array[],
): { mu_star: Estimate[]; mu: Estimate[]; sigma: Estimate[] } | undefined {
  const n = ee[0]?.length ?? 0;
  if (n < 2) return undefined;
  const shift = ee.map((e) => e.reduce((x, y) => x + y, 0) / n);
  const once = (c: Float64Array) => {
    const muStar: number[] = [];
    const mu: number[] = [];
    const sigma: number[] = [];
    ee.forEach((e, i) => {
      let w = 0;
      let sa = 0;
      let sd = 0;
      let sd2 = 0;
      for (let t = 0; t < n; t++) {
        const ct = c[t]!;
        const d = e[t]! - shift[i]!;
        w += ct;
        sa += ct * Math.abs(e[t]!);
        sd += ct * d;
        sd2 += ct * d * d;
      }
      const md = sd / w;
      mu.push(shift[i]! + md);
      muStar.push(sa / w);
      sigma.push(w > 1 ? Math.sqrt(Math.max(0, (sd2 - w * md * md) / (w - 1))) : Number.NaN);
    });
    return { muStar, mu, sigma };
  };
  const full = once(ONES(n));
  const boots = resamples.map(once);
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
export function saltelliOutputs(y: ArrayLike<number>, samples: number, k: number): SaltelliOutputs & { rows: number[] } {
  const rows: number[] = [];
  for (let j = 0; j < samples; j++) {
    let ok = true;
    for (let m = 0; m < k + 2; m++) if (!Number.isFinite(y[j * (k + 2) + m]!)) ok = false;
    if (ok) rows.push(j);
  }
  const at = (j: number, m: number) => y[j * (k + 2) + m]!;
  return {
    rows,
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
  // The design's column order is the manifest's `params` (the block's declaration order); the
  // block's own keys may come back sorted from a stored manifest (stable JSON), so never use them.
  const params = [...input.params];
  const k = params.length;
  if (k !== Object.keys(block.params).length) throw new Error(`sensitivity: ${k} params for a design of ${Object.keys(block.params).length}`);
  const points = spec.sobol ? spec.sobol.samples * (k + 2) : spec.morris!.trajectories * (k + 1);
  const { metrics, y } = pointMeans(results, points);
  const resampleCache = new Map<number, Float64Array[]>();
  const resamples = (n: number) => {
    let r = resampleCache.get(n);
    if (r === undefined) resampleCache.set(n, (r = bootstrapCounts(input.baseSeed, n, block.bootstrap)));
    return r;
  };
  const plan = spec.morris ? morrisPlan(input.baseSeed, spec.morris.trajectories, spec.morris.levels, k) : undefined;
  const out = new Map<string, IndexRow[]>();
  const sobol = new Map<string, SobolResult>();
  if (spec.sobol) {
    // Metrics with the same complete rows (all of them, when every run succeeded) are analysed together.
    const groups = new Map<string, { metrics: string[]; outputs: SaltelliOutputs[] }>();
    for (const metric of metrics) {
      const o = saltelliOutputs(y.get(metric)!, spec.sobol.samples, k);
      const key = o.rows.join(",");
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { metrics: [], outputs: [] }));
      g.metrics.push(metric);
      g.outputs.push(o);
    }
    for (const g of groups.values()) {
      const r = sobolIndicesBatch(g.outputs, resamples(g.outputs[0]!.yA.length));
      for (let i = 0; i < g.metrics.length; i++) sobol.set(g.metrics[i]!, r[i]);
    }
  }
  for (const metric of metrics) {
    const values = y.get(metric)!;
    const rows: IndexRow[] = [];
    if (spec.sobol) {
      const r = sobol.get(metric);
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
