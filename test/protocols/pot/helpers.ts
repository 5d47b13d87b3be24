// Shared fixtures for the PoT tests: vector loading, small deterministic worlds, a seeded LCG.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildVolumeReportOp,
  defaultParams,
  type GenesisConfig,
  type LedgerOptions,
  parseRaw,
  PotLedger,
  type PotParams,
  STOS,
  type VolumeReportOp,
} from "../../../src/protocols/pot/index.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Vector {
  name: string;
  kind: string;
  inputs: Record<string, unknown>;
  expected: unknown;
}

/**
 * The design folder's vectors when the repository sits next to it (as in CI, where that file may
 * hold more vectors); otherwise the copy of the public subset committed with the tests, so a clone
 * on its own still runs them.
 */
export function loadVectors(): Vector[] {
  const shared = path.resolve(repoRoot, "../shared/design/pot-vectors.json");
  const file = existsSync(shared) ? shared : path.resolve(repoRoot, "test/fixtures/pot/pot-vectors.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { vectors: Vector[] }).vectors;
}

/** Deterministic generator for test sequences (no Math.random). */
export class Lcg {
  private s: bigint;
  constructor(seed: number) {
    this.s = BigInt(seed) & 0xffffffffffffn;
  }
  next(): number {
    this.s = (this.s * 25214903917n + 11n) & 0xffffffffffffn;
    return Number(this.s >> 16n) / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

export const META = ["m1", "m2", "m3"];
export const META_OWNER = (a: string) => `owner-${a}`;

/** A small world: 3 meta nodes × 1000 STOS (m2 pays a beneficiary), funded users, mature epoch 2. */
export function smallGenesis(over: Partial<GenesisConfig> = {}, params: Partial<PotParams> = {}): GenesisConfig {
  return {
    params: { ...defaultParams(), matureEpoch: 2, ...params },
    totalMinedWei: 0n,
    metaNodes: META.map((a) => ({
      networkAddress: a,
      owner: META_OWNER(a),
      beneficiary: a === "m2" ? "benef-m2" : undefined,
      depositWei: 1000n * STOS,
    })),
    accounts: [
      { address: "user", balanceWei: 1_000_000n * STOS },
      { address: "rn-owner-1", balanceWei: 1000n * STOS },
      { address: "rn-owner-2", balanceWei: 1000n * STOS },
      ...META.map((a) => ({ address: META_OWNER(a), balanceWei: 100n * STOS })),
    ],
    ...over,
  };
}

/** Ledger with two active resource nodes (500 STOS effective each) and 10,000 STOS of prepaid ozone. */
export function activeLedger(opts: LedgerOptions = {}, over: Partial<GenesisConfig> = {}, params: Partial<PotParams> = {}): PotLedger {
  const l = new PotLedger(smallGenesis(over, params), opts);
  for (const i of [1, 2]) {
    expectOk(l.createResourceNode({ networkAddress: `rn${i}`, owner: `rn-owner-${i}`, depositWei: 500n * STOS }));
    expectOk(l.updateEffectiveDeposit({ reporters: ["m1"], reporterOwners: [META_OWNER("m1")] }, `rn${i}`, 500n * STOS));
  }
  expectOk(l.prepay("user", 10_000n * STOS));
  return l;
}

export function expectOk<T>(o: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!o.ok) throw new Error(`expected ok, got ${o.reason}`);
  return o.value;
}

/** An honestly signed report by m1 with all meta nodes signing. */
export function report(epoch: number, volumes: Record<string, number | bigint>, signers: readonly string[] = META): VolumeReportOp {
  return buildVolumeReportOp(
    {
      reporter: "m1",
      reporterOwner: META_OWNER("m1"),
      epoch,
      reportReference: `ref-${epoch}`,
      walletVolumes: Object.entries(volumes).map(([wallet, volume]) => ({ wallet, volume: BigInt(volume).toString() })),
    },
    signers,
  );
}

export const dec = (s: string): bigint => parseRaw(s);
