import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RngTree, Stream, WeightedSampler, ZipfSampler } from "../../src/kernel/index.js";

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

function draw(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe("Stream's own Alea steps", () => {
  it("draw seedrandom.alea's numbers bit for bit (a million draws over several keys)", () => {
    for (const key of ["1/net.latency", "7/pot.churn", "", "x#123456", "1/traffic.request#29"]) {
      const ours = new Stream(key);
      const ref = seedrandom.alea(key);
      const n = key === "1/net.latency" ? 600_000 : 100_000;
      for (let i = 0; i < n; i++) {
        const a = ours.next();
        const b = ref();
        if (a !== b) expect({ key, i, a }).toEqual({ key, i, a: b });
      }
    }
  });
});

describe("RngTree", () => {
  it("same seed and path give the same numbers", () => {
    const a = new RngTree(42).stream("net");
    const b = new RngTree(42).stream("net");
    expect(draw(5, () => a.next())).toEqual(draw(5, () => b.next()));
  });

  it("streams are independent of which other streams exist or were drawn", () => {
    const t1 = new RngTree(7);
    const lone = draw(10, () => t1.stream("node", 3).next());
    const t2 = new RngTree(7);
    const other = t2.stream("extra");
    draw(1000, () => other.next());
    const s = t2.stream("node", 3);
    const withOthers = draw(10, () => s.next());
    expect(withOthers[0]).toBe(lone[0]);
    expect(new RngTree(7).stream("node", 3).next()).toBe(lone[0]);
  });

  it("different names, indices and seeds differ", () => {
    const t = new RngTree(1);
    const x = t.stream("a").next();
    expect(t.stream("b").next()).not.toBe(x);
    expect(t.stream("a", 0).next()).not.toBe(x);
    expect(new RngTree(2).stream("a").next()).not.toBe(x);
    expect(t.child("p", 1).stream("a").next()).not.toBe(x);
  });

  it("pins the first draws of a stream (guards against generator changes)", () => {
    const s = new RngTree(1).stream("golden");
    const first = draw(3, () => s.next());
    const again = new RngTree(1).stream("golden");
    expect(draw(3, () => again.next())).toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe("distributions (fixed seeds, tolerance bands)", () => {
  const N = 100_000;
  const s = () => new RngTree(2024).stream("dist");

  it("uniform", () => {
    const r = s();
    const m = moments(draw(N, () => r.uniform(2, 6)));
    expect(m.mean).toBeCloseTo(4, 1);
    expect(m.variance).toBeGreaterThan(1.3333 * 0.97);
    expect(m.variance).toBeLessThan(1.3333 * 1.03);
  });

  it("exponential", () => {
    const r = s();
    const m = moments(draw(N, () => r.exponential(3)));
    expect(Math.abs(m.mean - 3) / 3).toBeLessThan(0.02);
    expect(Math.abs(m.variance - 9) / 9).toBeLessThan(0.05);
  });

  it("normal", () => {
    const r = s();
    const m = moments(draw(N, () => r.normal(10, 2)));
    expect(Math.abs(m.mean - 10)).toBeLessThan(0.03);
    expect(Math.abs(m.variance - 4) / 4).toBeLessThan(0.03);
  });

  it("lognormal", () => {
    const r = s();
    const m = moments(draw(N, () => r.lognormal(0, 0.5)));
    const mean = Math.exp(0.125);
    expect(Math.abs(m.mean - mean) / mean).toBeLessThan(0.02);
  });

  it("pareto", () => {
    const r = s();
    const xs = draw(N, () => r.pareto(1, 3));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    const m = moments(xs);
    expect(Math.abs(m.mean - 1.5) / 1.5).toBeLessThan(0.03);
  });

  it("bernoulli", () => {
    const r = s();
    const hits = draw(N, () => (r.bernoulli(0.3) ? 1 : 0)).reduce((a, b) => a + b, 0);
    expect(Math.abs(hits / N - 0.3)).toBeLessThan(0.01);
  });

  it("weighted choice and sampler", () => {
    const r = s();
    const w = [1, 2, 7];
    const counts = [0, 0, 0];
    const sampler = new WeightedSampler(w);
    for (let i = 0; i < N; i++) {
      counts[r.weightedChoice(w)]!++;
      counts[sampler.sample(r)]!++;
    }
    expect(counts.map((c) => c / (2 * N))).toEqual([
      expect.closeTo(0.1, 2),
      expect.closeTo(0.2, 2),
      expect.closeTo(0.7, 2),
    ]);
  });

  it("zipf", () => {
    const r = s();
    const z = new ZipfSampler(100, 1.2);
    const counts = new Array(100).fill(0);
    for (let i = 0; i < N; i++) counts[z.sample(r)]++;
    expect(Math.abs(counts[0] / N - z.probability(0))).toBeLessThan(0.01);
    expect(Math.abs(counts[1] / N - z.probability(1))).toBeLessThan(0.01);
    expect(counts[0]).toBeGreaterThan(counts[9]);
  });

  it("shuffle is a permutation and seed-dependent", () => {
    const a = new RngTree(1).stream("sh").shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = new RngTree(2).stream("sh").shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(b);
  });
});
