// faults/: fault plans (scheduled, per-seed random, and generated Twins schedules) and Byzantine
// behaviours applied as wrappers around honest replicas at the host boundary — fixed behaviours,
// declarative scripts with the authentication model that limits what they may claim, ByzzFuzz-style
// message mutation — plus the Twins router; economic faults of the PoT world (outages, inflating
// meta-node coalitions).
// May import: kernel, net, protocols.

export { Holdings, HOLDINGS_LIMIT } from "./authenticator.js";
export { type ActiveBehaviour, type BehaviourEnv, type Emit, makeBehaviour } from "./behaviours.js";
export {
  type CoalitionPlan,
  coalitionOf,
  coalitionSigners,
  inflateVolumes,
  type Outage,
  type OutageSpec,
  planOutages,
} from "./economic.js";
export { MUTATION_MEMORY, MutateBehaviour } from "./mutate.js";
export {
  type BehaviourWindow,
  type ByzantineKind,
  type DigestChoice,
  drawRandomFaults,
  type FaultPlan,
  type FaultSpec,
  type ForgeVariant,
  type MutationKind,
  planFaults,
  type RandomFaultSpec,
  type RequestRef,
  type ScriptMessage,
  type ScriptStep,
  type TriggerSpec,
  type TwinNodeRef,
  type TwinPhase,
} from "./plan.js";
export { type BuiltStep, ScriptBehaviour, type ScriptGroup, type ScriptRecord } from "./script.js";
export {
  canonicalRgs,
  canonicalSchedule,
  type GeneratedTwins,
  generateTwins,
  groupsOf,
  PartitionSpace,
  TwinNodes,
  TwinsRouter,
  type TwinsSearchSpec,
} from "./twins.js";
