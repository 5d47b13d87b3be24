// world/: builds a runnable world from a resolved scenario and runs it. One wing per model: ./phold,
// ./pbft (validators and clients bound to kernel timers, the network and a CPU cost model) and ./pot
// (the PoT economy on top of the PBFT world, with its traffic thread in ./pot/feed). Shared here: the
// run pipeline (run.ts), the model registry (models.ts), what every world provides (types.ts), the
// worlds' view of a resolved scenario (scenario.ts), the serial CPU model (cpu.ts) and the world
// observer interface that traces and coverage counters implement (observe.ts).
// May import: kernel, net, protocols, faults, traffic, check, metrics, scenario (types). ./pbft never
// imports ./pot (test/architecture/rules.test.ts).

export { buildWorld, describeWorld, type RunnableScenario } from "./models.js";
export {
  type EconomicEvent,
  fanOut,
  type HostEvent,
  type MessageFacts,
  type NodeInfo,
  type NodeRole,
  NoopObserver,
  type TraceDropReason,
  type WorldDescription,
  type WorldObserver,
} from "./observe.js";
export { type RunOptions, type RunResult, runScenario, runScenarioAsync } from "./run.js";
export { type RunWarning, type Violation, WARNING_CODES, type WarningCode, type World, type WorldOutput } from "./types.js";
