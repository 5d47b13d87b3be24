// traffic/poisson: exact Poisson variates for the aggregated mode — inversion by sequential
// search for small means, Hörmann's PTRS (transformed rejection with squeeze) for large ones.
// May import: kernel (Stream), ./math.

import type { Stream } from "../kernel/index.js";
import { logFactorial } from "./math.js";

/** Means below this use inversion (expected cost ≈ mean + 1 uniforms); PTRS is valid from 10. */
export const POISSON_INVERSION_MAX = 10;

/** One Poisson(mean) variate. mean ≤ 0 gives 0. */
export function samplePoisson(mean: number, rng: Stream): number {
  if (!(mean > 0)) return 0;
  if (mean < POISSON_INVERSION_MAX) return inversion(mean, Math.exp(-mean), rng);
  return ptrs(mean, rng);
}

/**
 * samplePoisson(means[j], rng), the mean read from an array; with `expNeg`, e^(−mean) is expNeg[e]
 * (callers drawing many variates of one mean). Hot loops call this rather than samplePoisson: a double
 * passed to a call that is not inlined is boxed (allocated), an array and an index are not.
 */
export function samplePoissonAt(means: Float64Array, j: number, rng: Stream, expNeg?: Float64Array, e = 0): number {
  const mean = means[j]!;
  if (!(mean > 0)) return 0;
  if (mean < POISSON_INVERSION_MAX) return inversion(mean, expNeg ? expNeg[e]! : Math.exp(-mean), rng);
  return ptrs(mean, rng);
}

/** Inversion by sequential search from P(0) = p0 = e^(−mean). */
function inversion(mean: number, p0: number, rng: Stream): number {
  let p = p0;
  let cdf = p;
  const u = rng.next();
  let k = 0;
  // The k bound only guards against round-off leaving cdf a hair below u.
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** W. Hörmann, "The transformed rejection method for generating Poisson random variables" (1993). */
function ptrs(mean: number, rng: Stream): number {
  const slam = Math.sqrt(mean);
  const logLam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logLam - logFactorial(k)) return k;
  }
}
