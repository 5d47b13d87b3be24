// The PHOLD model as a runnable world (scenarios/phold.yaml).

import { Simulation } from "../../kernel/index.js";
import { type PholdParams, PholdModel } from "./model.js";
import type { Violation, World, WorldOutput } from "../types.js";

export function buildPholdWorld(params: PholdParams, seed: number): World {
  const sim = new Simulation(seed, params.lps * params.init);
  const model = new PholdModel(sim, params);
  const violations: Violation[] = [];
  return {
    sim,
    violations,
    finish(): WorldOutput {
      const counts = model.counts;
      const rows = Array.from(counts, (c, i) => [i, c]);
      return {
        summary: {
          model: "phold",
          lps: params.lps,
          processed: model.totalEvents(),
          checksum: model.checksum(),
          pending: sim.pending,
          // PHOLD declares no actor class or fault that could fail to act.
          warnings: [],
        },
        tables: [{ name: "lps", columns: ["lp", "events"], rows }],
        violations,
      };
    },
  };
}
