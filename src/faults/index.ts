// faults/: fault plans (scheduled and per-seed random) and Byzantine behaviours applied as
// wrappers around honest replicas at the host boundary.
// May import: kernel, net, protocols.

export { type ActiveBehaviour, type Emit, makeBehaviour } from "./behaviours.js";
export {
  type BehaviourWindow,
  type ByzantineKind,
  drawRandomFaults,
  type FaultPlan,
  type FaultSpec,
  planFaults,
  type RandomFaultSpec,
} from "./plan.js";
