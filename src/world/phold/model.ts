// PHOLD, the classic synthetic discrete-event benchmark: every processed event at logical
// process i schedules one new event at t + lookahead + Exp(meanDelay) at a uniformly random LP
// (with probability `remote`, else at i). It exercises the kernel's public API only.

import type { Simulation } from "../../kernel/index.js";
import type { PholdSection } from "../scenario.js";

/** The scenario's `phold` section. */
export type PholdParams = PholdSection;

export class PholdModel {
  readonly counts: Uint32Array;
  private readonly kind: number;

  constructor(
    sim: Simulation,
    readonly params: PholdParams,
  ) {
    const { lps, remote, lookahead, meanDelay } = params;
    this.counts = new Uint32Array(lps);
    const counts = this.counts;
    const rng = sim.rng.stream("phold");
    // One handler for all LPs; the target is the LP index.
    let kind = 0;
    kind = sim.register("phold", (lp) => {
      counts[lp]!++;
      const dest = remote >= 1 || rng.next() < remote ? rng.int(lps) : lp;
      sim.post(lookahead + rng.exponential(meanDelay), dest, kind);
    });
    this.kind = kind;
    const start = sim.rng.stream("phold.init");
    for (let lp = 0; lp < lps; lp++) {
      for (let k = 0; k < params.init; k++) sim.schedule(start.exponential(meanDelay), lp, this.kind);
    }
  }

  /** Sum over LPs of count·index, mod 2^32. */
  checksum(): number {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) sum = (sum + Math.imul(this.counts[i]!, i)) >>> 0;
    return sum >>> 0;
  }

  totalEvents(): number {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) sum += this.counts[i]!;
    return sum;
  }
}
