import { describe as suite, expect, it } from "vitest";
import { describe, studentTCdf, studentTQuantile } from "../../src/sweep/stats.js";

suite("sweep statistics", () => {
  it("t quantiles match published tables", () => {
    const table: [number, number][] = [
      [1, 12.7062047362],
      [2, 4.30265272975],
      [3, 3.18244630528],
      [5, 2.57058183564],
      [10, 2.22813885196],
      [30, 2.04227245630],
      [100, 1.98397151852],
      [1000, 1.96233908082],
    ];
    for (const [df, q] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 8);
    expect(studentTCdf(0, 4)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2.7764451052, 4)).toBeCloseTo(0.025, 9);
  });

  it("describes a sample: mean, sample sd, t interval and R-7 quantiles", () => {
    const s = describe([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    const half = 3.18244630528 * (Math.sqrt(5 / 3) / 2);
    expect(s.ci95Low).toBeCloseTo(2.5 - half, 8);
    expect(s.ci95High).toBeCloseTo(2.5 + half, 8);
    expect(s.p5).toBeCloseTo(1.15, 12);
    expect(s.p50).toBe(2.5);
    expect(s.p95).toBeCloseTo(3.85, 12);
  });

  it("leaves sd and interval empty below two values", () => {
    expect(describe([])).toEqual({ n: 0, mean: null, sd: null, ci95Low: null, ci95High: null, p5: null, p50: null, p95: null });
    expect(describe([7])).toEqual({ n: 1, mean: 7, sd: null, ci95Low: null, ci95High: null, p5: 7, p50: 7, p95: 7 });
  });
});
