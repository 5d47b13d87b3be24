// traffic/diurnal-arrival: non-homogeneous Poisson arrivals with a sinusoidal daily cycle,
// drawn by thinning (Lewis–Shedler) against the peak rate; expected counts integrate exactly.
// May import: kernel (Stream), ./arrival (types), ./config.

import type { Stream } from "../kernel/index.js";
import type { ArrivalProcess } from "./arrival.js";
import type { ArrivalConfig } from "./config.js";

type DiurnalConfig = Extract<ArrivalConfig, { model: "diurnal" }>;

export const DEFAULT_DIURNAL_PERIOD = 86_400;

export class DiurnalArrival implements ArrivalProcess {
  private readonly mean: number;
  private readonly amplitude: number;
  private readonly period: number;
  /** Time of the first peak, in [0, period). */
  private readonly peak: number;
  private readonly maxRate: number;

  constructor(config: DiurnalConfig) {
    const { meanRate, amplitude, peakHour } = config;
    const period = config.period ?? DEFAULT_DIURNAL_PERIOD;
    if (!(meanRate >= 0) || !Number.isFinite(meanRate)) throw new Error(`diurnal meanRate must be finite and >= 0, got ${meanRate}`);
    if (!(amplitude >= 0 && amplitude <= 1)) throw new Error(`diurnal amplitude must be in [0, 1], got ${amplitude}`);
    if (!(peakHour >= 0 && peakHour <= 24)) throw new Error(`diurnal peakHour must be in [0, 24], got ${peakHour}`);
    if (!(period > 0)) throw new Error(`diurnal period must be > 0, got ${period}`);
    this.mean = meanRate;
    this.amplitude = amplitude;
    this.period = period;
    this.peak = ((peakHour % 24) / 24) * period;
    this.maxRate = meanRate * (1 + amplitude);
  }

  nextArrival(after: number, rng: Stream): number {
    if (!(this.maxRate > 0)) return Number.POSITIVE_INFINITY;
    const bound = this.maxRate;
    let t = after;
    // Candidates from a rate-`bound` Poisson process, each kept with probability rate(t)/bound.
    for (;;) {
      t += rng.exponential(1 / bound);
      if (rng.next() * bound < this.rate(t)) return t;
    }
  }

  rate(t: number): number {
    return this.mean * (1 + this.amplitude * Math.cos(this.phase(t)));
  }

  /** ∫ rate over [t0, t1) = mean·(Δt + amplitude·P/2π·(sin φ(t1) − sin φ(t0))). */
  expectedCount(t0: number, t1: number): number {
    if (!(t1 > t0)) return 0;
    const wave = ((this.amplitude * this.period) / (2 * Math.PI)) * (Math.sin(this.phase(t1)) - Math.sin(this.phase(t0)));
    return this.mean * (t1 - t0 + wave);
  }

  private phase(t: number): number {
    return (2 * Math.PI * (t - this.peak)) / this.period;
  }
}
