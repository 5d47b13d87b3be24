// tune/: `sim tune` — searches a scenario's parameters for the best value of an objective over its
// run metrics under constraints, with CMA-ES (cmaes.ts), evaluating candidates as sweep tasks on the
// same runner (inline or the Piscina pool) with replicates and derived seeds, resumable after a
// kill; writes tune.csv, best.yaml, summary.json, manifest.json and a convergence chart.
// Owns: the tuning spec's meaning (objective, constraints, ranking), the optimiser, the outputs.
// May import: scenario, sweep, world, metrics, report, kernel.

export { CmaEs, type CmaOptions } from "./cmaes.js";
export { compareEvaluations, type Evaluation, evaluate, metricMeans } from "./evaluation.js";
export { compileConstraint, compileObjective, type Constraint, ExpressionError, metricScope, type Objective } from "./expressions.js";
export { bestYaml, tuneTable, writeTuneFolder } from "./outputs.js";
export { candidateValues, defaultTuneDir, planTune, reflect, scenarioFor, type TunePlan, toUnit } from "./plan.js";
export { runTune, TuneError, type TuneOptions, type TuneOutcome, type TuneProgress } from "./run-tune.js";
