// Step E (resource-node rewards) in exact float64 arithmetic: the same integers as the bigint hot loop of
// report.ts, without allocating ~20 bigints per list entry. Every intermediate value is an integer below
// 2^53, so each float64 operation is exact:
//   - amounts are split into base-D digits (D = 10^6, so ·10^18 and ⌊·/10^18⌋ are digit shifts);
//   - products of two digits are < 10^12, column sums of ≤ 4 products < 2^53;
//   - quotients are estimated in floating point and corrected where the estimate can be off by one.
// The domain is guarded per report (total volume, pool amounts, τ); outside it the caller falls back
// to the bigint loop. The optimised twin of report.ts's computePlan and formulas.ts's
// resourceEntryReward; tested equal to them by test/protocols/pot/fast/plan.equiv.test.ts.
// Three passes over the list (shares; per-entry amounts; per-wallet limbs): short loop bodies let the
// CPU overlap the long dependency chains of independent entries.

import { ONE } from "../dec.js";
import type { PotMemory } from "./memory.js";

const D = 1e6;
/**
 * ⌊c·INV_D⌋ = ⌊c/D⌋ for every integer |c| < 4·10^15 (all values divided here are below 10^13): INV_D is
 * 10^-6 with relative error below 2^-54, so for c off a multiple of D the product stays within 10^-6 of
 * c/D on the same side of an integer, and for c = k·D it rounds back to k.
 */
const INV_D = 1e-6;
/** Likewise ⌊c·INV_1000⌋ = ⌊c/1000⌋ for integers 0 ≤ c < 4·10^12 (10^-3 is stored slightly above 10^-3). */
const INV_1000 = 1e-3;
const D2 = 1e12;
const DN = 1_000_000n;
const D2N = 1_000_000_000_000n;
const E9 = 1e9;
const TWO21 = 2 ** 21;
/** The share's division steps need Y < 2^43 (remainder parts below 2^22 · 10^9 < 2^52). */
const MAX_Y = 2n ** 43n - 1n;
/** Tax digit sums and low parts of the list sums are flushed to bigints this often (FLUSH · 2^41 < 2^53). */
const FLUSH = 2048;
/** Pool amounts have at most four base-D digits. */
const MAX_POOL = 10n ** 24n - 1n;
/** Numerator and denominator of τ in lowest terms stay below 2^32 (long-division terms < 2^53). */
const MAX_TAU_TERM = 2n ** 32n;
/** Whole-STOS mining pools below this many STOS take the short path (mW·10^12 < 2^53). */
const MAX_WHOLE = 9000n;
const TWO12 = 2 ** 12;
const TWO24 = 2 ** 24;
const TWO28 = 2 ** 28;
const TWO36 = 2 ** 36;
const TWO40 = 2 ** 40;
/** 10^12 = 2^12 · 5^12. */
const FIVE12 = 244_140_625;

/** Per-distinct-wallet totals as float64 limbs (value = hi·2^40 + lo), plus the list sums. */
export interface FastPlanResult {
  readonly minHi: Float64Array;
  readonly minLo: Float64Array;
  /** Mining + traffic (paid traffic is the difference). */
  readonly totHi: Float64Array;
  readonly totLo: Float64Array;
  readonly miningSum: bigint;
  readonly paidSum: bigint;
  readonly taxSumRaw: bigint;
}

/** The four base-D digits of 0 ≤ v < 10^24, low first. */
function digits4(v: bigint): [number, number, number, number] {
  const hi = Number(v / D2N);
  const lo = Number(v % D2N);
  const h1 = Math.floor(hi / D);
  const l1 = Math.floor(lo / D);
  return [lo - l1 * D, l1, hi - h1 * D, h1];
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/**
 * The plan of computePlan (report.ts) for volumes given as safe integers, or undefined when the inputs
 * are outside the exact domain (Y ≥ 2^43, a pool ≥ 10^24 wei, τ ∉ [0, 1] or with terms ≥ 2^32).
 * `entryToDistinct` is undefined when every wallet is distinct. The per-entry scratch and the block's
 * arrays (mining and total, kept until maturity: views of shared chunks) come from `memory`.
 */
export function computePlanFast(
  vols: ArrayLike<number>,
  Y: bigint,
  entryToDistinct: Int32Array | undefined,
  nd: number,
  mR: bigint,
  tR: bigint,
  tauRaw: bigint,
  memory: PotMemory,
): FastPlanResult | undefined {
  if (Y <= 0n || Y > MAX_Y || mR < 0n || mR > MAX_POOL || tR < 0n || tR > MAX_POOL || tauRaw < 0n || tauRaw > ONE) return undefined;
  const div = tauRaw === 0n ? ONE : gcd(tauRaw, ONE);
  if (tauRaw / div > MAX_TAU_TERM || ONE / div > MAX_TAU_TERM) return undefined;
  const n = vols.length;
  const scratch = memory.planScratch(7 * n);
  const S2 = scratch.subarray(0, n);
  const S1 = scratch.subarray(n, 2 * n);
  const S0 = scratch.subarray(2 * n, 3 * n);
  shares(vols, Number(Y), S2, S1, S0);
  const MH = scratch.subarray(3 * n, 4 * n);
  const ML = scratch.subarray(4 * n, 5 * n);
  const PH = scratch.subarray(5 * n, 6 * n);
  const PL = scratch.subarray(6 * n, 7 * n);
  mining(S2, S1, S0, mR, MH, ML);
  const taxSumRaw = traffic(S2, S1, S0, tR, Number(tauRaw / div), Number(ONE / div), PH, PL);

  // Σ mining and Σ paid as hi·10^12 + lo, low parts flushed to bigints (FLUSH · 10^12 < 2^53).
  let sumMinH = 0;
  let sumMinL = 0;
  let sumTrfH = 0;
  let sumTrfL = 0;
  let low = 0n;
  let trfLow = 0n;
  for (let i = 0; i < n; i++) {
    sumMinH += MH[i]!;
    sumMinL += ML[i]!;
    sumTrfH += PH[i]!;
    sumTrfL += PL[i]!;
    if ((i & (FLUSH - 1)) === FLUSH - 1) {
      low += BigInt(sumMinL);
      trfLow += BigInt(sumTrfL);
      sumMinL = 0;
      sumTrfL = 0;
    }
  }

  const kept = memory.blockLimbs.take(4 * nd);
  const minH = kept.subarray(0, nd);
  const minL = kept.subarray(nd, 2 * nd);
  const totH = kept.subarray(2 * nd, 3 * nd);
  const totL = kept.subarray(3 * nd, 4 * nd);
  if (!entryToDistinct) {
    // Every wallet distinct: entry i is wallet i.
    for (let i = 0; i < n; i++) wallet(MH[i]!, ML[i]!, PH[i]!, PL[i]!, minH, minL, totH, totL, i);
  } else {
    // Sum each wallet's entries in decimal form (hi·10^12 + lo) first, then convert.
    const trfH = new Float64Array(nd);
    const trfL = new Float64Array(nd);
    for (let i = 0; i < n; i++) {
      const w = entryToDistinct[i]!;
      addDecimal(minH, minL, w, MH[i]!, ML[i]!);
      addDecimal(trfH, trfL, w, PH[i]!, PL[i]!);
    }
    for (let w = 0; w < nd; w++) wallet(minH[w]!, minL[w]!, trfH[w]!, trfL[w]!, minH, minL, totH, totL, w);
  }
  return {
    minHi: minH,
    minLo: minL,
    totHi: totH,
    totLo: totL,
    miningSum: BigInt(sumMinH) * D2N + low + BigInt(sumMinL),
    paidSum: BigInt(sumTrfH) * D2N + trfLow + BigInt(sumTrfL),
    taxSumRaw,
  };
}

/**
 * Pass 1: s = q(v/Y) at 18 decimals as base-D digits s2·10^12 + s1·10^6 + s0 (s ≤ 10^18, s2 ≤ 10^6).
 * ⌊v·10^18/Y⌋ = q1·10^9 + q2 by two base-10^9 division steps, r the remainder. Y < 2^43 < HALF, so the
 * dropped digits exceed one half iff 2·r > Y and tie iff 2·r = Y (see computePlan). Each step estimates
 * q from c9 ≈ 10^9/Y (off by at most one), then computes x·10^9 − q·Y exactly as
 * (xh·10^9 − q·yh)·2^21 + (xl·10^9 − q·yl) with x = xh·2^21 + xl, Y = yh·2^21 + yl (products < 2^52).
 */
function shares(vols: ArrayLike<number>, y: number, S2: Float64Array, S1: Float64Array, S0: Float64Array): void {
  const c9 = E9 / y;
  const yh = Math.floor(y / TWO21);
  const yl = y - yh * TWO21;
  for (let i = 0; i < vols.length; i++) {
    const v = vols[i]!;
    let q1 = Math.floor(v * c9);
    let xh = Math.floor(v / TWO21);
    let r = (xh * E9 - q1 * yh) * TWO21 + ((v - xh * TWO21) * E9 - q1 * yl);
    if (r < 0) {
      q1--;
      r += y;
    } else if (r >= y) {
      q1++;
      r -= y;
    }
    let q2 = Math.floor(r * c9);
    xh = Math.floor(r / TWO21);
    r = (xh * E9 - q2 * yh) * TWO21 + ((r - xh * TWO21) * E9 - q2 * yl);
    if (r < 0) {
      q2--;
      r += y;
    } else if (r >= y) {
      q2++;
      r -= y;
    }
    // Round up when 2r > Y, or on a tie when s is odd, i.e. q2 is (10^9 is even). Branch-free: the
    // outcome is a coin flip, which a branch would mispredict half the time.
    const d = 2 * r - y;
    q2 += +(d > 0) + (+(d === 0) & q2);
    if (q2 === E9) {
      q2 = 0;
      q1++;
    }
    const s2 = Math.floor(q1 * INV_1000);
    const q2h = Math.floor(q2 * INV_D);
    S2[i] = s2;
    S1[i] = (q1 - s2 * 1000) * 1000 + q2h;
    S0[i] = q2 - q2h * D;
  }
}

/** Pass 2a: m = ⌊mR·s/10^18⌋ per entry, as MH·10^12 + ML (ML < 10^12). */
function mining(S2: Float64Array, S1: Float64Array, S0: Float64Array, mR: bigint, MH: Float64Array, ML: Float64Array): void {
  const n = S2.length;
  if (mR % ONE === 0n && mR / ONE < MAX_WHOLE) {
    // Whole STOS: m = mW·s, with mW·s1·10^6 + mW·s0 < 2^53.
    const mW = Number(mR / ONE);
    for (let i = 0; i < n; i++) {
      const lo = mW * S1[i]! * D + mW * S0[i]!;
      const k = Math.floor(lo * (1 / D2));
      const l = lo - k * D2;
      // 1/D2 is inexact: correct an estimate off by one (l is then outside [0, 10^12)).
      const c = l < 0 ? k - 1 : l >= D2 ? k + 1 : k;
      MH[i] = mW * S2[i]! + c;
      ML[i] = lo - c * D2;
    }
    return;
  }
  const [a0, a1, a2, a3] = digits4(mR);
  for (let i = 0; i < n; i++) {
    const s2 = S2[i]!;
    const s1 = S1[i]!;
    const s0 = S0[i]!;
    // Column sums of the digit product, carried; digits ≥ 3 form the quotient.
    let c = a0 * s0;
    let k = Math.floor(c * INV_D);
    c = a0 * s1 + a1 * s0 + k;
    k = Math.floor(c * INV_D);
    c = a0 * s2 + a1 * s1 + a2 * s0 + k;
    k = Math.floor(c * INV_D);
    c = a1 * s2 + a2 * s1 + a3 * s0 + k;
    k = Math.floor(c * INV_D);
    const m3 = c - k * D;
    c = a2 * s2 + a3 * s1 + k;
    k = Math.floor(c * INV_D);
    const m4 = c - k * D;
    MH[i] = a3 * s2 + k;
    ML[i] = m4 * D + m3;
  }
}

/**
 * Pass 2b: before = tR·s (Dec raw), tax = q(before·τ) = round-half-even(before·tNum/tDen) and
 * paid = ⌊(before − tax)/10^18⌋ per entry, as PH·10^12 + PL. Returns Σ tax (Dec raw).
 */
function traffic(
  S2: Float64Array,
  S1: Float64Array,
  S0: Float64Array,
  tR: bigint,
  tNum: number,
  tDen: number,
  PH: Float64Array,
  PL: Float64Array,
): bigint {
  const [b0, b1, b2, b3] = digits4(tR);
  // When tDen divides D (τ has at most six decimals), the tax needs no long division: τ·D is an integer.
  const tauD = D % tDen === 0 ? tNum * (D / tDen) : -1;
  const invDen = 1 / tDen;
  // Σ tax per base-D digit, flushed to a bigint every FLUSH entries (digit sums stay below 2^53).
  let x0 = 0;
  let x1 = 0;
  let x2 = 0;
  let x3 = 0;
  let x4 = 0;
  let x5 = 0;
  let x6 = 0;
  let taxSumRaw = 0n;
  // Digits of before and tax for the long-division case.
  const gs = new Float64Array(7);
  const ts = new Float64Array(7);
  const n = S2.length;
  for (let i = 0; i < n; i++) {
    const s2 = S2[i]!;
    const s1 = S1[i]!;
    const s0 = S0[i]!;
    // before, fully carried into base-D digits g0..g6.
    let c = b0 * s0;
    let k = Math.floor(c * INV_D);
    const g0 = c - k * D;
    c = b0 * s1 + b1 * s0 + k;
    k = Math.floor(c * INV_D);
    const g1 = c - k * D;
    c = b0 * s2 + b1 * s1 + b2 * s0 + k;
    k = Math.floor(c * INV_D);
    const g2 = c - k * D;
    c = b1 * s2 + b2 * s1 + b3 * s0 + k;
    k = Math.floor(c * INV_D);
    const g3 = c - k * D;
    c = b2 * s2 + b3 * s1 + k;
    k = Math.floor(c * INV_D);
    const g4 = c - k * D;
    c = b3 * s2 + k;
    k = Math.floor(c * INV_D);
    const g5 = c - k * D;
    const g6 = k;

    // tax as uncarried base-D digits t0..t6 (< 2^41), plus the remainder of the division (rounding).
    let t0: number;
    let t1: number;
    let t2: number;
    let t3: number;
    let t4: number;
    let t5: number;
    let t6: number;
    let rem: number;
    if (tauD >= 0) {
      // D^j/tDen = (D/tDen)·D^(j−1) for j ≥ 1: only g0·tNum is divided.
      const x = g0 * tNum;
      let tq = Math.floor(x * invDen);
      rem = x - tq * tDen;
      if (rem < 0) {
        tq--;
        rem += tDen;
      } else if (rem >= tDen) {
        tq++;
        rem -= tDen;
      }
      t0 = g1 * tauD + tq;
      t1 = g2 * tauD;
      t2 = g3 * tauD;
      t3 = g4 * tauD;
      t4 = g5 * tauD;
      t5 = g6 * tauD;
      t6 = 0;
    } else {
      // Long division from the top digit: each step ⌊(rem·D + g_j·tNum)/tDen⌋ with rem < tDen (terms < 2^53).
      gs[0] = g0;
      gs[1] = g1;
      gs[2] = g2;
      gs[3] = g3;
      gs[4] = g4;
      gs[5] = g5;
      gs[6] = g6;
      rem = 0;
      for (let j = 6; j >= 0; j--) {
        const cur = rem * D + gs[j]! * tNum;
        let tq = Math.floor(cur * invDen);
        rem = cur - tq * tDen;
        if (rem < 0) {
          tq--;
          rem += tDen;
        } else if (rem >= tDen) {
          tq++;
          rem -= tDen;
        }
        ts[j] = tq;
      }
      t0 = ts[0]!;
      t1 = ts[1]!;
      t2 = ts[2]!;
      t3 = ts[3]!;
      t4 = ts[4]!;
      t5 = ts[5]!;
      t6 = ts[6]!;
    }
    // Round up past one half (branch-free, a coin flip), and on a tie when tax is odd: D is even, so tax
    // is odd iff t0 is (t0 may exceed 2^31: no bitwise parity; ties are rare).
    const r2 = 2 * rem;
    t0 += +(r2 > tDen);
    if (r2 === tDen && t0 % 2 === 1) t0 += 1;
    x0 += t0;
    x1 += t1;
    x2 += t2;
    x3 += t3;
    x4 += t4;
    x5 += t5;
    x6 += t6;
    if ((i & (FLUSH - 1)) === FLUSH - 1) {
      taxSumRaw += digitSum(x0, x1, x2, x3, x4, x5, x6);
      x0 = x1 = x2 = x3 = x4 = x5 = x6 = 0;
    }

    // paid = ⌊(before − tax)/10^18⌋ (tax ≤ before): digit differences carried with floor, digits ≥ 3 kept.
    c = g0 - t0;
    k = Math.floor(c * INV_D);
    c = g1 - t1 + k;
    k = Math.floor(c * INV_D);
    c = g2 - t2 + k;
    k = Math.floor(c * INV_D);
    c = g3 - t3 + k;
    k = Math.floor(c * INV_D);
    const p3 = c - k * D;
    c = g4 - t4 + k;
    k = Math.floor(c * INV_D);
    const p4 = c - k * D;
    c = g5 - t5 + k;
    k = Math.floor(c * INV_D);
    const p5 = c - k * D;
    PH[i] = (g6 - t6 + k) * D + p5;
    PL[i] = p4 * D + p3;
  }
  return taxSumRaw + digitSum(x0, x1, x2, x3, x4, x5, x6);
}

/** Σ x_j·D^j for integer-valued x_j. */
function digitSum(x0: number, x1: number, x2: number, x3: number, x4: number, x5: number, x6: number): bigint {
  return BigInt(x0) + DN * (BigInt(x1) + DN * (BigInt(x2) + DN * (BigInt(x3) + DN * (BigInt(x4) + DN * (BigInt(x5) + DN * BigInt(x6))))));
}

/** his/los[w] += hi·10^12 + lo (decimal form, lo < 10^12 kept). */
function addDecimal(his: Float64Array, los: Float64Array, w: number, hi: number, lo: number): void {
  const l = los[w]! + lo;
  const c = +(l >= D2);
  los[w] = l - c * D2;
  his[w] = his[w]! + hi + c;
}

/** Writes wallet w's mining (mH·10^12 + mL) and mining + paid traffic as binary limbs. */
function wallet(
  mH: number,
  mL: number,
  pH: number,
  pL: number,
  minH: Float64Array,
  minL: Float64Array,
  totH: Float64Array,
  totL: Float64Array,
  w: number,
): void {
  const sL = mL + pL;
  const c = +(sL >= D2); // branch-free: a carry here is a coin flip
  const tL = sL - c * D2;
  const tH = mH + pH + c;
  toBinary(mH, mL, minH, minL, w);
  toBinary(tH, tL, totH, totL, w);
}

/**
 * hi·10^12 + lo (lo < 10^12, hi < 2^41: every amount is at most mR + tR < 2·10^24) as hi'·2^40 + lo'
 * (lo' < 2^40), written to his/los[w]. With hi = h1·2^24 + h0: value = h1·5^12·2^36 + h0·5^12·2^12 + lo,
 * each product below 2^53.
 */
function toBinary(hi: number, lo: number, his: Float64Array, los: Float64Array, w: number): void {
  const h1 = Math.floor(hi / TWO24);
  const h0 = hi - h1 * TWO24;
  const p1 = h1 * FIVE12;
  const p0 = h0 * FIVE12;
  const p1Hi = Math.floor(p1 / 16);
  const p0Hi = Math.floor(p0 / TWO28);
  let l = (p1 - p1Hi * 16) * TWO36 + (p0 - p0Hi * TWO28) * TWO12 + lo;
  let h = p1Hi + p0Hi;
  const carry = Math.floor(l / TWO40);
  l -= carry * TWO40;
  h += carry;
  his[w] = h;
  los[w] = l;
}
