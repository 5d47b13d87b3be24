// faults/: fault plans (scheduled and per-seed random) and Byzantine behaviours applied as
// wrappers around honest replicas at the host boundary; economic faults of the PoT world
// (outages, inflating meta-node coalitions).
// May import: kernel, net, protocols.

export { type ActiveBehaviour, type Emit, makeBehaviour } from "./behaviours.js";
export {
  type CoalitionPlan,
  coalitionOf,
  coalitionSigners,
  inflateVolumes,
  type Outage,
  type OutageSpec,
  planOutages,
} from "./economic.js";
export {
  type BehaviourWindow,
  type ByzantineKind,
  type ForgeVariant,
  drawRandomFaults,
  type FaultPlan,
  type FaultSpec,
  planFaults,
  type RandomFaultSpec,
} from "./plan.js";
