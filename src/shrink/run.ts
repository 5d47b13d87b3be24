// One candidate run of a shrink: the world of a resolved scenario with the shrink's seed, stopped as
// soon as the target invariant is reported (its prefix is the same run as a full `sim run`, so the
// full run reports the violation too), or at `until`. A run that ends without the target gets the
// world's final checks (the last liveness poll) before it is judged.

import type { Violation } from "../check/index.js";
import type { ResolvedScenario } from "../scenario/index.js";
import { buildWorld, describeWorld, type WorldObserver } from "../world/index.js";
import type { ReplicaFactory } from "../world/pbft/index.js";

export interface CandidateRun {
  /** The first violation of the target invariant, or null. */
  readonly violation: Violation | null;
  /** The first violation of any invariant (to name the target when none is given), or null. */
  readonly first: Violation | null;
  readonly events: number;
  readonly simTime: number;
  readonly traceHash: string;
}

export interface CandidateOptions {
  /** Invariant id to stop at; undefined = stop at the first violation of any invariant. */
  readonly invariant?: string;
  readonly replicaFactory?: ReplicaFactory;
  /** Watches the run (the shrink's recorder); a run with an observer is the same run. */
  readonly observer?: WorldObserver;
  /** Run to `until` even after the target was reported (the recorder wants the heals after it). */
  readonly full?: boolean;
}

/** Runs `scenario` with `seed` (see the file header). */
export function runCandidate(scenario: ResolvedScenario, seed: number, o: CandidateOptions = {}): CandidateRun {
  if (o.observer) {
    const description = describeWorld(scenario);
    if (description === null) throw new Error(`model ${scenario.model} takes no world observer`);
    o.observer.begin(description);
  }
  const world = buildWorld(scenario, seed, { replicaFactory: o.replicaFactory, worldObserver: o.observer });
  const hit = (v: Violation) => o.invariant === undefined || v.invariant === o.invariant;
  const stop = o.full ? undefined : () => world.violations.some(hit);
  world.sim.run({ until: scenario.until, maxEvents: scenario.maxEvents, stop });
  const out = world.finish();
  return {
    violation: out.violations.find(hit) ?? null,
    first: out.violations[0] ?? null,
    events: world.sim.eventCount,
    simTime: world.sim.now,
    traceHash: world.sim.traceHash,
  };
}
