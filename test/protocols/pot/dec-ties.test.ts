// Exact half-way ties in Dec multiplication and division, at every magnitude: half to even (spec §1,
// LegacyDec's chopPrecisionAndRound), judged after the 36-decimal truncation for a quotient. Every tie
// here is constructed so that its exact value is known without the code under test: k + ½ units of
// 10^-18, whose even neighbour is k (k even) or k + 1 (k odd). A by-hand reference (rational rounding
// with BigInt, comparing twice the remainder with the divisor) checks the same cases and the
// near-ties on either side, and the formulas that round (community tax, price, split) hit real ties.

import { describe, expect, it } from "vitest";
import { communityTax, Dec, mulRaw, nozPriceRaw, ONE, ONE_SQ, quoRaw } from "../../../src/protocols/pot/index.js";
import { Lcg } from "./helpers.js";

/** Independent reference: num/den rounded half to even (den > 0), sign handled symmetrically as LegacyDec does. */
function refRound(num: bigint, den: bigint): bigint {
  if (num < 0n) return -refRound(-num, den);
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice < den) return q;
  if (twice > den) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** Reference Dec·Dec: the exact product of the scaled integers is value·10^36; round it to 10^-18. */
const refMul = (a: bigint, b: bigint): bigint => refRound(a * b, ONE);
/** Reference Dec/Dec per spec §1: t = ⌊|A|·10^36/|B|⌋ (sign restored), then round t/10^18 half to even. */
function refQuo(a: bigint, b: bigint): bigint {
  const neg = a < 0n !== b < 0n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const t = (abs(a) * ONE * ONE) / abs(b);
  const r = refRound(t, ONE);
  return neg ? -r : r;
}

/** The even neighbour of k + ½. */
const evenOf = (k: bigint): bigint => (k % 2n === 0n ? k : k + 1n);

/** Divisors of 5·10^17 = 2^17·5^18: 2^i·5^j. */
const DIVISORS: bigint[] = [];
for (let i = 0n; i <= 17n; i += 3n) for (let j = 0n; j <= 18n; j += 3n) DIVISORS.push(2n ** i * 5n ** j);

/** Pseudo-random k of 1 to ~40 digits, both parities. */
function ks(seed: number, n: number): bigint[] {
  const g = new Lcg(seed);
  const out: bigint[] = [0n, 1n, 2n, 3n];
  for (let i = 0; i < n; i++) {
    let k = 0n;
    const digits = 1 + g.int(40);
    for (let d = 0; d < digits; d++) k = k * 10n + BigInt(g.int(10));
    out.push(k);
  }
  return out;
}

describe("Dec mul ties: (2k+1)·d raw × 5·10^17/d raw = k + ½ units", () => {
  it("rounds every tie to the even neighbour, at magnitudes up to 10^40 units", () => {
    let cases = 0;
    for (const k of ks(11, 40)) {
      for (const d of DIVISORS) {
        const a = (2n * k + 1n) * d;
        const b = (5n * 10n ** 17n) / d;
        expect(a * b, "constructed tie").toBe((2n * k + 1n) * 5n * 10n ** 17n);
        const want = evenOf(k);
        expect(mulRaw(a, b)).toBe(want);
        expect(Dec.fromRaw(a).mul(Dec.fromRaw(b)).raw).toBe(want);
        expect(refMul(a, b)).toBe(want);
        // Symmetric for negatives: −(k + ½) → −even.
        expect(mulRaw(-a, b)).toBe(-want);
        expect(mulRaw(a, -b)).toBe(-want);
        expect(mulRaw(-a, -b)).toBe(want);
        cases++;
      }
    }
    expect(cases).toBe(44 * DIVISORS.length);
  });

  it("one unit of 10^-36 either side of a tie rounds to nearest, not to even", () => {
    for (const k of ks(12, 20)) {
      // a·b = (k + ½)·10^18 ± 1 with b = 1 raw: a = (2k+1)·5·10^17 ± 1.
      const tie = (2n * k + 1n) * 5n * 10n ** 17n;
      expect(mulRaw(tie - 1n, 1n)).toBe(k);
      expect(mulRaw(tie + 1n, 1n)).toBe(k + 1n);
      expect(mulRaw(tie, 1n)).toBe(evenOf(k));
      expect(refMul(tie - 1n, 1n)).toBe(k);
      expect(refMul(tie + 1n, 1n)).toBe(k + 1n);
    }
  });
});

describe("Dec quo ties: (2k+1)·m raw ÷ 2·10^18·m raw = k + ½ units", () => {
  it("rounds every tie to the even neighbour, for divisors from 2 to 2·10^30", () => {
    let cases = 0;
    for (const k of ks(21, 40)) {
      for (const m of [1n, 3n, 7n, 10n ** 6n, 999_999_937n, 10n ** 18n, 123_456_789_012_345_678_901n, 10n ** 30n]) {
        const a = (2n * k + 1n) * m;
        const b = 2n * ONE * m;
        const want = evenOf(k);
        expect(quoRaw(a, b)).toBe(want);
        expect(Dec.fromRaw(a).quo(Dec.fromRaw(b)).raw).toBe(want);
        expect(refQuo(a, b)).toBe(want);
        expect(quoRaw(-a, b)).toBe(-want);
        expect(quoRaw(a, -b)).toBe(-want);
        cases++;
      }
    }
    expect(cases).toBe(44 * 8);
  });

  it("a quotient just above a tie that the 36-decimal truncation turns into a tie rounds to even", () => {
    // With T = (k+½)·10^18 (the tie at 36 decimals) and any B > 10^36, A = ⌊T·B/10^36⌋ + 1 gives
    // T·B < A·10^36 ≤ T·B + 10^36 < (T+1)·B: the exact quotient is a hair above k + ½ units (exact
    // rounding: k + 1), but its truncation at 36 decimals is exactly T, a tie, which goes to even.
    for (const k of ks(22, 30)) {
      for (const b of [ONE_SQ + 1n, ONE_SQ + 12345n, 3n * ONE_SQ + 7n, 10n ** 50n + 1n]) {
        const T = (2n * k + 1n) * 5n * 10n ** 17n;
        const a = (T * b) / ONE_SQ + 1n;
        expect((a * ONE_SQ) / b, "truncated quotient is the tie").toBe(T);
        expect((a * ONE_SQ) % b, "exact quotient is above the tie").not.toBe(0n);
        expect(refRound(a * ONE_SQ, b * ONE), "exact rounding").toBe(k + 1n);
        expect(quoRaw(a, b)).toBe(evenOf(k));
        expect(refQuo(a, b)).toBe(evenOf(k));
      }
    }
    // The documented case (also in dec.test.ts): 1 / (4·10^35 − 1 raw) = 2.5000…06e-18 → t is 2.5e-18 → 2.
    expect(quoRaw(ONE, 4n * 10n ** 35n - 1n)).toBe(2n);
  });

  it("agrees with the by-hand reference on random operands (ties or not)", () => {
    const g = new Lcg(31);
    const big = (digits: number) => {
      let x = 0n;
      for (let d = 0; d < digits; d++) x = x * 10n + BigInt(g.int(10));
      return x;
    };
    for (let i = 0; i < 2000; i++) {
      const a = big(1 + g.int(45)) * (g.int(2) ? -1n : 1n);
      const b = big(1 + g.int(40)) + 1n;
      expect(mulRaw(a, b)).toBe(refMul(a, b));
      expect(quoRaw(a, b)).toBe(refQuo(a, b));
    }
  });
});

describe("ties inside the PoT formulas", () => {
  it("community tax q(before·τ) with τ = 0.02: 25 units × 0.02 = ½ unit → 0; 75 units → 1.5 → 2", () => {
    const tau = 2n * 10n ** 16n;
    expect(communityTax(25n, tau).taxRaw).toBe(0n);
    expect(communityTax(75n, tau).taxRaw).toBe(2n);
    expect(communityTax(125n, tau).taxRaw).toBe(2n);
    expect(communityTax(175n, tau).taxRaw).toBe(4n);
    // A large traffic reward landing on a tie: before = (2k+1)·25 units.
    const k = 10n ** 24n + 7n;
    expect(communityTax((2n * k + 1n) * 25n, tau).taxRaw).toBe(evenOf(k));
  });

  it("the price q((S+P)/L) on a tie: (S+P)/L = ½ and 1½ units of 10^-18", () => {
    expect(nozPriceRaw(1n, 0n, 2n * ONE)).toBe(0n);
    expect(nozPriceRaw(2n, 1n, 2n * ONE)).toBe(2n);
    expect(nozPriceRaw(5n * ONE, 0n, 2n * ONE * ONE)).toBe(2n);
  });
});
