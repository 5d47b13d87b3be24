// world/: builds a runnable world from a resolved scenario (PHOLD, PBFT validators and clients,
// PoT actors), binds state machines to kernel timers, the network and a CPU cost model, and runs it.
// May import: kernel, net, protocols, faults, traffic, check, metrics.

export { buildWorld, type RunnableScenario } from "./models.js";
export { type RunOptions, type RunResult, runScenario, runScenarioAsync } from "./run.js";
export type { Violation, World, WorldOutput } from "./types.js";
