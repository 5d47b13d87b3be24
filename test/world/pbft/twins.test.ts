// Twins generalised (faults/twins.ts): partitions of all nodes, twin copies included, per view or per
// time window; the Twins-style generator behind pbft.twinsSearch (same seed, same schedule; symmetric
// choices pruned); and the safety bug the search found (a VIEW-CHANGE that dropped certificates).

import { describe, expect, it } from "vitest";
import { canonicalRgs, canonicalSchedule, generateTwins, groupsOf, PartitionSpace, TwinNodes } from "../../../src/faults/index.js";
import { Simulation } from "../../../src/kernel/index.js";
import { Replica, type ViewChange } from "../../../src/protocols/pbft/index.js";
import { describePbftMessage } from "../../../src/world/pbft/index.js";
import { PbftWorld } from "../../../src/world/pbft/world.js";
import { NoopObserver } from "../../../src/world/observe.js";
import { pbftScenario, range } from "./support.js";

/** Every delivered replica-to-replica message with the view it carries (−1 without one). */
class Deliveries extends NoopObserver {
  readonly log: Array<{ from: number; to: number; kind: string; view: number; t: number }> = [];
  private readonly facts = { view: -1, seq: -1, digest: "" };
  override delivered(_id: number, from: number, to: number, kind: string, _b: number, msg: unknown, now: number): void {
    describePbftMessage(msg, this.facts);
    this.log.push({ from, to, kind, view: this.facts.view, t: now });
  }
}

describe("twins with per-view partitions", () => {
  it("a message goes only between nodes grouped together in its view's phase; clients reach every node", () => {
    const scenario = pbftScenario("test/fixtures/pbft/twins-per-view.yaml");
    const obs = new Deliveries();
    const w = new PbftWorld(scenario, 1, { worldObserver: obs });
    w.sim.run({ until: scenario.until });
    const out = w.finish();
    // node 5 is 0' (4 replicas, 1 client at node 4)
    const twin = 5;
    const viewed = obs.log.filter((d) => d.view >= 0 && d.kind !== "reply" && d.from !== 4 && d.to !== 4);
    const sides0: Record<number, number> = { 0: 0, 1: 0, 2: 0, [twin]: 1, 3: 1 };
    const sides1: Record<number, number> = { 0: 0, [twin]: 1, 1: 1, 2: 1, 3: 1 };
    for (const d of viewed) {
      const sides = d.view === 0 ? sides0 : sides1;
      expect(sides[d.from], `${d.kind} view ${d.view} ${d.from}→${d.to}`).toBe(sides[d.to]);
    }
    // both phases carried traffic, and both twin copies were heard in view 0
    expect(viewed.some((d) => d.view === 0 && d.from === 0 && d.to === 1)).toBe(true);
    expect(viewed.some((d) => d.view === 0 && d.from === twin && d.to === 3)).toBe(true);
    expect(viewed.some((d) => d.view >= 1 && d.from === twin && d.to === 1)).toBe(true);
    expect(viewed.some((d) => d.view >= 1 && d.from === 0)).toBe(false);
    // the client reached both copies
    expect(obs.log.some((d) => d.from === 4 && d.to === 0) && obs.log.some((d) => d.from === 4 && d.to === twin)).toBe(true);
    expect(w.violations).toEqual([]);
    expect(out.summary.requestsCompleted).toBe(3);
  });
});

describe("the Twins generator", () => {
  const spec = { replicas: [0], views: 10, leaders: 10, maxGroups: 3, viewLength: 0.5 };
  const draw = (seed: number) => generateTwins(4, spec, new Simulation(seed).rng.stream("faults.twins"));

  it("same seed, same schedule (leaders, partitions, windows); another seed, another", () => {
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    const g = draw(7);
    expect(g.leaders).toHaveLength(10);
    expect(g.schedule).toHaveLength(11);
    expect(g.schedule[10]!.groups).toEqual([]);
    expect(g.rotations).toEqual(g.schedule.slice(1, 10).map((p) => p.at));
    for (const p of g.schedule) expect(p.groups.length).toBeLessThanOrEqual(3);
    // a world of the same seed runs that schedule: its resolved faults and its leaders
    const scenario = pbftScenario("scenarios/attacks/twins-search.yaml");
    const a = new PbftWorld(scenario, 7);
    const b = new PbftWorld(scenario, 7);
    expect(a.finish().summary.faults).toEqual(b.finish().summary.faults);
    expect(a.config.leaders).toEqual(b.config.leaders);
    expect(new PbftWorld(scenario, 8).config.leaders).not.toEqual(a.config.leaders);
  });

  it("pruning: partitions are drawn among set partitions (groups unordered), each exactly once", () => {
    // Stirling numbers: 5 nodes into at most 3 groups = 1 + 15 + 25; 4 into at most 2 = 1 + 7
    expect(new PartitionSpace(5, 3).total).toBe(41);
    expect(new PartitionSpace(4, 2).total).toBe(8);
    expect(new PartitionSpace(9, 3).total).toBe(1 + 255 + 3025);
    const space = new PartitionSpace(5, 3);
    const all = range(0, space.total - 1).map((i) => space.unrank(i));
    for (const rgs of all) expect(canonicalRgs(rgs)).toEqual(rgs);
    expect(new Set(all.map((r) => r.join(""))).size).toBe(41);
    // {0,1 | 2,3,4} written with the groups the other way round is the same choice
    expect(canonicalRgs([1, 1, 0, 0, 0])).toEqual([0, 0, 1, 1, 1]);
  });

  it("pruning: swapping the two copies of a twinned identity gives the same schedule", () => {
    // nodes 0..3 then 0' (index 4); in view 0: {0, 1 | 0', 2, 3}, view 1: {0 | 0', 1, 2, 3}
    const views = [
      [0, 0, 1, 1, 1],
      [0, 1, 1, 1, 1],
    ];
    const swapped = views.map((v) => canonicalRgs([v[4]!, v[1]!, v[2]!, v[3]!, v[0]!]));
    expect(swapped).not.toEqual(views);
    expect(canonicalSchedule(swapped, 4, [0])).toEqual(canonicalSchedule(views, 4, [0]));
    expect(groupsOf([0, 0, 1, 1, 1], new TwinNodes(4, [0], 4).refs())).toEqual([
      [0, 1],
      [2, 3, "0'"],
    ]);
  });

  it("with one twinned identity (f = 1) the correct replicas are clean, and the leaders are the drawn ones", () => {
    const scenario = pbftScenario("scenarios/attacks/twins-search.yaml");
    for (const seed of range(1, 20)) {
      const w = new PbftWorld(scenario, seed);
      w.sim.run({ until: scenario.until });
      expect(w.violations, `seed ${seed}`).toEqual([]);
      expect(w.config.leaders).toEqual(draw(seed).leaders);
    }
  });
});

/**
 * The replica before the fix of 5c039f4 (§7.3): its VIEW-CHANGE claims only the checkpoint it has
 * reached (h), so certificates it prepared in (h + L, stableKnown + L] are dropped. buildViewChange
 * is private; this class runs the real one with stableKnown hidden behind h (the only place it
 * reads stableKnown), and records, per replica, the sequence numbers that the fixed VIEW-CHANGE
 * would have carried and this one dropped. If buildViewChange is renamed or stops depending on
 * stableKnown, the tests below fail rather than pass vacuously.
 */
const fixedBuildViewChange = (Replica.prototype as unknown as { buildViewChange?: () => ViewChange }).buildViewChange;
class ClaimsReachedCheckpointOnly extends Replica {
  static readonly dropped = new Map<number, Set<number>>();
  buildReachedViewChange(): ViewChange {
    const fixed = fixedBuildViewChange!.call(this);
    const known = this.stableKnown;
    this.stableKnown = this.h;
    try {
      const vc = fixedBuildViewChange!.call(this);
      const kept = new Set(vc.prepared.map((c) => c.seq));
      const lost = ClaimsReachedCheckpointOnly.dropped.get(this.id) ?? new Set<number>();
      for (const c of fixed.prepared) if (!kept.has(c.seq)) lost.add(c.seq);
      ClaimsReachedCheckpointOnly.dropped.set(this.id, lost);
      return vc;
    } finally {
      this.stableKnown = known;
    }
  }
}
Object.defineProperty(ClaimsReachedCheckpointOnly.prototype, "buildViewChange", { value: ClaimsReachedCheckpointOnly.prototype.buildReachedViewChange });

describe("the bug the Twins search found", () => {
  // Found as SAF-1 at seq 13 of twins-search.yaml seed 64. Issue 17's timer and STATUS changes
  // (R-T1, R-K7) moved that seed's timing so the replica before the fix is clean on it too; seed
  // 2421 is the lowest of 1..10000 where the replica before the fix violates safety (SAF-1 also on
  // 6302, 7827, 8814, 9348, 9380; `sim check` with the fix reverted) and the replica now is clean
  // (all of 1..10000). The first test proves the seed still exercises the bug.
  const SEED = 2421;

  it(`seed ${SEED}: with the VIEW-CHANGE that claims only the reached checkpoint, correct replicas drop certificates and disagree (SAF-1 at seq 5)`, () => {
    expect(typeof fixedBuildViewChange, "Replica.prototype.buildViewChange").toBe("function");
    ClaimsReachedCheckpointOnly.dropped.clear();
    const scenario = pbftScenario("scenarios/attacks/twins-search.yaml");
    const w = new PbftWorld(scenario, SEED, { replicaFactory: (id, c, a, d) => new ClaimsReachedCheckpointOnly(id, c, a, d) });
    w.sim.run({ until: scenario.until });
    const saf1 = w.violations.find((v) => v.invariant === "SAF-1");
    expect(saf1, "SAF-1").toBeDefined();
    expect(saf1!.seq).toBe(5);
    expect(saf1!.replicas!.some((r) => w.faultyReplicas.has(r))).toBe(false);
    // a correct replica behind a known stable checkpoint left seq 5's certificate out of its VIEW-CHANGE
    expect(w.faultyReplicas.has(1)).toBe(false);
    expect([...(ClaimsReachedCheckpointOnly.dropped.get(1) ?? [])].sort((a, b) => a - b)).toEqual([5, 6]);
  });

  it(`seed ${SEED}: a replica behind a proven checkpoint no longer drops its certificates from its VIEW-CHANGE (was SAF-1 at seq 13 on seed 64)`, () => {
    const scenario = pbftScenario("scenarios/attacks/twins-search.yaml");
    const w = new PbftWorld(scenario, SEED);
    w.sim.run({ until: scenario.until });
    const out = w.finish();
    expect(w.violations).toEqual([]);
    expect(out.summary.requestsCompleted).toBe(18);
    const correct = w.hosts.replicas.filter((h) => !h.shadow && !w.faultyReplicas.has(h.replicaId));
    expect(correct.map((h) => h.replicaId)).toEqual([1, 2, 3]);
    expect(new Set(correct.map((h) => h.replica.application.stateDigest())).size).toBe(1);
    expect(correct.map((h) => h.replica.lastExecuted)).toEqual([18, 18, 18]);
  });
});
