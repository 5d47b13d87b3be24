// WalletBook: interns wallet addresses to dense integer handles, and the optional cache shared by the
// replicas of one world. Handles are an internal detail: digests and snapshots always use addresses.

/** Append-only address ↔ handle table. Several ledgers may share one (handles then agree across them). */
export class WalletBook {
  private readonly index = new Map<string, number>();
  private readonly addrs: string[] = [];

  get size(): number {
    return this.addrs.length;
  }

  /** Handle of `addr`, creating it on first sight. */
  intern(addr: string): number {
    let i = this.index.get(addr);
    if (i === undefined) {
      i = this.addrs.length;
      this.addrs.push(addr);
      this.index.set(addr, i);
    }
    return i;
  }

  /** Handle of `addr`, or -1 if never seen. */
  find(addr: string): number {
    return this.index.get(addr) ?? -1;
  }

  address(i: number): string {
    const a = this.addrs[i];
    if (a === undefined) throw new RangeError(`unknown wallet handle ${i}`);
    return a;
  }
}

/**
 * Memo shared by the replicas of one world: the wallet book plus per-op preparations of volume reports
 * (parsing, sign-bytes digest, the resource-node reward computation). Every cached value is a pure
 * function of the op's content and the inputs it is keyed on, so sharing never changes results; it
 * only avoids recomputing the same report on every replica. Ops must not be mutated after execution.
 */
export interface PotSharedCache {
  readonly book: WalletBook;
  /** Keyed by the op object (identity). */
  readonly prepared: WeakMap<object, unknown>;
}

export function createSharedCache(): PotSharedCache {
  return { book: new WalletBook(), prepared: new WeakMap() };
}
