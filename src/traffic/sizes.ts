// traffic/sizes: object-size distributions (bytes ≈ noz) with exact moments, so the aggregated
// mode can match the per-request mode in expectation. A `max` clamps samples to min(x, max),
// and mean()/variance() are those of the clamped variable. Sizes are real numbers; whoever
// converts them to integer noz rounds.
// May import: kernel (Stream), ./config, ./math.

import type { Stream } from "../kernel/index.js";
import type { SizeConfig } from "./config.js";
import { normalCdf } from "./math.js";

export interface SizeModel {
  sample(rng: Stream): number;
  /** Exact mean (Infinity for an uncapped Pareto with shape ≤ 1). */
  mean(): number;
  /** Exact variance (Infinity for an uncapped Pareto with shape ≤ 2). */
  variance(): number;
}

export function createSizeModel(config: SizeConfig): SizeModel {
  switch (config.model) {
    case "constant":
      return new ConstantSize(config.bytes);
    case "lognormal": {
      const { median, mu, sigma, max } = config;
      if ((median === undefined) === (mu === undefined)) throw new Error("lognormal size needs exactly one of median and mu");
      if (median !== undefined && !(median > 0)) throw new Error(`lognormal median must be > 0, got ${median}`);
      return new LognormalSize(mu ?? Math.log(median!), sigma, max);
    }
    case "pareto":
      return new ParetoSize(config.scale, config.shape, config.max);
  }
}

function checkMax(max: number | undefined): void {
  if (max !== undefined && !(max > 0)) throw new Error(`size max must be > 0, got ${max}`);
}

export class ConstantSize implements SizeModel {
  constructor(private readonly bytes: number) {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new Error(`constant size must be finite and >= 0, got ${bytes}`);
  }
  sample(): number {
    return this.bytes;
  }
  mean(): number {
    return this.bytes;
  }
  variance(): number {
    return 0;
  }
}

export class LognormalSize implements SizeModel {
  private readonly m1: number;
  private readonly m2: number;

  constructor(
    private readonly mu: number,
    private readonly sigma: number,
    private readonly max?: number,
  ) {
    if (!Number.isFinite(mu)) throw new Error(`lognormal mu must be finite, got ${mu}`);
    if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`lognormal sigma must be finite and >= 0, got ${sigma}`);
    checkMax(max);
    const s2 = sigma * sigma;
    if (max === undefined) {
      this.m1 = Math.exp(mu + s2 / 2);
      this.m2 = Math.exp(2 * mu + 2 * s2);
    } else if (sigma === 0) {
      this.m1 = Math.min(Math.exp(mu), max);
      this.m2 = this.m1 * this.m1;
    } else {
      // E[min(X,M)^n] = e^{nμ+n²σ²/2}·Φ((ln M − μ − nσ²)/σ) + M^n·Φ(−(ln M − μ)/σ).
      const z = (Math.log(max) - mu) / sigma;
      const tail = normalCdf(-z);
      this.m1 = Math.exp(mu + s2 / 2) * normalCdf(z - sigma) + max * tail;
      this.m2 = Math.exp(2 * mu + 2 * s2) * normalCdf(z - 2 * sigma) + max * max * tail;
    }
  }

  sample(rng: Stream): number {
    const x = rng.lognormal(this.mu, this.sigma);
    return this.max === undefined ? x : Math.min(x, this.max);
  }
  mean(): number {
    return this.m1;
  }
  variance(): number {
    return Math.max(0, this.m2 - this.m1 * this.m1);
  }
}

export class ParetoSize implements SizeModel {
  private readonly m1: number;
  private readonly m2: number;

  constructor(
    private readonly scale: number,
    private readonly shape: number,
    private readonly max?: number,
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`pareto scale must be finite and > 0, got ${scale}`);
    if (!(shape > 0) || !Number.isFinite(shape)) throw new Error(`pareto shape must be finite and > 0, got ${shape}`);
    checkMax(max);
    const a = shape;
    if (max === undefined) {
      this.m1 = a > 1 ? (a * scale) / (a - 1) : Number.POSITIVE_INFINITY;
      this.m2 = a > 2 ? (a * scale * scale) / (a - 2) : Number.POSITIVE_INFINITY;
    } else if (max <= scale) {
      this.m1 = max;
      this.m2 = max * max;
    } else {
      // E[Y^n] = ∫ n y^{n-1} P(Y > y) dy with P(Y > y) = (scale/y)^a on [scale, max):
      // E[Y] = scale·(1 + I(1)), E[Y²] = scale²·(1 + 2·I(2)), I(n) = ∫_1^r u^{n-1-a} du, r = max/scale.
      const lr = Math.log(max / scale);
      const integral = (n: number) => (Math.abs(n - a) < 1e-12 ? lr : Math.expm1((n - a) * lr) / (n - a));
      this.m1 = scale * (1 + integral(1));
      this.m2 = scale * scale * (1 + 2 * integral(2));
    }
  }

  sample(rng: Stream): number {
    const x = rng.pareto(this.scale, this.shape);
    return this.max === undefined ? x : Math.min(x, this.max);
  }
  mean(): number {
    return this.m1;
  }
  variance(): number {
    if (!Number.isFinite(this.m2)) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.m2 - this.m1 * this.m1);
  }
}
