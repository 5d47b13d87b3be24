// Retransmission helpers and robustness: fetching missing request bodies after a NEW-VIEW,
// catching up on a missed NEW-VIEW, determinism, and a seeded lossy-network property test.

import { describe, expect, it } from "vitest";
import { KvApplication, Replica } from "../../../src/protocols/pbft/index.js";
import { Pump, put } from "./harness.js";

describe("missing request bodies", () => {
  it("a backup without the body of a re-proposed batch fetches it and executes the same digest", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    expect(p.runSequential(100, [put("r", 1), put("r", 2), put("r", 3)], 10)).toBe(true);
    p.run(p.now + 0.5);
    let crashed = false;
    p.filter = (e) => {
      if (e.msg.type === "pre-prepare" && e.msg.seq === 4 && e.msg.view === 0) {
        if (!crashed) {
          crashed = true;
          p.at(p.now, () => p.crash(0));
        }
        if (e.to === 3) return "drop";
      }
      if (e.msg.type === "commit" && e.msg.seq === 4 && e.msg.view === 0) return "drop";
      return undefined;
    };
    p.submit(100, put("r", 4));
    expect(p.runUntil(() => p.accepted(100).length === 4, 30)).toBe(true);
    p.run(p.now + 1);
    expect(p.count("fetch-batch", 0, (e) => e.from === 3)).toBeGreaterThanOrEqual(1);
    expect(p.count("batch", 0, (e) => e.to === 3)).toBeGreaterThanOrEqual(1);
    for (const i of [1, 2, 3]) expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1, 2, 3, 4]);
    expect(p.executed(3).at(-1)!.digest).toBe(p.executed(1).at(-1)!.digest);
  });
});

describe("missed NEW-VIEW", () => {
  it("a replica that slept through a view change fetches the NEW-VIEW from f+1 senders of later-view messages", () => {
    const p = new Pump({ n: 4 });
    let isolate = true;
    p.filter = (e) => (isolate && (e.to === 3 || e.from === 3) && e.toKind === "replica" ? "drop" : undefined);
    for (const i of [0, 1]) {
      p.replicas[i]!.suspectPrimary(0);
      p.flushReplica(i);
    }
    expect(p.runUntil(() => [0, 1, 2].every((i) => p.replicas[i]!.view === 1 && p.replicas[i]!.mode === "normal"), 2)).toBe(true);
    expect(p.replicas[3]!.view).toBe(0);
    isolate = false;
    expect(p.runSequential(100, [put("a", 1), put("a", 2)], 10)).toBe(true);
    p.run(p.now + 0.5);
    expect(p.count("fetch-new-view", 0, (e) => e.from === 3)).toBeGreaterThanOrEqual(1);
    expect(p.replicas[3]!.view).toBe(1);
    expect(p.replicas[3]!.mode).toBe("normal");
    expect(p.executedRequests(3)).toEqual(p.executedRequests(0));
  });
});

describe("STATUS retransmission in an idle system", () => {
  it("a replica that lost the last COMMITs converges without new traffic (commit certificates)", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 10, logWindow: 20 } });
    expect(p.runSequential(100, [put("a", 1)], 5)).toBe(true);
    p.filter = (e) => (e.msg.type === "commit" && e.to === 3 ? "drop" : undefined);
    expect(p.runSequential(100, [put("a", 2), put("a", 3)], 10)).toBe(true);
    p.filter = null;
    expect(p.replicas[3]!.lastExecuted).toBe(1);
    // R3's request timer fires (lone VIEW-CHANGE), then its STATUS fetches commit certificates
    expect(p.runUntil(() => p.replicas[3]!.lastExecuted === 3, p.now + 10)).toBe(true);
    expect(p.count("commit-certs", 0, (e) => e.to === 3)).toBeGreaterThanOrEqual(1);
    expect(p.apps[3]!.stateDigest()).toBe(p.apps[0]!.stateDigest());
    expect(p.executedRequests(3)).toEqual(p.executedRequests(0));
  });

  it("an amnesic replica that announces itself gets the stable checkpoint and the suffix", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    expect(p.runSequential(100, [put("a", 1), put("a", 2), put("a", 3)], 5)).toBe(true);
    p.run(p.now + 0.5);
    p.crash(3);
    const app = new KvApplication();
    const r = new Replica(3, p.config, app);
    r.announce(p.now);
    p.restart(3, r, app);
    expect(p.runUntil(() => p.replicas[3]!.lastExecuted === 3, p.now + 5)).toBe(true);
    expect(p.ofType(3, "stateTransferred").map((o) => o.toSeq)).toEqual([2]);
    expect(app.stateDigest()).toBe(p.apps[0]!.stateDigest());
  });
});

/** Small deterministic PRNG (mulberry32) for the property test. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lossyRun(seed: number, n: number, drop: number, crashed: number[]) {
  const p = new Pump({
    n,
    config: { checkpointInterval: 4, logWindow: 8, maxInFlight: 4, maxBatchSize: 3 },
    clients: [100, 101, 102],
  });
  const r = rng(seed);
  for (const c of crashed) p.crash(c);
  p.filter = (_e, now) => {
    if (now > 60) return undefined; // stabilisation
    if (r() < drop) return "drop";
    return r() * 0.02;
  };
  const perClient = 12;
  for (const c of [100, 101, 102]) {
    let k = 0;
    const next = () => {
      if (k < perClient) p.submit(c, { type: "add", key: `k${c}`, delta: 1 + k++ });
    };
    p.at(0, next);
    const orig = p.clientObs.get(c)!;
    const push = orig.push.bind(orig);
    orig.push = (...items) => {
      const res = push(...items);
      if (items.some((o) => o.type === "accepted")) p.at(p.now, next);
      return res;
    };
  }
  const done = p.runUntil(() => [100, 101, 102].every((c) => p.accepted(c).length === perClient), 200);
  p.run(p.now + 5);
  return { p, done };
}

describe("determinism", () => {
  it("the same schedule yields identical observation logs", () => {
    const a = lossyRun(7, 4, 0.05, []);
    const b = lossyRun(7, 4, 0.05, []);
    expect(JSON.stringify(a.p.obs)).toBe(JSON.stringify(b.p.obs));
    expect(a.p.processed).toBe(b.p.processed);
  });
});

describe("S25-lite lossy network property test", () => {
  const cases: Array<[number, number, number, number[]]> = [
    [1, 4, 0.05, []],
    [2, 4, 0.1, [3]],
    [3, 7, 0.05, [1, 5]],
    [4, 7, 0.08, [0]],
    [5, 10, 0.05, [2, 9, 0]],
  ];
  it.each(cases)("seed %i n=%i drop=%f crashed=%j: safety always, liveness after stabilisation", (seed, n, drop, crashed) => {
    const { p, done } = lossyRun(seed, n, drop, crashed);
    expect(done).toBe(true);
    const alive = [...Array(n).keys()].filter((i) => !crashed.includes(i));
    // SAF-1: agreement per sequence number; SAF-3: exactly once per replica
    const bySeq = new Map<number, string>();
    for (const i of alive) {
      const seen = new Set<string>();
      for (const o of p.executed(i)) {
        const prev = bySeq.get(o.seq);
        if (prev !== undefined) expect(o.digest).toBe(prev);
        bySeq.set(o.seq, o.digest);
        for (const r of o.requests) {
          expect(seen.has(r.digest)).toBe(false);
          seen.add(r.digest);
        }
      }
    }
    // SAF-5: accepted results are the running sums
    for (const c of [100, 101, 102]) {
      expect(p.accepted(c).map((a) => a.result)).toEqual(Array.from({ length: 12 }, (_, k) => String(((k + 1) * (k + 2)) / 2)));
    }
    // convergence after healing: same state everywhere alive
    p.run(p.now + 30);
    const digests = new Set(alive.map((i) => p.apps[i]!.stateDigest()));
    expect(digests.size).toBe(1);
    expect(p.alarmsAnywhere()).toEqual([]);
  });
});
