// net/: message delivery between node ids on the kernel — latency models, per-link bandwidth
// and FIFO queueing, loss, duplication, reordering, partitions that start and heal, targeted
// rules, a fault API and per-kind/per-node counters.
// May import: kernel.

export {
  type BasicLatencyModel,
  defaultNetworkConfig,
  type LatencyModel,
  type LatencySpike,
  type NetworkConfig,
  type NetworkRule,
  type RandomPartitions,
  type RegionLatencyModel,
  type RuleAction,
  type ScheduledPartition,
} from "./config.js";
export { assignRegions, type LatencySampler, latencySampler } from "./latency.js";
export { type DeliverHandler, type NetObserver, Network } from "./network.js";
export type { PartitionEvent, PartitionSource } from "./partitions.js";
export { DROP_REASONS, type DropReason, type KindStats, type NetStats, type NodeKindStats } from "./stats.js";
