import { describe, expect, it } from "vitest";
import type { PartitionEvent, RandomPartitions } from "../../src/net/index.js";
import { harness } from "./helpers.js";

const fast = { latency: { model: "constant" as const, value: 0.01 } };

/** Sends every ordered pair's message at time t; returns the pairs "from>to" delivered. */
function probe(h: ReturnType<typeof harness>, t: number, n: number): () => string[] {
  const tag = `probe@${t}`;
  h.at(t, () => {
    for (let f = 0; f < n; f++) for (let to = 0; to < n; to++) if (f !== to) h.net.send(f, to, "probe", 1, tag);
  });
  return () =>
    h.log
      .filter((d) => d.msg === tag)
      .map((d) => `${d.from}>${d.to}`)
      .sort();
}

describe("scheduled partitions", () => {
  it("symmetric groups: cross traffic dropped during, delivered after heal", () => {
    const h = harness({ ...fast, partitions: [{ at: 1, heal: 2, groups: [[0, 1], [2, 3]], symmetric: true }] }, 4);
    const before = probe(h, 0.5, 4);
    const during = probe(h, 1.5, 4);
    const after = probe(h, 2.5, 4);
    h.sim.run();
    expect(before()).toHaveLength(12);
    expect(during()).toEqual(["0>1", "1>0", "2>3", "3>2"]);
    expect(after()).toHaveLength(12);
    expect(h.net.stats().kinds[0]!.droppedPartition).toBe(8);
  });

  it("unlisted nodes form their own group", () => {
    const h = harness({ ...fast, partitions: [{ at: 0, groups: [[0]], symmetric: true }] }, 3);
    const during = probe(h, 1, 3);
    h.sim.run();
    expect(during()).toEqual(["1>2", "2>1"]);
  });

  it("asymmetric: only lower group -> higher group is cut", () => {
    const h = harness({ ...fast, partitions: [{ at: 1, heal: 2, groups: [[0], [1]], symmetric: false }] }, 2);
    const during = probe(h, 1.5, 2);
    h.sim.run();
    expect(during()).toEqual(["1>0"]);
  });

  it("isolate one node, symmetric and asymmetric", () => {
    const sym = harness({ ...fast, partitions: [{ at: 0, isolate: 2, symmetric: true }] }, 3);
    const s = probe(sym, 1, 3);
    sym.sim.run();
    expect(s()).toEqual(["0>1", "1>0"]);
    const asym = harness({ ...fast, partitions: [{ at: 0, isolate: 2, symmetric: false }] }, 3);
    const a = probe(asym, 1, 3);
    asym.sim.run();
    // the isolated node still hears others but cannot be heard
    expect(a()).toEqual(["0>1", "0>2", "1>0", "1>2"]);
  });

  it("a partition starting while a message is in flight drops it at delivery", () => {
    const h = harness({ latency: { model: "constant", value: 1 }, partitions: [{ at: 1, heal: 3, groups: [[0], [1]], symmetric: true }] }, 2);
    h.at(0.2, () => h.net.send(0, 1, "m", 1, "caught")); // due 1.2, cut at 1
    h.at(1.9, () => h.net.send(1, 1, "m", 1, "self")); // self-sends are never cut
    h.sim.run();
    expect(h.log.map((d) => d.msg)).toEqual(["self"]);
    expect(h.net.stats().kinds[0]!.droppedPartition).toBe(1);
  });

  it("a partition that heals before arrival does not drop the in-flight message", () => {
    const h = harness({ latency: { model: "constant", value: 1 }, partitions: [{ at: 0.5, heal: 0.8, groups: [[0], [1]], symmetric: true }] }, 2);
    h.at(0.2, () => h.net.send(0, 1, "m", 1, "survives"));
    h.sim.run();
    expect(h.log.map((d) => [d.msg, d.t])).toEqual([["survives", 1.2]]);
  });
});

describe("random partitions", () => {
  const run = (seed: number, rp: RandomPartitions, probes: number[] = []) => {
    const h = harness({ ...fast, randomPartitions: rp }, 5, seed);
    const events: PartitionEvent[] = [];
    h.net.onPartitionChange((e) => events.push({ ...e, side: Int32Array.from(e.side) }));
    const probed = probes.map((t) => probe(h, t, 5));
    h.sim.run({ until: 100 });
    return { h, events, probed };
  };
  const iso: RandomPartitions = { mode: "isolate", meanInterval: 1, meanDuration: 0.5, start: 5, end: 50 };

  it("happen within [start, end), alternate start/heal, and are healed by end", () => {
    const { h, events } = run(21, iso);
    const starts = events.filter((e) => e.type === "start");
    expect(starts.length).toBeGreaterThan(10);
    expect(events.every((e) => e.source === "random")).toBe(true);
    expect(events.map((e) => e.type)).toEqual(events.map((_, i) => (i % 2 === 0 ? "start" : "heal")));
    for (const s of starts) {
      expect(s.time).toBeGreaterThanOrEqual(5);
      expect(s.time).toBeLessThan(50);
      // isolate mode: exactly one node on side 0
      expect(s.side.filter((x) => x === 0).length).toBe(1);
    }
    expect(events.at(-1)!.time).toBeLessThanOrEqual(50);
    expect(h.net.activePartitions).toBe(0);
  });

  it("cut the network while active (probes at partition midpoints lose messages)", () => {
    const { events } = run(21, iso);
    const mids: number[] = [];
    for (let i = 0; i + 1 < events.length; i += 2) mids.push((events[i]!.time + events[i + 1]!.time) / 2);
    // probes use no partition randomness, so the same seed gives the same partitions
    const { events: again, probed } = run(21, iso, mids);
    expect(again.map((e) => e.time)).toEqual(events.map((e) => e.time));
    probed.forEach((delivered, i) => {
      const isolated = events[2 * i]!.side.indexOf(0);
      const got = delivered();
      expect(got).toHaveLength(12); // 20 pairs minus the 8 touching the isolated node
      expect(got.some((p) => p.split(">").includes(String(isolated)))).toBe(false);
    });
  });

  it("uniform mode splits into two non-empty sides", () => {
    const { events } = run(4, { ...iso, mode: "uniform" });
    const starts = events.filter((e) => e.type === "start");
    expect(starts.length).toBeGreaterThan(10);
    for (const s of starts) {
      const ones = s.side.filter((x) => x === 1).length;
      expect(ones).toBeGreaterThan(0);
      expect(ones).toBeLessThan(5);
    }
  });

  it("deterministic per seed, different across seeds", () => {
    const sig = (seed: number) =>
      run(seed, { ...iso, mode: "uniform" }).events.map((e) => `${e.type}@${e.time}:${e.side.join("")}`);
    expect(sig(8)).toEqual(sig(8));
    expect(sig(8)).not.toEqual(sig(9));
  });
});
