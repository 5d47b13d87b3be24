// traffic/catalog: which files exist, how popular each is (Zipf over ranks: file 0 is the most
// popular) and which k distinct resource nodes hold each one. Placement is drawn once, at
// construction, from the given stream; downloads are served by a uniform online replica.
// May import: kernel (Stream, ZipfSampler), ./config.

import { type Stream, ZipfSampler } from "../kernel/index.js";
import type { CatalogConfig } from "./config.js";

/** Whether a node can serve right now; omitted means every node is online. */
export type OnlinePredicate = (node: number) => boolean;

export class Catalog {
  readonly files: number;
  readonly replicas: number;
  readonly nodes: number;
  private readonly zipf: ZipfSampler;
  /** P(file i), exact. */
  private readonly popularity: Float64Array;
  /** Holders of file f at [f·k, f·k + k). */
  private readonly placement: Int32Array;
  /** nodeShares cache, keyed by the online mask it was computed for. */
  private cachedMask: Uint8Array | undefined;
  private cachedShares: Float64Array | undefined;

  constructor(config: CatalogConfig, placementRng: Stream) {
    const { files, zipfExponent, replicas, nodes } = config;
    if (!Number.isInteger(files) || files < 1) throw new Error(`catalog files must be an integer >= 1, got ${files}`);
    if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`catalog nodes must be an integer >= 1, got ${nodes}`);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > nodes) {
      throw new Error(`catalog replicas must be an integer in [1, nodes=${nodes}], got ${replicas}`);
    }
    if (!(zipfExponent >= 0) || !Number.isFinite(zipfExponent)) throw new Error(`zipfExponent must be finite and >= 0, got ${zipfExponent}`);
    this.files = files;
    this.replicas = replicas;
    this.nodes = nodes;
    this.zipf = new ZipfSampler(files, zipfExponent);
    this.popularity = new Float64Array(files);
    let h = 0;
    for (let i = 0; i < files; i++) h += this.popularity[i] = 1 / (i + 1) ** zipfExponent;
    for (let i = 0; i < files; i++) this.popularity[i]! /= h;

    // Partial Fisher–Yates on a permutation that persists across files: the first k entries
    // after each pass are a uniform k-subset whatever order the permutation was left in.
    this.placement = new Int32Array(files * replicas);
    const perm = Int32Array.from({ length: nodes }, (_, i) => i);
    for (let f = 0; f < files; f++) {
      for (let j = 0; j < replicas; j++) {
        const r = j + placementRng.int(nodes - j);
        const t = perm[j]!;
        perm[j] = perm[r]!;
        perm[r] = t;
        this.placement[f * replicas + j] = perm[j]!;
      }
    }
  }

  /** Exact probability that a download asks for `file`. */
  probability(file: number): number {
    return this.popularity[file]!;
  }

  /** The k distinct nodes holding `file`. */
  holders(file: number): readonly number[] {
    return Array.from(this.placement.subarray(file * this.replicas, (file + 1) * this.replicas));
  }

  pickFile(rng: Stream): number {
    return this.zipf.sample(rng);
  }

  /** A uniform choice among the file's online holders; undefined (and no draw) if none is online. */
  pickServer(file: number, rng: Stream, online?: OnlinePredicate): number | undefined {
    const k = this.replicas;
    const base = file * k;
    if (!online) return this.placement[base + rng.int(k)]!;
    let up = 0;
    for (let j = 0; j < k; j++) if (online(this.placement[base + j]!)) up++;
    if (up === 0) return undefined;
    let pick = rng.int(up);
    for (let j = 0; j < k; j++) {
      const node = this.placement[base + j]!;
      if (online(node) && pick-- === 0) return node;
    }
    return undefined;
  }

  /**
   * P(a download is served by node j) = Σ over files held by j of P(file)/k_online(file).
   * Sums to 1 minus the popularity of files with no online holder (those downloads fail).
   * Costs O(files·k) unless the online set equals the previous call's (then O(nodes)).
   */
  nodeShares(online?: OnlinePredicate): Float64Array {
    const mask = new Uint8Array(this.nodes);
    for (let n = 0; n < this.nodes; n++) mask[n] = !online || online(n) ? 1 : 0;
    return this.sharesForMask(mask).slice();
  }

  /** nodeShares for an online mask (1 = online). The result is the cache itself: read it, never write it. */
  sharesForMask(mask: Uint8Array): Float64Array {
    if (this.cachedShares && this.cachedMask && sameMask(mask, this.cachedMask)) return this.cachedShares;
    const shares = new Float64Array(this.nodes);
    const k = this.replicas;
    for (let f = 0; f < this.files; f++) {
      const base = f * k;
      let up = 0;
      for (let j = 0; j < k; j++) up += mask[this.placement[base + j]!]!;
      if (up === 0) continue;
      const each = this.popularity[f]! / up;
      for (let j = 0; j < k; j++) {
        const node = this.placement[base + j]!;
        if (mask[node]) shares[node]! += each;
      }
    }
    this.cachedMask = mask.slice();
    this.cachedShares = shares;
    return shares;
  }
}

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
