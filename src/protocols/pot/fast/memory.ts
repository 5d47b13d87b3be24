// The typed-array memory of one world's PoT work (the replicas of a world share it through their
// PotSharedCache; a ledger without one gets its own): the slabs that per-report arrays kept until
// maturity are cut from, and the scratch buffers of the fast paths. Nothing in it is ever read back
// as a value: it only decides where bytes live, so sharing it never changes a result.
// May import: ./encode, ./marks, ./slab.

import { ListEncoder } from "./encode.js";
import { HandleMarks } from "./marks.js";
import { f64Slab, i32Slab, type Slab } from "./slab.js";

export class PotMemory {
  /** Reward limbs of blocks (fast/plan.ts's mining and total arrays), kept until maturity. */
  readonly blockLimbs: Slab<Float64Array>;
  /** Wallet handles of prepared reports, kept by reward blocks until maturity. */
  readonly handles: Slab<Int32Array>;
  /** Report list encoding (its buffer, and the slab list lines live in until a stable checkpoint). */
  readonly encoder: ListEncoder;
  /** Maturity's merge of a block's resource and meta parts. */
  readonly marks = new HandleMarks();
  /** Per-entry scratch of fast/plan.ts (shares, then amounts); see planScratch. */
  private plan = new Float64Array(0);

  /**
   * @param chunked cut arrays from shared chunks (a world's memory); false: every array its own
   * allocation (memory for a single report, e.g. one prepared without a world).
   */
  constructor(chunked = true) {
    this.blockLimbs = chunked ? f64Slab() : f64Slab(0);
    this.handles = chunked ? i32Slab() : i32Slab(0);
    this.encoder = new ListEncoder(chunked);
  }

  /** At least `length` doubles of plan scratch (the plan is synchronous: one buffer serves every call). */
  planScratch(length: number): Float64Array {
    if (this.plan.length < length) this.plan = new Float64Array(length + 1024);
    return this.plan;
  }
}
