// What every runnable world provides to the run pipeline, whatever its model.

import type { Simulation } from "../kernel/index.js";
import type { Violation } from "../check/index.js";
import type { Table } from "../metrics/index.js";

export type { Violation };

/**
 * Why a run that finished may still have simulated nothing of what its scenario declared: a class of
 * actors that never acted, an attack that never fired, a fault that never took effect. A world's
 * results compute them from what it counted (never the protocol code); they go to summary.json's
 * `warnings`, runs.csv's `warnings` column, the sweep's stderr and the report's banner.
 */
export const WARNING_CODES = {
  "no-epoch-completed": "the run ended before the first epoch did",
  "users-never-prepaid": "no user prepay succeeded",
  "no-traffic-served": "no traffic was served",
  "no-report-accepted": "no volume report was accepted",
  "attack-never-fired": "a declared attack never fired",
  "fault-never-triggered": "a declared fault never took effect",
  "no-request-completed": "no client request completed",
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

/** One warning: a stable code (WARNING_CODES) and a plain sentence about this run. */
export interface RunWarning {
  readonly code: WarningCode;
  readonly message: string;
}

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
