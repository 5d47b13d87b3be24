// Dec: LegacyDec rounding (half-to-even on mul and quo, tie judged after the 36-decimal truncation),
// truncation, parsing and formatting, negative values and large magnitudes.

import { describe, expect, it } from "vitest";
import { Dec, mulRaw, ONE, parseRaw, quoRaw, roundRaw, truncRaw } from "../../../src/protocols/pot/index.js";

const d = (s: string) => Dec.parse(s);
const raw = (r: bigint) => Dec.fromRaw(r);

describe("Dec parse/format", () => {
  it("formats with exactly 18 decimals", () => {
    expect(Dec.fromInt(0n).toString()).toBe("0.000000000000000000");
    expect(Dec.fromInt(12).toString()).toBe("12.000000000000000000");
    expect(d("1224999946405.869532259956129398").toString()).toBe("1224999946405.869532259956129398");
    expect(d("0.5").toString()).toBe("0.500000000000000000");
    expect(raw(1n).toString()).toBe("0.000000000000000001");
  });

  it("handles negative values with a leading minus", () => {
    expect(d("-1.5").toString()).toBe("-1.500000000000000000");
    expect(d("-0.000000000000000001").raw).toBe(-1n);
    expect(d("-0").toString()).toBe("0.000000000000000000");
    expect(raw(-1234567890123456789n).toString()).toBe("-1.234567890123456789");
  });

  it("rejects malformed strings and more than 18 decimals", () => {
    for (const bad of ["", "abc", "1.", ".5", "1.2.3", "1e18", "0.0000000000000000001", "--1"]) {
      expect(() => Dec.parse(bad), bad).toThrow(SyntaxError);
    }
  });

  it("round-trips raw values", () => {
    for (const s of ["0.333333333333333333", "98765432109876543210.000000000000000001", "-42.424242424242424242"]) {
      expect(Dec.parse(s).toString()).toBe(s);
      expect(parseRaw(s)).toBe(Dec.parse(s).raw);
    }
  });
});

describe("Dec mul: exact product, half-to-even at 18 decimals", () => {
  it("ties go to the even neighbour, both ways", () => {
    // 1e-18 × 0.5 = 0.5e-18 → 0 (even); 3e-18 × 0.5 = 1.5e-18 → 2e-18 (even).
    expect(raw(1n).mul(d("0.5")).raw).toBe(0n);
    expect(raw(3n).mul(d("0.5")).raw).toBe(2n);
    expect(raw(5n).mul(d("0.5")).raw).toBe(2n);
    expect(raw(7n).mul(d("0.5")).raw).toBe(4n);
  });

  it("rounds non-ties to nearest", () => {
    expect(raw(1n).mul(d("0.500000000000000001")).raw).toBe(1n);
    expect(raw(1n).mul(d("0.499999999999999999")).raw).toBe(0n);
    expect(d("0.333333333333333333").mul(Dec.fromInt(3)).toString()).toBe("0.999999999999999999");
  });

  it("rounds negative products symmetrically", () => {
    expect(raw(-3n).mul(d("0.5")).raw).toBe(-2n);
    expect(raw(-1n).mul(d("0.5")).raw).toBe(0n);
    expect(raw(3n).mul(d("-0.5")).raw).toBe(-2n);
    expect(d("-1.5").mul(d("-2")).toString()).toBe("3.000000000000000000");
  });

  it("integer products are exact", () => {
    expect(Dec.fromInt(28_000_000_000_000_000_000n).mul(Dec.fromInt(100_000n)).toString()).toBe(
      "2800000000000000000000000.000000000000000000",
    );
  });
});

describe("Dec quo: trunc at 36 decimals, then half-to-even", () => {
  it("1/3 and 2/3", () => {
    expect(Dec.fromInt(1).quo(Dec.fromInt(3)).toString()).toBe("0.333333333333333333");
    expect(Dec.fromInt(2).quo(Dec.fromInt(3)).toString()).toBe("0.666666666666666667");
    expect(Dec.fromInt(-2).quo(Dec.fromInt(3)).toString()).toBe("-0.666666666666666667");
    expect(Dec.fromInt(1).quo(Dec.fromInt(-3)).toString()).toBe("-0.333333333333333333");
  });

  it("exact ties round to even", () => {
    // 1e-18 / 2 = 0.5e-18 → 0; 3e-18 / 2 → 2e-18.
    expect(raw(1n).quo(Dec.fromInt(2)).raw).toBe(0n);
    expect(raw(3n).quo(Dec.fromInt(2)).raw).toBe(2n);
    expect(raw(-3n).quo(Dec.fromInt(2)).raw).toBe(-2n);
  });

  it("a tie is judged after the truncation at 36 decimals", () => {
    // 1 / (4e35 − 1 raw): the exact value is 2.5000…06e-18, but trunc at 36 decimals gives exactly 2.5e-18,
    // a tie, which rounds to the even 2e-18 (exact rounding would give 3e-18).
    const b = raw(4n * 10n ** 35n - 1n);
    expect(Dec.ONE.quo(b).raw).toBe(2n);
    expect(quoRaw(ONE, 4n * 10n ** 35n - 1n)).toBe(2n);
    // Same situation with an odd quotient: 3.5e-18 (+tiny) → tie → 4e-18.
    expect(Dec.ONE.quo(raw(285714285714285714285714285714285714n)).raw).toBe(4n);
  });

  it("throws on division by zero", () => {
    expect(() => Dec.ONE.quo(Dec.ZERO)).toThrow(RangeError);
  });
});

describe("Dec truncation, comparisons, add/sub", () => {
  it("truncateInt floors non-negative values and truncates toward zero like LegacyDec", () => {
    expect(d("2.999999999999999999").truncateInt()).toBe(2n);
    expect(d("0.999999999999999999").truncateInt()).toBe(0n);
    expect(d("-1.5").truncateInt()).toBe(-1n);
    expect(d("-1.5").floor()).toBe(-2n);
    expect(d("-2").floor()).toBe(-2n);
    expect(truncRaw(1999999999999999999n)).toBe(1n);
  });

  it("add and sub are exact; comparisons", () => {
    const a = d("0.000000000000000001");
    expect(a.add(a).toString()).toBe("0.000000000000000002");
    expect(a.sub(d("1")).toString()).toBe("-0.999999999999999999");
    expect(a.lt(d("0.000000000000000002"))).toBe(true);
    expect(a.gte(a)).toBe(true);
    expect(a.cmp(a.neg())).toBe(1);
    expect(a.neg().abs().eq(a)).toBe(true);
    expect(Dec.ZERO.isZero() && a.neg().isNegative()).toBe(true);
    expect(Dec.fromInt(5).mulInt(3n).toString()).toBe("15.000000000000000000");
  });
});

describe("Dec at 10^40 scale", () => {
  const big = Dec.fromInt(10n ** 40n);
  it("multiplies and divides large values exactly", () => {
    expect(big.mul(big).toString()).toBe(`1${"0".repeat(80)}.000000000000000000`);
    expect(big.quo(Dec.fromInt(3)).toString()).toBe(`${"3".repeat(40)}.333333333333333333`);
    expect(big.add(d("0.5")).mul(d("2")).toString()).toBe(`2${"0".repeat(39)}1.000000000000000000`);
    expect(Dec.fromInt(2n * 10n ** 40n).quo(Dec.fromInt(3n * 10n ** 40n)).toString()).toBe("0.666666666666666667");
    expect(big.quo(raw(3n)).toString()).toBe(`${"3".repeat(58)}.333333333333333333`);
  });

  it("raw helpers agree with the class", () => {
    const a = 123456789123456789123456789n;
    const b = 987654321987654321n;
    expect(mulRaw(a, b)).toBe(raw(a).mul(raw(b)).raw);
    expect(quoRaw(a, b)).toBe(raw(a).quo(raw(b)).raw);
    expect(roundRaw(-1500000000000000000n)).toBe(-2n);
    expect(roundRaw(2500000000000000000n)).toBe(2n);
  });
});
