// sweep/runs-table: runs.csv — one row per (point, replicate) in task order. Columns: point,
// replicate, one per swept key path, seed, status, error, warnings, trace_hash, events, replay, then every
// flattened summary metric (union over the rows, sorted; missing = empty). A swept key path whose
// name clashes with a fixed column of runs.csv or aggregate.csv (sweeping `seed`, say) is written as
// `param.<path>`, so no file has two columns of one name; a metric whose name clashes with a fixed
// or parameter column is written as `summary.<name>`.
// May import: scenario, world, metrics, report, kernel.

import type { Cell, Table } from "../metrics/index.js";
import type { SweepManifest } from "./manifest.js";
import type { TaskResult } from "./task.js";
import { cellOf } from "./values.js";

export const FIXED_AFTER_PARAMS = ["seed", "status", "error", "warnings", "trace_hash", "events", "replay"] as const;
/** aggregate.csv's columns after the parameters. */
export const AGGREGATE_STAT_COLUMNS = ["metric", "n", "mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"] as const;
const FIXED_COLUMNS: ReadonlySet<string> = new Set(["point", "replicate", ...FIXED_AFTER_PARAMS, ...AGGREGATE_STAT_COLUMNS]);

/** Column names of the swept key paths in runs.csv and aggregate.csv (the same in both). */
export function paramColumns(params: readonly string[]): string[] {
  return params.map((p) => (FIXED_COLUMNS.has(p) ? `param.${p}` : p));
}

/** Column names of the fixed and parameter columns. */
export function reservedColumns(params: readonly string[]): Set<string> {
  return new Set(["point", "replicate", ...paramColumns(params), ...FIXED_AFTER_PARAMS]);
}

/** Metric name → column name (renamed on a clash). */
export function metricColumn(name: string, reserved: ReadonlySet<string>): string {
  return reserved.has(name) ? `summary.${name}` : name;
}

/** Rows' metrics keyed by column name. */
export function metricsByColumn(r: TaskResult, reserved: ReadonlySet<string>): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const [k, v] of Object.entries(r.metrics)) out.set(metricColumn(k, reserved), v);
  return out;
}

export function runsTable(manifest: SweepManifest, results: readonly TaskResult[]): Table {
  const reserved = reservedColumns(manifest.params);
  const perRow = results.map((r) => metricsByColumn(r, reserved));
  const metricSet = new Set<string>();
  for (const m of perRow) for (const k of m.keys()) metricSet.add(k);
  const metrics = [...metricSet].sort();
  const rows: Cell[][] = results.map((r, i) => {
    const point = manifest.points[r.point]!;
    const task = manifest.tasks[r.index]!;
    const m = perRow[i]!;
    return [
      r.point,
      r.replicate,
      ...point.values.map(cellOf),
      r.seed,
      r.status,
      r.error,
      r.warnings.join(";"),
      r.traceHash,
      r.events,
      task.replay,
      ...metrics.map((k) => m.get(k) ?? null),
    ];
  });
  return { name: "runs", columns: ["point", "replicate", ...paramColumns(manifest.params), ...FIXED_AFTER_PARAMS, ...metrics], rows };
}
