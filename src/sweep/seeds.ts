// sweep/seeds: the seed of every run of a sweep, derived from (base seed, point, replicate).
// Stable across versions, platforms and worker counts — changing it changes every sweep result.
// May import: scenario, world, metrics, report, kernel.

import { createHash } from "node:crypto";

/**
 * deriveSeed(base, point, replicate) = the first 6 bytes (big-endian) of
 * sha256(`${base}/${point}/${replicate}`) as a non-negative integer < 2^48.
 * Integers are written in decimal without exponent (`String(n)` for safe integers).
 * Pinned values (test/sweep/seeds.test.ts): deriveSeed(1, 0, 0) = 119547278062043,
 * deriveSeed(1, 0, 1) = 34586019946264, deriveSeed(42, 3, 2) = 242604531863535.
 */
export function deriveSeed(base: number, point: number, replicate: number): number {
  for (const [name, v] of [
    ["base seed", base],
    ["point", point],
    ["replicate", replicate],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} must be a non-negative safe integer, got ${v}`);
  }
  return createHash("sha256").update(`${base}/${point}/${replicate}`).digest().readUIntBE(0, 6);
}
