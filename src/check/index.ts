// check/: invariant checkers that run continuously during a run and report precise violations
// (invariant, time, view, sequence, replicas). May import: protocols (their types and constants, and
// protocols/pbft's reply table and checkpoint digest, so INV-K's replay computes checkpoints exactly as
// replicas do), metrics.

export { type EconLedgerView, EconomicsChecker } from "./economics.js";
export { LivenessChecker, type ReplicaPosition } from "./liveness.js";
export { PbftSafetyChecker } from "./pbft-safety.js";
export type { Violation } from "./violation.js";
