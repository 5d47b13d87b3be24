// kernel/: event queue (typed-array heap ordered by time, then insertion sequence), the
// Simulation (clock, schedule, cancel, run), seeded RNG streams and distributions, trace hash.
// May import: nothing of the project.

export { type EventHandle, EventQueue } from "./queue.js";
export { RngTree, Stream, WeightedSampler, ZipfSampler } from "./rng.js";
export { type EventHandler, type RunLimits, type RunResult, Simulation, type StopReason } from "./simulation.js";
export { TraceHash } from "./trace-hash.js";
