// Serial CPU per node: work is queued FIFO behind whatever the node is already doing. Because a
// replica handles inputs in arrival order anyway, its state may change at arrival time; only the
// moment its outputs leave is pushed back to when the CPU finishes, which is exactly what a
// single FIFO server would produce, without an extra event per input.

export class CpuModel {
  private readonly freeAt: Float64Array;
  private readonly busy: Float64Array;

  constructor(nodes: number) {
    this.freeAt = new Float64Array(nodes);
    this.busy = new Float64Array(nodes);
  }

  /** Charges `cost` seconds of work arriving at `now`; returns when it completes. */
  charge(node: number, now: number, cost: number): number {
    const start = this.freeAt[node]! > now ? this.freeAt[node]! : now;
    const end = start + cost;
    this.freeAt[node] = end;
    this.busy[node]! += cost;
    return end;
  }

  /** Forgets queued work (a crash loses it). */
  reset(node: number, now: number): void {
    if (this.freeAt[node]! > now) this.freeAt[node] = now;
  }

  busySeconds(node: number): number {
    return this.busy[node]!;
  }

  utilisation(node: number, elapsed: number): number {
    return elapsed > 0 ? Math.min(1, this.busy[node]! / elapsed) : 0;
  }
}
