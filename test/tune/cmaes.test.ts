// CMA-ES on standard test functions: it must converge where a broken update would not.

import { describe, expect, it } from "vitest";
import { RngTree } from "../../src/kernel/index.js";
import { CmaEs } from "../../src/tune/cmaes.js";

function minimise(f: (x: number[]) => number, n: number, evals: number, seed = 1, sigma = 0.5, start = 1) {
  const es = new CmaEs({ mean: new Array(n).fill(start), sigma }, new RngTree(seed).stream("test"));
  let best = Number.POSITIVE_INFINITY;
  let used = 0;
  while (used + es.lambda <= evals) {
    const xs = es.ask();
    const fx = xs.map(f);
    used += xs.length;
    best = Math.min(best, ...fx);
    es.tell(fx.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i));
  }
  return { best, es };
}

const sphere = (x: number[]) => x.reduce((a, v) => a + v * v, 0);
const ellipsoid = (x: number[]) => x.reduce((a, v, i) => a + 10 ** ((6 * i) / (x.length - 1)) * v * v, 0);
const rosenbrock = (x: number[]) => x.slice(0, -1).reduce((a, v, i) => a + 100 * (x[i + 1]! - v * v) ** 2 + (1 - v) ** 2, 0);

describe("CMA-ES", () => {
  it("solves the 5-D sphere to 1e-10 within 1,500 evaluations", () => {
    expect(minimise(sphere, 5, 1500).best).toBeLessThan(1e-10);
  });

  it("learns an ill-conditioned ellipsoid (condition 10^6) in 8-D", () => {
    expect(minimise(ellipsoid, 8, 6000).best).toBeLessThan(1e-8);
  });

  it("follows Rosenbrock's valley to its optimum in 4-D", () => {
    expect(minimise(rosenbrock, 4, 4000, 3, 0.5, 0).best).toBeLessThan(1e-6);
  });

  it("uses Hansen's default population and weights", () => {
    const es = new CmaEs({ mean: [0, 0, 0, 0, 0], sigma: 1 }, new RngTree(1).stream("w"));
    expect(es.lambda).toBe(8); // 4 + ⌊3 ln 5⌋
    expect(es.mu).toBe(4);
    expect(es.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(es.weights[0]).toBeGreaterThan(es.weights[1]!);
    expect(es.muEff).toBeCloseTo(2.6002, 3); // 1 / Σ w_i², w_i ∝ ln(4.5) − ln i
  });

  it("is a function of its seed and the rankings it is told", () => {
    expect(minimise(sphere, 3, 300, 9).best).toBe(minimise(sphere, 3, 300, 9).best);
    expect(minimise(sphere, 3, 300, 9).best).not.toBe(minimise(sphere, 3, 300, 10).best);
  });

  it("enforces ask/tell order", () => {
    const es = new CmaEs({ mean: [0, 0], sigma: 1 }, new RngTree(1).stream("o"));
    expect(() => es.tell([0, 1, 2, 3, 4, 5])).toThrow(/without ask/);
    es.ask();
    expect(() => es.ask()).toThrow(/twice/);
    expect(() => es.tell([0, 0, 1, 2, 3, 4])).toThrow(/permutation/);
  });
});
