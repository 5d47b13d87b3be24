// net/latency: turns a LatencyModel into a sampler of one-way propagation delay for a
// (from, to) pair, adds reordering jitter and latency-spike windows. Owns region assignment.
// May import: kernel (Stream), ./config.

import type { Stream } from "../kernel/index.js";
import type { BasicLatencyModel, LatencyModel, LatencySpike, NetworkConfig } from "./config.js";

/** One-way delay in seconds for a message from `from` to `to` (never negative). */
export interface LatencySampler {
  sample(from: number, to: number): number;
}

/** Rejection attempts for the truncated normal before falling back to `min`. */
const NORMAL_MAX_TRIES = 64;

class ConstantLatency implements LatencySampler {
  constructor(private readonly value: number) {}
  sample(): number {
    return this.value;
  }
}

class UniformLatency implements LatencySampler {
  constructor(
    private readonly rng: Stream,
    private readonly min: number,
    private readonly max: number,
  ) {}
  sample(): number {
    return this.rng.uniform(this.min, this.max);
  }
}

/** Truncated (not clamped) normal: draws below `min` are redrawn, so no mass piles up at `min`. */
class NormalLatency implements LatencySampler {
  constructor(
    private readonly rng: Stream,
    private readonly mean: number,
    private readonly stddev: number,
    private readonly min: number,
  ) {}
  sample(): number {
    for (let i = 0; i < NORMAL_MAX_TRIES; i++) {
      const x = this.rng.normal(this.mean, this.stddev);
      if (x >= this.min) return x;
    }
    return this.min;
  }
}

class LognormalLatency implements LatencySampler {
  constructor(
    private readonly rng: Stream,
    private readonly mu: number,
    private readonly sigma: number,
  ) {}
  sample(): number {
    return this.rng.lognormal(this.mu, this.sigma);
  }
}

class ParetoLatency implements LatencySampler {
  constructor(
    private readonly rng: Stream,
    private readonly scale: number,
    private readonly shape: number,
  ) {}
  sample(): number {
    return this.rng.pareto(this.scale, this.shape);
  }
}

/** matrix[region(from)][region(to)] from a flattened table, plus optional jitter. */
class RegionLatency implements LatencySampler {
  constructor(
    private readonly nodeRegion: Int32Array,
    private readonly table: Float64Array,
    private readonly regionCount: number,
    private readonly jitter: LatencySampler | null,
  ) {}
  sample(from: number, to: number): number {
    const base = this.table[this.nodeRegion[from]! * this.regionCount + this.nodeRegion[to]!]!;
    return this.jitter === null ? base : base + this.jitter.sample(from, to);
  }
}

function basicSampler(m: BasicLatencyModel, rng: Stream): LatencySampler {
  switch (m.model) {
    case "constant":
      return new ConstantLatency(m.value);
    case "uniform":
      return new UniformLatency(rng, m.min, m.max);
    case "normal":
      return new NormalLatency(rng, m.mean, m.stddev, m.min);
    case "lognormal":
      return new LognormalLatency(rng, m.mu, m.sigma);
    case "pareto":
      return new ParetoLatency(rng, m.scale, m.shape);
  }
}

/** Region index of every node for a region model (round robin or by name). */
export function assignRegions(regions: readonly string[], assignment: "roundRobin" | readonly string[], nodeCount: number): Int32Array {
  const out = new Int32Array(nodeCount);
  if (regions.length === 0) throw new Error("latency.regions must not be empty");
  if (assignment === "roundRobin") {
    for (let i = 0; i < nodeCount; i++) out[i] = i % regions.length;
    return out;
  }
  if (assignment.length < nodeCount) {
    throw new Error(`latency.assignment names ${assignment.length} regions for ${nodeCount} nodes`);
  }
  const index = new Map<string, number>();
  for (let i = 0; i < regions.length; i++) index.set(regions[i]!, i);
  for (let i = 0; i < nodeCount; i++) {
    const r = index.get(assignment[i]!);
    if (r === undefined) throw new Error(`latency.assignment[${i}]: unknown region "${assignment[i]}"`);
    out[i] = r;
  }
  return out;
}

/** Builds the sampler; every draw comes from `rng` (the "net.latency" stream). */
export function latencySampler(model: LatencyModel, nodeCount: number, rng: Stream): LatencySampler {
  if (model.model !== "regions") return basicSampler(model, rng);
  const k = model.regions.length;
  const table = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const row = model.matrix[i];
    if (row === undefined || row.length < k) throw new Error(`latency.matrix row ${i} must have ${k} entries`);
    for (let j = 0; j < k; j++) table[i * k + j] = row[j]!;
  }
  const regions = assignRegions(model.regions, model.assignment, nodeCount);
  const jitter = model.jitter === undefined ? null : basicSampler(model.jitter, rng);
  return new RegionLatency(regions, table, k, jitter);
}

/** Propagation delay of one copy: latency model plus optional reordering jitter, never negative. */
export class Propagation {
  private readonly latency: LatencySampler;
  private readonly reorderProbability: number;
  private readonly reorderMaxDelay: number;

  constructor(
    config: NetworkConfig,
    nodeCount: number,
    latencyRng: Stream,
    private readonly reorderRng: Stream,
  ) {
    this.latency = latencySampler(config.latency, nodeCount, latencyRng);
    this.reorderProbability = config.reorder?.probability ?? 0;
    this.reorderMaxDelay = config.reorder?.maxDelay ?? 0;
  }

  delay(from: number, to: number): number {
    let d = this.latency.sample(from, to);
    if (this.reorderProbability > 0 && this.reorderRng.next() < this.reorderProbability) {
      d += this.reorderRng.uniform(0, this.reorderMaxDelay);
    }
    return Math.max(d, 0);
  }
}

/** Extra delay from spike windows [at, until) containing `now` (overlapping windows add up). */
export class SpikeTable {
  private readonly at: Float64Array;
  private readonly until: Float64Array;
  private readonly extra: Float64Array;
  /** Earliest start and latest end, so sends outside every window cost one comparison. */
  private readonly first: number;
  private readonly last: number;

  constructor(spikes: readonly LatencySpike[]) {
    const n = spikes.length;
    this.at = new Float64Array(n);
    this.until = new Float64Array(n);
    this.extra = new Float64Array(n);
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const s = spikes[i]!;
      this.at[i] = s.at;
      this.until[i] = s.until;
      this.extra[i] = s.extra;
      first = Math.min(first, s.at);
      last = Math.max(last, s.until);
    }
    this.first = first;
    this.last = last;
  }

  extraAt(now: number): number {
    if (now < this.first || now >= this.last) return 0;
    let sum = 0;
    for (let i = 0; i < this.at.length; i++) {
      if (now >= this.at[i]! && now < this.until[i]!) sum += this.extra[i]!;
    }
    return sum;
  }
}
