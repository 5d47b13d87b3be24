import { describe, expect, it } from "vitest";
import type { LatencyModel } from "../../src/net/index.js";
import { harness, mean } from "./helpers.js";

/** Delays of `count` messages 0 -> 1 sent at t = 0. */
function sampleDelays(latency: LatencyModel, count = 20_000, seed = 7): number[] {
  const h = harness({ latency }, 2, seed);
  for (let i = 0; i < count; i++) h.net.send(0, 1, "m", 100, i);
  h.sim.run();
  expect(h.log.length).toBe(count);
  return h.log.map((d) => d.t);
}

describe("latency models", () => {
  it("constant latency delivers at exactly send time + value", () => {
    const h = harness({ latency: { model: "constant", value: 0.25 } });
    h.net.send(0, 1, "ping", 10, "a");
    h.at(3, () => h.net.send(2, 3, "ping", 10, "b"));
    h.sim.run();
    expect(h.log.map((d) => [d.t, d.to, d.from, d.kind, d.msg])).toEqual([
      [0.25, 1, 0, "ping", "a"],
      [3.25, 3, 2, "ping", "b"],
    ]);
  });

  it("uniform: within [min, max], mean in band", () => {
    const xs = sampleDelays({ model: "uniform", min: 0.01, max: 0.03 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.01);
    expect(Math.max(...xs)).toBeLessThanOrEqual(0.03);
    expect(mean(xs)).toBeGreaterThan(0.0197);
    expect(mean(xs)).toBeLessThan(0.0203);
  });

  it("normal: mean in band; truncation at min resamples (half-normal mean)", () => {
    const xs = sampleDelays({ model: "normal", mean: 0.1, stddev: 0.02, min: 0 });
    expect(Math.abs(mean(xs) - 0.1)).toBeLessThan(0.0008);
    const ys = sampleDelays({ model: "normal", mean: 0.1, stddev: 0.05, min: 0.1 });
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0.1);
    const halfNormalMean = 0.1 + 0.05 * Math.sqrt(2 / Math.PI);
    expect(Math.abs(mean(ys) - halfNormalMean)).toBeLessThan(0.0015);
  });

  it("lognormal: mean exp(mu + sigma^2 / 2) in band", () => {
    const xs = sampleDelays({ model: "lognormal", mu: -3, sigma: 0.5 });
    const expected = Math.exp(-3 + 0.125);
    expect(Math.abs(mean(xs) / expected - 1)).toBeLessThan(0.02);
  });

  it("pareto: >= scale, mean scale*shape/(shape-1) in band", () => {
    const xs = sampleDelays({ model: "pareto", scale: 0.01, shape: 3 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.01);
    expect(Math.abs(mean(xs) / 0.015 - 1)).toBeLessThan(0.03);
  });

  it("region matrix picks matrix[region(from)][region(to)] (round robin)", () => {
    const matrix = [
      [0.001, 0.1, 0.2],
      [0.11, 0.002, 0.3],
      [0.21, 0.31, 0.003],
    ];
    const h = harness({ latency: { model: "regions", regions: ["eu", "us", "ap"], matrix, assignment: "roundRobin" } }, 6);
    // regions by node: 0 eu, 1 us, 2 ap, 3 eu, 4 us, 5 ap
    h.net.send(1, 5, "m", 1, "us->ap");
    h.net.send(5, 1, "m", 1, "ap->us");
    h.net.send(0, 3, "m", 1, "eu->eu");
    h.net.send(3, 2, "m", 1, "eu->ap");
    h.sim.run();
    const byMsg = Object.fromEntries(h.log.map((d) => [d.msg as string, d.t]));
    expect(byMsg).toEqual({ "us->ap": 0.3, "ap->us": 0.31, "eu->eu": 0.001, "eu->ap": 0.2 });
  });

  it("region matrix with named assignment and jitter added", () => {
    const h = harness(
      {
        latency: {
          model: "regions",
          regions: ["a", "b"],
          matrix: [
            [0.01, 0.5],
            [0.6, 0.02],
          ],
          assignment: ["b", "b", "a"],
          jitter: { model: "uniform", min: 0, max: 0.001 },
        },
      },
      3,
    );
    h.net.send(0, 2, "m", 1, "b->a");
    h.net.send(2, 1, "m", 1, "a->b");
    h.net.send(0, 1, "m", 1, "b->b");
    h.sim.run();
    const byMsg = Object.fromEntries(h.log.map((d) => [d.msg as string, d.t]));
    expect(byMsg["b->a"]).toBeGreaterThanOrEqual(0.6);
    expect(byMsg["b->a"]).toBeLessThan(0.601);
    expect(byMsg["a->b"]).toBeGreaterThanOrEqual(0.5);
    expect(byMsg["a->b"]).toBeLessThan(0.501);
    expect(byMsg["b->b"]).toBeGreaterThanOrEqual(0.02);
    expect(byMsg["b->b"]).toBeLessThan(0.021);
  });

  it("rejects an assignment naming an unknown region", () => {
    expect(() =>
      harness({ latency: { model: "regions", regions: ["a"], matrix: [[0.1]], assignment: ["a", "x"] } }, 2),
    ).toThrow(/unknown region "x"/);
  });

  it("latency spikes add extra delay to messages sent inside the window", () => {
    const h = harness({ latency: { model: "constant", value: 0.1 }, spikes: [{ at: 1, until: 2, extra: 0.5 }] }, 2);
    for (const t of [0.5, 1, 1.5, 2]) h.at(t, () => h.net.send(0, 1, "m", 1, t));
    h.sim.run();
    expect(h.log.map((d) => [d.msg, d.t])).toEqual([
      [0.5, 0.6],
      [1, 1.6],
      [1.5, 2.1],
      [2, 2.1],
    ]);
  });
});
