// runs.csv and aggregate.csv never carry two columns of one name: a swept key path that clashes
// with a fixed column (sweeping `seed`, `n` or `mean`) is renamed `param.<path>` in both files.

import { describe, expect, it } from "vitest";
import { aggregateTable } from "../../src/sweep/aggregate.js";
import type { SweepManifest } from "../../src/sweep/manifest.js";
import { paramColumns, runsTable } from "../../src/sweep/runs-table.js";
import type { TaskResult } from "../../src/sweep/task.js";

function manifest(params: string[], values: unknown[][]): SweepManifest {
  return {
    potsim: "test",
    specHash: "h",
    scenarioFile: "s.yaml",
    name: "s",
    set: [],
    sweep: {},
    scenario: {},
    baseSeed: 1,
    replicates: 1,
    seedDerivation: "",
    params,
    points: values.map((v, point) => ({ point, values: v, overrides: [], error: "" })),
    tasks: values.map((_, i) => ({ task: i, point: i, replicate: 0, seed: 100 + i, replay: `sim run s.yaml --seed ${100 + i}` })),
  };
}

const result = (i: number, x: number): TaskResult => ({
  index: i,
  point: i,
  replicate: 0,
  seed: 100 + i,
  status: "ok",
  error: "",
  warnings: [],
  traceHash: "t",
  events: 1,
  metrics: { x, mean: x * 2 },
});

describe("parameter columns", () => {
  it("renames only the key paths that clash with a fixed column", () => {
    expect(paramColumns(["seed", "pbft.n", "n", "mean", "network.loss"])).toEqual([
      "param.seed",
      "pbft.n",
      "param.n",
      "param.mean",
      "network.loss",
    ]);
  });

  it("sweeping seed and n gives unique column names in both tables, values in the renamed columns", () => {
    const m = manifest(["seed", "n"], [
      [7, 4],
      [8, 5],
    ]);
    const results = [result(0, 1), result(1, 3)];
    const runs = runsTable(m, results);
    expect(new Set(runs.columns).size).toBe(runs.columns.length);
    expect(runs.columns.slice(0, 5)).toEqual(["point", "replicate", "param.seed", "param.n", "seed"]);
    expect(runs.rows[1]!.slice(0, 5)).toEqual([1, 0, 8, 5, 101]);
    // A metric named like a statistic column stays a metric (runs.csv has no such fixed column).
    expect(runs.columns).toContain("mean");

    const agg = aggregateTable(m, results);
    expect(new Set(agg.columns).size).toBe(agg.columns.length);
    expect(agg.columns.slice(0, 4)).toEqual(["point", "param.seed", "param.n", "metric"]);
    const meanOfX = agg.rows.find((r) => r[0] === 1 && r[3] === "x");
    expect(meanOfX?.slice(0, 6)).toEqual([1, 8, 5, "x", 1, 3]);
  });
});
