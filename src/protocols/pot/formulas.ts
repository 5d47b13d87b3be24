// Pure PoT formulas (spec §4, §5, §6): traffic reward R, stage lookup, splits, prepay purchase, price,
// deposit → ozone-limit changes. Integers are bigint wei/noz; "Raw" values are Dec scaled by 10^18.

import { intToRaw, mulRaw, ONE, quoRaw, truncRaw } from "./dec.js";
import type { MiningRewardParam, PotParams } from "./params.js";

const BP_DENOM_RAW = 10_000n * ONE;

/** Step A: R = q( q((S+P)·Y) / (L+Y) ) as a Dec raw value. Throws when L + Y = 0 (division by zero, the tx fails). */
export function trafficRewardRaw(S: bigint, P: bigint, L: bigint, Y: bigint): bigint {
  // (S+P)·Y as Dec·Dec of two integers is exact, so the product needs no rounding.
  return quoRaw((S + P) * Y * ONE, intToRaw(L + Y));
}

/** ⌊q(q(amount·bp)/10000)⌋ with `amountRaw` a Dec raw value (steps C and D). */
export function bpPartRaw(amountRaw: bigint, bp: number): bigint {
  return truncRaw(quoRaw(amountRaw * BigInt(bp), BP_DENOM_RAW));
}

export interface StageLookup {
  /** 1-based stage index. */
  readonly stage: number;
  readonly param: MiningRewardParam;
  /** M ≥ every valve end: the last stage is returned, mining is not paid. */
  readonly outOfIssuance: boolean;
}

/** Step B: first valve with start ≤ M < end, else the last valve with outOfIssuance (`GetMiningRewardParamByMinedToken`). */
export function lookupStage(params: readonly MiningRewardParam[], totalMinedWei: bigint): StageLookup {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (totalMinedWei >= p.startWei && totalMinedWei < p.endWei) return { stage: i + 1, param: p, outOfIssuance: false };
  }
  return { stage: params.length, param: params[params.length - 1]!, outOfIssuance: true };
}

export interface Split {
  readonly validators: bigint;
  readonly resource: bigint;
  readonly meta: bigint;
}

/** Splits a Dec raw amount by a valve's percentages (`CalcTrafficRewardInTotal` / `CalcMiningRewardInTotal`). */
export function splitRaw(amountRaw: bigint, p: MiningRewardParam): Split {
  return {
    validators: bpPartRaw(amountRaw, p.chainBp),
    resource: bpPartRaw(amountRaw, p.resourceBp),
    meta: bpPartRaw(amountRaw, p.metaBp),
  };
}

/** Mining split of a valve's reward (as computed even when out of issuance; the ledger then pays nothing). */
export function miningSplit(p: MiningRewardParam): Split {
  return splitRaw(intToRaw(p.rewardWei), p);
}

/** q(v/Y): a resource entry's rounded share (Dec raw). */
export function shareRaw(volume: bigint, totalVolume: bigint): bigint {
  return quoRaw(volume * ONE, totalVolume * ONE);
}

export interface NodeTraffic {
  /** Dec raw, before tax. */
  readonly beforeRaw: bigint;
  /** Dec raw community tax. */
  readonly taxRaw: bigint;
  /** ⌊before − tax⌋ wei. */
  readonly paid: bigint;
}

/** `CalcCommunityTax`: tax = q(before·τ), paid = ⌊before − tax⌋. */
export function communityTax(beforeRaw: bigint, tauRaw: bigint): NodeTraffic {
  const taxRaw = mulRaw(beforeRaw, tauRaw);
  return { beforeRaw, taxRaw, paid: truncRaw(beforeRaw - taxRaw) };
}

export interface ResourceEntryReward extends NodeTraffic {
  readonly shareRaw: bigint;
  readonly mining: bigint;
}

/**
 * Step E for one entry: share, mining = ⌊q(m_r·share)⌋, traffic before/after tax. The reference: the
 * ledger computes a whole list with report.ts's computePlan (the same roundings inlined) or, in its
 * exact domain, with the float64 twin in fast/plan.ts; both are tested equal to this by
 * test/protocols/pot/fast/plan.equiv.test.ts.
 */
export function resourceEntryReward(
  volume: bigint,
  totalVolume: bigint,
  miningToResource: bigint,
  trafficToResource: bigint,
  tauRaw: bigint,
): ResourceEntryReward {
  const s = shareRaw(volume, totalVolume);
  // Int·Dec products are exact: q(m·1e18 · s) = m·s.
  const mining = truncRaw(miningToResource * s);
  return { shareRaw: s, mining, ...communityTax(trafficToResource * s, tauRaw) };
}

export interface MetaNodeReward extends NodeTraffic {
  /** q(pool/n) for the mining pool (Dec raw), before truncation. */
  readonly miningQuotientRaw: bigint;
  readonly mining: bigint;
}

/** Step F: each of n bonded meta nodes gets ⌊q(m_m/n)⌋ mining and q(t_m/n) traffic before tax. */
export function metaNodeReward(miningToMeta: bigint, trafficToMeta: bigint, n: number, tauRaw: bigint): MetaNodeReward {
  const nRaw = intToRaw(BigInt(n));
  const miningQuotientRaw = quoRaw(intToRaw(miningToMeta), nRaw);
  return {
    miningQuotientRaw,
    mining: truncRaw(miningQuotientRaw),
    ...communityTax(quoRaw(intToRaw(trafficToMeta), nRaw), tauRaw),
  };
}

export interface Purchase {
  /** q(L·X / (S+P+X)) as Dec raw, before truncation. */
  readonly quotientRaw: bigint;
  readonly purchasedNoz: bigint;
}

/** §6.2 `CalculatePurchaseAmount`: purchased = ⌊q(L·X/(S+P+X))⌋ noz. */
export function purchaseAmount(S: bigint, P: bigint, L: bigint, X: bigint): Purchase {
  const quotientRaw = quoRaw(L * X * ONE, intToRaw(S + P + X));
  return { quotientRaw, purchasedNoz: truncRaw(quotientRaw) };
}

/**
 * purchaseAmount of the last inputs asked: every replica of a world executes the same prepay on an
 * equal state, and the Dec arithmetic on ~10^80-sized intermediates allocates several bigints. The
 * result is immutable; equal inputs, equal result.
 */
export class PurchaseMemo {
  private S = -1n;
  private P = -1n;
  private L = -1n;
  private X = -1n;
  private last: Purchase | undefined;

  of(S: bigint, P: bigint, L: bigint, X: bigint): Purchase {
    if (this.last === undefined || S !== this.S || P !== this.P || L !== this.L || X !== this.X) {
      this.last = purchaseAmount(S, P, L, X);
      this.S = S;
      this.P = P;
      this.L = L;
      this.X = X;
    }
    return this.last;
  }
}

/** §6.1 price q((S+P)/L) in wei/noz as Dec raw; undefined when L = 0. */
export function nozPriceRaw(S: bigint, P: bigint, L: bigint): bigint | undefined {
  return L === 0n ? undefined : quoRaw(intToRaw(S + P), intToRaw(L));
}

/** ⌊S/r⌋ as TruncateInt(q(S/r)): total noz supply backing the ozone limit. */
export function nozSupply(S: bigint, rateRaw: bigint): bigint {
  return truncRaw(quoRaw(intToRaw(S), rateRaw));
}

export interface OzoneLimitChange {
  readonly S: bigint;
  readonly L: bigint;
  /** q(Z/r) Dec raw. */
  readonly limitDeltaRaw: bigint;
  /** What the chain reports as the change: ⌊q(Z/r)⌋, or 0 when S was 0 before. */
  readonly reportedChange: bigint;
}

/** §6.4 `IncreaseOzoneLimitByAddDeposit`: S += Z; if S before ≠ 0, L ← ⌊L + q(Z/r)⌋. */
export function increaseOzoneLimit(S: bigint, L: bigint, Z: bigint, rateRaw: bigint): OzoneLimitChange {
  const limitDeltaRaw = quoRaw(intToRaw(Z), rateRaw);
  if (S === 0n) return { S: S + Z, L, limitDeltaRaw, reportedChange: 0n };
  return { S: S + Z, L: truncRaw(intToRaw(L) + limitDeltaRaw), limitDeltaRaw, reportedChange: truncRaw(limitDeltaRaw) };
}

/** §6.4 `DecreaseOzoneLimitBySubtractDeposit`: S −= Z; if S before ≠ 0, L ← trunc(L − q(Z/r)) (toward zero, as TruncateInt). */
export function decreaseOzoneLimit(S: bigint, L: bigint, Z: bigint, rateRaw: bigint): OzoneLimitChange {
  const limitDeltaRaw = quoRaw(intToRaw(Z), rateRaw);
  if (S === 0n) return { S: S - Z, L, limitDeltaRaw, reportedChange: 0n };
  return { S: S - Z, L: truncRaw(intToRaw(L) - limitDeltaRaw), limitDeltaRaw, reportedChange: truncRaw(limitDeltaRaw) };
}

/** `IsUnbondable`: L ≥ q(Z/r) (compared as Dec). */
export function isUnbondable(L: bigint, Z: bigint, rateRaw: bigint): boolean {
  return intToRaw(L) >= quoRaw(intToRaw(Z), rateRaw);
}

/** Quorum of signer keys for a volume report: max(1, ⌊2n/3⌋) (`HasReachedThreshold`). */
export function reportQuorum(bondedMetaNodes: number): number {
  return Math.max(1, Math.floor((2 * bondedMetaNodes) / 3));
}

/** Votes needed to pass a meta-node registration or kick: ⌊2n/3⌋ + 1 of active meta nodes. */
export function voteThreshold(activeMetaNodes: number): number {
  return Math.floor((2 * activeMetaNodes) / 3) + 1;
}

/** Genesis L_0: ⌊S_0/r⌋ on a fresh start, else the exported remaining limit (§6.5). */
export function genesisOzoneLimit(S0: bigint, P0: bigint, exported: bigint | undefined, params: PotParams): bigint {
  const fresh = P0 === 0n && (exported === undefined || exported === 0n);
  return fresh ? nozSupply(S0, params.depositNozRateRaw) : (exported ?? 0n);
}
