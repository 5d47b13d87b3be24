// PairTable against the Map keyed by `${a}:${b}` it replaces: same answers for dense integer
// pairs, pairs beyond the dense limits, and pairs whose text only looks like (or is) another's.

import { describe, expect, it } from "vitest";
import { PairTable } from "../../src/check/pair-table.js";

const odd: unknown[] = [0, -0, 1, 7, 2 ** 16 - 1, 2 ** 16, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e21, -1, 1.5, Number.NaN, "3", "03", "", "a:b", 5n, null, undefined];

describe("PairTable", () => {
  it("behaves like a Map keyed by the pair's text", () => {
    const table = new PairTable<number>();
    const map = new Map<string, number>();
    let n = 0;
    for (const a of odd) {
      for (const b of odd) {
        const key = `${a}:${b}`;
        expect(table.get(a, b)).toBe(map.get(key));
        if (n % 3 !== 2) {
          table.set(a, b, n);
          map.set(key, n);
        } else {
          table.delete(a, b);
          map.delete(key);
        }
        n++;
      }
    }
    for (const a of odd) for (const b of odd) expect([table.get(a, b), table.has(a, b)]).toEqual([map.get(`${a}:${b}`), map.has(`${a}:${b}`)]);
  });

  it("finds a pair under any spelling of the same text", () => {
    const table = new PairTable<string>();
    table.set(3, 5, "x");
    expect(table.get("3", "5")).toBe("x");
    expect(table.get(-0 + 3, 5n)).toBe("x");
    expect(table.get("03", 5)).toBeUndefined();
    table.set("7:1", 2, "y");
    expect(table.get(7, "1:2")).toBe("y");
  });
});
