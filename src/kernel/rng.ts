// Seeded random streams. A root seed derives named child streams whose seeds depend only on
// (root seed, name, index), so adding a stream never changes the numbers drawn by another.
// Generators are seedrandom's Alea (fast, 32-bit resolution); distributions are built on it.

import seedrandom from "seedrandom";

export class RngTree {
  constructor(readonly seed: number | string) {}

  /** The stream for a path such as ("net") or ("node", 3). Same path, same numbers. */
  stream(name: string, index?: number): Stream {
    const path = index === undefined ? name : `${name}#${index}`;
    return new Stream(`${this.seed}/${path}`);
  }

  /** A subtree, e.g. per sweep point; its streams are independent of the parent's. */
  child(name: string, index?: number): RngTree {
    const path = index === undefined ? name : `${name}#${index}`;
    return new RngTree(`${this.seed}/${path}/`);
  }
}

/**
 * Alea (Baagoe), the generator of seedrandom.alea, stepped here on the stream's own registers (a
 * typed array): seeded by seedrandom (its `state()` after seeding), then the same three-register
 * recurrence, so every draw is bit-identical to seedrandom.alea(key)() (test/kernel/rng.test.ts
 * compares a million draws). A method of the stream rather than seedrandom's per-stream closure: one
 * monomorphic call that V8 inlines into the distributions, instead of a closure call per draw whose
 * double result is boxed. (Registers in plain fields measured ~10% slower in the PHOLD bench.)
 */
export class Stream {
  /** Alea's three registers s0, s1, s2 (a typed array: stepping writes doubles in place). */
  private readonly s = new Float64Array(3);
  private c: number;
  private spare = Number.NaN;

  constructor(readonly key: string) {
    const st = (seedrandom.alea(key, { state: true }) as unknown as { state(): { s0: number; s1: number; s2: number; c: number } }).state();
    this.s[0] = st.s0;
    this.s[1] = st.s1;
    this.s[2] = st.s2;
    this.c = st.c;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.gen();
  }

  /** One Alea step (seedrandom's Alea.next, operation for operation). */
  private gen(): number {
    const s = this.s;
    const t = 2091639 * s[0]! + this.c * 2.3283064365386963e-10; // 2^-32
    s[0] = s[1]!;
    s[1] = s[2]!;
    const c = t | 0;
    this.c = c;
    const r = t - c;
    s[2] = r;
    return r;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.gen();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.gen());
  }

  /** Normal by the polar Box–Muller method; the second variate is kept for the next call. */
  normal(mean: number, stddev: number): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return mean + stddev * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.gen() - 1;
      v = 2 * this.gen() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return mean + stddev * u * m;
  }

  /** exp(N(mu, sigma)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Pareto type I with minimum `scale` and tail index `shape`. */
  pareto(scale: number, shape: number): number {
    return scale / (1 - this.gen()) ** (1 / shape);
  }

  bernoulli(p: number): boolean {
    return this.gen() < p;
  }

  /** Index drawn with probability proportional to weights[i] (linear scan; use WeightedSampler for hot paths). */
  weightedChoice(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    let x = this.gen() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.gen() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/** O(log n) sampling from a fixed discrete distribution by binary search on the CDF. */
export class WeightedSampler {
  private readonly cdf: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0)) throw new Error(`weight ${i} must be >= 0, got ${w}`);
      acc += w;
      this.cdf[i] = acc;
    }
    if (!(acc > 0)) throw new Error("weights must not all be zero");
  }

  get size(): number {
    return this.cdf.length;
  }

  sample(stream: Stream): number {
    const cdf = this.cdf;
    const x = stream.next() * cdf[cdf.length - 1]!;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf over ranks 1..n with exponent s: P(k) ∝ 1/k^s. Returns a 0-based rank. */
export class ZipfSampler {
  private readonly sampler: WeightedSampler;

  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    if (!(n >= 1)) throw new Error(`zipf n must be >= 1, got ${n}`);
    const w = new Float64Array(n);
    for (let k = 0; k < n; k++) w[k] = 1 / (k + 1) ** s;
    this.sampler = new WeightedSampler(w);
  }

  sample(stream: Stream): number {
    return this.sampler.sample(stream);
  }

  /** Exact probability of 0-based rank k. */
  probability(k: number): number {
    let h = 0;
    for (let i = 1; i <= this.n; i++) h += 1 / i ** this.s;
    return 1 / (k + 1) ** this.s / h;
  }
}
