// Model registry: maps a resolved scenario's `model` to the world that runs it. Scenarios are handed
// on as their resolved types (world/scenario.ts): no casts between the scenario and a world.

import { PbftWorld, type PbftWorldOptions, pbftScenarioOf } from "./pbft/index.js";
import { buildPholdWorld } from "./phold/index.js";
import { PotWorld, type PotWorldOptions } from "./pot/index.js";
import type { RunnableScenario } from "./scenario.js";
import type { World } from "./types.js";

export type { RunnableScenario } from "./scenario.js";

export function buildWorld(scenario: RunnableScenario, seed: number, options: PbftWorldOptions & PotWorldOptions = {}): World {
  const model = scenario.model;
  switch (model) {
    case "phold":
      return buildPholdWorld(scenario.phold, seed);
    case "pbft":
      return new PbftWorld(pbftScenarioOf(scenario), seed, options);
    case "pot":
      return new PotWorld(scenario, seed, { makePotApp: options.makePotApp, trafficThread: options.trafficThread });
    default: {
      const unknown: never = model;
      throw new Error(`model "${String(unknown)}" is not available`);
    }
  }
}
