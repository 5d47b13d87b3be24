// The ledger's state as plain data: module accounts, nodes, votes, per-wallet reward books, the queue
// of immature reward blocks, the block header (height, time), the unbonding queue and the supply
// changes made by RestoreTotalSupply. Owns the state shape and its deep copy; no behaviour.

import { LimbVec } from "./fast/limbs.js";
import type { PotParams } from "./params.js";
import type { RewardLimbs } from "./fast/limbs.js";

export type BondStatus = "unbonded" | "bonded" | "unbonding";

export interface MetaNode {
  readonly networkAddress: string;
  readonly owner: string;
  /** Empty: rewards go to the owner. */
  beneficiary: string;
  tokens: bigint;
  status: BondStatus;
  suspended: boolean;
  /** Block time (s) of the node's creation; the 180-day unbonding threshold counts from it. */
  readonly createdAtSec: number;
}

export interface ResourceNode {
  readonly networkAddress: string;
  readonly owner: string;
  beneficiary: string;
  tokens: bigint;
  effectiveTokens: bigint;
  status: BondStatus;
  suspended: boolean;
  /** Block time (s) of the node's creation; the 180-day unbonding threshold counts from it. */
  readonly createdAtSec: number;
}

export interface VotePool {
  readonly approvals: string[];
  readonly rejections: string[];
  passed: boolean;
  /** Block time (s) after which the pool accepts no vote: opening time + voting period (spec §9). */
  readonly expireTimeSec: number;
}

/**
 * A node's deposit on its way out (spec §8): held in the node kind's not-bonded pool from the unbonding
 * transaction until the EndBlocker of the first block whose time reaches `completionTimeSec`.
 */
export interface UnbondingEntry {
  readonly kind: "meta" | "resource";
  readonly networkAddress: string;
  readonly owner: string;
  readonly amountWei: bigint;
  readonly completionTimeSec: number;
  /** Height of the block the unbonding started in. */
  readonly startHeight: number;
}

/** Module accounts (token pools), in wei. `prepay` is P_t. */
export interface Pools {
  foundation: bigint;
  prepay: bigint;
  rewardPool: bigint;
  feeCollector: bigint;
  communityPool: bigint;
  metaBonded: bigint;
  metaNotBonded: bigint;
  resourceBonded: bigint;
  resourceNotBonded: bigint;
}

/**
 * Rewards of one accepted report, stored under key = epoch + matureEpoch until they mature.
 * Immutable: several ledgers (and snapshots) may share one block.
 */
export interface RewardBlock {
  readonly key: number;
  readonly epoch: number;
  /** Wallet handles of the resource-node part (distinct wallets) and their amounts. */
  readonly idx: Int32Array;
  readonly limbs: RewardLimbs;
  /** Wallet handles of the paid meta nodes; each gets metaMining + metaPaid. */
  readonly metaIdx: Int32Array;
  readonly metaMining: bigint;
  readonly metaPaid: bigint;
  /** Sum of every amount in the block. */
  readonly total: bigint;
  /** Digest of the block's defining inputs (report tx_data, pool amounts, τ, meta wallets). */
  readonly hash: string;
}

export interface LedgerState {
  readonly params: PotParams;
  /** Explicit block mode: EndBlocker work waits for endBlock (see LedgerOptions.blockMode). Fixed at construction. */
  readonly explicitBlocks: boolean;
  /** Height of the current block (0 at genesis; blocks are numbered 1, 2, …). */
  height: number;
  /** Block time (s) of the current block: what operations see as "now". */
  timeSec: number;
  /** Between beginBlock and endBlock (explicit mode only). */
  blockOpen: boolean;
  /** S_t, effective total deposit. */
  S: bigint;
  /** L_t, remaining ozone limit (noz). Can go negative through suspensions, as on chain. */
  L: bigint;
  /** Total mined tokens. */
  M: bigint;
  lastEpoch: number;
  maturedEpoch: number;
  pools: Pools;
  /** Bank balances by wallet handle (holes mean 0). */
  balances: bigint[];
  balanceTotal: bigint;
  /** Per-wallet reward totals by handle: bigint amounts held as float64 limbs (fast/limbs.ts, tested equal to bigint arithmetic by test/protocols/pot/fast/limbs.equiv.test.ts). */
  immature: LimbVec;
  mature: LimbVec;
  immatureTotal: bigint;
  matureTotal: bigint;
  /** Slashing debt by wallet handle; only positive entries are kept. */
  debts: Map<number, bigint>;
  metaNodes: Map<string, MetaNode>;
  bondedMetaCount: number;
  resourceNodes: Map<string, ResourceNode>;
  regVotes: Map<string, VotePool>;
  kickVotes: Map<string, VotePool>;
  /** Immature blocks in key order; entries before `pendingHead` are already matured. */
  pending: RewardBlock[];
  pendingHead: number;
  /**
   * Wallet entries (in address order, see maturity.ts) of the head pending block already matured by a
   * throttled EndBlocker, and their total amount. Both 0 unless the head block is partly matured.
   */
  headCursor: number;
  headMatured: bigint;
  /** Deposits being unbonded, by completion time (ties: in the order unbonding started). */
  unbonding: UnbondingEntry[];
  /** Bank supply at genesis, and the totals RestoreTotalSupply minted into / burned from the community pool. */
  genesisSupply: bigint;
  mintedWei: bigint;
  burnedWei: bigint;
  /** TotalReward(e) history: parallel append-only logs (shared by snapshots until they diverge). */
  rewardEpochs: AppendLog<number>;
  rewardMining: AppendLog<bigint>;
  rewardTraffic: AppendLog<bigint>;
  /** Rolling digest of the TotalReward history (so state digests stay cheap). */
  historyHash: string;
  /** Bumped on every change; digests are memoised per version. */
  version: number;
}

/**
 * An append-only list whose clones share one backing array: a clone sees the first `length` items, and
 * whoever appends while the backing array holds more than its own items copies them first. Cloning is
 * O(1), which keeps snapshots of a long reward history cheap (checkpoints take one per replica).
 */
export class AppendLog<T> {
  private items: T[];
  private n: number;

  constructor(items: T[] = [], n = items.length) {
    this.items = items;
    this.n = n;
  }

  get length(): number {
    return this.n;
  }

  /** Item i (0 ≤ i < length). */
  at(i: number): T {
    if (i < 0 || i >= this.n) throw new RangeError(`index ${i} out of range`);
    return this.items[i]!;
  }

  push(x: T): void {
    if (this.items.length !== this.n) {
      // Another log sharing the array appended past our end. The same value (===) there: keep sharing
      // (the replicas of a world append equal histories, so they hold one array: HistoryRoots);
      // anything else: take a private copy of our items first.
      if (this.items[this.n] === x) {
        this.n++;
        return;
      }
      this.items = this.items.slice(0, this.n);
    }
    this.items.push(x);
    this.n++;
  }

  clone(): AppendLog<T> {
    return new AppendLog(this.items, this.n);
  }
}

/**
 * Empty reward-history logs that the ledgers of one world start from (clones of them), so that equal
 * histories share one array (AppendLog.push): ten simulated years are 525,600 entries per log and per
 * replica otherwise.
 */
export interface HistoryRoots {
  readonly epochs: AppendLog<number>;
  readonly mining: AppendLog<bigint>;
  readonly traffic: AppendLog<bigint>;
}

export function historyRoots(): HistoryRoots {
  return { epochs: new AppendLog<number>(), mining: new AppendLog<bigint>(), traffic: new AppendLog<bigint>() };
}

export function emptyPools(): Pools {
  return {
    foundation: 0n,
    prepay: 0n,
    rewardPool: 0n,
    feeCollector: 0n,
    communityPool: 0n,
    metaBonded: 0n,
    metaNotBonded: 0n,
    resourceBonded: 0n,
    resourceNotBonded: 0n,
  };
}

const copyVote = (v: VotePool): VotePool => ({
  approvals: [...v.approvals],
  rejections: [...v.rejections],
  passed: v.passed,
  expireTimeSec: v.expireTimeSec,
});

/**
 * A copy of `m` with every value passed through `copy`, in the same insertion order. forEach rather
 * than `new Map([...m].map(…))`: the iterator protocol allocates an entry array and a result object per
 * entry, and states are cloned at every checkpoint of every replica (same maps: state tests).
 */
function copyMap<K, V>(m: ReadonlyMap<K, V>, copy: (v: V) => V): Map<K, V> {
  const out = new Map<K, V>();
  m.forEach((v, k) => {
    out.set(k, copy(v));
  });
  return out;
}

const same = <V>(v: V): V => v;
const copyNode = <N extends MetaNode | ResourceNode>(n: N): N => ({ ...n });

/** Deep copy of everything mutable; immutable reward blocks and unbonding entries are shared. */
export function cloneState(s: LedgerState): LedgerState {
  return {
    params: s.params,
    explicitBlocks: s.explicitBlocks,
    height: s.height,
    timeSec: s.timeSec,
    blockOpen: s.blockOpen,
    S: s.S,
    L: s.L,
    M: s.M,
    lastEpoch: s.lastEpoch,
    maturedEpoch: s.maturedEpoch,
    pools: { ...s.pools },
    balances: s.balances.slice(),
    balanceTotal: s.balanceTotal,
    immature: s.immature.clone(),
    mature: s.mature.clone(),
    immatureTotal: s.immatureTotal,
    matureTotal: s.matureTotal,
    debts: copyMap(s.debts, same),
    metaNodes: copyMap(s.metaNodes, copyNode),
    bondedMetaCount: s.bondedMetaCount,
    resourceNodes: copyMap(s.resourceNodes, copyNode),
    regVotes: copyMap(s.regVotes, copyVote),
    kickVotes: copyMap(s.kickVotes, copyVote),
    pending: s.pending.slice(s.pendingHead),
    pendingHead: 0,
    headCursor: s.headCursor,
    headMatured: s.headMatured,
    unbonding: s.unbonding.slice(),
    genesisSupply: s.genesisSupply,
    mintedWei: s.mintedWei,
    burnedWei: s.burnedWei,
    rewardEpochs: s.rewardEpochs.clone(),
    rewardMining: s.rewardMining.clone(),
    rewardTraffic: s.rewardTraffic.clone(),
    historyHash: s.historyHash,
    version: s.version,
  };
}

/** Remaps wallet handles (for restoring a snapshot taken against another WalletBook). */
export function remapHandles(s: LedgerState, map: (h: number) => number): LedgerState {
  const balances: bigint[] = [];
  s.balances.forEach((b, h) => {
    if (b !== undefined && b !== 0n) balances[map(h)] = b;
  });
  const immature = new LimbVec();
  const mature = new LimbVec();
  const n = Math.max(s.immature.capacity, s.mature.capacity);
  for (let h = 0; h < n; h++) {
    if (!s.immature.isZero(h)) immature.set(map(h), s.immature.get(h));
    if (!s.mature.isZero(h)) mature.set(map(h), s.mature.get(h));
  }
  const debts = new Map<number, bigint>();
  for (const [h, d] of s.debts) debts.set(map(h), d);
  const pending = s.pending.slice(s.pendingHead).map((b) => ({
    ...b,
    idx: Int32Array.from(b.idx, map),
    metaIdx: Int32Array.from(b.metaIdx, map),
  }));
  return { ...s, balances, immature, mature, debts, pending, pendingHead: 0 };
}
