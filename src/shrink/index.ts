// shrink/: from a violating run (scenario + seed) to a minimal standalone scenario, the capsule, that
// violates the same invariant — `sim shrink` and the library function behind it. Owns the search:
// configuration reduction (config.ts), the recording that makes the seed's draws explicit
// (record.ts, explicit.ts), schedules of faults, rules and per-message effects (schedule.ts), delta
// debugging (ddmin.ts), the candidate test with its cache and budget (oracle.ts, run.ts) and the
// capsule's text (capsule.ts). Writes no files and reads no clock: the caller persists the cache
// and passes a clock for a wall-time budget (cli/shrink-command.ts does both).
// May import: kernel, net (the rule table, to replay rule draws), faults (the fault plan), check
// (types), protocols/pbft (types, faultsTolerated), metrics (stable JSON), scenario (the loader), world (runs,
// observer; the pbft wing's message reader).

export type { Budget, Verdict } from "./oracle.js";
export { BudgetExhausted, normalize } from "./oracle.js";
export { DeltaDebugger } from "./ddmin.js";
export { runCandidate, type CandidateRun } from "./run.js";
export {
  NothingToShrink,
  SHRINK_VERSION,
  shrink,
  shrinkFingerprint,
  type ShrinkOptions,
  type ShrinkResult,
  type ShrinkSize,
  type ShrinkStep,
  sizeOf,
  targetViolation,
} from "./shrink.js";
export { remainingDraws } from "./explicit.js";
export { elementsOf, scheduleSize } from "./schedule.js";
