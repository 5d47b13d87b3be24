// The README's PoT library example (examples/pot-library.mjs) runs as a user would run it — `node
// examples/pot-library.mjs`, importing "potsim" through package.json's exports (the dist/ that `npm
// test` builds first) — and every number it prints is checked against a computation by hand here:
// BigInt arithmetic with spec §1's rounding, the formulas of §4 and §6.2, and the §5.1 schedule.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const ONE = 10n ** 18n;
const STOS = ONE;

/** q(n/d) by hand for n, d ≥ 0 (Dec raw): ⌊n·10^36/d⌋, then half to even at 18 decimals. */
function q(n: bigint, d: bigint): bigint {
  const t = (n * ONE * ONE) / d;
  const [u, r] = [t / ONE, t % ONE];
  return 2n * r < ONE ? u : 2n * r > ONE ? u + 1n : u % 2n === 0n ? u : u + 1n;
}
/** Dec·Dec raw by hand, half to even. */
function mul(a: bigint, b: bigint): bigint {
  const p = a * b;
  const [u, r] = [p / ONE, p % ONE];
  return 2n * r < ONE ? u : 2n * r > ONE ? u + 1n : u % 2n === 0n ? u : u + 1n;
}
const dec = (raw: bigint): string => `${raw / ONE}.${(raw % ONE).toString().padStart(18, "0")}`;
/** ⌊q(q(x·bp)/10000)⌋ (spec §4 step C) on a Dec raw x. */
const part = (xRaw: bigint, bp: bigint): bigint => q(xRaw * bp, 10_000n * ONE) / ONE;

describe("examples/pot-library.mjs", () => {
  const out = execFileSync(process.execPath, [join(root, "examples", "pot-library.mjs")], { cwd: root, encoding: "utf8" });
  const lines = out.trim().split("\n");
  const line = (prefix: string, i = 0): string => {
    const found = lines.filter((l) => l.startsWith(prefix));
    if (!found[i]) throw new Error(`no line "${prefix}" (#${i}) in:\n${out}`);
    return found[i]!;
  };
  const num = (text: string, re: RegExp): string => {
    const m = re.exec(text);
    if (!m) throw new Error(`${re} not in "${text}"`);
    return m[1]!;
  };

  // The state the example starts from (mainnet launch): S = 7 × 9,900 STOS, L = ⌊S/r⌋, P = 0.
  const S = 69_300n * STOS;
  const L0 = S / 10n ** 6n;
  const X = 10n * STOS;
  const bought = q(L0 * X, S + X) / ONE;
  const L1 = L0 - bought;
  const P1 = X;

  it("starts at the mainnet launch state, price 10^6 wei/noz", () => {
    expect(lines[0]).toBe(`S = ${S} wei, P = 0 wei, L = ${L0} noz, M = ${1_000_000n * STOS} wei`);
    expect(line("price = ", 0)).toBe("price = 1000000.000000000000000000 wei/noz");
  });

  it("prepay: ⌊q(L·X/(S+P+X))⌋ noz and the quotient before truncation; the price after", () => {
    expect(line("prepay 10 STOS")).toBe(`prepay 10 STOS: purchased = ${bought} noz (quotient ${dec(q(L0 * X, S + X))})`);
    expect(bought).toBe(9_998_557_206_752n);
    expect(line("price = ", 1)).toBe(`price = ${dec(q((S + P1) * ONE, L1 * ONE))} wei/noz`);
  });

  it("report: R = q(q((S+P)·Y)/(L+Y)), the traffic split 20/60/20 with τ = 0.01, mining 16/48/16 STOS less 2 wei", () => {
    const half = bought / 2n;
    const Y = (half * 3n) / 4n + half / 4n;
    const R = q((S + P1) * Y, L1 + Y);
    expect(line("report epoch 1")).toBe(`report epoch 1: Y = ${Y} noz, R = ${dec(R)} wei, stage 1`);
    const tv = part(R, 2000n);
    const tr = part(R, 6000n);
    const tm = part(R, 2000n);
    expect(line("validators")).toBe(`validators: mining 16.000000000000000000 STOS, traffic ${tv} wei`);
    // Resource nodes: shares q(v/Y), before = t_r·share, tax = q(before·0.01), paid = ⌊before − tax⌋.
    const tau = ONE / 100n;
    const vols = [(half * 3n) / 4n, half / 4n];
    let paid = 0n;
    let taxRaw = 0n;
    let mining = 0n;
    for (const v of vols) {
      const share = q(v * ONE, Y * ONE);
      const before = tr * share;
      const tax = mul(before, tau);
      taxRaw += tax;
      paid += (before - tax) / ONE;
      mining += (48n * STOS * share) / ONE;
    }
    expect(line("resource nodes")).toBe(`resource nodes: mining ${dec(mining)} STOS, traffic ${paid} wei`);
    // Meta nodes: 7 equal parts of 16 STOS and of t_m.
    const metaBefore = q(tm * ONE, 7n * ONE);
    const metaTax = mul(metaBefore, tau);
    const metaPaid = ((metaBefore - metaTax) / ONE) * 7n;
    const metaMining = (q(16n * STOS * ONE, 7n * ONE) / ONE) * 7n;
    expect(metaMining).toBe(16n * STOS - 2n);
    expect(line("meta nodes (7)")).toBe(`meta nodes (7): mining ${dec(metaMining)} STOS, traffic ${metaPaid} wei`);
    const taxWei = (taxRaw + metaTax * 7n) / ONE;
    const left = R - (tv + paid + metaPaid + taxWei) * ONE;
    expect(line("community tax")).toBe(`community tax: ${taxWei} wei; left in P: ${dec(left)} wei; left in the foundation: 2 wei`);
    // After the report: P falls by what left it, L rises by Y.
    const P2 = P1 - (tv + paid + metaPaid + taxWei);
    expect(line("price = ", 2)).toBe(`price = ${dec(q((S + P2) * ONE, (L1 + Y) * ONE))} wei/noz`);
  });

  it("the schedule ahead: §5.1's stages from M = 1 M + 80 STOS − 2 wei, at 600 s per epoch", () => {
    const M = 1_000_000n * STOS + 80n * STOS - 2n;
    const ends = [16_819_200n, 25_228_800n, 29_433_600n, 31_536_000n, 32_587_200n, 40_000_000n].map((x) => x * STOS);
    const rewards = [80n, 40n, 20n, 10n, 5n].map((x) => x * STOS).concat([(5n * STOS) / 2n]);
    let from = M;
    let epoch = 2;
    for (let i = 0; i < 6; i++) {
      const n = (ends[i]! - from + rewards[i]! - 1n) / rewards[i]!;
      const years = ((Number(n) * 600) / 86_400 / 365).toFixed(2);
      expect(line(`stage ${i + 1}:`)).toBe(`stage ${i + 1}: ${dec(rewards[i]!)} STOS per report, epochs ${epoch}-${epoch + Number(n) - 1} (${n}), ${years} years`);
      epoch += Number(n);
      from = ends[i]!;
    }
    expect(line("stage 1:")).toContain("(197740)");
    expect(line("stage 2:")).toContain("4.00 years");
  });

  it("prints nothing else", () => {
    expect(lines).toHaveLength(16);
    expect(num(line("stage 6:"), /\((\d+)\)/)).toBe("2965120");
  });
});
