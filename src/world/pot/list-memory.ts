// The meta committee's memory tactics, kept out of its rules (actors.ts): where each epoch's volume
// list lives, the wallet slots' handles in the shared book (looked up once), scratch for ranking slots,
// and the branch-free compaction of served slots into a list. None of it decides what a list holds.
// May import: protocols/pot.

import { f64Slab, i32Slab, type PotSharedCache, u8Slab } from "../../protocols/pot/index.js";

export class ListMemory {
  /**
   * Volume lists: views of shared chunks, cheaper than a fresh typed array each. Small chunks: a list
   * lives about an epoch, so a chunk is freed young and malloc reuses its memory (large chunks would
   * be fresh pages, each costing a page fault on first write).
   */
  private readonly volumeSlab = f64Slab(1 << 13);
  /** Wallet handles of lists: reward blocks keep them until maturity, so a slab of their own. */
  private readonly handleSlab = i32Slab();
  /** Report list lines copied out of the traffic feed's ring (they live as long as the report's op). */
  private readonly linesSlab = u8Slab();
  /** Each slot's wallet handle in the shared book, once all are interned (they never change after). */
  private slotHandleMemo: Int32Array | undefined;
  private rankScratch: Int32Array | undefined;

  constructor(
    private readonly cache: PotSharedCache,
    private readonly walletNames: readonly string[],
  ) {}

  /** A zeroed list of n volumes. */
  volumes(n: number): Float64Array {
    return this.volumeSlab.take(n);
  }

  /** A zeroed list of n wallet handles. */
  handles(n: number): Int32Array {
    return this.handleSlab.take(n);
  }

  /** A copy of list lines (e.g. out of the feed's ring, which is reused). */
  copyLines(lines: Uint8Array): Uint8Array {
    const copy = this.linesSlab.take(lines.length);
    copy.set(lines);
    return copy;
  }

  /** Each wallet slot's handle in the shared book, or undefined while some slot's wallet is not interned yet. */
  slotHandles(): Int32Array | undefined {
    if (!this.slotHandleMemo) {
      const h = new Int32Array(this.walletNames.length);
      for (let i = 0; i < h.length; i++) {
        h[i] = this.cache.book.find(this.walletNames[i]!);
        if (h[i]! < 0) return undefined;
      }
      this.slotHandleMemo = h;
    }
    return this.slotHandleMemo;
  }

  /** Scratch for ranking n of the slots (reused; valid until the next call). */
  rank(n: number): Int32Array {
    this.rankScratch ??= new Int32Array(this.walletNames.length);
    return this.rankScratch.subarray(0, n);
  }
}

/**
 * Lists every slot i with vol[i] ≥ 1, in slot order, into (volumes, handles, wallets) and returns how
 * many: the plain loop `if (vol[i] >= 1) { …[k++] = … }` without its branch, whose outcome (did a node
 * serve this epoch) is close to a coin flip. Each slot is written at k, which only advances for a
 * listed slot, so the lists need one spare entry (index `count`) for the unlisted slots after the last
 * listed one. `vol` must hold whole numbers.
 */
export function compactListed(
  vol: Float64Array,
  names: readonly string[],
  slotHandles: Int32Array,
  volumes: Float64Array,
  handles: Int32Array,
  wallets: string[],
): number {
  let k = 0;
  for (let i = 0; i < vol.length; i++) {
    const v = vol[i]!;
    volumes[k] = v;
    handles[k] = slotHandles[i]!;
    wallets[k] = names[i]!;
    k += +(v >= 1);
  }
  return k;
}
