// Sensitivity designs and estimators on functions with known indices, through the code path a
// scenario sweep uses: the `sweep:` block is parsed by the sweep schema, generateDesign makes the
// points (parameter values, exactly what would become --set overrides), the synthetic function
// plays the world and returns one TaskResult per run, and sensitivityRows (what writeSweepFolder
// calls for sensitivity.csv) analyses them.

import { describe, expect, it } from "vitest";
import { stableJson } from "../../src/metrics/index.js";
import { parseWith } from "../../src/scenario/index.js";
import { sweepSchema } from "../../src/scenario/sections/sweep.js";
import { generateDesign } from "../../src/sweep/design.js";
import {
  bootstrapCounts,
  type IndexRow,
  saltelliOutputs,
  sensitivityRows,
  sensitivityTable,
  sobolIndices,
  sobolIndicesBatch,
} from "../../src/sweep/sensitivity.js";
import type { TaskResult } from "../../src/sweep/task.js";

function runDesign(yaml: string, f: (x: number[]) => number, seed = 1, replicates = 1) {
  const spec = parseWith(sweepSchema, yaml, "sweep.yaml");
  const design = generateDesign(spec, seed);
  const results: TaskResult[] = [];
  design.points.forEach((values, point) => {
    for (let r = 0; r < replicates; r++) {
      results.push({
        index: point * replicates + r,
        point,
        replicate: r,
        seed: r,
        status: "ok",
        error: "",
        warnings: [],
        traceHash: null,
        events: null,
        // 0.1 + 0.2 repeated: a mean of equal values may differ from them in the last bit
        metrics: { y: f(values as number[]), constant: 3, nearlyConstant: 0.1 + 0.2 },
      });
    }
  });
  // As writeSweepFolder and sim merge see it: the spec round-tripped through the manifest's stable JSON.
  const input = { sweep: JSON.parse(stableJson(spec)) as unknown, baseSeed: seed, params: design.params };
  return { design, results, input, rows: sensitivityRows(input, results)! };
}

function index(rows: IndexRow[], parameter: string, name: string): IndexRow {
  const r = rows.find((x) => x.parameter === parameter && x.index === name);
  if (r === undefined) throw new Error(`no ${name} for ${parameter}`);
  return r;
}

describe("sobol design + Saltelli/Jansen estimators", () => {
  it("Ishigami (a = 7, b = 0.1) at N = 4096: S1 and ST within ±0.02 of the analytic values", () => {
    const a = 7;
    const b = 0.1;
    const pi = Math.PI;
    const ishigami = ([x1, x2, x3]: number[]) => Math.sin(x1!) + a * Math.sin(x2!) ** 2 + b * x3! ** 4 * Math.sin(x1!);
    const { design, rows } = runDesign(
      `sobol:\n  samples: 4096\n  params:\n    x1: { min: ${-pi}, max: ${pi} }\n    x2: { min: ${-pi}, max: ${pi} }\n    x3: { min: ${-pi}, max: ${pi} }`,
      ishigami,
    );
    expect(design.points.length).toBe(4096 * 5);
    const v1 = 0.5 * (1 + (b * pi ** 4) / 5) ** 2;
    const v2 = a ** 2 / 8;
    const v13 = (8 * b ** 2 * pi ** 8) / 225;
    const v = v1 + v2 + v13;
    const analytic: Record<string, [number, number]> = { x1: [v1 / v, (v1 + v13) / v], x2: [v2 / v, v2 / v], x3: [0, v13 / v] };
    const y = rows.get("y")!;
    for (const [p, [s1, st]] of Object.entries(analytic)) {
      expect(Math.abs(index(y, p, "S1").estimate - s1), `S1 ${p}`).toBeLessThan(0.02);
      expect(Math.abs(index(y, p, "ST").estimate - st), `ST ${p}`).toBeLessThan(0.02);
      for (const name of ["S1", "ST"]) {
        const r = index(y, p, name);
        expect(r.ciLow).toBeLessThanOrEqual(r.estimate);
        expect(r.ciHigh).toBeGreaterThanOrEqual(r.estimate);
        expect(r.ciHigh - r.ciLow).toBeLessThan(0.1);
      }
    }
    expect(rows.has("constant"), "a metric that does not vary has no indices").toBe(false);
    expect(rows.has("nearlyConstant"), "nor one that varies only by rounding").toBe(false);
  });

  it("Sobol' G function (a = 0, 1, 4.5, 9, 99, 99) at N = 4096: within ±0.02", () => {
    const as = [0, 1, 4.5, 9, 99, 99];
    const g = (x: number[]) => x.reduce((prod, xi, i) => (prod * (Math.abs(4 * xi - 2) + as[i]!)) / (1 + as[i]!), 1);
    const params = as.map((_, i) => `    x${i + 1}: { min: 0, max: 1 }`).join("\n");
    const { rows } = runDesign(`sobol:\n  samples: 4096\n  params:\n${params}`, g);
    const vi = as.map((ai) => 1 / (3 * (1 + ai) ** 2));
    const v = vi.reduce((p, x) => p * (1 + x), 1) - 1;
    const y = rows.get("y")!;
    as.forEach((_, i) => {
      const st = (vi[i]! * vi.reduce((p, x, j) => (j === i ? p : p * (1 + x)), 1)) / v;
      expect(Math.abs(index(y, `x${i + 1}`, "S1").estimate - vi[i]! / v), `S1 x${i + 1}`).toBeLessThan(0.02);
      expect(Math.abs(index(y, `x${i + 1}`, "ST").estimate - st), `ST x${i + 1}`).toBeLessThan(0.02);
    });
  });

  it("a deliberately wrong estimator would be caught: swapping A and B rows breaks S1 for Ishigami", () => {
    // Reading point order back wrongly (B first) must not pass the ±0.02 check.
    const pi = Math.PI;
    const ishigami = ([x1, x2, x3]: number[]) => Math.sin(x1!) + 7 * Math.sin(x2!) ** 2 + 0.1 * x3! ** 4 * Math.sin(x1!);
    const { results, input } = runDesign(
      `sobol:\n  samples: 1024\n  params:\n    x1: { min: ${-pi}, max: ${pi} }\n    x2: { min: ${-pi}, max: ${pi} }\n    x3: { min: ${-pi}, max: ${pi} }`,
      ishigami,
    );
    const shifted = results.map((r) => ({ ...r, metrics: results[(r.index + 1) % results.length]!.metrics }));
    const y = sensitivityRows(input, shifted)!.get("y")!;
    expect(Math.abs(index(y, "x3", "S1").estimate) + Math.abs(index(y, "x2", "S1").estimate - 0.4424)).toBeGreaterThan(0.02);
  });

  it("is deterministic and writes the long-form table", () => {
    const yaml = "sobol:\n  samples: 64\n  params:\n    a: { min: 0, max: 1 }\n    b: { min: 1, max: 5, integer: true }";
    const one = runDesign(yaml, ([a, b]) => a! + 0.1 * b!, 5, 2);
    const two = runDesign(yaml, ([a, b]) => a! + 0.1 * b!, 5, 2);
    const t = sensitivityTable(one.input, one.results)!;
    expect(t.columns).toEqual(["metric", "parameter", "index", "estimate", "ci_low", "ci_high"]);
    expect(t.rows.map((r) => r.slice(0, 3))).toEqual([
      ["y", "a", "S1"],
      ["y", "a", "ST"],
      ["y", "b", "S1"],
      ["y", "b", "ST"],
    ]);
    expect(t).toEqual(sensitivityTable(two.input, two.results));
    expect(one.design.points.every(([, b]) => Number.isInteger(b) && (b as number) >= 1 && (b as number) <= 5)).toBe(true);
  });

  it("analyses many outputs at once exactly as one at a time (the batched performance path)", () => {
    const n = 64;
    const k = 3;
    let x = 7;
    const rnd = () => (x = (x * 48271) % 2147483647) / 2147483647;
    const y = (scale: number, offset: number) => Float64Array.from({ length: n * (k + 2) }, () => offset + scale * rnd());
    const outputs = [y(1, 0), y(1e6, 3e9), new Float64Array(n * (k + 2)).fill(2), y(0.001, -5)].map((v) => saltelliOutputs(v, n, k));
    const counts = bootstrapCounts(3, n, 200);
    const batch = sobolIndicesBatch(outputs, counts);
    expect(batch[2]).toBeUndefined(); // constant
    for (const [i, o] of outputs.entries()) expect(batch[i]).toEqual(sobolIndices(o.yA, o.yB, o.yAB, counts));
  });

  it("rejects a sobol design combined with other factors, and too many parameters", () => {
    expect(() => parseWith(sweepSchema, "grid: { x: [1, 2] }\nsobol:\n  samples: 8\n  params: { y: { min: 0, max: 1 } }", "s.yaml")).toThrow(
      /a sobol design is the sweep's only factor; remove grid/,
    );
    const many = Array.from({ length: 33 }, (_, i) => `    p${i}: { min: 0, max: 1 }`).join("\n");
    expect(() => parseWith(sweepSchema, `sobol:\n  samples: 8\n  params:\n${many}`, "s.yaml")).toThrow(/at most 32 parameters/);
  });
});

describe("morris design", () => {
  it("finds the inactive input (μ* ≈ 0) and ranks the active ones", () => {
    // y = 5·x1 + x2² + 0·x3 + sin(2π·x4)/10 on [0, 1]^4: x3 does nothing.
    const f = ([x1, x2, _x3, x4]: number[]) => 5 * x1! + x2! ** 2 + Math.sin(2 * Math.PI * x4!) / 10;
    const params = [1, 2, 3, 4].map((i) => `    x${i}: { min: 0, max: 1 }`).join("\n");
    const { design, rows } = runDesign(`morris:\n  trajectories: 40\n  levels: 4\n  params:\n${params}`, f, 7);
    expect(design.points.length).toBe(40 * 5);
    const y = rows.get("y")!;
    const muStar = (p: string) => index(y, p, "mu_star").estimate;
    expect(muStar("x3")).toBe(0);
    expect(index(y, "x3", "sigma").estimate).toBe(0);
    expect(muStar("x1")).toBeCloseTo(5, 9); // linear: every elementary effect is exactly 5
    expect(index(y, "x1", "sigma").estimate).toBeCloseTo(0, 9);
    expect(muStar("x2")).toBeGreaterThan(0.3);
    expect(muStar("x2")).toBeLessThan(2);
    expect(muStar("x1")).toBeGreaterThan(muStar("x2"));
    expect(muStar("x2")).toBeGreaterThan(muStar("x4"));
  });

  it("labels indices by the design's column order, not the (sorted) keys of a stored manifest", () => {
    // zeta is declared first and drives y; alpha does nothing. A stored manifest lists alpha first.
    const { rows } = runDesign("morris:\n  trajectories: 8\n  params:\n    zeta: { min: 0, max: 1 }\n    alpha: { min: 0, max: 1 }", ([z]) => 3 * z!, 2);
    const y = rows.get("y")!;
    expect(index(y, "zeta", "mu_star").estimate).toBeCloseTo(3, 9);
    expect(index(y, "alpha", "mu_star").estimate).toBe(0);
    const sob = runDesign("sobol:\n  samples: 256\n  params:\n    zeta: { min: 0, max: 1 }\n    alpha: { min: 0, max: 1 }", ([z]) => z!, 2).rows.get("y")!;
    expect(index(sob, "zeta", "S1").estimate).toBeGreaterThan(0.95);
    expect(Math.abs(index(sob, "alpha", "ST").estimate)).toBeLessThan(0.01);
  });

  it("each trajectory moves every parameter once by ±Δ on the level grid", () => {
    const { design } = runDesign("morris:\n  trajectories: 5\n  levels: 6\n  params:\n    a: { min: 0, max: 1 }\n    b: { min: 0, max: 1 }\n    c: { min: 0, max: 1 }", () => 0);
    const delta = 6 / 10;
    for (let t = 0; t < 5; t++) {
      const pts = design.points.slice(t * 4, t * 4 + 4) as number[][];
      const moved = new Set<number>();
      for (let m = 1; m < 4; m++) {
        const diff = pts[m]!.map((x, i) => x - pts[m - 1]![i]!);
        const changed = diff.map((d, i) => [d, i] as const).filter(([d]) => d !== 0);
        expect(changed.length).toBe(1);
        expect(Math.abs(changed[0]![0])).toBeCloseTo(delta, 10);
        moved.add(changed[0]![1]);
      }
      expect(moved.size).toBe(3);
      for (const p of pts) for (const x of p) expect(Math.round(x * 5) / 5).toBeCloseTo(x, 10);
    }
  });
});
