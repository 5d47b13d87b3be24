// traffic/poisson-arrival: homogeneous Poisson arrivals at a fixed rate per second.
// May import: kernel (Stream), ./arrival (types).

import type { Stream } from "../kernel/index.js";
import type { ArrivalProcess } from "./arrival.js";

export class PoissonArrival implements ArrivalProcess {
  constructor(private readonly lambda: number) {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`poisson rate must be finite and >= 0, got ${lambda}`);
  }

  nextArrival(after: number, rng: Stream): number {
    return this.lambda > 0 ? after + rng.exponential(1 / this.lambda) : Number.POSITIVE_INFINITY;
  }

  rate(): number {
    return this.lambda;
  }

  expectedCount(t0: number, t1: number): number {
    return this.lambda * Math.max(0, t1 - t0);
  }
}
