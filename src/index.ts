// The `potsim` package entry (`import { PotLedger, Dec } from "potsim"`): what researchers script
// against without the CLI. The Stratos PoT ledger in full (Dec arithmetic, parameters and genesis
// presets, PotLedger and its formulas, the PBFT application), the PBFT replica and client state
// machines, and loading and running scenarios.
// May import: every folder's index.

export * from "./protocols/pot/index.js";
export * as pbft from "./protocols/pbft/index.js";
export { formatIssue, loadScenario, type ResolvedScenario, ScenarioError, type ScenarioIssue } from "./scenario/index.js";
export { buildWorld, type RunnableScenario, type RunOptions, type RunResult, runScenario } from "./world/index.js";
