// Economic faults of the PoT world, as plans and pure helpers the world applies around honest actors:
// which resource nodes an outage takes down (drawn per seed), which coalition (if any) controls an
// epoch's rotating reporter, how a coalition inflates the true volume list, and which keys it signs
// with (optionally repeating its own keys, which the chain does not forbid). Sybil self-dealing is
// ordinary behaviour (prepay, then download one's own files) and needs no wrapper.
// May import: kernel.

import type { Stream } from "../kernel/index.js";

export interface OutageSpec {
  count?: number;
  nodes?: number[];
  at: number;
  duration: number;
}

export interface Outage {
  /** Honest resource-node indices. */
  readonly nodes: readonly number[];
  readonly at: number;
  readonly until: number;
}

/** Resolves outages: explicit node lists as given, `count` nodes drawn uniformly without replacement. */
export function planOutages(specs: readonly OutageSpec[], nodeCount: number, rng: Stream): Outage[] {
  return specs.map((s) => {
    let nodes: number[];
    if (s.nodes !== undefined) {
      for (const j of s.nodes) if (j >= nodeCount) throw new Error(`attacks.offline: resource node ${j} does not exist (count is ${nodeCount})`);
      nodes = [...s.nodes];
    } else {
      const k = Math.min(s.count ?? 0, nodeCount);
      const perm = Int32Array.from({ length: nodeCount }, (_, i) => i);
      nodes = [];
      for (let i = 0; i < k; i++) {
        const r = i + rng.int(nodeCount - i);
        const t = perm[i]!;
        perm[i] = perm[r]!;
        perm[r] = t;
        nodes.push(perm[i]!);
      }
      nodes.sort((a, b) => a - b);
    }
    return { nodes, at: s.at, until: s.at + s.duration };
  });
}

export interface CoalitionPlan {
  readonly members: readonly number[];
  readonly factor: number;
  readonly mode: "scale" | "self";
  readonly padSigners: boolean;
  readonly fromEpoch: number;
  readonly toEpoch: number;
}

/** The coalition inflating `epoch` when meta node `reporter` is its rotating reporter, or -1. */
export function coalitionOf(coalitions: readonly CoalitionPlan[], reporter: number, epoch: number): number {
  for (let c = 0; c < coalitions.length; c++) {
    const k = coalitions[c]!;
    if (epoch >= k.fromEpoch && epoch <= k.toEpoch && k.members.includes(reporter)) return c;
  }
  return -1;
}

/**
 * The volume list a coalition signs: "scale" multiplies every volume by `factor` (floor);
 * "self" keeps the true list and appends `selfWallet` with ⌊(factor − 1)·Y⌋.
 * Volumes are canonical decimal strings (noz).
 */
export function inflateVolumes(
  wallets: readonly string[],
  volumes: readonly string[],
  plan: Pick<CoalitionPlan, "factor" | "mode">,
  selfWallet: string,
): { wallets: string[]; volumes: string[] } {
  const { num, den } = ratio(plan.factor);
  if (plan.mode === "scale") {
    return { wallets: [...wallets], volumes: volumes.map((v) => ((BigInt(v) * num) / den).toString()) };
  }
  let Y = 0n;
  for (const v of volumes) Y += BigInt(v);
  const extra = (Y * (num - den)) / den;
  return extra > 0n
    ? { wallets: [...wallets, selfWallet], volumes: [...volumes, extra.toString()] }
    : { wallets: [...wallets], volumes: [...volumes] };
}

/** The coalition's signer keys: each member once, or repeated round-robin up to `quorum` when padding. */
export function coalitionSigners(memberKeys: readonly string[], quorum: number, pad: boolean): string[] {
  const out = [...memberKeys];
  if (pad) for (let i = 0; out.length < quorum; i++) out.push(memberKeys[i % memberKeys.length]!);
  return out;
}

/** A factor as an exact ratio of integers (to 1e-6). */
function ratio(factor: number): { num: bigint; den: bigint } {
  const den = 1_000_000n;
  return { num: BigInt(Math.round(factor * 1e6)), den };
}
