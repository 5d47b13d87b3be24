// world/pbft/: the PBFT model as a runnable world. Owns the hosts that bind replica and client state
// machines to kernel timers, the network and a serial CPU per node (routing their effects around
// Byzantine behaviours and twins: host.ts), and the world around them: workload, scheduled and random
// faults, the continuous safety and liveness checkers, and the consensus tables (world.ts); how the
// world looks to observers: nodes, message kinds, message facts (describe.ts). The PoT wing builds on
// this one; this one never imports the PoT wing.
// May import: kernel, net, protocols/pbft, faults, check, metrics, ../cpu, ../observe (types), ../scenario (types), ../types.

export { describePbftMessage, PBFT_MESSAGE_KINDS, pbftNodes } from "./describe.js";
export { type PbftHostListener, PbftHosts, type ReplicaFactory, type ReplicaHost } from "./host.js";
export { type PbftObserver, type PbftScenario, PbftWorld, type PbftWorldOptions, pbftConfigOf, pbftScenarioOf } from "./world.js";
