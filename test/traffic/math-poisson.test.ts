// Special functions and the Poisson sampler used by the aggregated mode.

import { describe, expect, it } from "vitest";
import { logFactorial, normalCdf } from "../../src/traffic/math.js";
import { samplePoisson } from "../../src/traffic/poisson.js";
import { moments, stream } from "./support.js";

describe("normalCdf", () => {
  it("matches reference values in the body and both tails", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 13);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 13);
    expect(normalCdf(-3) / 0.0013498980316301 - 1).toBeLessThan(1e-10);
    expect(Math.abs(normalCdf(-8) / 6.22096057427178e-16 - 1)).toBeLessThan(1e-8);
    expect(normalCdf(40)).toBe(1);
  });
});

describe("logFactorial", () => {
  it("agrees with direct summation on both sides of the table", () => {
    let s = 0;
    for (let k = 1; k <= 2000; k++) {
      s += Math.log(k);
      if (k === 5 || k === 255 || k === 256 || k === 300 || k === 2000) expect(Math.abs(logFactorial(k) - s) / s).toBeLessThan(1e-12);
    }
    expect(logFactorial(0)).toBe(0);
  });
});

describe("samplePoisson", () => {
  for (const mean of [0.4, 3.7, 9.99, 10, 42, 1e4, 5e6]) {
    it(`mean and variance match for mean ${mean}`, () => {
      const r = stream(`poisson-${mean}`);
      const n = 40_000;
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = samplePoisson(mean, r);
      const m = moments(xs);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      // Bands of 5 standard errors of the sample mean and variance.
      expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
      expect(Math.abs(m.variance - mean)).toBeLessThan(5 * Math.sqrt((mean + 2 * mean * mean) / n));
    });
  }

  it("PTRS reproduces the pmf (mean 15)", () => {
    const r = stream("pmf");
    const n = 200_000;
    const counts = new Float64Array(60);
    for (let i = 0; i < n; i++) counts[Math.min(59, samplePoisson(15, r))]!++;
    for (let k = 5; k <= 30; k++) {
      const p = Math.exp(-15 + k * Math.log(15) - logFactorial(k));
      expect(Math.abs(counts[k]! - n * p)).toBeLessThan(5 * Math.sqrt(n * p) + 1);
    }
  });

  it("non-positive means give 0", () => {
    expect(samplePoisson(0, stream(1))).toBe(0);
    expect(samplePoisson(-2, stream(1))).toBe(0);
  });
});
