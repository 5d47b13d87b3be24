// `shrink` on the violations the suite already produces: beyond-f.yaml (f + 1 colluding twins) and
// the first failing seed of each mutant of test/world/pbft/mutation.test.ts (M1–M4, M8, M10 on the
// mutation-hunt scenarios, replicas built by the mutant class). Each capsule must hold at most 5
// explicit fault events or rules, have no more replicas and fewer requests or a shorter `until` than
// its input, violate the same invariant, depend on no draw, replay twice to identical outputs, and
// be 1-minimal — checked here again independently of the search: the capsule without any one of its
// faults or rules, run afresh, does not violate. The mutants' capsules are clean with the correct
// replica (they test the mutant, not the network).

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stableJson } from "../../src/metrics/index.js";
import type { Application, DigestMemo, PbftConfig, Replica } from "../../src/protocols/pbft/index.js";
import { loadScenario, parseScenarioText, resolveScenario } from "../../src/scenario/index.js";
import type { Scenario } from "../../src/shrink/edit.js";
import { elementsOf, NothingToShrink, normalize, remainingDraws, runCandidate, type ShrinkResult, shrink } from "../../src/shrink/index.js";
import { materialize, scheduleOf } from "../../src/shrink/schedule.js";
import type { ReplicaFactory } from "../../src/world/pbft/index.js";
import { runScenario } from "../../src/world/run.js";
import {
  M1ExecuteOnPrepared,
  M2CommitQuorum2f,
  M3PrimaryPrepareCounted,
  M4Quorum2f1,
  M8NoLowWatermark,
  M10OutOfOrder,
} from "../protocols/pbft/mutants.js";

const root = join(import.meta.dirname, "..", "..");
type ReplicaClass = new (id: number, config: PbftConfig, app: Application, digests?: DigestMemo) => Replica;

interface Case {
  name: string;
  file: string;
  cls: ReplicaClass | null;
  invariant: string;
}

const HUNT = "scenarios/mutation-hunt.yaml";
const cases: Case[] = [
  { name: "beyond-f (twins beyond f)", file: "scenarios/beyond-f.yaml", cls: null, invariant: "SAF-1" },
  { name: "M1 execute on prepared", file: HUNT, cls: M1ExecuteOnPrepared, invariant: "SAF-1" },
  { name: "M2 commit quorum 2f", file: HUNT, cls: M2CommitQuorum2f, invariant: "SAF-1" },
  { name: "M3 primary's PREPARE counted", file: HUNT, cls: M3PrimaryPrepareCounted, invariant: "INV-P" },
  { name: "M4 quorum 2f+1 with n = 5", file: "scenarios/mutation-hunt-n5.yaml", cls: M4Quorum2f1, invariant: "SAF-1" },
  { name: "M8 low watermark not enforced", file: "scenarios/mutation-hunt-watermark.yaml", cls: M8NoLowWatermark, invariant: "SAF-1" },
  { name: "M10 out-of-order execution", file: HUNT, cls: M10OutOfOrder, invariant: "SAF-2" },
];

/** Most runs a shrink here may make (a deterministic cap: the cases need 10-90). */
const MAX_RUNS = 600;

const factoryOf = (cls: ReplicaClass | null): ReplicaFactory | undefined => (cls ? (id, c, a, d) => new cls(id, c, a, d) : undefined);

/** The first seed in 1..20 whose run violates the invariant (the mutation tests find one within 20). */
function failingSeed(s: Scenario, c: Case): number {
  for (let seed = 1; seed <= 20; seed++) if (runCandidate(s, seed, { invariant: c.invariant, replicaFactory: factoryOf(c.cls) }).violation) return seed;
  throw new Error(`${c.name}: no seed in 1..20 violates ${c.invariant}`);
}

/** Everything a run writes, as stable JSON (the trace hash included). */
function outputsOf(s: Scenario, seed: number, factory: ReplicaFactory | undefined): string {
  const r = runScenario(s, { seed, replicaFactory: factory });
  return stableJson({ summary: r.summary, tables: r.tables, violations: r.violations, traceHash: r.traceHash, events: r.events });
}

describe("sim shrink: beyond-f and the mutants' failing seeds shrink to small 1-minimal capsules", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.invariant} kept by at most 5 fault events or rules, 1-minimal, replayed identically`, () => {
      const input = loadScenario(join(root, c.file)) as Scenario;
      const seed = failingSeed(input, c);
      const factory = factoryOf(c.cls);
      const r: ShrinkResult = shrink(input, seed, {
        invariant: c.invariant,
        replicaFactory: factory,
        replicaLabel: c.cls?.name,
        budget: { maxRuns: MAX_RUNS },
        sourceLabel: c.file,
      });
      expect(r.invariant).toBe(c.invariant);
      expect(r.budgetLimited).toBe(false);
      expect(r.oneMinimal).toBe(true);

      // smaller: at most 5 explicit elements, n no larger, fewer requests or a shorter until
      const capsule = r.capsule;
      const elements = elementsOf(capsule);
      expect(elements.length).toBe(r.after.elements);
      expect(elements.length).toBeLessThanOrEqual(5);
      expect(capsule.pbft!.n).toBeLessThanOrEqual(input.pbft!.n);
      expect(capsule.pbft!.clients.requests < input.pbft!.clients.requests || capsule.until < input.until).toBe(true);
      expect(capsule.until).toBeLessThan(input.until);

      // standalone, as the loader reads it; the header names the invariant and the replay line
      expect(r.yaml).not.toMatch(/^extends:/m);
      expect(stableJson(resolveScenario(parseScenarioText(r.yaml, "capsule.yaml")))).toBe(stableJson(capsule));
      expect(r.yaml).toContain(`# Violates ${c.invariant} at t = `);
      expect(r.yaml).toContain(`# Replay: npx sim run capsule.yaml --seed ${seed}\n`);
      expect(r.yaml).toMatch(/^# 1-minimal: (no fault event or rule is needed|removing its one fault event or rule loses|removing any one of its \d fault events and rules loses) /m);

      // nothing drawn: the same run for every seed
      expect(r.drawFree).toBe(true);
      expect(remainingDraws(capsule)).toEqual([]);

      // replayed twice: identical outputs, the same invariant violated
      const first = outputsOf(capsule, seed, factory);
      expect(outputsOf(capsule, seed, factory)).toBe(first);
      const violations = (JSON.parse(first) as { violations: Array<{ invariant: string }> }).violations;
      expect(violations.map((v) => v.invariant)).toContain(c.invariant);
      expect(violations.find((v) => v.invariant === c.invariant)).toMatchObject({ invariant: r.violation.invariant, time: r.violation.time });

      // 1-minimal, checked afresh: without any one element the capsule no longer violates
      const schedule = scheduleOf(capsule);
      expect(r.minimality.map((m) => m.violates)).toEqual(elements.map(() => false));
      schedule.elements.forEach((_, i) => {
        const without = normalize(materialize(schedule, schedule.elements.filter((__, j) => j !== i)));
        if ("invalid" in without) return; // refused by the loader: cannot run, so cannot violate
        expect(runCandidate(without.scenario, seed, { invariant: c.invariant, replicaFactory: factory }).violation, `without element ${i}`).toBeNull();
      });

      // a mutant's capsule catches the mutant, not the protocol: the correct replica is clean on it
      if (c.cls !== null) expect(runCandidate(capsule, seed, {}).first).toBeNull();
    });
  }

  it("deterministic and resumable: a budget-limited shrink resumed from its verdicts ends with the same capsule as one uninterrupted shrink", () => {
    const c = cases.find((x) => x.cls === M3PrimaryPrepareCounted)!;
    const input = loadScenario(join(root, c.file)) as Scenario;
    const seed = failingSeed(input, c);
    const opts = { invariant: c.invariant, replicaFactory: factoryOf(c.cls), sourceLabel: c.file };
    const whole = shrink(input, seed, opts);
    expect(shrink(input, seed, opts).yaml).toBe(whole.yaml);

    const cache = new Map();
    const limited = shrink(input, seed, { ...opts, cache, budget: { maxRuns: 6 } });
    expect(limited.budgetLimited).toBe(true);
    expect(limited.oneMinimal).toBe(false);
    expect(limited.yaml).toContain("# Budget-limited after");
    // the budget-limited capsule still violates
    expect(runCandidate(limited.capsule, seed, { invariant: c.invariant, replicaFactory: opts.replicaFactory }).violation).not.toBeNull();
    const known = cache.size;
    expect(known).toBeGreaterThanOrEqual(6);

    const resumed = shrink(input, seed, { ...opts, cache });
    expect(resumed.budgetLimited).toBe(false);
    expect(resumed.yaml).toBe(whole.yaml);
    expect(resumed.cached).toBeGreaterThanOrEqual(known);
    expect(resumed.runs).toBe(whole.runs - known);
  });

  it("the target is the run's first violation unless named, and a seed that does not violate is refused", () => {
    const beyond = loadScenario(join(root, "scenarios/beyond-f.yaml")) as Scenario;
    // beyond-f's first violation is INV-P (conflicting prepared certificates), before SAF-1
    const r = shrink(beyond, 1, { budget: { maxRuns: 40 } });
    expect(r.invariant).toBe("INV-P");
    expect(runCandidate(r.capsule, 1, { invariant: "INV-P" }).violation).not.toBeNull();
    const hunt = loadScenario(join(root, HUNT)) as Scenario;
    // the correct replica on a mutant's seed: nothing to shrink
    expect(() => shrink(hunt, failingSeed(hunt, cases[1]!), {})).toThrow(NothingToShrink);
    expect(() => shrink(beyond, 1, { invariant: "LIV-1" })).toThrow(/does not violate LIV-1 within its 30 s \(its first violation is INV-P\): nothing to shrink/);
  });
});
