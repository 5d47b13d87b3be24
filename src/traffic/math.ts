// traffic/math: the two special functions the size and count models need — the standard
// normal CDF (for capped-lognormal moments) and log k! (for the PTRS Poisson sampler).
// May import: nothing.

/**
 * Standard normal CDF Φ(x), Hart's double-precision rational approximation as given by
 * G. West, "Better approximations to cumulative normal functions" (2005); absolute error
 * near machine precision, and the tails are computed directly rather than as 1 − Φ.
 */
export function normalCdf(x: number): number {
  const a = Math.abs(x);
  let c: number;
  if (a > 37) {
    c = 0;
  } else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

const LOG_FACT_TABLE = 256;
const logFactTable = (() => {
  const t = new Float64Array(LOG_FACT_TABLE);
  for (let k = 2; k < LOG_FACT_TABLE; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

/** ln(k!) for integer k ≥ 0: a table below 256, Stirling's series (error < 1e-15 relative) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACT_TABLE) return logFactTable[k]!;
  const x = k + 1;
  const x2 = x * x;
  return (x - 0.5) * Math.log(x) - x + 0.9189385332046728 + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}
