// Economic fault plans: outages (explicit or drawn per seed), which coalition inflates an epoch, how it
// inflates the list ("scale" or "self"), and the keys it signs with.

import { describe, expect, it } from "vitest";
import { type CoalitionPlan, coalitionOf, coalitionSigners, inflateVolumes, planOutages } from "../../src/faults/index.js";
import { RngTree } from "../../src/kernel/index.js";

const rng = (seed = 1) => new RngTree(seed).stream("pot.outages");

describe("planOutages", () => {
  it("keeps explicit node lists, and draws `count` distinct sorted nodes per seed", () => {
    const [a, b] = planOutages(
      [
        { nodes: [5, 2], at: 10, duration: 5 },
        { count: 4, at: 0, duration: 1 },
      ],
      10,
      rng(),
    );
    expect(a).toEqual({ nodes: [5, 2], at: 10, until: 15 });
    expect(new Set(b!.nodes).size).toBe(4);
    expect([...b!.nodes]).toEqual([...b!.nodes].sort((x, y) => x - y));
    for (const j of b!.nodes) expect(j).toBeLessThan(10);
    expect(planOutages([{ count: 4, at: 0, duration: 1 }], 10, rng())[0]).toEqual(b);
    const draws = new Set(Array.from({ length: 10 }, (_, s) => planOutages([{ count: 4, at: 0, duration: 1 }], 10, rng(s + 2))[0]!.nodes.join()));
    expect(draws.size).toBeGreaterThan(5);
    expect(planOutages([{ count: 99, at: 0, duration: 1 }], 3, rng())[0]!.nodes).toEqual([0, 1, 2]);
    expect(() => planOutages([{ nodes: [3], at: 0, duration: 1 }], 3, rng())).toThrow(/resource node 3 does not exist/);
  });
});

describe("coalitions", () => {
  const plan = (members: number[], fromEpoch: number, toEpoch: number): CoalitionPlan => ({
    members,
    factor: 2,
    mode: "scale",
    padSigners: false,
    fromEpoch,
    toEpoch,
  });

  it("control the epochs whose rotating reporter is a member, inside their window (first listed wins)", () => {
    const cs = [plan([0, 1], 3, 5), plan([1, 2], 1, 10)];
    expect(coalitionOf(cs, 1, 4)).toBe(0);
    expect(coalitionOf(cs, 1, 6)).toBe(1);
    expect(coalitionOf(cs, 0, 6)).toBe(-1);
    expect(coalitionOf(cs, 3, 4)).toBe(-1);
    expect(coalitionOf(cs, 2, 11)).toBe(-1);
  });

  it("inflate by scaling every volume (floor), or by one extra wallet holding (factor − 1)·Y", () => {
    const w = ["a", "b"];
    const v = ["3", "10"];
    expect(inflateVolumes(w, v, { factor: 1.5, mode: "scale" }, "coal")).toEqual({ wallets: ["a", "b"], volumes: ["4", "15"] });
    expect(inflateVolumes(w, v, { factor: 2.5, mode: "self" }, "coal")).toEqual({ wallets: ["a", "b", "coal"], volumes: ["3", "10", "19"] });
    expect(inflateVolumes(w, v, { factor: 1, mode: "self" }, "coal")).toEqual({ wallets: ["a", "b"], volumes: ["3", "10"] });
    // Exact beyond float precision: a 10^20 noz volume scaled by 3.
    expect(inflateVolumes(["a"], ["100000000000000000000"], { factor: 3, mode: "scale" }, "c").volumes).toEqual(["300000000000000000000"]);
  });

  it("sign with each member's key once, or repeat them round-robin up to the quorum", () => {
    expect(coalitionSigners(["m0", "m1"], 4, false)).toEqual(["m0", "m1"]);
    expect(coalitionSigners(["m0", "m1"], 5, true)).toEqual(["m0", "m1", "m0", "m1", "m0"]);
    expect(coalitionSigners(["m0", "m1", "m2"], 2, true)).toEqual(["m0", "m1", "m2"]);
  });
});
