// Shared helpers for the traffic tests: seeded stream factories and sample moments.

import { RngTree, type Stream } from "../../src/kernel/index.js";
import type { StreamFactory } from "../../src/traffic/index.js";

export function streams(seed: number | string): StreamFactory {
  const tree = new RngTree(seed);
  return (name, index) => tree.stream(name, index);
}

export function stream(seed: number | string, name = "test"): Stream {
  return new RngTree(seed).stream(name);
}

export function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

export function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
