// Vote counting: a bitset of replica ids with a running count (O(1) duplicate detection), and a
// per-digest tally in which each sender's first vote for a slot is the only one counted.

/**
 * Set of replica ids 0 … n−1 as a bitset with a cached size: words of 32 ids, the first one in a
 * number field and the others (n > 32) in a typed array. Every log slot holds four of these sets
 * (up to a stable checkpoint, so the GC copies them); with n ≤ 32 they are one small object each.
 * Ids are used exactly as a single Uint32Array of ⌈n/32⌉ words would use them (word id >>> 5, bit
 * id & 31, words beyond the end read as empty and ignore writes).
 */
export class VoteSet {
  /** Word 0 (ids 0 … 31). */
  private low = 0;
  /** Words 1 … (null when there are none). */
  private readonly high: Uint32Array | null;
  /** Number of words, ⌈n/32⌉. */
  private readonly words: number;
  count = 0;

  constructor(n: number) {
    this.words = (n + 31) >>> 5;
    this.high = this.words > 1 ? new Uint32Array(this.words - 1) : null;
  }

  private word(w: number): number {
    if (w >= this.words) return 0;
    return w === 0 ? this.low : this.high![w - 1]!;
  }

  has(id: number): boolean {
    return ((this.word(id >>> 5) >>> (id & 31)) & 1) === 1;
  }

  /** Adds `id`; false if it was already present. */
  add(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    if (w < this.words) {
      const cur = this.word(w);
      if ((cur & bit) !== 0) return false;
      if (w === 0) this.low = cur | bit;
      else this.high![w - 1] = cur | bit;
    }
    this.count++;
    return true;
  }

  /** Removes `id`; false if it was absent. */
  remove(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const cur = this.word(w);
    if ((cur & bit) === 0) return false;
    if (w === 0) this.low = cur & ~bit;
    else this.high![w - 1] = cur & ~bit;
    this.count--;
    return true;
  }

  /** Member ids ascending, at most `limit` of them, skipping ids for which `skip(id)` holds. */
  toArray(limit = Number.MAX_SAFE_INTEGER, skip?: (id: number) => boolean): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.words && out.length < limit; w++) {
      let x = this.word(w);
      while (x !== 0 && out.length < limit) {
        const low = x & -x;
        const id = (w << 5) + (31 - Math.clz32(low));
        x ^= low;
        if (skip === undefined || !skip(id)) out.push(id);
      }
    }
    return out;
  }

  static fromArray(n: number, ids: ReadonlyArray<number>): VoteSet {
    const s = new VoteSet(n);
    for (const id of ids) s.add(id);
    return s;
  }
}

/**
 * Votes for one slot in one view, split by digest. A sender's first vote is the only one counted
 * (a correct replica votes once per slot and view), which bounds memory under equivocation.
 */
export class Tally {
  private readonly n: number;
  private readonly voted: VoteSet;
  private d0: string | null = null;
  private s0: VoteSet | null = null;
  private rest: Map<string, VoteSet> | null = null;

  constructor(n: number) {
    this.n = n;
    this.voted = new VoteSet(n);
  }

  /** Records `sender`'s vote for `digest`; returns the new count for it, or −1 if `sender` already voted. */
  add(digest: string, sender: number): number {
    if (!this.voted.add(sender)) return -1;
    const s = this.setFor(digest, true)!;
    s.add(sender);
    return s.count;
  }

  count(digest: string): number {
    const s = this.setFor(digest, false);
    return s === null ? 0 : s.count;
  }

  /** The voters for `digest` (null if none). Do not mutate. */
  voters(digest: string): VoteSet | null {
    return this.setFor(digest, false);
  }

  hasVoted(sender: number): boolean {
    return this.voted.has(sender);
  }

  /** (digest, voter ids) pairs, for persistence. */
  entries(): Array<[string, number[]]> {
    const out: Array<[string, number[]]> = [];
    if (this.d0 !== null) out.push([this.d0, this.s0!.toArray()]);
    if (this.rest !== null) for (const [d, s] of this.rest) out.push([d, s.toArray()]);
    return out;
  }

  private setFor(digest: string, create: boolean): VoteSet | null {
    if (this.d0 === digest) return this.s0;
    if (this.d0 === null) {
      if (!create) return null;
      this.d0 = digest;
      this.s0 = new VoteSet(this.n);
      return this.s0;
    }
    let s = this.rest?.get(digest) ?? null;
    if (s === null && create) {
      if (this.rest === null) this.rest = new Map();
      s = new VoteSet(this.n);
      this.rest.set(digest, s);
    }
    return s;
  }
}
