// The mutation gate (issue 17): five deliberately broken replicas of the view-change and checkpoint
// machinery (test/protocols/pbft/mutants.ts M11–M15) must each be caught by `sim check` — its own
// runner (runCheck), on worker threads — within 200 seeds of a named scenario with the Twins
// generator and message mutation (scenarios/attacks/twins-mutation.yaml; for M13,
// twins-checkpoint-lag.yaml, the same plus a network adversary that keeps replicas
// lagging behind the stable checkpoint across view changes), with a safety invariant (not only an
// alarm the mutant raises about itself); and the correct replica must stay clean on those
// scenarios and on the plain generator and mutation scenarios. The suite runs GATE_SEEDS seeds of
// the clean side (default 200); POTSIM_GATE_SEEDS=1000 runs the full gate:
//   POTSIM_GATE_SEEDS=1000 npx vitest run test/world/pbft/mutation-gate.test.ts
// (the same as `sim check scenarios/attacks/twins-mutation.yaml scenarios/attacks/twins-checkpoint-lag.yaml
// scenarios/attacks/twins-search.yaml scenarios/attacks/mutation-fuzz.yaml --seeds 1..1000`).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../../src/cli/check-command.js";
import { PbftWorld } from "../../../src/world/pbft/world.js";
import {
  M11LowestViewCertificate,
  M12NewViewWeakQuorum,
  M13LowestStartingCheckpoint,
  M14PreparedSetForgetsOlderViews,
  M15CountsDuplicateCommits,
} from "../../protocols/pbft/mutants.js";
import { pbftScenario, range, repoRoot } from "./support.js";

/** Seeds within which each mutant must be caught (the bound). */
const BOUND = 200;
/** Seeds per sim check run while hunting a mutant (the hunt stops at the first chunk that catches it). */
const CHUNK = 25;
const GATE_SEEDS = Number(process.env.POTSIM_GATE_SEEDS ?? 200);
const GATE = "scenarios/attacks/twins-mutation.yaml";
/**
 * M13's scenario. M13 needs a replica still behind a stable checkpoint when a NEW-VIEW starts below
 * it; on GATE, STATUS replies, stable-proof pushes and state transfer catch such a replica up first
 * in nearly every seed (M13 gave SAF-1 on 1 of seeds 1..200 before issue 17's timer changes, on none
 * after). This scenario delays that catch-up and the CHECKPOINTs (30 of 1..200 give SAF-1).
 */
const CHECKPOINT_LAG = "scenarios/attacks/twins-checkpoint-lag.yaml";
const CLEAN = [GATE, CHECKPOINT_LAG, "scenarios/attacks/twins-search.yaml", "scenarios/attacks/mutation-fuzz.yaml"];
/** The compiled mutants, which the check's worker threads load (npm test builds dist/ first). */
const MODULE = join(repoRoot, "dist", "test", "protocols", "pbft", "mutants.js");

/** Export name (what the worker threads load) → the class (what this thread replays) and the scenario that must catch it. */
const GATE_MUTANTS = {
  M11LowestViewCertificate: { Cls: M11LowestViewCertificate, file: GATE },
  M12NewViewWeakQuorum: { Cls: M12NewViewWeakQuorum, file: GATE },
  M13LowestStartingCheckpoint: { Cls: M13LowestStartingCheckpoint, file: CHECKPOINT_LAG },
  M14PreparedSetForgetsOlderViews: { Cls: M14PreparedSetForgetsOlderViews, file: GATE },
  M15CountsDuplicateCommits: { Cls: M15CountsDuplicateCommits, file: GATE },
};

const opts = { checkDeterminism: false, workers: 2, set: [] as string[], progress: false };

describe("mutation gate: sim check with the Twins generator and message mutation", () => {
  it("the compiled mutants are there for the worker threads", () => {
    expect(existsSync(MODULE), `${MODULE} missing: build first (npx tsc)`).toBe(true);
  });

  for (const [name, { Cls, file }] of Object.entries(GATE_MUTANTS)) {
    it(`${name} is caught within ${BOUND} seeds of ${file}, by a safety invariant`, async () => {
      // Seeds in chunks of CHUNK through sim check's runner, until a failing seed replays (in this
      // thread) with a safety invariant between correct replicas: a mutant may also raise alarms
      // about itself, which `sim check` counts too, but the gate asks the checker to catch it.
      const scenario = pbftScenario(file);
      let caught: number | undefined;
      let failing = 0;
      for (let from = 1; from <= BOUND && caught === undefined; from += CHUNK) {
        const seeds = range(from, Math.min(BOUND, from + CHUNK - 1));
        // In-process for all but one mutant (a pool's start-up costs more than a chunk); M12 goes through worker threads.
        const workers = name === "M12NewViewWeakQuorum" ? 2 : 1;
        const outcome = await runCheck([join(repoRoot, file)], { ...opts, workers, seeds, replica: { module: MODULE, export: name } });
        if (typeof outcome === "number") throw new Error("runCheck re-ran the process");
        failing += outcome.failures.length;
        for (const f of outcome.failures) expect(f.status).toBe("violation");
        caught = outcome.failures
          .map((f) => f.seed)
          .sort((a, b) => a - b)
          .find((seed) => {
            const w = new PbftWorld(scenario, seed, { replicaFactory: (id, c, a, d) => new Cls(id, c, a, d) });
            w.sim.run({ until: scenario.until, stop: () => w.violations.some((v) => /^(SAF|INV)-/.test(v.invariant)) });
            const v = w.violations.find((x) => /^(SAF|INV)-/.test(x.invariant));
            return v !== undefined && (v.replicas ?? []).every((r) => !w.faultyReplicas.has(r));
          });
      }
      expect(failing, `${name} not caught in seeds 1..${BOUND}`).toBeGreaterThan(0);
      expect(caught, `${name}: no failing seed in 1..${BOUND} with a safety invariant`).toBeDefined();
      const ok = new PbftWorld(scenario, caught!);
      ok.sim.run({ until: scenario.until });
      expect(ok.violations).toEqual([]);
    });
  }

  it(`the correct replica is clean on seeds 1..${GATE_SEEDS} of the gate, checkpoint-lag, generator and mutation scenarios`, async () => {
    const outcome = await runCheck(
      CLEAN.map((f) => join(repoRoot, f)),
      { ...opts, seeds: range(1, GATE_SEEDS) },
    );
    if (typeof outcome === "number") throw new Error("runCheck re-ran the process");
    expect(outcome.runs).toBe(CLEAN.length * GATE_SEEDS);
    expect(outcome.failures).toEqual([]);
    // About 4 s; the limit leaves room for one stalled worker thread to be found and its tasks rerun
    // (sweep/stall-guard.ts: 60 s without a result), as once happened on CI.
  }, 240_000);
});
