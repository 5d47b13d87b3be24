// coverage/: which protocol paths a run reached. Owns the path names (paths.ts: a stable output
// vocabulary, documented in docs/results.md), the counter — a world observer that counts paths from
// the observation stream, so protocols, hosts and kernel know nothing of it (counter.ts) — and the
// tally of a gate's runs per path (tally.ts). `sim check` attaches one counter per run.
// May import: world/observe.ts, protocols/pbft (types).

export { type CoverageCounts, CoverageCounter } from "./counter.js";
export { COVERAGE_PATHS, type CoverageModel, type CoveragePath, isCoveragePath, pathsOf, REPORT_REJECTION_REASONS, rejectionPath } from "./paths.js";
export { type PathTally, tallyCoverage } from "./tally.js";
