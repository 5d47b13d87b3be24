// world/pbft/: the PBFT model as a runnable world. Owns the hosts that bind replica and client state
// machines to kernel timers, the network and a serial CPU per node (routing their effects around
// Byzantine behaviours and twins: host.ts), and the world around them: workload, scheduled and random
// faults, the continuous safety and liveness checkers, and the consensus tables (world.ts), among them
// the per-replica timeline (timeline.ts) and the fault schedule (schedule.ts); the warnings of a run
// that never saw a declared fault or request complete (warnings.ts); how the
// world looks to observers: nodes, message kinds, message facts (describe.ts). The PoT wing builds on
// this one; this one never imports the PoT wing.
// May import: kernel, net, protocols/pbft, faults, check, metrics, ../cpu, ../observe (types), ../scenario (types), ../types.

export { describePbftMessage, PBFT_MESSAGE_KINDS, pbftNodes } from "./describe.js";
export { type PbftHostListener, PbftHosts, type ReplicaFactory, type ReplicaHost } from "./host.js";
export { consensusSchedule, idList, type PartitionRecord, SCHEDULE_COLUMNS, type ScheduleItem, scheduleTable } from "./schedule.js";
export { ReplicaTimeline, TIMELINE_SAMPLES } from "./timeline.js";
export { type PbftWarningInputs, pbftWarnings } from "./warnings.js";
export { type PbftObserver, type PbftScenario, PbftWorld, type PbftWorldOptions, pbftConfigOf, pbftScenarioOf } from "./world.js";
