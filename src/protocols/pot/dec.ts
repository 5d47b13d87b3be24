// Dec: a bigint scaled by 10^18 with the exact rounding rules of cosmossdk.io/math LegacyDec (spec §1).
// Owns the decimal arithmetic every PoT formula is built on; the raw helpers are the hot path.

/** 10^18, the scale of a Dec. */
export const ONE = 10n ** 18n;
/** 10^36, the intermediate scale of Quo. */
export const ONE_SQ = 10n ** 36n;
/** Half a unit at 18 decimals, for half-to-even rounding. */
const HALF = 5n * 10n ** 17n;
const PRECISION = 18;
const DEC_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * LegacyDec `chopPrecisionAndRound`: divide a 36-decimal intermediate by 10^18 and round half to even.
 * Negative values are rounded symmetrically (round |x|, restore the sign), as in the Go code.
 */
export function roundRaw(x: bigint): bigint {
  if (x < 0n) return -roundRaw(-x);
  const q = x / ONE;
  const r = x - q * ONE;
  if (r < HALF) return q;
  if (r > HALF) return q + 1n;
  return (q & 1n) === 0n ? q : q + 1n;
}

/** Dec·Dec on raw values: exact product, then half-to-even to 18 decimals. */
export function mulRaw(a: bigint, b: bigint): bigint {
  return roundRaw(a * b);
}

/** Dec/Dec on raw values: t = trunc(a·10^36 / b) (Go big.Int Quo), then half-to-even; a tie is judged after the truncation. */
export function quoRaw(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("Dec division by zero");
  return roundRaw((a * ONE_SQ) / b);
}

/** TruncateInt on a raw value: drops the fraction toward zero (Go big.Int Quo); equals floor for values ≥ 0. */
export function truncRaw(a: bigint): bigint {
  return a / ONE;
}

/** Int → Dec raw (exact). */
export function intToRaw(i: bigint): bigint {
  return i * ONE;
}

/** Formats a raw value the way LegacyDec.String() does: always 18 decimals, leading "-" when negative. */
export function formatRaw(raw: bigint): string {
  const neg = raw < 0n;
  const abs = neg ? -raw : raw;
  const int = abs / ONE;
  const frac = (abs - int * ONE).toString().padStart(PRECISION, "0");
  // One flat string (a template makes a tree of cons strings; metrics keep one price per epoch).
  return [neg ? "-" : "", int.toString(), ".", frac].join("");
}

/** Parses a decimal string ("12", "-0.5", "1.000000000000000001") into a raw value; more than 18 decimals is an error (as in LegacyNewDecFromStr). */
export function parseRaw(s: string): bigint {
  const m = DEC_RE.exec(s.trim());
  if (!m) throw new SyntaxError(`invalid decimal string: "${s}"`);
  const frac = m[3] ?? "";
  if (frac.length > PRECISION) throw new SyntaxError(`too many decimal places (max ${PRECISION}): "${s}"`);
  const raw = BigInt(m[2]!) * ONE + BigInt(frac.padEnd(PRECISION, "0") || "0");
  return m[1] ? -raw : raw;
}

/** Immutable LegacyDec value. Arithmetic follows spec §1 exactly; use the raw helpers above in hot loops. */
export class Dec {
  /** The scaled integer: value · 10^18. */
  readonly raw: bigint;

  private constructor(raw: bigint) {
    this.raw = raw;
  }

  static readonly ZERO = new Dec(0n);
  static readonly ONE = new Dec(ONE);

  /** Wraps an already-scaled integer. */
  static fromRaw(raw: bigint): Dec {
    return new Dec(raw);
  }

  /** Exact Int → Dec. */
  static fromInt(i: bigint | number): Dec {
    return new Dec(BigInt(i) * ONE);
  }

  /** Parses "123.45" / "-1" / "0.333333333333333333" (≤ 18 decimals). */
  static parse(s: string): Dec {
    return new Dec(parseRaw(s));
  }

  add(o: Dec): Dec {
    return new Dec(this.raw + o.raw);
  }

  sub(o: Dec): Dec {
    return new Dec(this.raw - o.raw);
  }

  /** Exact product rounded half-to-even to 18 decimals. */
  mul(o: Dec): Dec {
    return new Dec(mulRaw(this.raw, o.raw));
  }

  /** Multiplication by an Int (exact, as LegacyDec.MulInt). */
  mulInt(i: bigint): Dec {
    return new Dec(this.raw * i);
  }

  /** Quotient: trunc(A·10^36/B) rounded half-to-even to 18 decimals. Throws on division by zero. */
  quo(o: Dec): Dec {
    return new Dec(quoRaw(this.raw, o.raw));
  }

  /** Integer part toward zero (LegacyDec.TruncateInt); floor for non-negative values. */
  truncateInt(): bigint {
    return truncRaw(this.raw);
  }

  /** Mathematical floor (differs from truncateInt only for negative non-integers). */
  floor(): bigint {
    const t = this.raw / ONE;
    return this.raw < 0n && t * ONE !== this.raw ? t - 1n : t;
  }

  neg(): Dec {
    return new Dec(-this.raw);
  }

  abs(): Dec {
    return this.raw < 0n ? new Dec(-this.raw) : this;
  }

  cmp(o: Dec): -1 | 0 | 1 {
    return this.raw < o.raw ? -1 : this.raw > o.raw ? 1 : 0;
  }

  eq(o: Dec): boolean {
    return this.raw === o.raw;
  }

  lt(o: Dec): boolean {
    return this.raw < o.raw;
  }

  lte(o: Dec): boolean {
    return this.raw <= o.raw;
  }

  gt(o: Dec): boolean {
    return this.raw > o.raw;
  }

  gte(o: Dec): boolean {
    return this.raw >= o.raw;
  }

  isZero(): boolean {
    return this.raw === 0n;
  }

  isNegative(): boolean {
    return this.raw < 0n;
  }

  /** LegacyDec.String(): exactly 18 decimals. */
  toString(): string {
    return formatRaw(this.raw);
  }

  toJSON(): string {
    return formatRaw(this.raw);
  }
}
