// The float64 path of step E (fast/plan.ts) against the reference formulas, entry by entry: random
// reports over its whole domain, share and tax ties, the domain's edges, and the bigint fallback outside.

import { describe, expect, it } from "vitest";
import { PotMemory } from "../../../../src/protocols/pot/fast/memory.js";
import { computePlanFast } from "../../../../src/protocols/pot/fast/plan.js";
import { fromLimbs, LIMB_BASE, PreparedReport, parseRaw, resourceEntryReward, STOS } from "../../../../src/protocols/pot/index.js";
import { Lcg } from "../helpers.js";

const TAUS = ["0", "0.01", "0.02", "0.2", "0.25", "0.5", "1", "0.000001", "0.000000000000000003", "0.123456789012345678"];

/** Reference per-wallet totals and list sums from resourceEntryReward (bigint formulas). */
function reference(vols: bigint[], wallets: string[], mR: bigint, tR: bigint, tau: bigint) {
  const Y = vols.reduce((a, b) => a + b, 0n);
  const mining = new Map<string, bigint>();
  const paid = new Map<string, bigint>();
  let miningSum = 0n;
  let paidSum = 0n;
  let taxSum = 0n;
  vols.forEach((v, i) => {
    const r = resourceEntryReward(v, Y, mR, tR, tau);
    mining.set(wallets[i]!, (mining.get(wallets[i]!) ?? 0n) + r.mining);
    paid.set(wallets[i]!, (paid.get(wallets[i]!) ?? 0n) + r.paid);
    miningSum += r.mining;
    paidSum += r.paid;
    taxSum += r.taxRaw;
  });
  return { mining, paid, miningSum, paidSum, taxSum };
}

/** One memory for every case, as a world's: scratch reused and grown, block arrays cut from chunks. */
const memory = new PotMemory();

function check(vols: bigint[], wallets: string[], mR: bigint, tR: bigint, tau: bigint, expectFast: boolean): void {
  const Y = vols.reduce((a, b) => a + b, 0n);
  const distinct = [...new Set(wallets)];
  const e2d = Int32Array.from(wallets, (w) => distinct.indexOf(w));
  const fast = computePlanFast(Float64Array.from(vols, Number), Y, distinct.length === wallets.length ? undefined : e2d, distinct.length, mR, tR, tau, memory);
  expect(fast !== undefined).toBe(expectFast);
  const ref = reference(vols, wallets, mR, tR, tau);
  // The prepared report takes whichever path applies; both must equal the reference.
  const prep = new PreparedReport({
    reporter: "m",
    reporterOwner: "o",
    epoch: 1,
    reportReference: "r",
    walletVolumes: vols.map((v, i) => ({ wallet: wallets[i]!, volume: v.toString() })),
    signers: ["m"],
    signature: "s",
  });
  const plan = prep.plan(mR, tR, tau);
  for (const p of fast ? [fast, { ...plan.limbs, miningSum: plan.miningSum, paidSum: plan.paidSum, taxSumRaw: plan.taxSumRaw }] : [plan.limbs]) {
    distinct.forEach((w, d) => {
      expect(p.minLo[d]! < LIMB_BASE && p.totLo[d]! < LIMB_BASE).toBe(true);
      expect(fromLimbs(p.minHi[d]!, p.minLo[d]!)).toBe(ref.mining.get(w));
      expect(fromLimbs(p.totHi[d]!, p.totLo[d]!)).toBe(ref.mining.get(w)! + ref.paid.get(w)!);
    });
  }
  if (fast) expect([fast.miningSum, fast.paidSum, fast.taxSumRaw]).toEqual([ref.miningSum, ref.paidSum, ref.taxSum]);
  expect([plan.miningSum, plan.paidSum, plan.taxSumRaw]).toEqual([ref.miningSum, ref.paidSum, ref.taxSum]);
}

/** τ in lowest terms needs a numerator and denominator below 2^32. */
const inDomain = (tau: string) => tau !== "0.123456789012345678" && tau !== "0.000000000000000003";

describe("float64 step E", () => {
  it("equals the bigint formulas on random reports across its domain", () => {
    const rnd = new Lcg(11);
    const big = (bits: number) => BigInt(Math.floor(rnd.next() * 2 ** Math.min(bits, 30))) * 2n ** BigInt(Math.max(0, bits - 30));
    for (let t = 0; t < 400; t++) {
      const n = 1 + rnd.int(60);
      const scale = 1 + rnd.int(36);
      const vols = Array.from({ length: n }, () => (rnd.int(5) === 0 ? BigInt(rnd.int(3)) : big(scale) + BigInt(rnd.int(1000))));
      if (!vols.some((v) => v > 0n)) vols[0] = 1n;
      const wallets = vols.map((_, i) => `w${rnd.int(4) === 0 ? rnd.int(n) : i}`);
      const pool = () => {
        const k = rnd.int(5);
        if (k === 0) return BigInt(rnd.int(200)) * STOS; // whole STOS
        if (k === 1) return 10n ** 24n - 1n - BigInt(rnd.int(1000));
        return big(1 + rnd.int(79)) + BigInt(rnd.int(1000));
      };
      const tau = TAUS[rnd.int(TAUS.length)]!;
      check(vols, wallets, pool(), pool(), parseRaw(tau), inDomain(tau));
    }
  });

  it("breaks share ties to even (Y = 2^19: odd volumes sit exactly half-way)", () => {
    for (const v of [1n, 3n, 5n, 7n, 524_287n, 262_145n]) {
      const vols = [v, 2n ** 19n - v];
      check(vols, ["a", "b"], 10n ** 20n + 7n, 123_456_789_012_345_678n, parseRaw("0.01"), true);
    }
  });

  it("breaks tax ties to even (before·τ ending in exactly one half)", () => {
    // One entry: s = 10^18, before = tR·10^18; τ = 0.5 with tR odd gives a .5 tax remainder at 10^18·τ.
    for (const tR of [1n, 3n, 10n ** 23n + 1n, 999_999_999_999n]) {
      check([5n], ["a"], 0n, tR, parseRaw("0.5"), true);
      check([1n, 1n], ["a", "b"], 3n, tR, parseRaw("0.02"), true);
    }
  });

  it("covers the edges of the domain and falls back outside it", () => {
    const maxY = 2n ** 43n - 1n;
    check([maxY], ["a"], 10n ** 24n - 1n, 10n ** 24n - 1n, parseRaw("0.01"), true);
    check([maxY - 12_345n, 12_345n, 0n], ["a", "b", "c"], 10n ** 24n - 1n, 10n ** 24n - 1n, parseRaw("1"), true);
    check([maxY, 1n], ["a", "b"], 10n ** 20n, 10n ** 20n, parseRaw("0.01"), false);
    check([5n, 6n], ["a", "b"], 10n ** 24n, 10n ** 20n, parseRaw("0.01"), false);
    check([5n, 6n], ["a", "b"], 10n ** 20n, 10n ** 24n, parseRaw("0.01"), false);
    check([5n, 6n], ["a", "a"], 10n ** 20n, 10n ** 20n, parseRaw("0.123456789012345678"), false);
    check([0n, 9n], ["a", "b"], 0n, 0n, 0n, true);
  });
});
