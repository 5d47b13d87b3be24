// traffic/onoff-arrival: bursty arrivals from a two-state Markov-modulated Poisson process.
// The on/off path is drawn lazily from the process's own stream, starting at time 0 in the
// stationary distribution; arrivals inside each sojourn come from the caller's stream.
// May import: kernel (Stream), ./arrival (types), ./config.

import type { Stream } from "../kernel/index.js";
import type { ArrivalProcess } from "./arrival.js";
import type { ArrivalConfig } from "./config.js";

type OnOffConfig = Extract<ArrivalConfig, { model: "onOff" }>;

export class OnOffArrival implements ArrivalProcess {
  private readonly onRate: number;
  private readonly offRate: number;
  private readonly meanOn: number;
  private readonly meanOff: number;
  /** Long-run rate: the state rates weighted by the stationary probabilities of on and off. */
  readonly meanRate: number;
  private on: boolean;
  private segStart = 0;
  private segEnd: number;

  constructor(
    config: OnOffConfig,
    private readonly path: Stream,
  ) {
    const { onRate, meanOn, meanOff } = config;
    const offRate = config.offRate ?? 0;
    for (const [k, v] of Object.entries({ onRate, offRate })) {
      if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`onOff ${k} must be finite and >= 0, got ${v}`);
    }
    for (const [k, v] of Object.entries({ meanOn, meanOff })) {
      if (!(v > 0) || !Number.isFinite(v)) throw new Error(`onOff ${k} must be finite and > 0, got ${v}`);
    }
    this.onRate = onRate;
    this.offRate = offRate;
    this.meanOn = meanOn;
    this.meanOff = meanOff;
    this.meanRate = (onRate * meanOn + offRate * meanOff) / (meanOn + meanOff);
    // Stationary start: P(on) = meanOn/(meanOn+meanOff); by memorylessness the residual
    // sojourn of the starting state is a full exponential.
    this.on = path.bernoulli(meanOn / (meanOn + meanOff));
    this.segEnd = path.exponential(this.on ? meanOn : meanOff);
  }

  /** Whether the source is "on" at t (advances the path; throws for t before the current sojourn). */
  isOn(t: number): boolean {
    if (t < this.segStart) throw new Error(`onOff state at ${t} is no longer known (current sojourn began at ${this.segStart})`);
    this.advance(t);
    return this.on;
  }

  /** Calls must come in non-decreasing `after`; an `after` before the current sojourn is treated as its start. */
  nextArrival(after: number, rng: Stream): number {
    if (this.onRate <= 0 && this.offRate <= 0) return Number.POSITIVE_INFINITY;
    let t = Math.max(after, this.segStart);
    this.advance(t);
    // Exponential clocks are memoryless, so restarting the draw at each state change is exact.
    for (;;) {
      const lambda = this.on ? this.onRate : this.offRate;
      if (lambda > 0) {
        const c = t + rng.exponential(1 / lambda);
        if (c < this.segEnd) return c;
      }
      t = this.segEnd;
      this.advance(t);
    }
  }

  /** The modulated rate at t; for t before the current sojourn (history is not kept), the mean rate. */
  rate(t: number): number {
    if (t < this.segStart) return this.meanRate;
    return this.isOn(t) ? this.onRate : this.offRate;
  }

  /** Uses the stationary mean rate, not the realised path (the aggregated mode needs a path-free mean). */
  expectedCount(t0: number, t1: number): number {
    return this.meanRate * Math.max(0, t1 - t0);
  }

  private advance(t: number): void {
    while (this.segEnd <= t) {
      this.segStart = this.segEnd;
      this.on = !this.on;
      this.segEnd = this.segStart + this.path.exponential(this.on ? this.meanOn : this.meanOff);
    }
  }
}
