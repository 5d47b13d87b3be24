// Object sizes: empirical moments against the exact mean()/variance(), with and without caps.

import { describe, expect, it } from "vitest";
import { createSizeModel, type SizeConfig, type SizeModel } from "../../src/traffic/index.js";
import { moments, relErr, stream } from "./support.js";

function sample(m: SizeModel, seed: string, n = 200_000): Float64Array {
  const r = stream(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = m.sample(r);
  return xs;
}

/** ∫0^max P(X > x)·n·x^{n-1} dx by the midpoint rule on a log grid: E[min(X, max)^n]. */
function cappedMoment(survival: (x: number) => number, lo: number, max: number, n: number): number {
  // Below `lo` the survival is taken as 1 (exact for Pareto; negligible error for lognormal with lo = 1).
  let s = lo ** n;
  const steps = 200_000;
  const r = Math.log(max / lo) / steps;
  for (let i = 0; i < steps; i++) {
    const a = lo * Math.exp(i * r);
    const b = lo * Math.exp((i + 1) * r);
    const x = (a + b) / 2;
    s += survival(x) * n * x ** (n - 1) * (b - a);
  }
  return s;
}

describe("size models", () => {
  // Tolerances are about 4-6 standard errors of the sample moment (heavy tails make the
  // sample variance slow; the uncapped shape-3 Pareto has no fourth moment at all).
  const cases: { name: string; cfg: SizeConfig; meanTol: number; varTol: number }[] = [
    { name: "lognormal by median", cfg: { model: "lognormal", median: 1e6, sigma: 1 }, meanTol: 0.02, varTol: 0.15 },
    { name: "lognormal capped", cfg: { model: "lognormal", mu: Math.log(1e6), sigma: 1.5, max: 5e6 }, meanTol: 0.02, varTol: 0.04 },
    { name: "pareto", cfg: { model: "pareto", scale: 1000, shape: 3 }, meanTol: 0.02, varTol: 0.3 },
    { name: "pareto capped, shape 1.2", cfg: { model: "pareto", scale: 1000, shape: 1.2, max: 1e5 }, meanTol: 0.03, varTol: 0.08 },
    { name: "pareto capped, shape 1 (log branch)", cfg: { model: "pareto", scale: 1000, shape: 1, max: 1e4 }, meanTol: 0.02, varTol: 0.05 },
    { name: "pareto capped, shape 2 (log branch)", cfg: { model: "pareto", scale: 1000, shape: 2, max: 1e4 }, meanTol: 0.02, varTol: 0.07 },
  ];
  for (const c of cases) {
    it(`${c.name}: empirical mean and variance match`, () => {
      const m = createSizeModel(c.cfg);
      const xs = sample(m, c.name);
      const e = moments(xs);
      expect(relErr(e.mean, m.mean())).toBeLessThan(c.meanTol);
      expect(relErr(e.variance, m.variance())).toBeLessThan(c.varTol);
      if ("max" in c.cfg && c.cfg.max !== undefined) expect(xs.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(c.cfg.max);
    });
  }

  it("lognormal uncapped moments are the textbook ones; median and mu agree", () => {
    const m = createSizeModel({ model: "lognormal", median: 1e6, sigma: 1 });
    expect(relErr(m.mean(), 1e6 * Math.exp(0.5))).toBeLessThan(1e-12);
    expect(relErr(m.variance(), 1e12 * (Math.E - 1) * Math.E)).toBeLessThan(1e-12);
    const byMu = createSizeModel({ model: "lognormal", mu: Math.log(1e6), sigma: 1 });
    expect(sample(byMu, "same", 10)).toEqual(sample(m, "same", 10));
  });

  it("capped moments agree with numerical integration", () => {
    const mu = Math.log(1e6);
    const sigma = 1.5;
    const max = 5e6;
    const erfcSurvival = (x: number) => {
      // P(X > x) from an independent erfc approximation, not the normalCdf under test.
      const z = (Math.log(x) - mu) / sigma;
      return 0.5 * erfc(z / Math.SQRT2);
    };
    const ln = createSizeModel({ model: "lognormal", mu, sigma, max });
    const m1 = cappedMoment(erfcSurvival, 1, max, 1);
    const m2 = cappedMoment(erfcSurvival, 1, max, 2);
    expect(relErr(ln.mean(), m1)).toBeLessThan(1e-4);
    expect(relErr(ln.variance(), m2 - m1 * m1)).toBeLessThan(1e-3);

    const pa = createSizeModel({ model: "pareto", scale: 1000, shape: 1.5, max: 1e6 });
    const surv = (x: number) => (1000 / x) ** 1.5;
    const p1 = cappedMoment(surv, 1000, 1e6, 1);
    const p2 = cappedMoment(surv, 1000, 1e6, 2);
    expect(relErr(pa.mean(), p1)).toBeLessThan(1e-6);
    expect(relErr(pa.variance(), p2 - p1 * p1)).toBeLessThan(1e-6);
  });

  it("infinite moments are reported as Infinity without a cap", () => {
    expect(createSizeModel({ model: "pareto", scale: 1, shape: 1 }).mean()).toBe(Number.POSITIVE_INFINITY);
    expect(createSizeModel({ model: "pareto", scale: 1, shape: 1.5 }).variance()).toBe(Number.POSITIVE_INFINITY);
    expect(createSizeModel({ model: "pareto", scale: 1, shape: 1.5 }).mean()).toBeCloseTo(3, 12);
  });

  it("constant, and a cap below the Pareto scale, are degenerate", () => {
    const c = createSizeModel({ model: "constant", bytes: 4096 });
    expect([c.sample(stream(1)), c.mean(), c.variance()]).toEqual([4096, 4096, 0]);
    const p = createSizeModel({ model: "pareto", scale: 1000, shape: 2, max: 500 });
    expect([p.sample(stream(1)), p.mean(), p.variance()]).toEqual([500, 500, 0]);
  });

  it("rejects a lognormal with both or neither of median and mu", () => {
    expect(() => createSizeModel({ model: "lognormal", sigma: 1 })).toThrow(/exactly one/);
    expect(() => createSizeModel({ model: "lognormal", sigma: 1, mu: 1, median: 3 })).toThrow(/exactly one/);
  });
});

/** erfc by its continued fraction / series (Numerical Recipes erfcc, rel. error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
