// What every runnable world provides to the run pipeline, whatever its model.

import type { Simulation } from "../kernel/index.js";
import type { Violation } from "../check/index.js";
import type { Table } from "../metrics/index.js";

export type { Violation };


export interface WorldOutput {
  summary: Record<string, unknown>;
  tables: Table[];
  violations: Violation[];
}

export interface World {
  readonly sim: Simulation;
  /** Set by checkers when an invariant breaks; the run pipeline stops early if asked to. */
  readonly violations: Violation[];
  /** Collects metrics once the simulation has stopped. */
  finish(): WorldOutput;
}
