// traffic/trace-arrival: replays recorded arrival times. Stateful (a cursor), so repeated
// timestamps are each delivered once; one instance per user.
// May import: kernel (Stream), ./arrival (types).

import type { ArrivalProcess } from "./arrival.js";

export class TraceArrival implements ArrivalProcess {
  private readonly times: Float64Array;
  private cursor = 0;

  constructor(times: readonly number[]) {
    for (const t of times) if (!Number.isFinite(t)) throw new Error(`trace times must be finite, got ${t}`);
    this.times = Float64Array.from(times).sort();
  }

  /**
   * The next recorded time not earlier than `after` that has not been returned yet, Infinity
   * when the trace is exhausted. ("Not earlier" rather than "later" so that several requests
   * recorded at the same instant all replay.) Needs no randomness.
   */
  nextArrival(after: number): number {
    const ts = this.times;
    while (this.cursor < ts.length && ts[this.cursor]! < after) this.cursor++;
    return this.cursor < ts.length ? ts[this.cursor++]! : Number.POSITIVE_INFINITY;
  }

  /** The trace's average rate inside its span [first, last], 0 outside (a trace has no intensity). */
  rate(t: number): number {
    const ts = this.times;
    const n = ts.length;
    const span = n < 2 ? 0 : ts[n - 1]! - ts[0]!;
    if (!(span > 0) || t < ts[0]! || t > ts[n - 1]!) return 0;
    return n / span;
  }

  /** The exact number of recorded times in [t0, t1). */
  expectedCount(t0: number, t1: number): number {
    return t1 > t0 ? this.lowerBound(t1) - this.lowerBound(t0) : 0;
  }

  /** Index of the first time ≥ t. */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
