// Mutation tests (pbft-scenarios.md "Mutations"): deliberately broken replicas enter a full world
// through PbftWorldOptions.replicaFactory (never through the scenario format). For each mutant,
// seeds 1..BOUND of a named hunting scenario are run until the checker reports the expected
// invariant; the correct Replica must stay clean on every one of those seeds.

import { describe, expect, it } from "vitest";
import type { Violation } from "../../../src/check/index.js";
import type { FaultSpec } from "../../../src/faults/index.js";
import { type Application, type DigestMemo, type PbftConfig, Replica } from "../../../src/protocols/pbft/index.js";
import type { PbftScenario } from "../../../src/world/pbft/world.js";
import { PbftWorld } from "../../../src/world/pbft/world.js";
import {
  M1ExecuteOnPrepared,
  M2CommitQuorum2f,
  M3PrimaryPrepareCounted,
  M4Quorum2f1,
  M8NoLowWatermark,
  M10OutOfOrder,
} from "../../protocols/pbft/mutants.js";
import { pbftScenario, range } from "./support.js";

/** Seeds tried per mutant (the issue allows up to 50). */
const BOUND = 20;

type ReplicaClass = new (id: number, config: PbftConfig, app: Application, digests?: DigestMemo) => Replica;

interface Case {
  mutant: string;
  cls: ReplicaClass;
  scenario: string;
  /** The violation that must be reported (any one of these invariants). */
  expected: string[];
  /** First detecting seed observed when the test was written (documentation; the assertion is ≤ BOUND). */
  firstSeen: number;
}

const HUNT = "scenarios/mutation-hunt.yaml";
const HUNT_N5 = "scenarios/mutation-hunt-n5.yaml";
const HUNT_WATERMARK = "scenarios/mutation-hunt-watermark.yaml";

const cases: Case[] = [
  { mutant: "M1 execute on prepared", cls: M1ExecuteOnPrepared, scenario: HUNT, expected: ["SAF-1"], firstSeen: 3 },
  { mutant: "M2 commit quorum 2f", cls: M2CommitQuorum2f, scenario: HUNT, expected: ["SAF-1"], firstSeen: 1 },
  { mutant: "M3 primary's PREPARE counted", cls: M3PrimaryPrepareCounted, scenario: HUNT, expected: ["INV-P"], firstSeen: 1 },
  { mutant: "M4 quorum 2f+1 with n = 5", cls: M4Quorum2f1, scenario: HUNT_N5, expected: ["SAF-1"], firstSeen: 1 },
  { mutant: "M8 low watermark not enforced", cls: M8NoLowWatermark, scenario: HUNT_WATERMARK, expected: ["SAF-1"], firstSeen: 2 },
  { mutant: "M10 out-of-order execution", cls: M10OutOfOrder, scenario: HUNT, expected: ["SAF-2", "INV-K"], firstSeen: 1 },
];

const scenarios = new Map<string, PbftScenario>();
function load(file: string): PbftScenario {
  let s = scenarios.get(file);
  if (s === undefined) {
    s = pbftScenario(file);
    scenarios.set(file, s);
  }
  return s;
}

/** Runs one seed; with `stopOn`, stops as soon as one of those invariants is reported. */
function runSeed(file: string, seed: number, cls: ReplicaClass, stopOn?: string[]): { violations: Violation[]; faulty: number[] } {
  const scenario = load(file);
  const world = new PbftWorld(scenario, seed, { replicaFactory: (id, cfg, app, digests) => new cls(id, cfg, app, digests) });
  const stop = stopOn ? () => world.violations.some((v) => stopOn.includes(v.invariant)) : undefined;
  world.sim.run({ until: scenario.until, stop });
  world.finish(); // the final liveness poll
  return { violations: world.violations, faulty: [...world.faultyReplicas] };
}

/** First seed in 1..BOUND on which the mutant is caught with an expected invariant, and that violation. */
function hunt(c: Case): { seed: number; violation: Violation; faulty: number[] } | null {
  for (let seed = 1; seed <= BOUND; seed++) {
    const r = runSeed(c.scenario, seed, c.cls, c.expected);
    const v = r.violations.find((x) => c.expected.includes(x.invariant));
    if (v) return { seed, violation: v, faulty: r.faulty };
  }
  return null;
}

describe("mutation tests: the checker catches broken replicas in a full world", () => {
  for (const c of cases) {
    it(`${c.mutant}: ${c.expected.join(" or ")} within ${BOUND} seeds of ${c.scenario}`, () => {
      const found = hunt(c);
      expect(found, `${c.mutant} not detected in seeds 1..${BOUND}`).not.toBeNull();
      const { seed, violation, faulty } = found!;
      expect(seed).toBeGreaterThanOrEqual(1);
      expect(seed).toBeLessThanOrEqual(BOUND);
      expect(c.expected).toContain(violation.invariant);
      // the violation is between correct replicas: the Byzantine primary is excluded by the checker
      expect(faulty).toEqual([0]);
      expect(violation.replicas!.length).toBeGreaterThan(0);
      for (const r of violation.replicas!) expect(faulty).not.toContain(r);
      // the same seed, same faults, correct replicas: clean
      expect(runSeed(c.scenario, seed, Replica).violations).toEqual([]);
    });
  }

  for (const file of [HUNT, HUNT_N5, HUNT_WATERMARK]) {
    it(`the correct replica has no violation on seeds 1..${BOUND} of ${file}`, () => {
      const bad = range(1, BOUND)
        .map((seed) => ({ seed, violations: runSeed(file, seed, Replica).violations }))
        .filter((r) => r.violations.length > 0);
      expect(bad).toEqual([]);
    });
  }

  it("each seed draws its own fault: one Byzantine primary (f = 1), at a different time", () => {
    for (const [file, type, from, to] of [
      [HUNT, "twoFaced", 1, 1.5],
      [HUNT_WATERMARK, "forge", 2, 2.5],
    ] as const) {
      const scenario = load(file);
      expect(scenario.pbft.faults).toEqual([]);
      const drawn = range(1, 5).map((seed) => new PbftWorld(scenario, seed).finish().summary.faults as FaultSpec[]);
      for (const faults of drawn) {
        expect(faults).toHaveLength(1);
        expect(faults[0]!.type).toBe(type);
        expect((faults[0] as { replica: number }).replica).toBe(0);
        expect(faults[0]!.at).toBeGreaterThanOrEqual(from);
        expect(faults[0]!.at).toBeLessThan(to);
      }
      expect(new Set(drawn.map((f) => f[0]!.at)).size).toBe(5);
    }
  });
});
