// net/: message delivery between node ids on the kernel — latency models, per-link bandwidth
// and FIFO queueing, loss, duplication, reordering, partitions that start and heal, targeted
// rules (on kind, endpoints, time, and — through a world-supplied message reader — protocol fields
// and occurrences; drop, delay, duplicate, hold until a time or event, redirect), a fault API and
// per-kind/per-node counters. Knows no protocol.
// May import: kernel.

export {
  type BasicLatencyModel,
  defaultNetworkConfig,
  type FieldMatch,
  type LatencyModel,
  type LatencySpike,
  type NetworkConfig,
  type NetworkRule,
  type RandomPartitions,
  type RegionLatencyModel,
  type ReleaseEvent,
  type RuleAction,
  type ScheduledPartition,
} from "./config.js";
export { assignRegions, type LatencySampler, latencySampler } from "./latency.js";
export { type DeliverHandler, type NetObserver, type NetProtocol, Network } from "./network.js";
export type { MessageFields, MessageReader } from "./rules.js";
export type { PartitionEvent, PartitionSource } from "./partitions.js";
export { DROP_REASONS, type DropReason, type KindStats, type NetStats, type NodeKindStats } from "./stats.js";
