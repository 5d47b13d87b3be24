import { describe, expect, it } from "vitest";
import { deriveSeed } from "../../src/sweep/seeds.js";

describe("seed derivation", () => {
  it("is pinned: first 6 bytes of sha256(`base/point/replicate`)", () => {
    expect(deriveSeed(1, 0, 0)).toBe(119547278062043);
    expect(deriveSeed(1, 0, 1)).toBe(34586019946264);
    expect(deriveSeed(1, 1, 0)).toBe(279971067032421);
    expect(deriveSeed(42, 3, 2)).toBe(242604531863535);
    expect(deriveSeed(0, 0, 0)).toBe(93137557639308);
  });

  it("gives distinct non-negative integers below 2^48", () => {
    const seen = new Set<number>();
    for (let p = 0; p < 50; p++) {
      for (let r = 0; r < 20; r++) {
        const s = deriveSeed(7, p, r);
        expect(Number.isSafeInteger(s) && s >= 0 && s < 2 ** 48).toBe(true);
        seen.add(s);
      }
    }
    expect(seen.size).toBe(1000);
  });

  it("rejects non-integer inputs", () => {
    expect(() => deriveSeed(1.5, 0, 0)).toThrow(/base seed/);
    expect(() => deriveSeed(1, -1, 0)).toThrow(/point/);
  });
});
