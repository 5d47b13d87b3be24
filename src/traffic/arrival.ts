// traffic/arrival: the ArrivalProcess interface shared by every arrival model, and the factory
// that turns an ArrivalConfig into one process (one per user: some models keep state).
// May import: kernel (Stream), ./config and the arrival models.

import type { Stream } from "../kernel/index.js";
import type { ArrivalConfig } from "./config.js";
import { DiurnalArrival } from "./diurnal-arrival.js";
import { OnOffArrival } from "./onoff-arrival.js";
import { PoissonArrival } from "./poisson-arrival.js";
import { TraceArrival } from "./trace-arrival.js";

/**
 * A point process of request times. Callers ask for arrivals in non-decreasing `after` order
 * (each call usually passing the previous arrival); stateful models rely on that.
 */
export interface ArrivalProcess {
  /** The first arrival later than `after` (trace replay: not earlier, see TraceArrival); Infinity if none. */
  nextArrival(after: number, rng: Stream): number;
  /** Intensity at time t, arrivals per second. */
  rate(t: number): number;
  /** Expected number of arrivals in [t0, t1). */
  expectedCount(t0: number, t1: number): number;
}

/**
 * A fresh process for one user. `modulation` is the user's own stream for the on/off state
 * path (kept apart from the arrival draws so the path does not depend on how arrivals are drawn);
 * it is required for "onOff" and ignored otherwise.
 */
export function createArrival(config: ArrivalConfig, modulation?: Stream): ArrivalProcess {
  switch (config.model) {
    case "poisson":
      return new PoissonArrival(config.rate);
    case "onOff":
      if (!modulation) throw new Error("onOff arrivals need a modulation stream");
      return new OnOffArrival(config, modulation);
    case "diurnal":
      return new DiurnalArrival(config);
    case "trace":
      return new TraceArrival(config.times);
  }
}
