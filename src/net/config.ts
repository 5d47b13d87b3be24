// net/config: the network section of a resolved scenario, as plain interfaces, plus defaults.
// The scenario module produces objects of exactly this shape (validated and defaulted);
// nothing here validates. Times are seconds of virtual time, sizes bytes, bandwidth bits/s.
// May import: nothing.

/** A one-way latency distribution that does not depend on the endpoints. */
export type BasicLatencyModel =
  | { model: "constant"; value: number }
  | { model: "uniform"; min: number; max: number }
  /** Normal truncated below at `min` (resampled; see latency.ts). */
  | { model: "normal"; mean: number; stddev: number; min: number }
  /** seconds = exp(N(mu, sigma)). */
  | { model: "lognormal"; mu: number; sigma: number }
  /** Pareto type I: minimum `scale`, tail index `shape`. */
  | { model: "pareto"; scale: number; shape: number };

/** Region matrix: matrix[regionOf(from)][regionOf(to)] seconds, plus optional jitter. */
export interface RegionLatencyModel {
  model: "regions";
  regions: string[];
  matrix: number[][];
  jitter?: BasicLatencyModel;
  /** "roundRobin": node i is in region i % regions.length; otherwise one region name per node. */
  assignment: "roundRobin" | string[];
}

export type LatencyModel = BasicLatencyModel | RegionLatencyModel;

export interface ScheduledPartition {
  at: number;
  /** Omitted: never heals on its own. */
  heal?: number;
  /** Listed groups; unlisted nodes form one more implicit group after them. */
  groups?: number[][];
  /** Cut one node off from everyone else (used when `groups` is absent). */
  isolate?: number;
  /** false: only messages from a lower-numbered group to a higher-numbered one are cut. */
  symmetric: boolean;
}

export interface RandomPartitions {
  /** "isolate": one random node; "uniform": every node to one of two non-empty sides. */
  mode: "isolate" | "uniform";
  /** Mean time between a heal and the next partition (exponential). */
  meanInterval: number;
  /** Mean partition duration (exponential). */
  meanDuration: number;
  start: number;
  /** Partitions start in [start, end) and are healed by `end` at the latest. */
  end?: number;
}

export type RuleAction = "drop" | "delay" | "duplicate" | "hold" | "redirect";

/** A protocol field to match: one value, any of a list, or an inclusive range (either end open). */
export type FieldMatch = number | readonly number[] | { readonly min?: number; readonly max?: number };

/**
 * An event that releases a `hold` rule's messages. The network does not interpret it: it hands it
 * to the world's `NetProtocol.gate` (net knows nothing of the protocol).
 */
export interface ReleaseEvent {
  readonly event: string;
}

/**
 * A targeted fault: matching messages are dropped, delayed, duplicated, held or redirected with
 * `probability`. `view`, `seq`, `digest`, `client`/`timestamp` are read from the message through
 * the world's `NetProtocol.reader`; `occurrence` keeps only the k-th matching messages.
 */
export interface NetworkRule {
  action: RuleAction;
  kind?: string | string[];
  from?: number | number[];
  to?: number | number[];
  /** Window on send time, [start, end). */
  start?: number;
  end?: number;
  probability: number;
  /** Extra seconds for "delay". */
  delay?: number;
  /** Protocol fields (absent = any). */
  view?: FieldMatch;
  seq?: FieldMatch;
  digest?: string;
  /** The message carries or names (by digest) a request of this client (and, with `timestamp`, that request). */
  client?: number;
  timestamp?: number;
  /** Only the k-th message (1-based, counting copies that match every other field) is affected. */
  occurrence?: number | readonly number[];
  /** "hold": the message waits until this simulated time, or until this event happens. */
  until?: number | ReleaseEvent;
  /** "redirect": the copy goes to these nodes instead of its receiver. */
  deliverTo?: number | number[];
}

export interface LatencySpike {
  at: number;
  until: number;
  extra: number;
}

export interface NetworkConfig {
  latency: LatencyModel;
  /** Bits per second per directed link; null = infinite (no serialization delay). */
  bandwidth: number | null;
  loss: number;
  duplicate: number;
  /** With `probability`, add a uniform extra delay in [0, maxDelay]. */
  reorder: { probability: number; maxDelay: number } | null;
  partitions: ScheduledPartition[];
  randomPartitions: RandomPartitions | null;
  rules: NetworkRule[];
  spikes: LatencySpike[];
}

/** A perfect network with a 50 ms constant one-way latency. */
export function defaultNetworkConfig(): NetworkConfig {
  return {
    latency: { model: "constant", value: 0.05 },
    bandwidth: null,
    loss: 0,
    duplicate: 0,
    reorder: null,
    partitions: [],
    randomPartitions: null,
    rules: [],
    spikes: [],
  };
}
