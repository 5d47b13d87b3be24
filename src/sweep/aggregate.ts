// sweep/aggregate: aggregate.csv — tidy long form, one row per (point, metric): point, one column
// per swept key path (named as in runs.csv), metric, n, mean, sd, ci95_low, ci95_high, p5, p50, p95. Statistics are over
// the point's replicates with status "ok" whose metric is a number (method in ./stats.ts). Metrics
// are every column of runs.csv that holds a number in some successful run, sorted; every point
// gets a row for every metric (n = 0 and empty statistics when no replicate succeeded).
// May import: scenario, world, metrics, report, kernel.

import type { Cell, Table } from "../metrics/index.js";
import type { SweepManifest } from "./manifest.js";
import { AGGREGATE_STAT_COLUMNS, metricsByColumn, paramColumns, reservedColumns } from "./runs-table.js";
import { describe } from "./stats.js";
import type { TaskResult } from "./task.js";
import { cellOf } from "./values.js";

export function aggregateTable(manifest: SweepManifest, results: readonly TaskResult[]): Table {
  const reserved = reservedColumns(manifest.params);
  const ok = results.filter((r) => r.status === "ok").map((r) => ({ point: r.point, m: metricsByColumn(r, reserved) }));
  const numeric = new Set<string>();
  for (const { m } of ok) for (const [k, v] of m) if (typeof v === "number") numeric.add(k);
  const metrics = [...numeric].sort();
  const byPoint = new Map<number, Map<string, number[]>>();
  for (const { point, m } of ok) {
    let per = byPoint.get(point);
    if (per === undefined) byPoint.set(point, (per = new Map()));
    for (const [k, v] of m) {
      if (typeof v !== "number") continue;
      const list = per.get(k);
      if (list === undefined) per.set(k, [v]);
      else list.push(v);
    }
  }
  const points = [...new Set(results.map((r) => r.point))].sort((a, b) => a - b);
  const rows: Cell[][] = [];
  for (const p of points) {
    const values = manifest.points[p]!.values.map(cellOf);
    for (const metric of metrics) {
      const s = describe(byPoint.get(p)?.get(metric) ?? []);
      rows.push([p, ...values, metric, s.n, s.mean, s.sd, s.ci95Low, s.ci95High, s.p5, s.p50, s.p95]);
    }
  }
  return {
    name: "aggregate",
    columns: ["point", ...paramColumns(manifest.params), ...AGGREGATE_STAT_COLUMNS],
    rows,
  };
}
