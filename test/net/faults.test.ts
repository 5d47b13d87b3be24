import { describe, expect, it } from "vitest";
import { harness } from "./helpers.js";

describe("loss, duplication, reordering", () => {
  it("loss rate is about p over 10k messages", () => {
    const h = harness({ loss: 0.1 }, 2, 11);
    for (let i = 0; i < 10_000; i++) h.net.send(0, 1, "m", 10, i);
    h.sim.run();
    const lost = 10_000 - h.log.length;
    expect(lost).toBeGreaterThan(900);
    expect(lost).toBeLessThan(1100);
    const [row] = h.net.stats().kinds;
    expect(row!.droppedLoss).toBe(lost);
    expect(row!.dropped).toBe(lost);
  });

  it("duplication: extra copies of the same object, count about p", () => {
    const h = harness({ duplicate: 0.2 }, 2, 12);
    const msgs = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    for (const m of msgs) h.net.send(0, 1, "m", 10, m);
    h.sim.run();
    const dup = h.log.length - 10_000;
    expect(dup).toBeGreaterThan(1850);
    expect(dup).toBeLessThan(2150);
    expect(h.net.stats().kinds[0]!.duplicated).toBe(dup);
    const seen = new Map<unknown, number>();
    for (const d of h.log) seen.set(d.msg, (seen.get(d.msg) ?? 0) + 1);
    expect(seen.size).toBe(10_000);
    expect([...seen.keys()].every((m) => msgs.includes(m as { i: number }))).toBe(true);
    expect([...seen.values()].filter((c) => c === 2).length).toBe(dup);
  });

  it("duplicate copies get their own latency", () => {
    const h = harness({ duplicate: 1, latency: { model: "uniform", min: 0.1, max: 0.2 } }, 2, 3);
    for (let i = 0; i < 100; i++) h.net.send(0, 1, "m", 10, i);
    h.sim.run();
    const times = new Map<unknown, number[]>();
    for (const d of h.log) times.set(d.msg, [...(times.get(d.msg) ?? []), d.t]);
    const differing = [...times.values()].filter(([a, b]) => a !== b).length;
    expect(differing).toBe(100);
  });

  it("reordering produces out-of-order arrivals on one link; none without it", () => {
    const run = (reorder: { probability: number; maxDelay: number } | null): number[] => {
      const h = harness({ latency: { model: "constant", value: 0.05 }, reorder }, 2, 5);
      for (let i = 0; i < 200; i++) h.at(i * 0.01, () => h.net.send(0, 1, "m", 10, i));
      h.sim.run();
      expect(h.log.length).toBe(200);
      return h.log.map((d) => d.msg as number);
    };
    const inversions = (xs: number[]) => xs.filter((x, i) => i > 0 && x < xs[i - 1]!).length;
    expect(inversions(run(null))).toBe(0);
    expect(inversions(run({ probability: 0.3, maxDelay: 0.2 }))).toBeGreaterThan(10);
  });

  it("enabling loss does not shift the latency of surviving messages (separate streams)", () => {
    const run = (loss: number) => {
      const h = harness({ loss, latency: { model: "uniform", min: 0, max: 1 } }, 2, 9);
      for (let i = 0; i < 500; i++) h.net.send(0, 1, "m", 10, i);
      h.sim.run();
      return new Map(h.log.map((d) => [d.msg as number, d.t]));
    };
    const clean = run(0);
    const lossy = run(0.3);
    expect(lossy.size).toBeLessThan(450);
    for (const [id, t] of lossy) expect(t).toBe(clean.get(id));
  });
});
