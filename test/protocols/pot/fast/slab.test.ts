// Slabs hand out zeroed, disjoint views of shared chunks (and own arrays for large requests).

import { describe, expect, it } from "vitest";
import { f64Slab, i32Slab } from "../../../../src/protocols/pot/fast/slab.js";

describe("Slab", () => {
  it("gives zeroed, disjoint arrays of the requested lengths", () => {
    const s = f64Slab(64);
    const views = Array.from({ length: 40 }, (_, i) => s.take(1 + (i % 8)));
    views.forEach((v, i) => {
      expect(v.length).toBe(1 + (i % 8));
      expect(Array.from(v).every((x) => x === 0)).toBe(true);
      v.fill(i + 1);
    });
    views.forEach((v, i) => {
      expect(Array.from(v).every((x) => x === i + 1)).toBe(true);
    });
    const big = i32Slab(64).take(100);
    expect(big.length).toBe(100);
    expect(big.buffer.byteLength).toBe(400);
  });
});
