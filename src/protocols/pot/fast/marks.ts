// A set of wallet handles, each with a position, emptied in O(1): a typed-array stamp per handle
// compared with the current generation, instead of a Map or a cleared array per use (maturity merges a
// block's resource and meta parts with it for every block it reads).

export class HandleMarks {
  /** stamp[h] === the current generation: h is in the set, at pos[h]. */
  stamp = new Int32Array(0);
  pos = new Int32Array(0);
  private gen = 0;

  /**
   * Empties the set for handles below n and returns the new generation. The arrays may be replaced:
   * read `stamp` and `pos` after calling.
   */
  begin(n: number): number {
    if (this.stamp.length < n) {
      const cap = Math.max(n, this.stamp.length * 2, 64);
      this.stamp = new Int32Array(cap);
      this.pos = new Int32Array(cap);
      this.gen = 0;
    }
    if (++this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    return this.gen;
  }
}
