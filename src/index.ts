// The `potsim` package entry (`import { PotLedger, Dec } from "potsim"`): what researchers script
// against without the CLI. The Stratos PoT ledger in full (Dec arithmetic, parameters and genesis
// presets, PotLedger and its formulas, the PBFT application), the PBFT replica and client state
// machines, loading and running scenarios, watching a run (the world observer interface) and
// tracing it (the trace recorder, trace.jsonl reading and the exports).
// May import: every folder's index.

export * from "./protocols/pot/index.js";
export * as pbft from "./protocols/pbft/index.js";
export { formatIssue, loadScenario, type ResolvedScenario, ScenarioError, type ScenarioIssue } from "./scenario/index.js";
export {
  buildWorld,
  describeWorld,
  type EconomicEvent,
  fanOut,
  type HostEvent,
  NoopObserver,
  type RunnableScenario,
  type RunOptions,
  type RunResult,
  runScenario,
  type WorldDescription,
  type WorldObserver,
} from "./world/index.js";
export { parseJsonl, perfettoJson, readTrace, shivizLog, type TraceData, TraceRecorder, traceHtml } from "./trace/index.js";
