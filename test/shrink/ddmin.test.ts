// The search's building blocks without a world: ddmin on predicates whose minimal failing sets are
// known, the chunking it relies on, the `until` rounding and the budget syntax.

import { describe, expect, it } from "vitest";
import { parseBudget } from "../../src/cli/shrink-command.js";
import { ceilAbove } from "../../src/shrink/config.js";
import { DeltaDebugger, split } from "../../src/shrink/ddmin.js";
import { exactDelay } from "../../src/shrink/record.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** ddmin plus every test it made, so a test can check how it searched. */
function dd(n: number, fails: (s: readonly number[]) => boolean) {
  const tested: number[][] = [];
  const d = new DeltaDebugger(range(n), (s) => {
    tested.push([...s]);
    return fails(s);
  });
  return { result: d.run(), tested };
}

/** Whether removing any single element of `set` makes `fails` false. */
function oneMinimal(set: readonly number[], fails: (s: readonly number[]) => boolean): boolean {
  return set.every((_, i) => !fails(set.filter((__, j) => j !== i)));
}

describe("ddmin (Zeller and Hildebrandt 2002)", () => {
  it("finds the two elements a failure needs among 64", () => {
    const fails = (s: readonly number[]) => s.includes(13) && s.includes(50);
    const { result, tested } = dd(64, fails);
    expect(result).toEqual([13, 50]);
    expect(oneMinimal(result, fails)).toBe(true);
    // a few tests per halving (68 when written), not the 2^64 subsets
    expect(tested.length).toBeLessThan(100);
  });

  it("returns the empty set when the failure needs no element, after one test", () => {
    const { result, tested } = dd(10, () => true);
    expect(result).toEqual([]);
    expect(tested).toEqual([[]]);
  });

  it("keeps a single needed element and proves it needed by the empty test", () => {
    const fails = (s: readonly number[]) => s.includes(7);
    const { result, tested } = dd(9, fails);
    expect(result).toEqual([7]);
    expect(tested).toContainEqual([]);
  });

  it("returns a 1-minimal set for a non-monotone failure (any two of three, or element 5 alone)", () => {
    const fails = (s: readonly number[]) => s.includes(5) || [1, 2, 3].filter((x) => s.includes(x)).length >= 2;
    const { result } = dd(8, fails);
    expect(fails(result)).toBe(true);
    expect(oneMinimal(result, fails)).toBe(true);
  });

  it("is deterministic: the same tests in the same order", () => {
    const fails = (s: readonly number[]) => s.includes(3) && s.includes(4) && s.includes(20);
    expect(dd(32, fails)).toEqual(dd(32, fails));
  });

  it("keeps the smallest failing set found so far when a test throws (a budget)", () => {
    let calls = 0;
    const d = new DeltaDebugger(range(16), (s) => {
      if (++calls > 4) throw new Error("budget");
      return s.includes(2);
    });
    expect(() => d.run()).toThrow("budget");
    expect(d.best.length).toBeLessThan(16);
    expect(d.best).toContain(2);
  });

  it("splits into n contiguous chunks whose sizes differ by at most one", () => {
    expect(split(range(7), 3)).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(split(range(2), 2)).toEqual([[0], [1]]);
  });
});

describe("until rounding and budgets", () => {
  it("ceilAbove: the smallest number of so many significant digits strictly above t", () => {
    expect(ceilAbove(1.948, 2)).toBe(2);
    expect(ceilAbove(1.948, 1)).toBe(2);
    expect(ceilAbove(0.039, 2)).toBe(0.04);
    expect(ceilAbove(0.0391, 2)).toBe(0.04);
    expect(ceilAbove(20, 2)).toBe(21);
    expect(ceilAbove(0.00756, 2)).toBe(0.0076);
    for (const t of [0.0012345, 3.3, 12.5, 999.9]) {
      for (const d of [1, 2, 3]) expect(ceilAbove(t, d)).toBeGreaterThan(t);
    }
  });

  it("parseBudget reads ms, s, m, h and bare seconds, and refuses the rest", () => {
    expect(parseBudget("10m")).toBe(600_000);
    expect(parseBudget("90s")).toBe(90_000);
    expect(parseBudget("1.5h")).toBe(5_400_000);
    expect(parseBudget("500ms")).toBe(500);
    expect(parseBudget("30")).toBe(30_000);
    for (const bad of ["", "-5s", "0", "10 minutes", "1e3", "9999h"]) expect(() => parseBudget(bad)).toThrow(/--budget/);
  });

  it("exactDelay: (sent + delay) + latency gives the arrival to the last bit when such a delay exists", () => {
    const sent = 0.1234567891234;
    const latency = 0.00201;
    const arrival = sent + 0.0537;
    const d = exactDelay(sent, latency, arrival);
    expect(sent + d + latency).toBe(arrival);
  });
});
