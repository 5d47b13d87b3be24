// Exact non-negative wei amounts as two float64 limbs (value = hi·2^40 + lo), for the per-wallet
// immature/mature totals that every report touches. Limb adds cost a few ns; bigint adds allocate.
// Range: hi < 2^53, i.e. values below 2^93 wei (~99× the 100M STOS supply); larger values throw.
// Carries are computed branch-free (c = +(lo ≥ 2^40)): low limbs are effectively random, so a carry
// branch is a coin flip that the CPU mispredicts half the time (7–8 ns per add against ~1.3 ns).

export const LIMB_BASE = 2 ** 40;
const LIMB_BITS = 40n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const MAX_HI = Number.MAX_SAFE_INTEGER;

/** Values below this fit in two limbs. */
export const LIMB_LIMIT = 1n << 93n;

/** The high limb of a non-negative bigint below LIMB_LIMIT (unchecked; toLimbs checks). */
export function limbHi(v: bigint): number {
  return Number(v >> LIMB_BITS);
}

/** The low limb of a non-negative bigint (unchecked; toLimbs checks). */
export function limbLo(v: bigint): number {
  return Number(v & LIMB_MASK);
}

/** Splits a non-negative bigint into [hi, lo] limbs. */
export function toLimbs(v: bigint): [number, number] {
  if (v < 0n) throw new RangeError("limb value must be non-negative");
  const hi = limbHi(v);
  if (hi > MAX_HI) throw new RangeError("limb value out of range");
  return [hi, limbLo(v)];
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
    const s = this.lo[i]! + l;
    const c = +(s >= LIMB_BASE);
    const hi = this.hi[i]! + h + c;
    if (hi > MAX_HI) throw new RangeError("limb accumulator overflow");
    this.lo[i] = s - c * LIMB_BASE;
    this.hi[i] = hi;
  }

  /** Subtracts limbs; the result must stay non-negative (caller's invariant). */
  sub(i: number, h: number, l: number): void {
    const s = this.lo[i]! - l;
    const b = +(s < 0);
    const hi = this.hi[i]! - h - b;
    if (hi < 0) throw new RangeError("limb accumulator underflow");
    this.lo[i] = s + b * LIMB_BASE;
    this.hi[i] = hi;
  }

  /** this[idx[d]] += (hi[d], lo[d]) for every d: a whole reward block in one call (caller ensured capacity). */
  addAll(idx: Int32Array, hi: Float64Array, lo: Float64Array): void {
    const H = this.hi;
    const L = this.lo;
    for (let d = 0; d < idx.length; d++) {
      const i = idx[d]!;
      const l = L[i]! + lo[d]!;
      const c = +(l >= LIMB_BASE);
      const h = H[i]! + hi[d]! + c;
      if (h > MAX_HI) throw new RangeError("limb accumulator overflow");
      L[i] = l - c * LIMB_BASE;
      H[i] = h;
    }
  }

  /** Moves (hi[d], lo[d]) from this[idx[d]] to to[idx[d]] for every d, in one pass (maturity). */
  moveAll(to: LimbVec, idx: Int32Array, hi: Float64Array, lo: Float64Array): void {
    const FH = this.hi;
    const FL = this.lo;
    const TH = to.hi;
    const TL = to.lo;
    for (let d = 0; d < idx.length; d++) {
      const i = idx[d]!;
      const h = hi[d]!;
      const l = lo[d]!;
      const fl = FL[i]! - l;
      const b = +(fl < 0);
      const fh = FH[i]! - h - b;
      if (fh < 0) throw new RangeError("limb accumulator underflow");
      const tl = TL[i]! + l;
      const c = +(tl >= LIMB_BASE);
      const th = TH[i]! + h + c;
      if (th > MAX_HI) throw new RangeError("limb accumulator overflow");
      FL[i] = fl + b * LIMB_BASE;
      FH[i] = fh;
      TL[i] = tl - c * LIMB_BASE;
      TH[i] = th;
    }
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

/**
 * Rewards of a block of wallets as limbs: mining, and mining + paid traffic (one limb add per wallet to
 * credit or mature it; traffic is the difference). Immutable once built.
 */
export interface RewardLimbs {
  readonly minHi: Float64Array;
  readonly minLo: Float64Array;
  readonly totHi: Float64Array;
  readonly totLo: Float64Array;
}
