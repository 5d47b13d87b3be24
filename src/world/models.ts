// Model registry: maps a resolved scenario's `model` to the world that runs it.

import { buildPholdWorld } from "./phold/world.js";
import { type PbftScenario, PbftWorld, type PbftWorldOptions } from "./pbft/world.js";
import type { PotScenario } from "./pot/config.js";
import { PotWorld, type PotWorldOptions } from "./pot/world.js";
import type { World } from "./types.js";

/** The fields of a resolved scenario the run pipeline itself needs. */
export interface RunnableScenario {
  name: string;
  seed: number;
  model: string;
  until: number;
  maxEvents?: number;
  [section: string]: unknown;
}

export function buildWorld(scenario: RunnableScenario, seed: number, options: PbftWorldOptions & PotWorldOptions = {}): World {
  switch (scenario.model) {
    case "phold":
      return buildPholdWorld(scenario.phold as never, seed);
    case "pbft":
      return new PbftWorld(scenario as unknown as PbftScenario, seed, options);
    case "pot":
      return new PotWorld(scenario as unknown as PotScenario, seed, { makePotApp: options.makePotApp, trafficThread: options.trafficThread });
    default:
      throw new Error(`model "${scenario.model}" is not available`);
  }
}
