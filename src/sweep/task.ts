// sweep/task: what one task of a sweep is (a point × replicate with its derived seed) and what it
// returns. Results are plain JSON-safe data so they can be stored, resumed and merged unchanged.
// May import: scenario, world, metrics, report, kernel.

import { stableJson } from "../metrics/index.js";
import { estimatedSeconds, estimateRunSize, type ResolvedScenario } from "../scenario/index.js";
import type { RunnableScenario } from "../world/models.js";
import type { Violation } from "../world/types.js";

export type TaskStatus = "ok" | "violation" | "error" | "invalid";
export const FAILED_STATUSES: readonly TaskStatus[] = ["violation", "error", "invalid"];

/** A flattened summary value: numbers are finite; NaN/±Infinity are stored as "NaN"/"Inf"/"-Inf". */
export type MetricValue = number | string | boolean;

export interface TaskRef {
  /** Position in (point, replicate) order: point · replicates + replicate. */
  index: number;
  point: number;
  replicate: number;
  seed: number;
}

/**
 * A replica class to build instead of the correct one: the named export of a compiled ES module (a
 * path or file URL). Mutation tests use it to run deliberately broken replicas through `sim check`'s
 * machinery on worker threads (`sim check --replica`); no scenario can set it.
 */
export interface ReplicaModule {
  module: string;
  export: string;
}

/** What a worker receives: the fully resolved scenario of the point and the run's seed. */
export interface TaskPayload extends TaskRef {
  scenario: RunnableScenario;
  /** Stop the world at its first violation (used by `sim check`). */
  stopOnViolation?: boolean;
  replica?: ReplicaModule;
  /**
   * A `sim check` task: count the run's coverage paths (pbft and pot models) and return the first
   * violation's fields and the run's wall time (TaskResult.check). Sweeps leave it unset, so their
   * stored results are unchanged.
   */
  check?: boolean;
}

/** What a check task returns beyond a sweep task's result (TaskPayload.check). */
export interface CheckDetails {
  /** Coverage counts per path; empty for models without protocol paths (phold). */
  coverage: Record<string, number>;
  /** The first violation, as its checker recorded it (none when the run was clean or failed otherwise). */
  violation: Violation | null;
  /** Wall-clock seconds the run took (display only: JUnit's `time`). */
  wallSec: number;
}

export interface TaskResult extends TaskRef {
  status: TaskStatus;
  /** Empty when ok; otherwise one line explaining the failure. */
  error: string;
  /** The run's warning codes (summary.json `warnings`: world/types.ts WARNING_CODES), distinct, in order; empty when none or when it did not run. */
  warnings: string[];
  traceHash: string | null;
  events: number | null;
  metrics: Record<string, MetricValue>;
  /** Set for check tasks only (TaskPayload.check). */
  check?: CheckDetails;
}

/** The task list of a sweep: task index = point · replicates + replicate. */
export function taskRefs(points: number, replicates: number, seedOf: (point: number, rep: number) => number): TaskRef[] {
  const out: TaskRef[] = [];
  for (let p = 0; p < points; p++) {
    for (let r = 0; r < replicates; r++) out.push({ index: p * replicates + r, point: p, replicate: r, seed: seedOf(p, r) });
  }
  return out;
}

/** A canonical copy (stable-JSON round trip): what a stored result reads back as, so fresh and resumed sweeps agree byte for byte. */
export function canonicalResult(r: TaskResult): TaskResult {
  return JSON.parse(stableJson(r)) as TaskResult;
}

/** The size guard's estimate of a scenario's seconds on one thread, memoised per scenario object (tasks share theirs). */
const secondsByScenario = new WeakMap<RunnableScenario, number>();

/** Estimated seconds of one task on one thread (an upper bound on a quiet machine: scenario/estimate.ts). */
export function estimatedTaskSeconds(task: Pick<TaskPayload, "scenario">): number {
  let s = secondsByScenario.get(task.scenario);
  if (s === undefined) {
    s = estimatedSeconds(task.scenario.model, estimateRunSize(task.scenario as unknown as ResolvedScenario).events);
    secondsByScenario.set(task.scenario, s);
  }
  return s;
}
