// check/: invariant checkers that run continuously during a run and report precise violations
// (invariant, time, view, sequence, replicas). May import: protocols (types only), metrics.

export { type EconLedgerView, EconomicsChecker } from "./economics.js";
export { LivenessChecker } from "./liveness.js";
export { PbftSafetyChecker } from "./pbft-safety.js";
export type { Violation } from "./violation.js";
