// report/tune-specs: the convergence chart of a `sim tune` folder — each evaluation's objective
// (feasible ones filled, infeasible ones hollow, failed ones left out) and the best feasible value so
// far as a step line, against the evaluation index.
// May import: nothing (vega-lite types).

import type { TopLevelSpec } from "vega-lite";
import { type Chart, VEGA_LITE_SCHEMA } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { bool, num } from "./values.js";

export interface ConvergencePoint {
  evaluation: number;
  generation: number;
  objective: number;
  feasible: boolean;
}

/** One point per evaluation with a finite objective, from tune.csv's rows (one per run). */
export function convergencePoints(tune: CsvTable): ConvergencePoint[] {
  const seen = new Map<number, ConvergencePoint>();
  for (const r of tune.rows) {
    const evaluation = num(r.evaluation);
    const objective = num(r.objective);
    if (evaluation === null || objective === null || seen.has(evaluation)) continue;
    seen.set(evaluation, { evaluation, generation: num(r.generation) ?? 0, objective, feasible: bool(r.feasible) === true });
  }
  return [...seen.values()].sort((a, b) => a.evaluation - b.evaluation);
}

export function convergenceChart(points: ConvergencePoint[], objectiveText: string, minimise: boolean): Chart | undefined {
  if (points.length === 0) return undefined;
  let best: number | null = null;
  const rows = points.map((p) => {
    if (p.feasible && (best === null || (minimise ? p.objective < best : p.objective > best))) best = p.objective;
    return { ...p, status: p.feasible ? "feasible" : "infeasible", best };
  });
  const title = `Convergence: ${minimise ? "minimise" : "maximise"} ${objectiveText}`;
  const y = { type: "quantitative", title: "objective (value of the expression in the title)", scale: { zero: false } };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: 520,
    height: 260,
    data: { values: rows },
    encoding: { x: { field: "evaluation", type: "quantitative", title: "evaluation (count, in search order)", axis: { format: "d", tickMinStep: 1 } } },
    layer: [
      {
        mark: { type: "point", size: 40 },
        encoding: {
          y: { field: "objective", ...y },
          shape: { field: "status", type: "nominal", title: "constraints", scale: { domain: ["feasible", "infeasible"] } },
          fill: { condition: { test: "datum.feasible", value: "#4c78a8" }, value: "transparent" },
          color: { value: "#4c78a8" },
          tooltip: [
            { field: "evaluation", type: "quantitative" },
            { field: "generation", type: "quantitative" },
            { field: "objective", type: "quantitative" },
            { field: "status", type: "nominal" },
          ],
        },
      },
      {
        transform: [{ filter: "isValid(datum.best)" }],
        mark: { type: "line", interpolate: "step-after", color: "#e45756" },
        encoding: { y: { field: "best", ...y } },
      },
    ],
  } as unknown as TopLevelSpec;
  return { name: "convergence", title, spec };
}
