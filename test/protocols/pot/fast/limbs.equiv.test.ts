// Limb amounts (fast/limbs.ts) against plain bigint arithmetic, their reference: random sequences of
// adds, subtractions, whole-block adds and moves over a vector of wallets, with amounts across the
// whole range (carries and borrows at the 2^40 boundary included), and the range's edges.

import { describe, expect, it } from "vitest";
import { fromLimbs, LIMB_BASE, LIMB_LIMIT, LimbVec, limbHi, limbLo, toLimbs } from "../../../../src/protocols/pot/fast/limbs.js";
import { Lcg } from "../helpers.js";

/** A random amount: small, near a multiple of 2^40, or anywhere below LIMB_BASE². */
function amount(rnd: Lcg): bigint {
  switch (rnd.int(4)) {
    case 0:
      return BigInt(rnd.int(1000));
    case 1:
      return BigInt(rnd.int(1 << 20)) * BigInt(LIMB_BASE) + BigInt(LIMB_BASE - 1 - rnd.int(3));
    default:
      return BigInt(Math.floor(rnd.next() * LIMB_BASE)) * BigInt(LIMB_BASE) + BigInt(Math.floor(rnd.next() * LIMB_BASE));
  }
}

describe("limbs equal bigints", () => {
  it("split and join every value below the limit, and refuse the rest", () => {
    const rnd = new Lcg(1);
    const edges = [0n, 1n, BigInt(LIMB_BASE) - 1n, BigInt(LIMB_BASE), BigInt(LIMB_BASE) + 1n, LIMB_LIMIT - 1n];
    for (const v of [...edges, ...Array.from({ length: 500 }, () => amount(rnd))]) {
      const [hi, lo] = toLimbs(v);
      expect([hi, lo]).toEqual([limbHi(v), limbLo(v)]);
      expect(lo).toBeLessThan(LIMB_BASE);
      expect(fromLimbs(hi, lo)).toBe(v);
    }
    expect(() => toLimbs(-1n)).toThrow(RangeError);
    expect(() => toLimbs(LIMB_LIMIT * 2n)).toThrow(RangeError);
  });

  it("add, sub, addAll and moveAll track a bigint array through random operations", () => {
    const rnd = new Lcg(7);
    const n = 40;
    const a = new LimbVec(4);
    const b = new LimbVec(4);
    a.ensure(n);
    b.ensure(n);
    const refA: bigint[] = new Array(n).fill(0n);
    const refB: bigint[] = new Array(n).fill(0n);
    for (let step = 0; step < 4000; step++) {
      const i = rnd.int(n);
      const op = rnd.int(4);
      if (op === 0) {
        const v = amount(rnd);
        const [h, l] = toLimbs(v);
        a.add(i, h, l);
        refA[i]! += v;
      } else if (op === 1 && refA[i]! > 0n) {
        const v = refA[i]! - (refA[i]! > 1n ? refA[i]! / BigInt(2 + rnd.int(5)) : 0n);
        const [h, l] = toLimbs(v);
        a.sub(i, h, l);
        refA[i]! -= v;
      } else {
        // A block: distinct wallets, amounts as limb arrays; added to a, then (op 3) moved from a to b.
        const idx = Int32Array.from(new Set(Array.from({ length: 1 + rnd.int(8) }, () => rnd.int(n))));
        const vals = Array.from(idx, () => amount(rnd));
        const hi = Float64Array.from(vals, limbHi);
        const lo = Float64Array.from(vals, limbLo);
        a.addAll(idx, hi, lo);
        idx.forEach((w, d) => {
          refA[w]! += vals[d]!;
        });
        if (op === 3) {
          a.moveAll(b, idx, hi, lo);
          idx.forEach((w, d) => {
            refA[w]! -= vals[d]!;
            refB[w]! += vals[d]!;
          });
        }
      }
    }
    for (let i = 0; i < n; i++) {
      expect(a.get(i)).toBe(refA[i]);
      expect(b.get(i)).toBe(refB[i]);
      expect(a.lo[i]).toBeLessThan(LIMB_BASE);
      expect(a.isZero(i)).toBe(refA[i] === 0n);
    }
    expect(a.sum(n)).toBe(refA.reduce((x, y) => x + y, 0n));
    expect(a.clone().get(3)).toBe(refA[3]);
    expect(() => a.sub(0, limbHi(refA[0]! + 1n), limbLo(refA[0]! + 1n))).toThrow(RangeError);
  });
});
