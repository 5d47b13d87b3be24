// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
// IEEE TSE 28(2), 2002: the ddmin algorithm) over a list of elements: the result still fails the
// test and is 1-minimal — removing any single one of its elements makes the test pass — provided
// the search ran to its end. Elements are tried in list order, subsets before complements, so the
// result is a function of the list and the test alone.
//
// The test may throw (the shrink's budget ran out): `best` then holds the smallest failing set
// found so far, which is what a budget-limited shrink reports.

/** ddmin's state, readable while it runs (and after a throw). */
export class DeltaDebugger<T> {
  /** The smallest failing list found so far. */
  best: T[];

  constructor(
    elements: readonly T[],
    private readonly fails: (subset: readonly T[]) => boolean,
  ) {
    this.best = [...elements];
  }

  /** Runs ddmin from `best` and returns the 1-minimal failing list. */
  run(): T[] {
    if (this.best.length === 0) return this.best;
    if (this.fails([])) {
      this.best = [];
      return this.best;
    }
    let n = 2;
    while (this.best.length >= 2) {
      const c = this.best;
      const chunks = split(c, Math.min(n, c.length));
      let reduced = false;
      for (const d of chunks) {
        if (this.fails(d)) {
          this.best = d;
          n = 2;
          reduced = true;
          break;
        }
      }
      // With two chunks, each complement is the other chunk: already tested.
      if (!reduced && chunks.length > 2) {
        for (let i = 0; i < chunks.length; i++) {
          const complement = chunks.filter((_, j) => j !== i).flat();
          if (this.fails(complement)) {
            this.best = complement;
            n = Math.max(n - 1, 2);
            reduced = true;
            break;
          }
        }
      }
      if (!reduced) {
        if (chunks.length >= c.length) break;
        n = Math.min(2 * n, c.length);
      }
    }
    return this.best;
  }
}

/** `c` in `n` contiguous chunks whose sizes differ by at most one (the larger ones first). */
export function split<T>(c: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(c.length / n) + (i < c.length % n ? 1 : 0);
    out.push(c.slice(start, start + size));
    start += size;
  }
  return out;
}
