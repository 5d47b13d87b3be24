// sweep/sensitivity-design: the unit-cube points of the two sensitivity designs, with the structure
// their analysis (./sensitivity.ts) reads back.
// `sobol` (Saltelli's scheme, without second-order terms): N rows of a 2k-dimensional Sobol'
// sequence (./sobol.ts, from its first point); row j splits into A_j (coordinates 0..k-1) and B_j
// (k..2k-1). Each base row gives k+2 points in this order: A_j, AB_j^1 … AB_j^k (A_j with coordinate
// i taken from B_j), B_j — so point j·(k+2) + m, N·(k+2) points in all (the order SALib uses).
// `morris` (Morris 1991, trajectories as in Saltelli et al., Global Sensitivity Analysis: The
// Primer, ch. 3): p levels {0, 1/(p-1), …, 1}, step Δ = p / (2(p − 1)). Each trajectory draws from
// RngTree(base).stream("sweep.morris"), in this order: per parameter a base level in
// {0, …, p/2 − 1} (so x + Δ ≤ 1), per parameter a direction (up with probability 1/2), then the
// order the parameters move in (a Fisher–Yates shuffle). Its first point has each parameter at its
// base level (or base + Δ when it moves down); point m moves parameter order[m-1] by ±Δ. So r·(k+1)
// points, trajectory t at t·(k+1).
// May import: scenario, world, metrics, report, kernel.

import { RngTree } from "../kernel/index.js";
import { sobolPoints } from "./sobol.js";

/** Unit coordinates of Saltelli's design: samples·(k+2) rows of k values. */
export function saltelliUnits(samples: number, k: number): number[][] {
  const base = sobolPoints(samples, 2 * k);
  const out: number[][] = [];
  for (const row of base) {
    const a = row.slice(0, k);
    const b = row.slice(k);
    out.push(a);
    for (let i = 0; i < k; i++) {
      const ab = a.slice();
      ab[i] = b[i]!;
      out.push(ab);
    }
    out.push(b);
  }
  return out;
}

export interface MorrisStep {
  /** The parameter that moves. */
  param: number;
  /** +1 when it moves up by Δ, −1 when down. */
  sign: 1 | -1;
}

export interface MorrisPlan {
  /** r·(k+1) rows of k unit values. */
  units: number[][];
  /** steps[t][m] moved the trajectory's point m to point m+1. */
  steps: MorrisStep[][];
  delta: number;
}

export function morrisPlan(baseSeed: number, trajectories: number, levels: number, k: number): MorrisPlan {
  if (levels < 2 || levels % 2 !== 0) throw new Error(`Morris levels must be even and >= 2, got ${levels}`);
  const s = new RngTree(baseSeed).stream("sweep.morris");
  const delta = levels / (2 * (levels - 1));
  const units: number[][] = [];
  const steps: MorrisStep[][] = [];
  for (let t = 0; t < trajectories; t++) {
    const baseLevel = Array.from({ length: k }, () => s.int(levels / 2));
    const up = Array.from({ length: k }, () => s.bernoulli(0.5));
    const order = s.shuffle(Array.from({ length: k }, (_, i) => i));
    // Levels as integers (level l is l/(p-1)), so a point's coordinates are exact grid values.
    const x = baseLevel.map((l, i) => (up[i] ? l : l + levels / 2));
    const grid = (l: number) => l / (levels - 1);
    units.push(x.map(grid));
    const tSteps: MorrisStep[] = [];
    for (const i of order) {
      x[i] = up[i] ? x[i]! + levels / 2 : x[i]! - levels / 2;
      units.push(x.map(grid));
      tSteps.push({ param: i, sign: up[i] ? 1 : -1 });
    }
    steps.push(tSteps);
  }
  return { units, steps, delta };
}
