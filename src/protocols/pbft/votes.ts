// Vote counting: a bitset of replica ids with a running count (O(1) duplicate detection), and a
// per-digest tally in which each sender's first vote for a slot is the only one counted.

/** Set of replica ids 0 … n−1 as a bitset with a cached size. */
export class VoteSet {
  readonly words: Uint32Array;
  count = 0;

  constructor(n: number) {
    this.words = new Uint32Array((n + 31) >>> 5);
  }

  has(id: number): boolean {
    return ((this.words[id >>> 5]! >>> (id & 31)) & 1) === 1;
  }

  /** Adds `id`; false if it was already present. */
  add(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const cur = this.words[w]!;
    if ((cur & bit) !== 0) return false;
    this.words[w] = cur | bit;
    this.count++;
    return true;
  }

  /** Removes `id`; false if it was absent. */
  remove(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const cur = this.words[w]!;
    if ((cur & bit) === 0) return false;
    this.words[w] = cur & ~bit;
    this.count--;
    return true;
  }

  /** Member ids ascending, at most `limit` of them, skipping ids for which `skip(id)` holds. */
  toArray(limit = Number.MAX_SAFE_INTEGER, skip?: (id: number) => boolean): number[] {
    const out: number[] = [];
    const words = this.words;
    for (let w = 0; w < words.length && out.length < limit; w++) {
      let x = words[w]!;
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
