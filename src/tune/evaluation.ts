// tune/evaluation: what one evaluation of a candidate is worth — its runs' metrics averaged over
// the ok replicates, the objective and constraint violations computed on those means, and the
// ranking the optimiser is told: feasible evaluations first by objective (lower is better after
// the minimise/maximise sign), then infeasible ones by total violation (Deb's feasibility rule),
// then evaluations whose runs failed; ties by evaluation index.
// May import: scenario, sweep, world, metrics, report, kernel.

import type { TaskResult } from "../sweep/task.js";
import { asNumber, type Constraint, metricScope, type Objective } from "./expressions.js";

export interface Evaluation {
  evaluation: number;
  generation: number;
  /** Parameter values, aligned with the plan's params. */
  values: number[];
  overrides: string[];
  /** The runs, by replicate. */
  runs: TaskResult[];
  /** "ok" when every run is ok; otherwise the first failing run's status. */
  status: TaskResult["status"];
  /** Mean over replicates of each metric (numbers and numeric strings), for the expressions. */
  means: Record<string, number>;
  /** The objective expression's value (null when the runs failed or it is not a finite number). */
  objective: number | null;
  /** Per constraint: how far it is missed (0 = met). */
  violations: number[];
  feasible: boolean;
}

/** Mean over ok runs of every metric that reads as a number; other metrics from the first ok run. */
export function metricMeans(runs: readonly TaskResult[]): Record<string, unknown> {
  const ok = runs.filter((r) => r.status === "ok");
  const sums = new Map<string, { sum: number; n: number; other?: unknown }>();
  for (const r of ok) {
    for (const [k, raw] of Object.entries(r.metrics)) {
      const v = asNumber(raw);
      const acc = sums.get(k) ?? { sum: 0, n: 0 };
      if (typeof v === "number") {
        acc.sum += v;
        acc.n++;
      } else if (acc.other === undefined) acc.other = v;
      sums.set(k, acc);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, a] of [...sums].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) out[k] = a.n > 0 ? a.sum / a.n : a.other;
  return out;
}

export function evaluate(
  head: Pick<Evaluation, "evaluation" | "generation" | "values" | "overrides">,
  runs: TaskResult[],
  objective: Objective,
  constraints: readonly Constraint[],
): Evaluation {
  const failed = runs.find((r) => r.status !== "ok");
  const meansAll = metricMeans(runs);
  const means: Record<string, number> = {};
  for (const [k, v] of Object.entries(meansAll)) if (typeof v === "number") means[k] = v;
  if (failed !== undefined) {
    return { ...head, runs, status: failed.status, means, objective: null, violations: constraints.map(() => Number.POSITIVE_INFINITY), feasible: false };
  }
  const scope = metricScope(meansAll);
  const value = objective.value(scope);
  const violations = constraints.map((c) => c.violation(scope));
  const finite = Number.isFinite(value);
  return {
    ...head,
    runs,
    status: "ok",
    means,
    objective: finite ? value : null,
    violations,
    feasible: finite && violations.every((v) => v === 0),
  };
}

function rankKey(e: Evaluation, direction: 1 | -1): [number, number] {
  if (e.status !== "ok" || e.objective === null) return [2, 0];
  if (!e.feasible) return [1, e.violations.reduce((a, b) => a + b, 0)];
  return [0, direction * e.objective];
}

/** Compares two evaluations: negative when `a` is better. */
export function compareEvaluations(a: Evaluation, b: Evaluation, direction: 1 | -1): number {
  const [ca, va] = rankKey(a, direction);
  const [cb, vb] = rankKey(b, direction);
  return ca - cb || (va < vb ? -1 : va > vb ? 1 : 0) || a.evaluation - b.evaluation;
}
