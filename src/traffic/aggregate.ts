// traffic/aggregate: the aggregated per-epoch mode for years-long runs. Instead of single
// requests it draws, per epoch, how many tasks each node served and their total bytes, from
// the same model, so expected per-node volumes equal the per-request mode's:
//   downloads served by node j ~ Poisson(Λ·(1−u)·share_j),
//   upload replicas on node j  ~ Poisson(Λ·u·k'/n_on) for online j (k' = min(k, n_on)),
// with Λ = Σ users' expectedCount over [t0, t1). Marginals are exact; what is lost is the
// correlation between nodes (an upload's k' replicas, one request's size on several nodes)
// and the burstiness of on/off users within an epoch (they enter at their mean rate).
// May import: kernel (Stream), ./catalog (types), ./model, ./poisson, ./sizes (types), ./uploads.

import type { Stream } from "../kernel/index.js";
import type { OnlinePredicate } from "./catalog.js";
import type { TrafficModel } from "./model.js";
import { samplePoisson, samplePoissonAt } from "./poisson.js";
import type { SizeModel } from "./sizes.js";
import { uploadChargeMultiplier } from "./uploads.js";

export interface EpochAggregate {
  /** All requests issued in the epoch (downloads + uploads, served or not). */
  requests: number;
  downloads: number;
  uploads: number;
  /** Requests no online node could take (included in the counts above). */
  unserved: number;
  /** Tasks per node: downloads served plus upload replicas written. */
  perNodeTasks: Float64Array;
  /** Bytes credited per node (the sum of its tasks' sizes). */
  perNodeVolume: Float64Array;
}

/** Counts at or below EXACT_SUM_MIN are always summed draw by draw. */
export const EXACT_SUM_MIN = 64;
/** Above this count the normal approximation is used whatever the skew (bounds the cost). */
export const EXACT_SUM_MAX = 10_000;

/**
 * Largest count summed exactly: max(64, ⌈16·CV²⌉) capped at 10 000, so the normal's mean sits
 * ≥ 4 sd above 0 and clamping at 0 biases it by < 1e-5 relatively. Infinite when the variance
 * is (uncapped Pareto with shape ≤ 2): every draw is then made, at O(count) cost — give such
 * size models a `max` for long runs.
 */
export function exactSumThreshold(sizes: SizeModel): number {
  const m = sizes.mean();
  const v = sizes.variance();
  if (!Number.isFinite(m) || !Number.isFinite(v)) return Number.POSITIVE_INFINITY;
  if (!(m > 0)) return EXACT_SUM_MIN;
  return Math.min(EXACT_SUM_MAX, Math.max(EXACT_SUM_MIN, Math.ceil((16 * v) / (m * m))));
}

/** Total size of `count` objects: exact draws up to the threshold, else N(c·mean, c·var) clamped ≥ 0. */
export function sumOfSizes(count: number, sizes: SizeModel, rng: Stream, threshold = exactSumThreshold(sizes)): number {
  sumOfSizesInto(sumOut, 0, count, sizes, rng, threshold);
  return sumOut[0]!;
}

const sumOut = new Float64Array(1);

/** out[j] = sumOfSizes(count, …): the result stays unboxed in hot loops (a returned double may be allocated). */
function sumOfSizesInto(out: Float64Array, j: number, count: number, sizes: SizeModel, rng: Stream, threshold: number): void {
  if (count <= threshold) {
    let s = 0;
    for (let i = 0; i < count; i++) s += sizes.sample(rng);
    out[j] = s;
  } else out[j] = Math.max(0, rng.normal(count * sizes.mean(), Math.sqrt(count * sizes.variance())));
}

interface TaskMeans {
  /** Expected downloads served by each node. */
  download: Float64Array;
  /** Expected upload replicas written to each node (the same mean on every online node). */
  upload: Float64Array;
  /** Expected downloads with no online holder. */
  unservedDownloads: number;
  onlineNodes: number;
  /** The upload mean of an online node. */
  perUpNode: number;
}

/** Buffers aggregateEpoch reuses from one call to the next (the returned arrays are overwritten). */
export interface AggregateScratch {
  mask?: Uint8Array;
  download?: Float64Array;
  upload?: Float64Array;
  perNodeTasks?: Float64Array;
  perNodeVolume?: Float64Array;
}

/** e^(−upload mean) of the current epoch (an array: no boxed double on the way to the sampler). */
const upExp = new Float64Array(1);

const buffer = (a: Float64Array | undefined, n: number): Float64Array => (a && a.length === n ? a : new Float64Array(n));

/** Online nodes: a predicate, or a mask with 1 for each online node. */
export type OnlineSet = OnlinePredicate | Uint8Array;

function taskMeans(model: TrafficModel, t0: number, t1: number, online?: OnlineSet, scratch?: AggregateScratch): TaskMeans {
  const lambda = model.expectedRequests(t0, t1);
  const u = model.uploadFraction;
  const n = model.nodeCount;
  // One pass over the predicate (or the caller's mask): the mask serves the node count, the shares and the uploads.
  let mask: Uint8Array;
  let onlineNodes = 0;
  if (online instanceof Uint8Array) {
    mask = online;
    for (let j = 0; j < n; j++) onlineNodes += mask[j]!;
  } else {
    mask = scratch?.mask?.length === n ? scratch.mask : new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      const up = !online || online(j) ? 1 : 0;
      mask[j] = up;
      onlineNodes += up;
    }
  }
  const shares = model.catalog.sharesForMask(mask);
  const perUpNode = onlineNodes > 0 ? (lambda * u * uploadChargeMultiplier(model.uploadReplicas, onlineNodes)) / onlineNodes : 0;
  const download = buffer(scratch?.download, n);
  const upload = buffer(scratch?.upload, n);
  let served = 0;
  for (let j = 0; j < n; j++) {
    served += shares[j]!;
    download[j] = lambda * (1 - u) * shares[j]!;
    upload[j] = mask[j] ? perUpNode : 0;
  }
  if (scratch) {
    scratch.download = download;
    scratch.upload = upload;
    if (!(online instanceof Uint8Array)) scratch.mask = mask;
  }
  return { download, upload, unservedDownloads: lambda * (1 - u) * Math.max(0, 1 - served), onlineNodes, perUpNode };
}

/** Expected bytes credited to each node over [t0, t1): what both modes agree on. */
export function expectedNodeVolume(model: TrafficModel, t0: number, t1: number, online?: OnlinePredicate): Float64Array {
  const m = taskMeans(model, t0, t1, online);
  const mean = model.sizes.mean();
  return m.download.map((d, j) => (d + m.upload[j]!) * mean);
}

/**
 * One epoch [t0, t1) in aggregate. `online` is the node set for the whole epoch (e.g. churn
 * advanced to t0), as a predicate or a mask (1 = online); omitted means all nodes are up. Draw
 * order: per node j, its downloads, its upload replicas and its volume; then unserved downloads
 * and the upload count.
 * With `scratch`, buffers are reused across calls (the result's arrays then live until the next call).
 */
export function aggregateEpoch(
  model: TrafficModel,
  t0: number,
  t1: number,
  rng: Stream,
  online?: OnlineSet,
  scratch?: AggregateScratch,
): EpochAggregate {
  const m = taskMeans(model, t0, t1, online, scratch);
  const n = model.nodeCount;
  const sizes = model.sizes;
  const threshold = exactSumThreshold(sizes);
  const perNodeTasks = buffer(scratch?.perNodeTasks, n);
  const perNodeVolume = buffer(scratch?.perNodeVolume, n);
  if (scratch) {
    scratch.perNodeTasks = perNodeTasks;
    scratch.perNodeVolume = perNodeVolume;
  }
  // Every online node draws its uploads from the same mean: e^(−mean) once, not per node.
  upExp[0] = Math.exp(-m.perUpNode);
  const { download, upload } = m;
  let servedDownloads = 0;
  for (let j = 0; j < n; j++) {
    const d = samplePoissonAt(download, j, rng);
    const up = samplePoissonAt(upload, j, rng, upExp);
    servedDownloads += d;
    perNodeTasks[j] = d + up;
    sumOfSizesInto(perNodeVolume, j, d + up, sizes, rng, threshold);
  }
  const unservedDownloads = samplePoisson(m.unservedDownloads, rng);
  const lambda = model.expectedRequests(t0, t1);
  const uploads = samplePoisson(lambda * model.uploadFraction, rng);
  const unserved = unservedDownloads + (m.onlineNodes === 0 ? uploads : 0);
  const downloads = servedDownloads + unservedDownloads;
  return { requests: downloads + uploads, downloads, uploads, unserved, perNodeTasks, perNodeVolume };
}
