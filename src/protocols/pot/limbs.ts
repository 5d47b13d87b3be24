// Exact non-negative wei amounts as two float64 limbs (value = hi·2^40 + lo), for the per-wallet
// immature/mature totals that every report touches. Limb adds cost a few ns; bigint adds allocate.
// Range: hi < 2^53, i.e. values below 2^93 wei (~99× the 100M STOS supply); larger values throw.

export const LIMB_BASE = 2 ** 40;
const LIMB_BITS = 40n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const MAX_HI = Number.MAX_SAFE_INTEGER;

/** Splits a non-negative bigint into [hi, lo] limbs. */
export function toLimbs(v: bigint): [number, number] {
  if (v < 0n) throw new RangeError("limb value must be non-negative");
  const hi = Number(v >> LIMB_BITS);
  if (hi > MAX_HI) throw new RangeError("limb value out of range");
  return [hi, Number(v & LIMB_MASK)];
}

export function fromLimbs(hi: number, lo: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << LIMB_BITS) + BigInt(lo);
}

/** Growable vector of limb amounts indexed by wallet handle. */
export class LimbVec {
  hi: Float64Array;
  lo: Float64Array;

  constructor(capacity = 64) {
    this.hi = new Float64Array(capacity);
    this.lo = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.hi.length;
  }

  ensure(n: number): void {
    if (n <= this.hi.length) return;
    let cap = this.hi.length || 1;
    while (cap < n) cap *= 2;
    const hi = new Float64Array(cap);
    const lo = new Float64Array(cap);
    hi.set(this.hi);
    lo.set(this.lo);
    this.hi = hi;
    this.lo = lo;
  }

  get(i: number): bigint {
    if (i >= this.hi.length) return 0n;
    return fromLimbs(this.hi[i]!, this.lo[i]!);
  }

  set(i: number, v: bigint): void {
    this.ensure(i + 1);
    const [h, l] = toLimbs(v);
    this.hi[i] = h;
    this.lo[i] = l;
  }

  isZero(i: number): boolean {
    return i >= this.hi.length || (this.hi[i] === 0 && this.lo[i] === 0);
  }

  /** Adds limbs (caller ensured capacity). */
  add(i: number, h: number, l: number): void {
    let lo = this.lo[i]! + l;
    let hi = this.hi[i]! + h;
    if (lo >= LIMB_BASE) {
      lo -= LIMB_BASE;
      hi += 1;
    }
    if (hi > MAX_HI) throw new RangeError("limb accumulator overflow");
    this.lo[i] = lo;
    this.hi[i] = hi;
  }

  /** Subtracts limbs; the result must stay non-negative (caller's invariant). */
  sub(i: number, h: number, l: number): void {
    let lo = this.lo[i]! - l;
    let hi = this.hi[i]! - h;
    if (lo < 0) {
      lo += LIMB_BASE;
      hi -= 1;
    }
    if (hi < 0) throw new RangeError("limb accumulator underflow");
    this.lo[i] = lo;
    this.hi[i] = hi;
  }

  clone(): LimbVec {
    const c = new LimbVec(0);
    c.hi = this.hi.slice();
    c.lo = this.lo.slice();
    return c;
  }

  /** Sum of entries [0, n) as bigint (for deep invariant checks, not the hot path). */
  sum(n: number): bigint {
    let s = 0n;
    const m = Math.min(n, this.hi.length);
    for (let i = 0; i < m; i++) {
      if (this.hi[i] !== 0 || this.lo[i] !== 0) s += fromLimbs(this.hi[i]!, this.lo[i]!);
    }
    return s;
  }
}
