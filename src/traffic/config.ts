// traffic/config: the traffic section of a resolved scenario, as plain interfaces. The scenario
// module produces objects of exactly this shape; constructors here only guard against values
// that would make a model meaningless. Times are seconds of virtual time, sizes bytes (≈ noz).
// May import: nothing.

/** When a user issues requests. Rates are per second. */
export type ArrivalConfig =
  | { model: "poisson"; rate: number }
  /**
   * Markov-modulated Poisson: exponential "on" sojourns (mean `meanOn` s) at `onRate`,
   * alternating with exponential "off" sojourns (mean `meanOff` s) at `offRate` (default 0).
   */
  | { model: "onOff"; onRate: number; offRate?: number; meanOn: number; meanOff: number }
  /**
   * Non-homogeneous Poisson: rate(t) = meanRate·(1 + amplitude·cos(2π(t − peak)/period)),
   * peak = peakHour/24 · period. amplitude in [0, 1]; period defaults to 86400 s.
   */
  | { model: "diurnal"; meanRate: number; amplitude: number; peakHour: number; period?: number }
  /** Replays the given arrival times (seconds; sorted on load). */
  | { model: "trace"; times: number[] };

/** Object size in bytes. `max` clamps samples (min(x, max)); mean() and variance() account for it. */
export type SizeConfig =
  /** exp(N(mu, sigma)); give either `median` (= e^mu) or `mu`. */
  | { model: "lognormal"; median?: number; mu?: number; sigma: number; max?: number }
  /** Pareto type I with minimum `scale` and tail index `shape`. */
  | { model: "pareto"; scale: number; shape: number; max?: number }
  | { model: "constant"; bytes: number };

export interface CatalogConfig {
  /** Number of distinct files; file 0 is the most popular. */
  files: number;
  /** Zipf exponent s: P(file i) ∝ 1/(i+1)^s. */
  zipfExponent: number;
  /** Replicas per file (k), each on a distinct resource node. */
  replicas: number;
  /** Number of resource nodes (ids 0..nodes-1). */
  nodes: number;
}

/** Each resource node alternates exponential up and down periods with these means (seconds). */
export interface ChurnConfig {
  meanUp: number;
  meanDown: number;
}

/** `count` users sharing one arrival configuration; users are numbered across groups in order. */
export interface UserGroupConfig {
  count: number;
  arrival: ArrivalConfig;
}

export interface TrafficConfig {
  users: UserGroupConfig[];
  sizes: SizeConfig;
  catalog: CatalogConfig;
  /** Fraction of requests that are uploads, in [0, 1]. */
  uploadFraction: number;
  /** Omitted: nodes never go down. */
  churn?: ChurnConfig;
  /** Time from which the per-request mode draws arrivals (default 0). */
  start?: number;
}
