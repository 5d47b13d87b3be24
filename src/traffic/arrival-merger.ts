// traffic/arrival-merger: merges the users' arrival processes into one time-ordered sequence
// (a binary heap of users keyed by their next arrival; ties go to the lower user id), so the
// world needs only one pending kernel event for all of a model's requests.
// May import: nothing.

export class ArrivalMerger {
  private readonly times: Float64Array;
  private readonly heap: Int32Array;
  private size = 0;

  /** `next(user, after)` is the user's first arrival after `after` (Infinity: none). */
  constructor(
    users: number,
    private readonly next: (user: number, after: number) => number,
    start: number,
  ) {
    this.times = new Float64Array(users);
    this.heap = new Int32Array(users);
    for (let u = 0; u < users; u++) {
      const t = next(u, start);
      this.times[u] = t;
      if (t !== Number.POSITIVE_INFINITY) this.push(u);
    }
  }

  /** Time of the earliest pending arrival; Infinity when every user is exhausted. */
  peekTime(): number {
    return this.size > 0 ? this.times[this.heap[0]!]! : Number.POSITIVE_INFINITY;
  }

  /** Time of the arrival the last popUser() removed. */
  poppedTime = 0;

  /**
   * Removes the earliest arrival and draws that user's next one, without a result object (one per
   * request in per-request worlds): the user, or −1 when exhausted; the arrival's time is then in
   * `poppedTime` (test/traffic/model.test.ts: same sequence).
   */
  popUser(): number {
    if (this.size === 0) return -1;
    const user = this.heap[0]!;
    const time = this.times[user]!;
    const t = this.next(user, time);
    this.times[user] = t;
    if (t === Number.POSITIVE_INFINITY) {
      const last = this.heap[--this.size]!;
      if (this.size > 0) {
        this.heap[0] = last;
        this.down(0);
      }
    } else {
      this.down(0);
    }
    this.poppedTime = time;
    return user;
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a]!;
    const tb = this.times[b]!;
    return ta < tb || (ta === tb && a < b);
  }

  private push(user: number): void {
    let i = this.size++;
    this.heap[i] = user;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < this.size && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }
}
