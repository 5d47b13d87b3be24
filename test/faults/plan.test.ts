// Fault plans: declared faults become time-ordered crash/recover actions, behaviour windows and the set
// of replicas the checkers must not trust (Byzantine, amnesiac or twinned, never a crash-recover with
// its state kept); random fault mixes are a function of the seed, bounded by f and by their window.

import { describe, expect, it } from "vitest";
import { drawRandomFaults, type FaultSpec, planFaults, type RandomFaultSpec } from "../../src/faults/index.js";
import { RngTree } from "../../src/kernel/index.js";

const rng = (seed = 1) => new RngTree(seed).stream("faults");

describe("planFaults", () => {
  it("orders actions by time (declaration order on ties) and marks exactly the untrusted replicas", () => {
    const declared: FaultSpec[] = [
      { type: "recover", replica: 1, at: 5, state: "kept" },
      { type: "crash", replica: 1, at: 2 },
      { type: "crash", replica: 2, at: 5 },
      { type: "recover", replica: 2, at: 9, state: "lost" },
      { type: "silent", replica: 3, at: 1, until: 12 },
      { type: "equivocate", replica: 0, at: 0 },
    ];
    const p = planFaults(7, 2, declared, null, rng());
    expect(p.actions.map((a) => `${a.at}:${a.action}${a.replica}`)).toEqual(["2:crash1", "5:recover1", "5:crash2", "9:recover2"]);
    expect([...p.faulty].sort()).toEqual([0, 2, 3]);
    expect(p.behaviours.map((b) => [b.replica, b.spec.type, b.from, b.until])).toEqual([
      [3, "silent", 1, 12],
      [0, "equivocate", 0, Number.POSITIVE_INFINITY],
    ]);
    expect(p.lastChange).toBe(12);
    expect(p.resolved).toEqual(declared);
  });

  it("takes one twins fault (its replicas untrusted) and refuses a second", () => {
    const twins: FaultSpec = { type: "twins", at: 0, replicas: [1], sides: [[0, 2], [3]], clientSides: [[0], [1]] };
    const p = planFaults(4, 1, [twins], null, rng());
    expect(p.twins).toEqual(twins);
    expect([...p.faulty]).toEqual([1]);
    expect(() => planFaults(4, 1, [twins, twins], null, rng())).toThrow(/only one twins/);
  });
});

describe("drawRandomFaults", () => {
  const spec: RandomFaultSpec = { count: 5, kinds: ["crash", "crashRecover", "amnesia", "silent", "delay", "lowSeq"], start: 10, end: 20, maxDuration: 4 };

  it("draws at most f distinct replicas, inside the window, the same for the same seed", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const faults = drawRandomFaults(10, 3, spec, rng(seed));
      expect(faults).toEqual(drawRandomFaults(10, 3, spec, rng(seed)));
      const replicas = new Set(faults.map((f) => ("replica" in f ? f.replica : -1)));
      expect(replicas.size).toBe(3);
      for (const f of faults) {
        if (f.type === "recover") expect(f.at).toBeLessThanOrEqual(20 + 4);
        else {
          expect(f.at).toBeGreaterThanOrEqual(10);
          expect(f.at).toBeLessThan(20);
        }
      }
    }
    const seeds = new Set(Array.from({ length: 20 }, (_, s) => JSON.stringify(drawRandomFaults(10, 3, spec, rng(s + 1)))));
    expect(seeds.size).toBeGreaterThan(15);
  });

  it("draws only from the listed replicas, and names the bad ones", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const faults = drawRandomFaults(7, 2, { ...spec, replicas: [4, 6, 6] }, rng(seed));
      for (const f of faults) expect([4, 6]).toContain("replica" in f ? f.replica : -1);
    }
    expect(() => drawRandomFaults(4, 1, { ...spec, replicas: [4] }, rng())).toThrow(/replica 4 does not exist/);
    expect(() => drawRandomFaults(4, 1, { ...spec, kinds: ["meteor"] }, rng())).toThrow(/unknown random fault kind "meteor"/);
  });

  it("turns crash-recoveries and amnesia into crash + recover pairs (amnesia: state lost, so untrusted)", () => {
    const faults = drawRandomFaults(4, 1, { ...spec, count: 1, kinds: ["amnesia"] }, rng(3));
    expect(faults.map((f) => f.type)).toEqual(["crash", "recover"]);
    const [crash, recover] = faults as [Extract<FaultSpec, { type: "crash" }>, Extract<FaultSpec, { type: "recover" }>];
    expect(recover.state).toBe("lost");
    expect(recover.at).toBeGreaterThanOrEqual(crash.at);
    expect([...planFaults(4, 1, [], { ...spec, count: 1, kinds: ["amnesia"] }, rng(3)).faulty]).toEqual([crash.replica]);
    expect(planFaults(4, 1, [], { ...spec, count: 1, kinds: ["crashRecover"] }, rng(3)).faulty.size).toBe(0);
  });
});
