// Full-world PBFT scenarios (pbft-scenarios.md E, F, G): crash–restart with persistence (S23),
// a lossy network with churn as a property test (S25), client retransmission and exactly-once
// (S26).

import { describe, expect, it } from "vitest";
import { faultsTolerated } from "../../../src/protocols/pbft/index.js";
import { invariants, nv, pbftScenario, pbftWorld, range, replica, runPbft, sent, spyFactory, stateDigests } from "./support.js";

const F = "test/fixtures/pbft";

describe("S23 crash–restart with persistence (K = 2, L = 4)", () => {
  it("(a) primary and one backup restart from persisted state: all four execute 3 requests in view 0", () => {
    const r = pbftWorld(pbftScenario(`${F}/s23a.yaml`), 1).until(0.15);
    expect(r.world.hosts.hostsOf(0)[0]!.up).toBe(false);
    expect(r.world.hosts.hostsOf(1)[0]!.up).toBe(false);
    r.until(5);
    expect(invariants(r)).toEqual([]);
    for (const i of range(0, 3)) {
      expect(r.rec.seqs(i)).toEqual([1, 2, 3]);
      expect(r.rec.executed[i]!.every((e) => e.view === 0)).toBe(true);
      expect(replica(r, i).view).toBe(0);
    }
    expect(r.rec.viewChanges.flat()).toEqual([]);
    expect(new Set(stateDigests(r, range(0, 3))).size).toBe(1);
  });

  it("(b)+(c) all stop after checkpoint 8; 0 and 1 restore h = 8, empty 3 gets checkpoint 8 by transfer, 9 executes once", () => {
    const r = pbftWorld(pbftScenario(`${F}/s23b.yaml`), 1).until(7.71);
    for (const i of [0, 1, 2]) expect(r.rec.seqs(i)).toEqual(range(1, 8));
    expect(r.rec.executed[3]).toEqual([]);
    // (c) restarted from persistence after garbage collection: h = 8, not 0
    for (const i of [0, 1]) {
      expect(replica(r, i).lowWatermark).toBe(8);
      expect(replica(r, i).lastExecuted).toBe(8);
      expect(replica(r, i).logSeqs().every((s) => s > 8)).toBe(true);
    }
    expect(replica(r, 3).lowWatermark).toBe(0);
    r.until(20);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.transferred[3]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 8]]);
    for (const i of [0, 1]) expect(r.rec.seqs(i)).toEqual(range(1, 9));
    expect(r.rec.seqs(3)).toEqual([9]);
    for (const i of [0, 1, 3]) {
      expect(replica(r, i).lastExecuted).toBe(9);
      expect(r.rec.requests(i).filter((q) => q === "0:9")).toHaveLength(1);
    }
    expect(replica(r, 2).lastExecuted).toBe(8);
    expect(r.world.hosts.hostsOf(2)[0]!.up).toBe(false);
    expect(new Set(stateDigests(r, [0, 1, 3])).size).toBe(1);
    expect(r.rec.accepted[0]!.map((a) => a.timestamp)).toEqual(range(1, 9));
  });

  it("(d) rolling restarts 3, 2, 1, 0: no request stalls past 3 s, one view change (while 0 is down), all identical", () => {
    const r = runPbft(`${F}/s23d.yaml`);
    expect(invariants(r)).toEqual([]); // includes LIV-1 with a 3 s bound from t = 0
    expect(r.rec.accepted.map((a) => a.length)).toEqual([120, 120]);
    for (const i of range(0, 3)) {
      expect(replica(r, i).lastExecuted).toBe(240);
      expect(replica(r, i).view).toBe(1);
      expect(new Set(r.rec.requests(i)).size).toBe(r.rec.requests(i).length); // exactly once
    }
    for (const i of [1, 2, 3]) expect(r.rec.viewChanges[i]!.map((v) => v.view)).toEqual([1]);
    for (const i of [1, 2, 3]) expect(r.rec.viewChanges[i]![0]!.time).toBeGreaterThan(20);
    expect(new Set(stateDigests(r, range(0, 3))).size).toBe(1);
    expect(r.world.finish().summary.viewChanges).toBe(1);
  });
});

describe("S25 lossy network with churn (property test)", () => {
  // Per seed: random one-node isolations until 20 s, f − 1 crash–recoveries, 5 % loss, reordering.
  for (const n of [7, 10, 13]) {
    it(`n = ${n}, seeds 1–3: safety at every instant, every request completes, all replicas converge`, () => {
      const f = faultsTolerated(n);
      for (let seed = 1; seed <= 3; seed++) {
        const r = runPbft(`${F}/s25.yaml`, [`pbft.n=${n}`, `pbft.randomFaults.count=${f - 1}`], { seed });
        expect({ seed, violations: invariants(r) }).toEqual({ seed, violations: [] });
        expect(r.world.faultyReplicas.size).toBe(0); // crash–recover with kept state is benign
        const crashed = new Set((r.world.finish().summary.faults as Array<{ replica: number }>).map((x) => x.replica));
        expect(crashed.size).toBe(f - 1);
        expect(r.rec.accepted.map((a) => a.length)).toEqual([30, 30, 30]);
        const reps = range(0, n - 1).map((i) => replica(r, i));
        expect(new Set(reps.map((x) => x.lastExecuted))).toEqual(new Set([90]));
        expect(new Set(stateDigests(r, range(0, n - 1))).size).toBe(1);
        expect(r.world.net.stats().kinds.reduce((a, k) => a + k.droppedLoss, 0)).toBeGreaterThan(0);
      }
    });
  }
});

describe("S26 client retransmission and exactly-once", () => {
  it("(a) every REPLY lost until 1.5 s: retransmissions get cached replies, no new sequence number", () => {
    const r = runPbft(`${F}/s26.yaml`);
    expect(invariants(r)).toEqual([]);
    for (const i of range(0, 3)) expect(r.rec.seqs(i)).toEqual([1]);
    expect(sent(r, "pre-prepare")).toBe(3);
    expect(sent(r, "request")).toBeGreaterThan(4); // re-broadcasts (and forwards) happened
    expect(sent(r, "reply")).toBeGreaterThan(4); // cached replies re-sent
    const acc = r.rec.accepted[0]!;
    expect(acc.map((a) => a.timestamp)).toEqual([1]);
    expect(acc[0]!.time).toBeGreaterThan(1.5);
  });

  it("(b) retransmissions racing the protocol (T_client = 4 ms): still one sequence number per request", () => {
    const r = runPbft(`${F}/s26.yaml`, ["network.rules=[]", "pbft.clientRetransmitTimeout=0.004", "pbft.clients.requests=10"]);
    expect(invariants(r)).toEqual([]); // SAF-3 exactly-once included
    expect(sent(r, "request")).toBeGreaterThan(50);
    expect(sent(r, "pre-prepare")).toBe(10 * 3);
    for (const i of range(0, 3)) {
      expect(r.rec.seqs(i)).toEqual(range(1, 10));
      expect(r.rec.requests(i)).toEqual(range(1, 10).map((t) => `0:${t}`));
    }
  });

  it("(c) primary crashes after A prepared at R1–R3: A is re-proposed at 1 (no fresh number) and executed once", () => {
    const r = runPbft(`${F}/s26c.yaml`, [], { replicaFactory: spyFactory });
    expect(invariants(r)).toEqual([]);
    const dA = r.rec.digestAt(1, 1)!;
    const w = nv(r, 1)!;
    expect([w.minS, w.maxS]).toEqual([0, 1]);
    expect(w.prePrepares.map((p) => [p.seq, p.digest])).toEqual([[1, dA]]);
    for (const i of [1, 2, 3]) {
      expect(r.rec.seqs(i)).toEqual([1]);
      expect(r.rec.executed[i]![0]!.view).toBe(1);
      expect(replica(r, i).lastExecuted).toBe(1);
      expect(replica(r, i).lastAssigned).toBe(1);
    }
    expect(r.rec.accepted[0]!.map((a) => [a.timestamp, a.view])).toEqual([[1, 1]]);
  });
});
