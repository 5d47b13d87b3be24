// Model registry: maps a resolved scenario's `model` to the world that runs it. Scenarios are handed
// on as their resolved types (world/scenario.ts): no casts between the scenario and a world.

import type { WorldDescription, WorldObserver } from "./observe.js";
import { describePbftMessage, PBFT_MESSAGE_KINDS, PbftWorld, type PbftWorldOptions, pbftConfigOf, pbftNodes, pbftScenarioOf } from "./pbft/index.js";
import { buildPholdWorld } from "./phold/index.js";
import { PotWorld, type PotWorldOptions } from "./pot/index.js";
import type { RunnableScenario } from "./scenario.js";
import type { World } from "./types.js";

export type { RunnableScenario } from "./scenario.js";

export function buildWorld(
  scenario: RunnableScenario,
  seed: number,
  options: PbftWorldOptions & PotWorldOptions & { worldObserver?: WorldObserver } = {},
): World {
  const model = scenario.model;
  switch (model) {
    case "phold":
      return buildPholdWorld(scenario.phold, seed);
    case "pbft":
      return new PbftWorld(pbftScenarioOf(scenario), seed, options);
    case "pot":
      return new PotWorld(scenario, seed, {
        makePotApp: options.makePotApp,
        trafficThread: options.trafficThread,
        worldObserver: options.worldObserver,
      });
    default: {
      const unknown: never = model;
      throw new Error(`model "${String(unknown)}" is not available`);
    }
  }
}

/**
 * How a scenario's world looks to a world observer (nodes, message kinds, message facts), from the
 * scenario alone; null for a model whose world takes no observer (phold: no network, no protocol).
 */
export function describeWorld(scenario: RunnableScenario): WorldDescription | null {
  const p = scenario.pbft;
  if (scenario.model === "phold" || !p) return null;
  const e = scenario.economics;
  const clients =
    scenario.model === "pot" && e
      ? [
          { role: "meta" as const, count: e.metaNodes.count },
          { role: "gateway" as const, count: e.gateways },
        ]
      : [{ role: "client" as const, count: p.clients.count }];
  return {
    model: scenario.model,
    n: p.n,
    f: pbftConfigOf(p).f,
    nodes: pbftNodes(p, clients),
    messageKinds: PBFT_MESSAGE_KINDS,
    describe: describePbftMessage,
  };
}
