// WalletBook: interns wallet addresses to dense integer handles (and keeps them in address order for
// maturity's per-wallet order). Handles are an internal detail: digests and snapshots always use
// addresses. The replicas of one world share one book through their PotSharedCache (shared.ts).

/** Append-only address ↔ handle table. Several ledgers may share one (handles then agree across them). */
export class WalletBook {
  private readonly index = new Map<string, number>();
  private readonly addrs: string[] = [];
  /** Handles in address order and each handle's position in it, for the first `orderSize` handles. */
  private sorted = new Int32Array(0);
  private ranks = new Int32Array(0);
  private orderSize = 0;

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

  /**
   * Address order of every handle so far: `sorted` lists handles by address (string `<`, i.e. UTF-16
   * code units, which is byte order for ASCII addresses) and `rank[h]` is h's position in `sorted`.
   * Handles added since the last call are sorted and merged in (O(n) per growth, not a full re-sort).
   * The arrays are replaced, never mutated, when the book grows.
   */
  addressOrder(): { readonly sorted: Int32Array; readonly rank: Int32Array } {
    const n = this.addrs.length;
    if (this.orderSize !== n) {
      const a = this.addrs;
      const cmp = (x: number, y: number) => (a[x]! < a[y]! ? -1 : a[x]! > a[y]! ? 1 : 0);
      const fresh = Int32Array.from({ length: n - this.orderSize }, (_, k) => this.orderSize + k).sort(cmp);
      const old = this.sorted;
      const sorted = new Int32Array(n);
      let i = 0;
      let j = 0;
      for (let k = 0; k < n; k++) {
        if (j >= fresh.length || (i < old.length && a[old[i]!]! < a[fresh[j]!]!)) sorted[k] = old[i++]!;
        else sorted[k] = fresh[j++]!;
      }
      const rank = new Int32Array(n);
      for (let k = 0; k < n; k++) rank[sorted[k]!] = k;
      this.sorted = sorted;
      this.ranks = rank;
      this.orderSize = n;
    }
    return { sorted: this.sorted, rank: this.ranks };
  }
}
