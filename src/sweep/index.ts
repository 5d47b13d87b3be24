// sweep/: parameter sweeps — grid, zip, random and Latin-hypercube designs, and the sensitivity
// designs sobol (Saltelli, Joe–Kuo Sobol' sequence) and morris with their indices (sensitivity.csv);
// tasks (point × replicate, derived seeds) run inline or on a Piscina pool, one world per task;
// runs.csv + aggregate.csv (mean, sd, t-interval, quantiles) written atomically; resume after a
// kill; sharding for clusters and merging of shard folders.
// May import: scenario, world, metrics, report, kernel.

export { aggregateTable } from "./aggregate.js";
export { type Design, generateDesign, pointOverrides } from "./design.js";
export { executeTask, executeTaskLoading } from "./execute.js";
export { flattenSummary } from "./flatten.js";
export { buildManifest, replayCommand, SEED_DERIVATION, type SweepManifest } from "./manifest.js";
export { MergeError, type MergeOptions, type MergeOutcome, mergeShards } from "./merge.js";
export { type ShardInfo, type SweepWarnings, sweepWarnings, sweepWarningsLine, type TaskFailure, writeSweepFolder } from "./outputs.js";
export { defaultOutDir, type PlanPoint, planSweep, type SweepPlan } from "./plan.js";
export { createRunner, defaultWorkerFile } from "./pool.js";
export { type ProgressPrinter, progressPrinter, type SweepProgress } from "./progress.js";
export { runSweep, type SweepOptions, type SweepOutcome } from "./run-sweep.js";
export { fromUnit, lhsUnits, randomUnits, sampleRows } from "./sampling.js";
export { deriveSeed } from "./seeds.js";
export { morrisPlan, saltelliUnits } from "./sensitivity-design.js";
export {
  type Estimate,
  elementaryEffects,
  type IndexRow,
  morrisIndices,
  saltelliOutputs,
  SENSITIVITY_COLUMNS,
  sensitivityRows,
  sensitivityTable,
  sobolIndices,
} from "./sensitivity.js";
export { SOBOL_MAX_DIMENSIONS, sobolPoints } from "./sobol.js";
export { inShard, parseShard, resolveShard, ShardError, type ShardSources } from "./shard.js";
export { type SweepSpec, sweep, sweepSchema } from "../scenario/sections/sweep.js";
export { describe as describeSample, type Stats, studentTQuantile } from "./stats.js";
export type { TaskResult, TaskStatus } from "./task.js";
export { ResumeMismatchError, WorkDirError } from "./work-dir.js";
