// PoT parameters and genesis presets (spec §5, §6.5, §7, §8, §9, §10): code defaults, the stratos-1
// mainnet genesis, and validation. Everything is plain data (bigints for amounts, numbers for seconds
// and block counts); the ledger copies what it needs.

import { intToRaw, ONE, parseRaw } from "./dec.js";

/** 1 STOS in wei. */
export const STOS = ONE;

/** One mining stage ("valve"): paid while start ≤ M < end. Argument order in the Go code: start, end, reward, resource, meta, chain. */
export interface MiningRewardParam {
  readonly startWei: bigint;
  readonly endWei: bigint;
  /** Reward per accepted report. */
  readonly rewardWei: bigint;
  readonly resourceBp: number;
  readonly metaBp: number;
  readonly chainBp: number;
}

export interface PotParams {
  /** Reports after which a reward matures (key = epoch + matureEpoch). */
  readonly matureEpoch: number;
  /** τ as a Dec raw value (0.02 → 2·10^16). Applies only to node traffic rewards. */
  readonly communityTaxRaw: bigint;
  readonly miningRewardParams: readonly MiningRewardParam[];
  readonly initialTotalSupplyWei: bigint;
  /** r, wei per noz, as a Dec raw value. Fixed after genesis. */
  readonly depositNozRateRaw: bigint;
  readonly resourceNodeMinDepositWei: bigint;
  readonly resourceNodeRegEnabled: boolean;
  /**
   * register `unbonding_threashold_time` (sic), seconds: a bonded node's deposit is locked at least this
   * long after the node's creation (spec §8: funds are released at max(creation + this, now) + completion).
   */
  readonly unbondingThresholdTimeSec: number;
  /** register `unbonding_completion_time`, seconds: how long an unbonding deposit sits in the not-bonded pool. */
  readonly unbondingCompletionTimeSec: number;
  /** register `voting_period`, seconds: a registration or kick vote pool expires this long after it was opened (spec §9). */
  readonly votingPeriodSec: number;
  /**
   * `MatureCountPerBlock` (a constant in the chain, spec §7): wallet entries an EndBlocker matures before
   * it stops inside the newest due key; the rest of that key resumes in the next block.
   */
  readonly matureCountPerBlock: number;
  /** RestoreTotalSupply runs in the EndBlocker of every block whose height ≡ 1 mod this (spec §10: 10,000). */
  readonly supplyRestoreIntervalBlocks: number;
  /**
   * Expired kick vote pools that never passed are deleted in the EndBlocker of every block whose height is
   * a multiple of this (spec §10: "kick-pool cleanup every 10 000 blocks"; the spec gives the period only).
   */
  readonly kickPoolCleanupIntervalBlocks: number;
}

/** Seconds in a day (for the time parameters). */
export const DAY_SEC = 86_400;

export interface GenesisMetaNode {
  readonly networkAddress: string;
  readonly owner: string;
  /** Empty or absent: rewards go to the owner. */
  readonly beneficiary?: string;
  readonly depositWei: bigint;
}

export interface GenesisResourceNode {
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary?: string;
  readonly tokensWei: bigint;
  /** Counted in S_0 unless suspended. */
  readonly effectiveTokensWei: bigint;
  readonly suspended?: boolean;
}

export interface GenesisAccount {
  readonly address: string;
  readonly balanceWei: bigint;
}

export interface GenesisConfig {
  readonly params: PotParams;
  /** M at genesis (mainnet: 1,000,000 STOS mined on the incentive testnet). */
  readonly totalMinedWei: bigint;
  /** Initial balance of foundation_account (the mining pool). Default: last valve end − totalMined. */
  readonly foundationWei?: bigint;
  readonly metaNodes: readonly GenesisMetaNode[];
  readonly resourceNodes?: readonly GenesisResourceNode[];
  readonly accounts?: readonly GenesisAccount[];
  /** P_0 (tokens already in total_unissued_prepay). Default 0. */
  readonly unissuedPrepayWei?: bigint;
  /** L_0 from an exported genesis. Used only when not a fresh start (P_0 > 0 or given non-zero); else L_0 = ⌊S_0/r⌋. */
  readonly remainingNozLimit?: bigint;
  /** E_last at genesis. Default 0. */
  readonly lastDistributedEpoch?: number;
  /** Receives whatever part of the bank supply is not placed elsewhere, so supply is conserved. */
  readonly reserveAddress?: string;
  /**
   * Bank supply at genesis. Default `params.initialTotalSupplyWei`. A different value models a chain whose
   * supply has drifted from initial_total_supply (e.g. an exported genesis after burns elsewhere): the
   * reserve account absorbs the difference, and RestoreTotalSupply corrects it at the next height ≡ 1 mod
   * `supplyRestoreIntervalBlocks` (explicit block mode).
   */
  readonly totalSupplyWei?: bigint;
  /** Block time of genesis in seconds (creation time of the genesis nodes; the clock blocks start from). Default 0. */
  readonly genesisTimeSec?: number;
}

const stage = (start: number, end: number, reward: bigint, resourceBp: number, metaBp: number, chainBp: number) => ({
  startWei: BigInt(start) * STOS,
  endWei: BigInt(end) * STOS,
  rewardWei: reward,
  resourceBp,
  metaBp,
  chainBp,
});

/** Table of spec §5.1 (`DefaultParams`, identical in the mainnet genesis). */
export const DEFAULT_MINING_REWARD_PARAMS: readonly MiningRewardParam[] = Object.freeze([
  stage(0, 16_819_200, 80n * STOS, 6000, 2000, 2000),
  stage(16_819_200, 25_228_800, 40n * STOS, 6200, 1800, 2000),
  stage(25_228_800, 29_433_600, 20n * STOS, 6400, 1600, 2000),
  stage(29_433_600, 31_536_000, 10n * STOS, 6600, 1400, 2000),
  stage(31_536_000, 32_587_200, 5n * STOS, 6800, 1200, 2000),
  stage(32_587_200, 40_000_000, (5n * STOS) / 2n, 7000, 1000, 2000),
]);

/**
 * Code defaults (spec §10): mature epoch 2016, τ = 0.02, the §5.1 schedule, 100M STOS supply, r = 10^6,
 * 1 STOS minimum resource deposit, unbonding 180 d threshold + 14 d completion, 7 d voting period,
 * 100 maturing wallet entries per block, supply restore and kick-pool cleanup every 10,000 blocks.
 */
export function defaultParams(): PotParams {
  return {
    matureEpoch: 2016,
    communityTaxRaw: parseRaw("0.02"),
    miningRewardParams: DEFAULT_MINING_REWARD_PARAMS,
    initialTotalSupplyWei: 100_000_000n * STOS,
    depositNozRateRaw: intToRaw(1_000_000n),
    resourceNodeMinDepositWei: STOS,
    resourceNodeRegEnabled: true,
    unbondingThresholdTimeSec: 180 * DAY_SEC,
    unbondingCompletionTimeSec: 14 * DAY_SEC,
    votingPeriodSec: 7 * DAY_SEC,
    matureCountPerBlock: 100,
    supplyRestoreIntervalBlocks: 10_000,
    kickPoolCleanupIntervalBlocks: 10_000,
  };
}

/** Total a schedule can ever issue: the last valve's end. */
export function miningCapWei(params: PotParams): bigint {
  const last = params.miningRewardParams[params.miningRewardParams.length - 1];
  return last ? last.endWei : 0n;
}

/** Genesis with code defaults: nothing mined, no nodes, foundation funded with the full 40M STOS pool. */
export function defaultGenesis(overrides: Partial<GenesisConfig> = {}): GenesisConfig {
  return { params: defaultParams(), totalMinedWei: 0n, metaNodes: [], ...overrides };
}

/** Default owner/network address of mainnet genesis meta node i (1-based). */
export const mainnetMetaOwner = (i: number): string => `stratos-meta-owner-${i}`;
export const mainnetMetaAddress = (i: number): string => `stsds-meta-${i}`;

/**
 * stratos-1 genesis (spec §5.2, §6.5): 1,000,000 STOS pre-mined, 7 meta nodes × 9,900 STOS,
 * community tax 0.01, r = 10^6, mature epoch 2016; the foundation holds the remaining 39M STOS pool.
 * The register and block parameters (unbonding 180 d / 14 d, voting period 7 d, MatureCountPerBlock 100,
 * supply restore every 10,000 blocks) equal the code defaults, as in the mainnet genesis.
 * `resource_node_reg_enabled` was false at launch; it is kept true here so resource nodes can join
 * (set it to false to reproduce the launch state exactly).
 */
export function mainnetGenesis(overrides: Partial<GenesisConfig> = {}): GenesisConfig {
  const params: PotParams = { ...defaultParams(), communityTaxRaw: parseRaw("0.01") };
  const metaNodes: GenesisMetaNode[] = [];
  for (let i = 1; i <= 7; i++) {
    metaNodes.push({ networkAddress: mainnetMetaAddress(i), owner: mainnetMetaOwner(i), depositWei: 9_900n * STOS });
  }
  return { params, totalMinedWei: 1_000_000n * STOS, metaNodes, ...overrides };
}

/** Parameter validation (`validateMiningRewardParams` and friends). Returns human-readable problems; empty means valid. */
export function validateParams(p: PotParams): string[] {
  const errs: string[] = [];
  if (!Number.isSafeInteger(p.matureEpoch) || p.matureEpoch <= 0) errs.push("matureEpoch must be a positive integer");
  if (p.communityTaxRaw < 0n || p.communityTaxRaw > ONE) errs.push("communityTax must be within [0, 1]");
  if (p.depositNozRateRaw <= 0n) errs.push("depositNozRate must be positive");
  if (p.initialTotalSupplyWei <= 0n) errs.push("initialTotalSupply must be positive");
  if (p.resourceNodeMinDepositWei < 0n) errs.push("resourceNodeMinDeposit must be non-negative");
  if (p.miningRewardParams.length === 0) errs.push("miningRewardParams must not be empty");
  p.miningRewardParams.forEach((s, i) => {
    const bps = [s.resourceBp, s.metaBp, s.chainBp];
    if (bps.some((b) => !Number.isSafeInteger(b) || b < 0)) errs.push(`stage ${i + 1}: bp values must be non-negative integers`);
    else if (s.resourceBp + s.metaBp + s.chainBp !== 10_000) errs.push(`stage ${i + 1}: bp values must sum to 10000`);
    if (s.startWei < 0n || s.startWei >= s.endWei) errs.push(`stage ${i + 1}: need 0 ≤ start < end`);
    if (s.rewardWei < 0n) errs.push(`stage ${i + 1}: reward must be non-negative`);
  });
  const nonNegative = (v: number, name: string) => {
    if (!Number.isSafeInteger(v) || v < 0) errs.push(`${name} must be a non-negative integer (seconds)`);
  };
  nonNegative(p.unbondingThresholdTimeSec, "unbondingThresholdTimeSec");
  nonNegative(p.unbondingCompletionTimeSec, "unbondingCompletionTimeSec");
  nonNegative(p.votingPeriodSec, "votingPeriodSec");
  const positive = (v: number, name: string) => {
    if (!Number.isSafeInteger(v) || v <= 0) errs.push(`${name} must be a positive integer`);
  };
  positive(p.matureCountPerBlock, "matureCountPerBlock");
  positive(p.supplyRestoreIntervalBlocks, "supplyRestoreIntervalBlocks");
  positive(p.kickPoolCleanupIntervalBlocks, "kickPoolCleanupIntervalBlocks");
  return errs;
}

/** Genesis validation on top of the parameters (addresses, amounts, duplicates). */
export function validateGenesis(g: GenesisConfig): string[] {
  const errs = validateParams(g.params);
  if (g.totalMinedWei < 0n) errs.push("totalMined must be non-negative");
  if (g.foundationWei !== undefined && g.foundationWei < 0n) errs.push("foundation must be non-negative");
  if ((g.unissuedPrepayWei ?? 0n) < 0n) errs.push("unissuedPrepay must be non-negative");
  if (g.totalSupplyWei !== undefined && g.totalSupplyWei <= 0n) errs.push("totalSupply must be positive");
  if (g.genesisTimeSec !== undefined && (!Number.isSafeInteger(g.genesisTimeSec) || g.genesisTimeSec < 0)) {
    errs.push("genesisTimeSec must be a non-negative integer");
  }
  if (g.lastDistributedEpoch !== undefined && (!Number.isSafeInteger(g.lastDistributedEpoch) || g.lastDistributedEpoch < 0)) {
    errs.push("lastDistributedEpoch must be a non-negative integer");
  }
  const seen = new Set<string>();
  const node = (addr: string, what: string) => {
    if (!addr) errs.push(`${what}: empty network address`);
    if (seen.has(addr)) errs.push(`${what}: duplicate network address ${addr}`);
    seen.add(addr);
  };
  for (const m of g.metaNodes) {
    node(m.networkAddress, "meta node");
    if (!m.owner) errs.push(`meta node ${m.networkAddress}: empty owner`);
    if (m.depositWei <= 0n) errs.push(`meta node ${m.networkAddress}: deposit must be positive`);
  }
  for (const r of g.resourceNodes ?? []) {
    node(r.networkAddress, "resource node");
    if (!r.owner) errs.push(`resource node ${r.networkAddress}: empty owner`);
    if (r.tokensWei <= 0n || r.effectiveTokensWei < 0n || r.effectiveTokensWei > r.tokensWei) {
      errs.push(`resource node ${r.networkAddress}: need 0 ≤ effective ≤ tokens, tokens > 0`);
    }
  }
  for (const a of g.accounts ?? []) {
    if (!a.address) errs.push("account: empty address");
    if (a.balanceWei < 0n) errs.push(`account ${a.address}: negative balance`);
  }
  return errs;
}
