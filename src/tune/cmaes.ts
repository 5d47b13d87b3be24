// tune/cmaes: CMA-ES (μ/μ_w, λ) as an ask/tell state machine over R^n, following N. Hansen, "The
// CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772, 2016): the default strategy parameters of
// its Table 1 with positive recombination weights only (the classic, non-active update), cumulative
// step-size adaptation, rank-one and rank-μ covariance updates with the h_σ stall, and C = B D² Bᵀ
// re-decomposed every generation (mathjs `eigs`; n is small here). No I/O, no clock: the normal
// variates come from the caller's seeded kernel stream, so a run is a function of its seed and of
// the rankings it is told. Why not a package: npm has no maintained CMA-ES implementation.
// Ordering contract: ask() returns λ candidates of generation g; tell() takes their ranking (best
// first, as indices into that list) and moves to generation g + 1; ask() twice without tell() throws.
// May import: kernel.

import { eigs } from "mathjs";
import type { Stream } from "../kernel/index.js";

export interface CmaOptions {
  /** Initial mean. */
  mean: readonly number[];
  /** Initial step size σ. */
  sigma: number;
  /** λ, candidates per generation (default 4 + ⌊3 ln n⌋). */
  population?: number;
}

export class CmaEs {
  readonly n: number;
  readonly lambda: number;
  readonly mu: number;
  readonly weights: number[];
  readonly muEff: number;
  private readonly cSigma: number;
  private readonly dSigma: number;
  private readonly cc: number;
  private readonly c1: number;
  private readonly cMu: number;
  private readonly chiN: number;

  mean: number[];
  sigma: number;
  generation = 0;
  private pSigma: number[];
  private pc: number[];
  private C: number[][];
  private B: number[][];
  private D: number[];
  private asked: { x: number[][]; y: number[][] } | undefined;

  constructor(
    opts: CmaOptions,
    private readonly rng: Stream,
  ) {
    const n = opts.mean.length;
    if (n < 1) throw new Error("CMA-ES needs at least one dimension");
    if (!(opts.sigma > 0)) throw new Error(`CMA-ES needs sigma > 0, got ${opts.sigma}`);
    this.n = n;
    this.lambda = opts.population ?? 4 + Math.floor(3 * Math.log(n));
    if (this.lambda < 2) throw new Error(`CMA-ES needs a population of at least 2, got ${this.lambda}`);
    this.mu = Math.floor(this.lambda / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log((this.lambda + 1) / 2) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((w) => w / sum);
    this.muEff = 1 / this.weights.reduce((a, w) => a + w * w, 0);
    const me = this.muEff;
    this.cSigma = (me + 2) / (n + me + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((me - 1) / (n + 1)) - 1) + this.cSigma;
    this.cc = (4 + me / n) / (n + 4 + (2 * me) / n);
    this.c1 = 2 / ((n + 1.3) ** 2 + me);
    this.cMu = Math.min(1 - this.c1, (2 * (me - 2 + 1 / me)) / ((n + 2) ** 2 + me));
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = [...opts.mean];
    this.sigma = opts.sigma;
    this.pSigma = new Array(n).fill(0);
    this.pc = new Array(n).fill(0);
    this.C = identity(n);
    this.B = identity(n);
    this.D = new Array(n).fill(1);
  }

  /** λ candidates x = m + σ·B·D·z, z ~ N(0, I) (drawn coordinate by coordinate, candidate by candidate). */
  ask(): number[][] {
    if (this.asked !== undefined) throw new Error("CMA-ES: ask() called twice without tell()");
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let k = 0; k < this.lambda; k++) {
      const z = Array.from({ length: this.n }, () => this.rng.normal(0, 1));
      const dz = z.map((v, i) => this.D[i]! * v);
      const y = this.B.map((row) => dot(row, dz));
      ys.push(y);
      xs.push(this.mean.map((m, i) => m + this.sigma * y[i]!));
    }
    this.asked = { x: xs, y: ys };
    return xs.map((x) => [...x]);
  }

  /** Updates the distribution from the ranking of the last ask()'s candidates (best first). */
  tell(ranking: readonly number[]): void {
    const asked = this.asked;
    if (asked === undefined) throw new Error("CMA-ES: tell() without ask()");
    if (ranking.length !== this.lambda || new Set(ranking).size !== this.lambda || ranking.some((r) => !(r >= 0 && r < this.lambda))) {
      throw new Error(`CMA-ES: ranking must be a permutation of 0..${this.lambda - 1}`);
    }
    this.asked = undefined;
    const n = this.n;
    const best = ranking.slice(0, this.mu).map((r) => asked.y[r]!);
    const yw = new Array<number>(n).fill(0);
    best.forEach((y, i) => {
      for (let j = 0; j < n; j++) yw[j]! += this.weights[i]! * y[j]!;
    });
    this.mean = this.mean.map((m, j) => m + this.sigma * yw[j]!);
    // C^{-1/2}·yw = B·D^{-1}·Bᵀ·yw
    const bty = this.B[0]!.map((_, j) => this.B.reduce((a, row, i) => a + row[j]! * yw[i]!, 0));
    const invSqrtCy = this.B.map((row) => row.reduce((a, b, j) => a + (b * bty[j]!) / this.D[j]!, 0));
    const cs = Math.sqrt(this.cSigma * (2 - this.cSigma) * this.muEff);
    this.pSigma = this.pSigma.map((p, j) => (1 - this.cSigma) * p + cs * invSqrtCy[j]!);
    const psNorm = Math.sqrt(dot(this.pSigma, this.pSigma));
    const g = this.generation + 1;
    const hSigma = psNorm / Math.sqrt(1 - (1 - this.cSigma) ** (2 * g)) < (1.4 + 2 / (n + 1)) * this.chiN ? 1 : 0;
    const ccs = Math.sqrt(this.cc * (2 - this.cc) * this.muEff);
    this.pc = this.pc.map((p, j) => (1 - this.cc) * p + hSigma * ccs * yw[j]!);
    const deltaH = (1 - hSigma) * this.cc * (2 - this.cc);
    const keep = 1 + this.c1 * deltaH - this.c1 - this.cMu; // Σw = 1
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        best.forEach((y, k) => {
          rankMu += this.weights[k]! * y[i]! * y[j]!;
        });
        const v = keep * this.C[i]![j]! + this.c1 * this.pc[i]! * this.pc[j]! + this.cMu * rankMu;
        this.C[i]![j] = v;
        this.C[j]![i] = v;
      }
    }
    this.sigma *= Math.exp((this.cSigma / this.dSigma) * (psNorm / this.chiN - 1));
    this.generation = g;
    this.decompose();
  }

  /** Largest standard deviation of the search distribution along a coordinate: σ·max √C_ii. */
  maxStd(): number {
    return this.sigma * Math.sqrt(Math.max(...this.C.map((row, i) => row[i]!)));
  }

  private decompose(): void {
    const { eigenvectors } = eigs(this.C) as unknown as { eigenvectors: { value: number; vector: number[] }[] };
    // B's columns are the eigenvectors; D the square roots of the eigenvalues (floored at 1e-300 for round-off).
    this.B = Array.from({ length: this.n }, (_, i) => eigenvectors.map((e) => e.vector[i]!));
    this.D = eigenvectors.map((e) => Math.sqrt(Math.max(e.value, 1e-300)));
  }
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
