// report/lorenz: the Lorenz curve and Gini coefficient of a set of non-negative amounts (used for
// the reward concentration of resource nodes).
// May import: nothing.

export interface LorenzPoint {
  /** Cumulative share of holders, poorest first, in [0, 1]. */
  population: number;
  /** Cumulative share of the total amount held by them, in [0, 1]. */
  share: number;
}

export interface Lorenz {
  points: LorenzPoint[];
  gini: number;
}

/**
 * Lorenz curve from (0,0) to (1,1) and the Gini coefficient (trapezoid rule on the full curve).
 * The returned curve is thinned to at most `maxPoints` evenly spaced holders (endpoints kept).
 * Returns undefined when there are no holders or the total is not positive.
 */
export function lorenz(amounts: number[], maxPoints = 1001): Lorenz | undefined {
  const xs = amounts.filter((v) => Number.isFinite(v)).map((v) => Math.max(0, v));
  const n = xs.length;
  if (n === 0) return undefined;
  xs.sort((a, b) => a - b);
  const total = xs.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return undefined;
  const full: LorenzPoint[] = [{ population: 0, share: 0 }];
  let cum = 0;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const prev = cum / total;
    cum += xs[i]!;
    const share = i === n - 1 ? 1 : cum / total;
    area += (share + prev) / (2 * n);
    full.push({ population: (i + 1) / n, share });
  }
  const gini = Math.min(1, Math.max(0, 1 - 2 * area));
  return { points: thin(full, maxPoints), gini };
}

/** At most `max` (≥ 2) evenly spaced elements, first and last always included. */
export function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const m = Math.max(2, max);
  const out: T[] = [];
  for (let k = 0; k < m; k++) out.push(xs[Math.round((k * (xs.length - 1)) / (m - 1))]!);
  return out;
}
