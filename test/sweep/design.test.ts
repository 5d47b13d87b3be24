import { describe, expect, it } from "vitest";
import { parseWith, ScenarioError } from "../../src/scenario/index.js";
import { generateDesign, pointOverrides } from "../../src/sweep/design.js";
import { fromUnit, lhsUnits, sampleRows } from "../../src/sweep/sampling.js";
import { sweepSchema } from "../../src/scenario/sections/sweep.js";

const spec = (text: string) => parseWith(sweepSchema, text, "spec.yaml");

describe("sweep spec", () => {
  it("fills defaults", () => {
    expect(spec("{}")).toEqual({ grid: {}, zip: [], replicates: 1 });
  });

  it("reports unequal zip lists and bad ranges with positions", () => {
    const text = [
      "grid:",
      "  a.b: [1, 2]",
      "zip:",
      "  - c.d: [1, 2, 3]",
      "    e.f: [1, 2]",
      "random:",
      "  samples: 4",
      "  params:",
      "    x.y: { min: 2, max: 1 }",
      "    z: { min: 0, max: 1, log: true }",
    ].join("\n");
    let err: unknown;
    try {
      spec(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const msg = (err as Error).message;
    expect(msg).toContain('spec.yaml:5:10 zip[0]["e.f"]: zip lists must have equal lengths: "c.d" has 3, this has 2');
    expect(msg).toContain('spec.yaml:9:25 random.params["x.y"].max: must be >= min (2), got 1');
    expect(msg).toContain("spec.yaml:10:15 random.params.z.min: must be > 0 when log is true, got 0");
  });

  it("rejects a key swept twice", () => {
    expect(() => spec("grid: { a.b: [1, 2] }\nzip:\n  - { a.b: [5] }")).toThrow(
      /spec.yaml:3:\d+ zip\[0\]\["a.b"\]: "a.b" is already swept by grid/,
    );
  });

  it("rejects keys that are not key paths and unknown keys", () => {
    expect(() => spec("grid: { 'a..b': [1] }")).toThrow(/is not a key path/);
    expect(() => spec("grids: {}")).toThrow(/unknown key "grids" \(did you mean "grid"\?\)/);
    expect(() => spec("grid: { a: [] }")).toThrow(/at least 1 item/);
  });
});

describe("design", () => {
  it("grid: full product in declaration order, last key fastest", () => {
    const d = generateDesign(spec('grid: { "network.loss": [0, 0.01, 0.05], "pbft.n": [4, 7] }'), 1);
    expect(d.params).toEqual(["network.loss", "pbft.n"]);
    expect(d.points).toEqual([
      [0, 4],
      [0, 7],
      [0.01, 4],
      [0.01, 7],
      [0.05, 4],
      [0.05, 7],
    ]);
  });

  it("zip groups move together and multiply with the grid", () => {
    const d = generateDesign(spec("grid: { g: [a, b] }\nzip:\n  - { x: [1, 2, 3], y: [10, 20, 30] }"), 1);
    expect(d.params).toEqual(["g", "x", "y"]);
    expect(d.points).toEqual([
      ["a", 1, 10],
      ["a", 2, 20],
      ["a", 3, 30],
      ["b", 1, 10],
      ["b", 2, 20],
      ["b", 3, 30],
    ]);
  });

  it("no factor gives one point; list values stay whole", () => {
    expect(generateDesign(spec("replicates: 3"), 1)).toEqual({ params: [], points: [[]] });
    const d = generateDesign(spec("grid: { groups: [[[0, 1], [2]], [[0], [1, 2]]] }"), 1);
    expect(d.points).toEqual([[[[0, 1], [2]]], [[[0], [1, 2]]]]);
  });

  it("overrides are YAML that reads back as the value", () => {
    expect(pointOverrides(["a", "b", "c", "d", "e"], [0.05, "x y", true, [1, 2], { k: 1 }])).toEqual([
      "a=0.05",
      'b="x y"',
      "c=true",
      "d=[1,2]",
      'e={"k":1}',
    ]);
  });

  it("random samples stay in their ranges (linear, log, integer) and depend on the seed only", () => {
    const text =
      "random:\n  samples: 200\n  params:\n    a: { min: -1, max: 3 }\n    b: { min: 0.001, max: 10, log: true }\n    c: { min: 2, max: 5, integer: true }";
    const d = generateDesign(spec(text), 5);
    expect(d.points.length).toBe(200);
    for (const [a, b, c] of d.points as number[][]) {
      expect(a! >= -1 && a! <= 3).toBe(true);
      expect(b! >= 0.001 && b! <= 10).toBe(true);
      expect(Number.isInteger(c) && c! >= 2 && c! <= 5).toBe(true);
    }
    expect(new Set(d.points.map((p) => p[2])).size).toBe(4);
    // log: about half the samples below the geometric midpoint 0.1
    const below = d.points.filter((p) => (p[1] as number) < 0.1).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
    expect(generateDesign(spec(text), 5)).toEqual(d);
    expect(generateDesign(spec(text), 6)).not.toEqual(d);
  });

  it("LHS puts exactly one sample in each stratum of each parameter", () => {
    for (const n of [1, 7, 50]) {
      const units = lhsUnits(3, n, 4);
      for (let k = 0; k < 4; k++) {
        const strata = units.map((row) => Math.floor(row[k]! * n)).sort((a, b) => a - b);
        expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
    const n = 20;
    const rows = sampleRows("lhs", 9, n, { a: { min: 10, max: 30 }, b: { min: 1, max: 1000, log: true } });
    const strataA = rows.map((r) => Math.floor(((r[0]! - 10) / 20) * n)).sort((x, y) => x - y);
    const strataB = rows.map((r) => Math.floor((Math.log(r[1]!) / Math.log(1000)) * n)).sort((x, y) => x - y);
    expect(strataA).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(strataB).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("LHS and random samples are pinned for a seed (streams sweep.lhs / sweep.random of RngTree(seed))", () => {
    expect(sampleRows("lhs", 1, 3, { x: { min: 0, max: 1 } })).toEqual([[0.567922143343], [0.083311963904], [0.867549952896]]);
    expect(sampleRows("random", 1, 2, { x: { min: 0, max: 1 }, y: { min: 1, max: 6, integer: true } })).toEqual([
      [0.342654754641, 5],
      [0.617136405082, 1],
    ]);
  });

  it("maps unit values to ranges", () => {
    expect(fromUnit(0, { min: 2, max: 4 })).toBe(2);
    expect(fromUnit(0.5, { min: 2, max: 4 })).toBe(3);
    expect(fromUnit(0.5, { min: 1, max: 100, log: true })).toBeCloseTo(10, 10);
    expect(fromUnit(0.999999, { min: 1, max: 3, integer: true })).toBe(3);
    expect(fromUnit(0, { min: 1, max: 3, integer: true })).toBe(1);
  });
});
