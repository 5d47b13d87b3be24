// PotLedger: the Stratos Proof-of-Traffic economics (x/pot, x/register, x/sds) as a pure, deterministic
// state machine over bigint wei/noz. Owns every state-changing operation of the spec, the block
// lifecycle (beginBlock/endBlock: unbonding completion, maturity with its per-block throttle, vote-pool
// cleanup, RestoreTotalSupply) and the accessors. Every operation validates first and mutates only
// after all checks passed, so a refused operation changes no state (the chain's transaction rollback).

import type { WalletBook } from "./book.js";
import { formatRaw, ONE, truncRaw } from "./dec.js";
import { computeStateDigest } from "./digest.js";
import type { RewardsByClass } from "./distribution.js";
import {
  decreaseOzoneLimit,
  increaseOzoneLimit,
  isUnbondable,
  lookupStage,
  nozPriceRaw,
  nozSupply,
  reportQuorum,
  type Split,
  trafficRewardRaw,
  voteThreshold,
} from "./formulas.js";
import { initialState } from "./genesis.js";
import { type SupplyCheck, stateViolations, supplyCheck } from "./invariants.js";
import { fromLimbs, toLimbs } from "./fast/limbs.js";
import { type EndBlockMaturity, entryPosition, matureDue, matureInEndBlock } from "./maturity.js";
import { type GenesisConfig, type PotParams, validateGenesis } from "./params.js";
import { PreparedReport, prepareReport, type ResourcePlan, type VolumeReportInput } from "./report.js";
import { createSharedCache, type PotSharedCache } from "./shared.js";
import { sha256Hex } from "./sha256.js";
import {
  cloneState,
  type LedgerState,
  type MetaNode,
  type Pools,
  type ResourceNode,
  type RewardBlock,
  remapHandles,
  type UnbondingEntry,
  type VotePool,
} from "./state.js";

/** Result of an operation: a value, or the reason it was refused (state then unchanged). */
export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * How the chain's block-level work (the EndBlockers) is driven; see `LedgerOptions.blockMode`.
 * - `"implicit"`: no blocks; what EndBlockers do happens inside the operation that makes it due.
 * - `"explicit"`: the caller runs blocks with `beginBlock(timeSec)` … operations … `endBlock()`.
 */
export type BlockMode = "implicit" | "explicit";

export interface LedgerOptions {
  /**
   * Block mode (default `"implicit"`, convenient for scripts that call operations directly).
   *
   * `"implicit"`: the ledger has no blocks and its clock stays at the genesis time. Rewards that a
   * volume report makes due mature at the end of that report, all wallets at once (no per-block
   * throttle); a meta- or resource-node unbonding completes within the operation that starts it (deposit
   * minus the owner's slashing debt paid out at once, no 180 d / 14 d wait); vote pools never expire
   * (time does not pass); RestoreTotalSupply and the kick-pool cleanup never run. `beginBlock`/`endBlock`
   * throw.
   *
   * `"explicit"`: the chain's ABCI lifecycle. `beginBlock(timeSec)` opens the next block (height + 1) at
   * a block time that operations see as "now"; every state-changing operation must run inside an open
   * block (it throws otherwise); `endBlock()` runs the EndBlockers of spec §7–§10: unbonding completion
   * (register), then reward maturity throttled to `params.matureCountPerBlock` wallet entries in the newest
   * key, then RestoreTotalSupply at heights ≡ 1 mod `params.supplyRestoreIntervalBlocks` (pot).
   * `PotApplication` (the PBFT application) always uses this mode.
   *
   * The mode is part of the state: a snapshot can only be restored into a ledger of the same mode.
   */
  readonly blockMode?: BlockMode;
  /** Count only distinct signer keys that are bonded meta nodes toward the report quorum. Default false (the chain counts keys). */
  readonly strictSigners?: boolean;
  /** Require kick voters to be active meta nodes owned by the voter owner. Default true (the chain stores but drops this error). */
  readonly strictKickVoters?: boolean;
  /** Memo shared by the replicas of one world (wallet book and report preparations). Default: private. */
  readonly shared?: PotSharedCache;
}

/** Summary of an accepted volume report. */
export interface ReportSummary {
  readonly epoch: number;
  readonly totalVolume: bigint;
  readonly trafficRewardRaw: bigint;
  readonly stage: number;
  readonly outOfIssuance: boolean;
  /** ΔM: mining actually paid (validators + nodes). */
  readonly minedIncrement: bigint;
  /** TotalReward.traffic: what left P_t. */
  readonly trafficTotal: bigint;
  readonly matureKey: number;
  /** Reward blocks (keys) matured at the end of the report: implicit block mode only (explicit mode: 0, maturity is the EndBlocker's). */
  readonly maturedBlocks: number;
  /** The report's rewards per class of recipient, and the dust that stayed in P and in the foundation. */
  readonly byClass: RewardsByClass;
}

/** The ozone market's state: S, P and L. */
export interface OzoneMarket {
  /** S_t (wei). */
  readonly effectiveDepositWei: bigint;
  /** P_t (wei). */
  readonly unissuedPrepayWei: bigint;
  /** L_t (noz). */
  readonly remainingOzoneLimitNoz: bigint;
}

/** A prepay's full breakdown (spec §6.2). */
export interface PrepayResult {
  /** ⌊quotient⌋: the ozone bought. */
  readonly purchasedNoz: bigint;
  /** q(L·X/(S+P+X)) as a Dec raw value, before truncation. */
  readonly quotientRaw: bigint;
  readonly before: OzoneMarket;
  readonly after: OzoneMarket;
}

/** A slashing's full breakdown (spec §8). */
export interface SlashResult {
  /** ⌊R(Y = slashing noz)⌋, added to the wallet's debt. */
  readonly slashedWei: bigint;
  /** R(Y = slashing noz) at the pre-suspension state, a Dec raw value before truncation. */
  readonly trafficRewardRaw: bigint;
  /** The wallet's debt after the slashing. */
  readonly debtWei: bigint;
  /** The node went from active to suspended in this operation (its effective deposit left S). */
  readonly suspended: boolean;
  /** Effective deposit removed from S by the suspension (0 unless `suspended`). */
  readonly effectiveDepositRemovedWei: bigint;
  /** q(removed/r) as a Dec raw value: what L fell by before truncation toward zero (0 unless `suspended`). */
  readonly ozoneLimitDeltaRaw: bigint;
  /** L before − L after (noz). */
  readonly ozoneLimitChangeNoz: bigint;
  readonly before: OzoneMarket;
  readonly after: OzoneMarket;
}

/** Everything computed for the last accepted report (for metrics and vectors). Arrays are shared: do not mutate. */
export interface ReportBreakdown extends ReportSummary {
  readonly reporter: string;
  readonly trafficSplit: Split;
  /** Mining amounts actually paid out of the foundation (zero when out of issuance). */
  readonly miningSplit: Split;
  /** Reward of the stage in force (nominal, even when out of issuance). */
  readonly miningRewardWei: bigint;
  /** Per list entry; computed on first access. */
  readonly resource: {
    readonly wallets: readonly string[];
    readonly volumes: readonly bigint[];
    readonly shareRaw: readonly bigint[];
    readonly mining: readonly bigint[];
    readonly beforeRaw: readonly bigint[];
    readonly taxRaw: readonly bigint[];
    readonly paid: readonly bigint[];
  };
  /** One entry per paid meta node (store order); every node receives the same amounts. */
  readonly meta: {
    readonly networkAddresses: readonly string[];
    readonly wallets: readonly string[];
    readonly miningQuotientRaw: bigint;
    readonly mining: bigint;
    readonly beforeRaw: bigint;
    readonly taxRaw: bigint;
    readonly paid: bigint;
  };
  readonly communityTaxRaw: bigint;
  readonly communityTaxWei: bigint;
  readonly foundationToFeeCollector: bigint;
  readonly prepayToFeeCollector: bigint;
  readonly foundationToRewardPool: bigint;
  readonly prepayToRewardPool: bigint;
}

/** Per-wallet view of a report breakdown (duplicates aggregated, per-entry values kept in list order). */
export interface WalletReward {
  mining: bigint;
  trafficAfterTax: bigint;
  shareRaw: bigint[];
  beforeRaw: bigint[];
  taxRaw: bigint[];
}

export interface NodeArgs {
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary?: string;
  readonly depositWei: bigint;
}

export interface ReporterArgs {
  readonly reporters: readonly string[];
  readonly reporterOwners: readonly string[];
}

/**
 * Result of removing (or kicking) a node: in implicit block mode the unbonding completed at once and the
 * deposit was paid out (`returnedWei` to the owner, `slashedWei` of the owner's debt to the community
 * pool); in explicit mode it was queued and `endBlock` completes it in the first block whose time reaches
 * `completionTimeSec`.
 */
export type UnbondResult =
  | { readonly returnedWei: bigint; readonly slashedWei: bigint }
  | { readonly unbondingWei: bigint; readonly completionTimeSec: number };

/** An unbonding completed by an EndBlocker. */
export interface CompletedUnbonding {
  readonly kind: "meta" | "resource";
  readonly networkAddress: string;
  readonly owner: string;
  readonly returnedWei: bigint;
  readonly slashedWei: bigint;
}

/** What `endBlock` did, in execution order. */
export interface EndBlockSummary {
  readonly height: number;
  readonly timeSec: number;
  /** register EndBlocker: unbondings whose completion time was reached, in completion order. */
  readonly unbonded: readonly CompletedUnbonding[];
  /** register EndBlocker: expired kick pools that never passed, deleted (heights ≡ 0 mod the cleanup interval). */
  readonly kickPoolsDropped: number;
  /** pot EndBlocker: reward maturity (see matureInEndBlock). */
  readonly matured: EndBlockMaturity;
  /** pot EndBlocker: RestoreTotalSupply's mint into / burn from the community pool (0 when it did not act). */
  readonly mintedWei: bigint;
  readonly burnedWei: bigint;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export class PotLedger {
  private st: LedgerState;
  /** Address ↔ handle table (shared when `options.shared` is given). */
  readonly book: WalletBook;
  private readonly shared: PotSharedCache;
  private readonly strictSigners: boolean;
  private readonly strictKickVoters: boolean;
  private bondedMetaMemo: MetaNode[] | undefined;
  /** Builds the last accepted report's breakdown on first request (most reports are never inspected). */
  private lastThunk: (() => ReportBreakdown) | undefined;
  private last: ReportBreakdown | undefined;
  private readonly violations: string[] = [];
  private digestMemo: { version: number; digest: string } | undefined;
  private metaIdxMemo: { key: string; idx: Int32Array } | undefined;

  /** Genesis initialisation (spec §6.5). Throws on an invalid genesis. */
  constructor(genesis: GenesisConfig, options: LedgerOptions = {}) {
    const errs = validateGenesis(genesis);
    if (errs.length > 0) throw new Error(`invalid PoT genesis: ${errs.join("; ")}`);
    this.shared = options.shared ?? createSharedCache();
    this.book = this.shared.book;
    this.strictSigners = options.strictSigners ?? false;
    this.strictKickVoters = options.strictKickVoters ?? true;
    this.st = initialState(genesis, this.book, (options.blockMode ?? "implicit") === "explicit", this.shared.history);
  }

  // ───────────────────────────── accessors ─────────────────────────────

  get params(): PotParams {
    return this.st.params;
  }
  /** S_t: effective total deposit (wei). */
  get S(): bigint {
    return this.st.S;
  }
  /** P_t: balance of total_unissued_prepay (wei). */
  get P(): bigint {
    return this.st.pools.prepay;
  }
  /** L_t: remaining ozone limit (noz). */
  get L(): bigint {
    return this.st.L;
  }
  /** M: total mined tokens (wei). */
  get M(): bigint {
    return this.st.M;
  }
  /** E_last: last distributed epoch. */
  get lastEpoch(): number {
    return this.st.lastEpoch;
  }
  /** E_mat: last matured key. */
  get maturedEpoch(): number {
    return this.st.maturedEpoch;
  }
  /** n_meta: bonded meta-node count. */
  get bondedMetaCount(): number {
    return this.st.bondedMetaCount;
  }
  /** Bumped on every state change. */
  get version(): number {
    return this.st.version;
  }
  get blockMode(): BlockMode {
    return this.st.explicitBlocks ? "explicit" : "implicit";
  }
  /** Height of the current (or last) block; 0 before the first block. */
  get height(): number {
    return this.st.height;
  }
  /** Block time (s) of the current (or last) block: "now" for operations. The genesis time before the first block. */
  get blockTimeSec(): number {
    return this.st.timeSec;
  }
  /** True between beginBlock and endBlock. */
  get blockOpen(): boolean {
    return this.st.blockOpen;
  }

  /** Price q((S+P)/L) in wei/noz as an 18-decimal string, or undefined when L = 0. */
  price(): string | undefined {
    const p = this.priceRaw();
    return p === undefined ? undefined : formatRaw(p);
  }

  /** `price()` as a raw 18-decimal bigint (formatRaw gives the text). */
  priceRaw(): bigint | undefined {
    return nozPriceRaw(this.st.S, this.st.pools.prepay, this.st.L);
  }

  /** The mining stage that the next report would use (1-based) and whether issuance has ended. */
  stage(): { stage: number; outOfIssuance: boolean } {
    const s = lookupStage(this.st.params.miningRewardParams, this.st.M);
    return { stage: s.stage, outOfIssuance: s.outOfIssuance };
  }

  /** Copy of the module-account balances. */
  pools(): Pools {
    return { ...this.st.pools };
  }

  balance(addr: string): bigint {
    const h = this.book.find(addr);
    return h < 0 ? 0n : (this.st.balances[h] ?? 0n);
  }

  immature(addr: string): bigint {
    const h = this.book.find(addr);
    return h < 0 ? 0n : this.st.immature.get(h);
  }

  mature(addr: string): bigint {
    const h = this.book.find(addr);
    return h < 0 ? 0n : this.st.mature.get(h);
  }

  debt(addr: string): bigint {
    const h = this.book.find(addr);
    return h < 0 ? 0n : (this.st.debts.get(h) ?? 0n);
  }

  /** individual(w, key): the not-yet-matured reward of `addr` stored under `key` (= epoch + matureEpoch). */
  individualReward(addr: string, key: number): { mining: bigint; traffic: bigint } | undefined {
    const h = this.book.find(addr);
    const s = this.st;
    for (let i = s.pendingHead; i < s.pending.length && h >= 0; i++) {
      const b = s.pending[i]!;
      if (b.key !== key) continue;
      // A throttled EndBlocker already matured (and deleted) the first headCursor entries of the head block.
      if (i === s.pendingHead && s.headCursor > 0) {
        const at = entryPosition(b, this.book, h, this.shared.maturity);
        if (at >= 0 && at < s.headCursor) return undefined;
      }
      let mining = 0n;
      let traffic = 0n;
      let found = false;
      b.idx.forEach((x, d) => {
        if (x !== h) return;
        found = true;
        const m = fromLimbs(b.limbs.minHi[d]!, b.limbs.minLo[d]!);
        mining += m;
        traffic += fromLimbs(b.limbs.totHi[d]!, b.limbs.totLo[d]!) - m;
      });
      b.metaIdx.forEach((x) => {
        if (x !== h) return;
        found = true;
        mining += b.metaMining;
        traffic += b.metaPaid;
      });
      return found ? { mining, traffic } : undefined;
    }
    return undefined;
  }

  /** TotalReward(e) of an accepted report. */
  totalReward(epoch: number): { mining: bigint; traffic: bigint } | undefined {
    const s = this.st;
    let lo = 0;
    let hi = s.rewardEpochs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = s.rewardEpochs.at(mid);
      if (e === epoch) return { mining: s.rewardMining.at(mid), traffic: s.rewardTraffic.at(mid) };
      if (e < epoch) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Number of immature reward blocks. */
  pendingBlocks(): number {
    return this.st.pending.length - this.st.pendingHead;
  }

  metaNode(addr: string): Readonly<MetaNode> | undefined {
    const n = this.st.metaNodes.get(addr);
    return n && { ...n };
  }

  resourceNode(addr: string): Readonly<ResourceNode> | undefined {
    const n = this.st.resourceNodes.get(addr);
    return n && { ...n };
  }

  /** Bonded meta nodes in store (network-address) order. */
  bondedMetaNodes(): readonly Readonly<MetaNode>[] {
    return this.bondedMeta().map((n) => ({ ...n }));
  }

  /** Deposits being unbonded, in completion order (explicit block mode). */
  unbondingEntries(): readonly UnbondingEntry[] {
    return this.st.unbonding.slice();
  }

  /** Copy of the registration (`"registration"`) or kick (`"kick"`) vote pool of a meta node, if open. */
  votePool(kind: "registration" | "kick", networkAddress: string): VotePool | undefined {
    const v = (kind === "registration" ? this.st.regVotes : this.st.kickVotes).get(networkAddress);
    return v && { approvals: [...v.approvals], rejections: [...v.rejections], passed: v.passed, expireTimeSec: v.expireTimeSec };
  }

  /** All wallets with any balance, reward or debt, and their amounts (for metrics). */
  wallets(): { address: string; balance: bigint; immature: bigint; mature: bigint; debt: bigint }[] {
    const s = this.st;
    const out: { address: string; balance: bigint; immature: bigint; mature: bigint; debt: bigint }[] = [];
    for (let h = 0; h < this.book.size; h++) {
      const balance = s.balances[h] ?? 0n;
      const debt = s.debts.get(h) ?? 0n;
      if (balance === 0n && debt === 0n && s.immature.isZero(h) && s.mature.isZero(h)) continue;
      out.push({ address: this.book.address(h), balance, immature: s.immature.get(h), mature: s.mature.get(h), debt });
    }
    return out;
  }

  /** Sizes that drive the simulated snapshot size. */
  sizeCounts(): {
    wallets: number;
    nodes: number;
    votes: number;
    pendingBlocks: number;
    pendingEntries: number;
    history: number;
    unbonding: number;
  } {
    const s = this.st;
    let wallets = 0;
    for (let h = 0; h < this.book.size; h++) {
      const b = s.balances[h];
      if ((b !== undefined && b !== 0n) || !s.immature.isZero(h) || !s.mature.isZero(h) || s.debts.has(h)) wallets++;
    }
    let pendingEntries = 0;
    for (let i = s.pendingHead; i < s.pending.length; i++) pendingEntries += s.pending[i]!.idx.length + s.pending[i]!.metaIdx.length;
    pendingEntries -= s.headCursor;
    return {
      wallets,
      nodes: s.metaNodes.size + s.resourceNodes.size,
      votes: s.regVotes.size + s.kickVotes.size,
      pendingBlocks: s.pending.length - s.pendingHead,
      pendingEntries,
      history: s.rewardEpochs.length,
      unbonding: s.unbonding.length,
    };
  }

  /** Breakdown of the last accepted report, if any. */
  lastReport(): ReportBreakdown | undefined {
    if (this.lastThunk) {
      this.last = this.lastThunk();
      this.lastThunk = undefined;
    }
    return this.last;
  }

  /** The last report's rewards per wallet (duplicates and meta+resource roles summed). */
  lastReportByWallet(): Map<string, WalletReward> {
    const out = new Map<string, WalletReward>();
    const b = this.lastReport();
    if (!b) return out;
    const get = (w: string) => {
      let r = out.get(w);
      if (!r) out.set(w, (r = { mining: 0n, trafficAfterTax: 0n, shareRaw: [], beforeRaw: [], taxRaw: [] }));
      return r;
    };
    b.resource.wallets.forEach((w, i) => {
      const r = get(w);
      r.mining += b.resource.mining[i]!;
      r.trafficAfterTax += b.resource.paid[i]!;
      r.shareRaw.push(b.resource.shareRaw[i]!);
      r.beforeRaw.push(b.resource.beforeRaw[i]!);
      r.taxRaw.push(b.resource.taxRaw[i]!);
    });
    for (const w of b.meta.wallets) {
      const r = get(w);
      r.mining += b.meta.mining;
      r.trafficAfterTax += b.meta.paid;
      r.beforeRaw.push(b.meta.beforeRaw);
      r.taxRaw.push(b.meta.taxRaw);
    }
    return out;
  }

  /**
   * Supply conservation: every account and module pool adds up to the genesis bank supply plus what
   * RestoreTotalSupply minted minus what it burned (in an honest run from a genesis at the initial total
   * supply, both are 0).
   */
  totalSupplyCheck(): SupplyCheck {
    return supplyCheck(this.st, this.shared.supply);
  }

  /** Every violated invariant: per-report identities recorded so far plus state checks (`deep` recomputes all totals). */
  checkInvariants(deep = true): string[] {
    return [...this.violations, ...stateViolations(this.st, this.book, deep)];
  }

  /** sha256 hex of the canonical state (memoised until the next change). */
  stateDigest(): string {
    const v = this.st.version;
    if (this.digestMemo?.version !== v) this.digestMemo = { version: v, digest: computeStateDigest(this.st, this.book, this.shared.digest) };
    return this.digestMemo.digest;
  }

  /**
   * Immutable copy of the state (reward blocks are shared; they never change). Ledgers on one shared
   * cache whose states are equal get the same copy when their digest is current (SnapshotShare).
   */
  snapshot(): LedgerSnapshot {
    const memo = this.digestMemo;
    const digest = memo !== undefined && memo.version === this.st.version ? memo.digest : undefined;
    const share = this.shared.snapshots;
    const known = share.find(digest, this.st) as LedgerSnapshot | undefined;
    if (known !== undefined) return known;
    const snap: LedgerSnapshot = Object.freeze({
      kind: "potsim/pot-ledger",
      book: this.book,
      addresses: this.addressesUpTo(this.book.size),
      state: cloneState(this.st),
    });
    share.remember(digest, snap);
    return snap;
  }

  /** Replaces the state with a snapshot (possibly from a ledger with another wallet book). */
  restore(snap: LedgerSnapshot): void {
    if (snap?.kind !== "potsim/pot-ledger") throw new TypeError("not a PoT ledger snapshot");
    if (snap.state.explicitBlocks !== this.st.explicitBlocks) {
      throw new TypeError(`a snapshot of a ${snap.state.explicitBlocks ? "explicit" : "implicit"}-block-mode ledger cannot be restored into a ${this.blockMode}-mode one`);
    }
    let state = cloneState(snap.state);
    if (snap.book !== this.book) {
      const map = snap.addresses.map((a) => this.book.intern(a));
      state = remapHandles(state, (h) => map[h]!);
    }
    const n = this.book.size;
    state.immature.ensure(n);
    state.mature.ensure(n);
    this.st = state;
    this.bondedMetaMemo = undefined;
    this.last = undefined;
    this.lastThunk = undefined;
    this.digestMemo = undefined;
  }

  private addressesUpTo(n: number): string[] {
    const a: string[] = new Array(n);
    for (let i = 0; i < n; i++) a[i] = this.book.address(i);
    return a;
  }

  // ───────────────────────────── blocks ─────────────────────────────

  /**
   * BeginBlock (explicit block mode): opens the next block, height + 1, with block time `timeSec`
   * (seconds; at least the previous block's time), which the block's operations see as "now": node
   * creation times, vote-pool opening and expiry, unbonding start. Returns the new height. Throws in
   * implicit mode, while a block is open, or for a time that is not finite or goes backwards.
   */
  beginBlock(timeSec: number): number {
    const s = this.st;
    this.requireExplicit("beginBlock");
    if (s.blockOpen) throw new Error(`block ${s.height} is still open: call endBlock() first`);
    if (!Number.isFinite(timeSec) || timeSec < s.timeSec) {
      throw new RangeError(`block time ${timeSec} must be finite and not before the previous block time ${s.timeSec}`);
    }
    s.height++;
    s.timeSec = timeSec;
    s.blockOpen = true;
    s.version++;
    return s.height;
  }

  /**
   * EndBlock (explicit block mode): runs the EndBlockers of the open block, in the chain's module order
   * (register before pot), then closes it:
   * 1. register: every unbonding whose completion time ≤ the block time completes, oldest first: the
   *    deposit leaves the not-bonded pool, the owner's slashing debt is deducted to the community pool
   *    (`DeductSlashing`), the rest goes to the owner, and the node record is deleted (spec §8, §10).
   *    At heights that are multiples of `kickPoolCleanupIntervalBlocks`, expired kick pools that never
   *    passed are deleted (so a new kick vote can open a fresh pool).
   * 2. pot: reward maturity over keys E_mat+1 … E_last, throttled to `matureCountPerBlock` wallet entries
   *    inside the newest key (see `matureInEndBlock` in maturity.ts for the exact rule, spec §7).
   * 3. pot: at heights ≡ 1 mod `supplyRestoreIntervalBlocks`, RestoreTotalSupply (spec §10): with
   *    D = bank supply − initial_total_supply, a shortfall (D < 0) is minted into the community pool; a
   *    surplus (D > 0) is burned from the community pool if it holds at least D, else nothing happens.
   *    Both are recorded, so the supply-conservation invariant stays exact.
   * Throws in implicit mode or when no block is open.
   */
  endBlock(): EndBlockSummary {
    const s = this.st;
    this.requireExplicit("endBlock");
    if (!s.blockOpen) throw new Error("no open block: call beginBlock(timeSec) first");
    const p = s.params;
    const unbonded = this.completeUnbondings();
    const kickPoolsDropped = s.height % p.kickPoolCleanupIntervalBlocks === 0 ? this.dropExpiredKickPools() : 0;
    const matured = matureInEndBlock(s, this.book, p.matureCountPerBlock, this.shared.maturity);
    const restored = (s.height - 1) % p.supplyRestoreIntervalBlocks === 0 ? this.restoreTotalSupply() : NO_RESTORE;
    s.blockOpen = false;
    s.version++;
    return { height: s.height, timeSec: s.timeSec, unbonded, kickPoolsDropped, matured, mintedWei: restored.mintedWei, burnedWei: restored.burnedWei };
  }

  private requireExplicit(what: string): void {
    if (!this.st.explicitBlocks) throw new Error(`${what}: this ledger runs in implicit block mode (construct it with blockMode: "explicit")`);
  }

  /** Operations run inside a block in explicit mode (in implicit mode there are no blocks). */
  private tx(): void {
    if (this.st.explicitBlocks && !this.st.blockOpen) {
      throw new Error("explicit block mode: operations run inside a block; call beginBlock(timeSec) first");
    }
  }

  private completeUnbondings(): CompletedUnbonding[] {
    const s = this.st;
    const out: CompletedUnbonding[] = [];
    let k = 0;
    while (k < s.unbonding.length && s.unbonding[k]!.completionTimeSec <= s.timeSec) {
      const u = s.unbonding[k++]!;
      if (u.kind === "meta") {
        s.pools.metaNotBonded -= u.amountWei;
        s.metaNodes.delete(u.networkAddress);
        this.bondedMetaMemo = undefined;
      } else {
        s.pools.resourceNotBonded -= u.amountWei;
        s.resourceNodes.delete(u.networkAddress);
      }
      const paid = this.payOutDeposit(u.owner, u.amountWei);
      out.push({ kind: u.kind, networkAddress: u.networkAddress, owner: u.owner, ...paid });
    }
    if (k > 0) s.unbonding = s.unbonding.slice(k);
    return out;
  }

  private dropExpiredKickPools(): number {
    const s = this.st;
    let n = 0;
    for (const [k, v] of s.kickVotes) {
      if (!v.passed && v.expireTimeSec < s.timeSec) {
        s.kickVotes.delete(k);
        n++;
      }
    }
    return n;
  }

  /** `RestoreTotalSupply` (spec §10; the bank supply is every account and pool of the ledger). */
  private restoreTotalSupply(): { mintedWei: bigint; burnedWei: bigint } {
    const s = this.st;
    const diff = supplyCheck(s).actual - s.params.initialTotalSupplyWei;
    if (diff > 0n) {
      if (s.pools.communityPool < diff) return NO_RESTORE;
      s.pools.communityPool -= diff;
      s.burnedWei += diff;
      return { mintedWei: 0n, burnedWei: diff };
    }
    if (diff < 0n) {
      s.pools.communityPool -= diff;
      s.mintedWei -= diff;
      return { mintedWei: -diff, burnedWei: 0n };
    }
    return NO_RESTORE;
  }

  // ───────────────────────────── bank ─────────────────────────────

  /** Bank send between wallets. */
  transfer(from: string, to: string, amountWei: bigint): Outcome {
    this.tx();
    if (amountWei <= 0n) return fail("invalid_amount");
    if (!from || !to) return fail("invalid_address");
    if (this.balance(from) < amountWei) return fail("insufficient_funds");
    this.debit(from, amountWei);
    this.credit(to, amountWei);
    return this.done(undefined);
  }

  /** MsgFoundationDeposit: moves tokens from a wallet into foundation_account (the mining pool). */
  foundationDeposit(from: string, amountWei: bigint): Outcome {
    this.tx();
    if (amountWei <= 0n) return fail("invalid_amount");
    if (this.balance(from) < amountWei) return fail("insufficient_funds");
    this.debit(from, amountWei);
    this.st.pools.foundation += amountWei;
    return this.done(undefined);
  }

  /**
   * MsgPrepay (spec §6.2): buy ozone with X wei at the constant-product price.
   * purchased = ⌊q(L·X/(S+P+X))⌋; L −= purchased; P += X; the sender's balance is debited.
   * The purchased noz are returned (on chain they are only an event; meta nodes credit them off-chain).
   */
  prepay(sender: string, amountWei: bigint): Outcome<PrepayResult> {
    this.tx();
    if (amountWei <= 0n) return fail("invalid_amount");
    if (this.balance(sender) < amountWei) return fail("insufficient_funds");
    const s = this.st;
    const { purchasedNoz, quotientRaw } = this.shared.purchase.of(s.S, s.pools.prepay, s.L, amountWei);
    if (purchasedNoz > s.L) return fail("not_enough_remaining_ozone_limit");
    const before = this.market();
    this.debit(sender, amountWei);
    s.pools.prepay += amountWei;
    s.L -= purchasedNoz;
    return this.done({ purchasedNoz, quotientRaw, before, after: this.market() });
  }

  // ───────────────────────────── meta nodes ─────────────────────────────

  /**
   * MsgCreateMetaNode: bonds the deposit in the not-bonded pool and opens a registration vote pool that
   * expires after `votingPeriodSec` (no S/L effect yet).
   */
  createMetaNode(a: NodeArgs): Outcome {
    this.tx();
    const e = this.checkNewNode(a.networkAddress, a.owner, a.depositWei);
    if (e) return fail(e);
    this.debit(a.owner, a.depositWei);
    this.st.pools.metaNotBonded += a.depositWei;
    this.st.metaNodes.set(a.networkAddress, {
      networkAddress: a.networkAddress,
      owner: a.owner,
      beneficiary: a.beneficiary ?? "",
      tokens: a.depositWei,
      status: "unbonded",
      suspended: true,
      createdAtSec: this.st.timeSec,
    });
    this.st.regVotes.set(a.networkAddress, this.newVotePool());
    return this.done(undefined);
  }

  /**
   * MsgMetaNodeRegistrationVote: an active meta node votes on a candidate. At ⌊2n/3⌋+1 approvals of the
   * n active meta nodes the candidate is bonded: S/L grow by its deposit (§6.4) and n_meta += 1.
   * A pool whose expiry time is before the block time refuses every vote ("vote_expired", spec §9), so an
   * expired registration can no longer pass (the owner may remove the node to get the deposit back).
   */
  voteMetaNodeRegistration(a: {
    candidate: string;
    candidateOwner: string;
    voter: string;
    voterOwner: string;
    approve: boolean;
  }): Outcome<{ bonded: boolean }> {
    this.tx();
    const s = this.st;
    const voter = s.metaNodes.get(a.voter);
    if (!voter) return fail("voter_not_found");
    if (voter.owner !== a.voterOwner) return fail("invalid_voter_owner");
    if (voter.status !== "bonded" || voter.suspended) return fail("invalid_voter_status");
    const cand = s.metaNodes.get(a.candidate);
    if (!cand) return fail("candidate_not_found");
    if (cand.owner !== a.candidateOwner) return fail("invalid_candidate_owner");
    const pool = s.regVotes.get(a.candidate);
    if (!pool) return fail("registration_vote_pool_not_found");
    if (pool.expireTimeSec < s.timeSec) return fail("vote_expired");
    if (pool.approvals.includes(a.voter) || pool.rejections.includes(a.voter)) return fail("duplicate_vote");
    (a.approve ? pool.approvals : pool.rejections).push(a.voter);
    if (cand.status !== "bonded" && pool.approvals.length >= voteThreshold(this.activeMetaCount())) {
      pool.passed = true;
      this.bondMetaNode(cand);
    }
    return this.done({ bonded: cand.status === "bonded" });
  }

  /** Registration whose vote has passed, in one step (genesis-like; for worlds that do not model the vote). */
  registerMetaNode(a: NodeArgs): Outcome {
    this.tx();
    const e = this.checkNewNode(a.networkAddress, a.owner, a.depositWei);
    if (e) return fail(e);
    this.debit(a.owner, a.depositWei);
    this.st.pools.metaNotBonded += a.depositWei;
    const node: MetaNode = {
      networkAddress: a.networkAddress,
      owner: a.owner,
      beneficiary: a.beneficiary ?? "",
      tokens: a.depositWei,
      status: "unbonded",
      suspended: true,
      createdAtSec: this.st.timeSec,
    };
    this.st.metaNodes.set(a.networkAddress, node);
    this.bondMetaNode(node);
    return this.done(undefined);
  }

  /** MsgUpdateMetaNodeDeposit (increase only): tokens bonded; S/L grow unless the node is suspended. */
  addMetaNodeDeposit(networkAddress: string, owner: string, amountWei: bigint): Outcome {
    this.tx();
    const n = this.st.metaNodes.get(networkAddress);
    if (!n) return fail("meta_node_not_found");
    if (n.owner !== owner) return fail("invalid_owner");
    if (amountWei <= 0n) return fail("invalid_amount");
    if (n.status === "unbonding") return fail("node_unbonding");
    if (this.balance(owner) < amountWei) return fail("insufficient_funds");
    this.debit(owner, amountWei);
    if (n.status === "bonded") this.st.pools.metaBonded += amountWei;
    else this.st.pools.metaNotBonded += amountWei;
    n.tokens += amountWei;
    if (!n.suspended) this.applyIncrease(amountWei);
    return this.done(undefined);
  }

  /**
   * MsgRemoveMetaNode: unbond all tokens. A bonded node must not be suspended and must pass IsUnbondable
   * (L ≥ q(deposit/r)); S/L fall by the deposit and n_meta −= 1; a node whose registration vote has not
   * passed may also leave. The deposit is paid out at completion: the owner's slashing debt goes to the
   * community pool first, the rest back to the owner. Completion (spec §8, `calcUnbondingMatureTime`):
   * explicit block mode — the deposit moves to the not-bonded pool and the node is "unbonding" until the
   * first EndBlocker whose block time reaches max(creation + unbondingThresholdTimeSec, now) +
   * unbondingCompletionTimeSec for a bonded node, creation + unbondingCompletionTimeSec for a node never
   * bonded; implicit mode — at once.
   */
  removeMetaNode(networkAddress: string, owner: string): Outcome<UnbondResult> {
    this.tx();
    const n = this.st.metaNodes.get(networkAddress);
    if (!n) return fail("meta_node_not_found");
    if (n.owner !== owner) return fail("invalid_owner");
    const e = this.metaUnbondError(n);
    if (e) return fail(e);
    return this.done(this.unbondMetaNode(n));
  }

  /**
   * MsgKickMetaNodeVote: at ⌊2n/3⌋+1 approvals of active meta nodes the target is unbonded as in
   * `removeMetaNode`. The pool is dropped once rejections reach ⌊n/3⌋ (for n < 3 after every vote). The
   * first vote opens the pool with expiry = block time + `votingPeriodSec`; a vote on an expired pool is
   * refused ("vote_expired", spec §9), so it can no longer pass; the periodic cleanup in `endBlock`
   * deletes it.
   */
  voteKickMetaNode(a: { target: string; voter: string; voterOwner: string; approve: boolean }): Outcome<{ kicked: boolean }> {
    this.tx();
    const s = this.st;
    if (this.strictKickVoters) {
      const v = s.metaNodes.get(a.voter);
      if (!v || v.owner !== a.voterOwner || v.status !== "bonded" || v.suspended) return fail("no_active_voter_meta_node");
    }
    const target = s.metaNodes.get(a.target);
    if (target?.status !== "bonded" || target.suspended) return fail("no_active_target_meta_node");
    const existing = s.kickVotes.get(a.target);
    if (existing && existing.expireTimeSec < s.timeSec) return fail("vote_expired");
    if (existing && (existing.approvals.includes(a.voter) || existing.rejections.includes(a.voter))) return fail("duplicate_vote");
    const approvals = (existing?.approvals.length ?? 0) + (a.approve ? 1 : 0);
    const rejections = (existing?.rejections.length ?? 0) + (a.approve ? 0 : 1);
    const active = this.activeMetaCount();
    const passes = !existing?.passed && approvals >= voteThreshold(active);
    if (passes) {
      // The unbonding runs inside the vote tx: if it fails, the vote is rolled back too.
      const e = this.metaUnbondError(target);
      if (e) return fail(e);
    }
    const pool = existing ?? this.newVotePool();
    (a.approve ? pool.approvals : pool.rejections).push(a.voter);
    s.kickVotes.set(a.target, pool);
    if (passes) {
      pool.passed = true;
      this.unbondMetaNode(target);
    } else if (!pool.passed && rejections >= Math.floor(active / 3)) {
      s.kickVotes.delete(a.target);
    }
    return this.done({ kicked: passes });
  }

  /** Sets the beneficiary of a meta or resource node (empty: rewards go to the owner). */
  updateBeneficiary(kind: "meta" | "resource", networkAddress: string, owner: string, beneficiary: string): Outcome {
    this.tx();
    const n = kind === "meta" ? this.st.metaNodes.get(networkAddress) : this.st.resourceNodes.get(networkAddress);
    if (!n) return fail(`${kind}_node_not_found`);
    if (n.owner !== owner) return fail("invalid_owner");
    n.beneficiary = beneficiary;
    if (kind === "meta") this.bondedMetaMemo = undefined;
    return this.done(undefined);
  }

  // ───────────────────────────── resource nodes ─────────────────────────────

  /** MsgCreateResourceNode: bonds ≥ min deposit; the node starts suspended with effective deposit 0 (no S/L effect). */
  createResourceNode(a: NodeArgs): Outcome {
    this.tx();
    if (!this.st.params.resourceNodeRegEnabled) return fail("resource_node_registration_disabled");
    const e = this.checkNewNode(a.networkAddress, a.owner, a.depositWei);
    if (e) return fail(e);
    if (a.depositWei < this.st.params.resourceNodeMinDepositWei) return fail("insufficient_deposit");
    this.debit(a.owner, a.depositWei);
    this.st.pools.resourceBonded += a.depositWei;
    this.st.resourceNodes.set(a.networkAddress, {
      networkAddress: a.networkAddress,
      owner: a.owner,
      beneficiary: a.beneficiary ?? "",
      tokens: a.depositWei,
      effectiveTokens: 0n,
      status: "bonded",
      suspended: true,
      createdAtSec: this.st.timeSec,
    });
    return this.done(undefined);
  }

  /** MsgUpdateResourceNodeDeposit: more tokens bonded, effective deposit (and S/L) unchanged. */
  addResourceNodeDeposit(networkAddress: string, owner: string, amountWei: bigint): Outcome {
    this.tx();
    const n = this.st.resourceNodes.get(networkAddress);
    if (!n) return fail("resource_node_not_found");
    if (n.owner !== owner) return fail("invalid_owner");
    if (amountWei <= 0n) return fail("invalid_amount");
    if (n.status === "unbonding") return fail("node_unbonding");
    if (this.balance(owner) < amountWei) return fail("insufficient_funds");
    this.debit(owner, amountWei);
    this.st.pools.resourceBonded += amountWei;
    n.tokens += amountWei;
    return this.done(undefined);
  }

  /**
   * MsgUpdateEffectiveDeposit (sent by meta nodes; the chain checks reporters but enforces no minimum):
   * sets 0 < effective ≤ tokens and un-suspends. An increase raises S/L; a decrease lowers them only if
   * IsUnbondable, otherwise only the node record changes (so S can drift from Σ effective, as on chain).
   */
  updateEffectiveDeposit(
    r: ReporterArgs,
    networkAddress: string,
    effectiveTokensWei: bigint,
  ): Outcome<{ change: bigint; ozoneLimitChange: bigint; unsuspended: boolean }> {
    this.tx();
    if (r.reporters.length === 0 || r.reporters.length !== r.reporterOwners.length) return fail("invalid_reporters");
    if (effectiveTokensWei <= 0n) return fail("invalid_effective_deposit");
    const n = this.st.resourceNodes.get(networkAddress);
    if (!n) return fail("resource_node_not_found");
    if (n.status !== "bonded" || n.tokens < effectiveTokensWei) return fail("insufficient_balance");
    const unsuspended = n.suspended && n.effectiveTokens === 0n;
    const change = effectiveTokensWei - n.effectiveTokens;
    n.effectiveTokens = effectiveTokensWei;
    n.suspended = false;
    let ozoneLimitChange = 0n;
    if (change < 0n && isUnbondable(this.st.L, -change, this.st.params.depositNozRateRaw)) {
      ozoneLimitChange = -this.applyDecrease(-change);
    } else if (change > 0n) {
      ozoneLimitChange = this.applyIncrease(change);
    }
    return this.done({ change, ozoneLimitChange, unsuspended });
  }

  /**
   * MsgRemoveResourceNode: unbond all tokens. No S/L effect (as in the code; meta nodes are expected to
   * suspend the node). At completion the owner's debt is deducted to the community pool first, the rest
   * paid to the owner. Explicit block mode: the tokens move to the not-bonded pool, the node is
   * "unbonding", and the EndBlocker completes it once the block time reaches max(creation +
   * unbondingThresholdTimeSec, now) + unbondingCompletionTimeSec; implicit mode: at once.
   */
  removeResourceNode(networkAddress: string, owner: string): Outcome<UnbondResult> {
    this.tx();
    const s = this.st;
    const n = s.resourceNodes.get(networkAddress);
    if (!n) return fail("resource_node_not_found");
    if (n.owner !== owner) return fail("invalid_owner");
    if (n.status !== "bonded") return fail("invalid_node_status");
    s.pools.resourceBonded -= n.tokens;
    if (!s.explicitBlocks) {
      const res = this.payOutDeposit(owner, n.tokens);
      s.resourceNodes.delete(networkAddress);
      return this.done(res);
    }
    s.pools.resourceNotBonded += n.tokens;
    n.status = "unbonding";
    return this.done(this.enqueueUnbonding("resource", n, this.bondedCompletionTime(n.createdAtSec)));
  }

  /**
   * MsgSlashingResourceNode (spec §8): every reporter must be a meta node owned by its listed owner (no quorum).
   * debt(wallet) += ⌊R(Y = slashing noz)⌋ at the pre-suspension state; suspend=true on an active node sets its
   * effective deposit to 0 and lowers S/L (no IsUnbondable check); suspend=false un-suspends (ozone unchanged).
   */
  slashResourceNode(
    r: ReporterArgs,
    networkAddress: string,
    walletAddress: string,
    slashingNoz: bigint,
    suspend: boolean,
  ): Outcome<SlashResult> {
    this.tx();
    if (r.reporters.length === 0 || r.reporters.length !== r.reporterOwners.length) return fail("invalid_reporters");
    for (let i = 0; i < r.reporters.length; i++) {
      const m = this.st.metaNodes.get(r.reporters[i]!);
      if (!m || m.owner !== r.reporterOwners[i]) return fail("reporter_not_meta_node_owner");
    }
    if (!walletAddress) return fail("invalid_wallet_address");
    if (slashingNoz < 0n) return fail("invalid_slashing_amount");
    const n = this.st.resourceNodes.get(networkAddress);
    if (!n) return fail("resource_node_not_found");
    const s = this.st;
    if (s.L + slashingNoz === 0n) return fail("division_by_zero");
    const before = this.market();
    const rewardRaw = trafficRewardRaw(s.S, s.pools.prepay, s.L, slashingNoz);
    const slashedWei = truncRaw(rewardRaw);
    const toBeSuspended = !n.suspended && suspend;
    n.suspended = suspend;
    let removed = 0n;
    let limitDeltaRaw = 0n;
    if (toBeSuspended) {
      removed = n.effectiveTokens;
      n.effectiveTokens = 0n;
      limitDeltaRaw = this.applyDecreaseRaw(removed);
    }
    const h = this.book.find(walletAddress);
    let debtWei = h < 0 ? 0n : (s.debts.get(h) ?? 0n);
    if (slashedWei > 0n) {
      debtWei += slashedWei;
      s.debts.set(this.book.intern(walletAddress), debtWei);
    }
    const after = this.market();
    return this.done({
      slashedWei,
      trafficRewardRaw: rewardRaw,
      debtWei,
      suspended: toBeSuspended,
      effectiveDepositRemovedWei: removed,
      ozoneLimitDeltaRaw: limitDeltaRaw,
      ozoneLimitChangeNoz: before.remainingOzoneLimitNoz - after.remainingOzoneLimitNoz,
      before,
      after,
    });
  }

  // ───────────────────────────── rewards ─────────────────────────────

  /**
   * MsgVolumeReport (spec §3.4, §4): all acceptance checks, then the distribution steps A–G. Maturity
   * (§7): in implicit block mode every key ≤ E_last matures at the end of the report, all wallets at once;
   * in explicit mode the block's `endBlock` matures them, throttled. A refused report returns the reason
   * and changes nothing.
   *
   * Out of issuance (M ≥ the last valve's end): mining stops (nothing leaves the foundation, M stays) and
   * traffic rewards continue with the last stage's percentages. (The chain's behaviour there is uncertain.)
   */
  volumeReport(input: VolumeReportInput | PreparedReport): Outcome<ReportSummary> {
    this.tx();
    const r = input instanceof PreparedReport ? input : prepareReport(input, this.shared);
    const s = this.st;
    const params = s.params;
    if (r.error) return fail(r.error);
    const reporter = s.metaNodes.get(r.reporter);
    if (!reporter || reporter.owner !== r.reporterOwner) return fail("reporter_not_meta_node_owner");
    if (r.epoch <= s.lastEpoch) return fail("epoch_not_increasing");
    const sigErr = r.signatureError();
    if (sigErr) return fail(sigErr);
    if (this.signerCount(r.signers) < reportQuorum(s.bondedMetaCount)) return fail("bls_quorum_not_reached");

    const Y = r.totalVolume;
    if (Y + s.L > nozSupply(s.S, params.depositNozRateRaw)) return fail("noz_supply_exceeded");
    if (Y === 0n) return fail("zero_total_volume");
    if (s.L + Y === 0n) return fail("division_by_zero");

    // A–D: R, stage on M before this report, traffic and mining splits.
    const stage = lookupStage(params.miningRewardParams, s.M);
    const tau = params.communityTaxRaw;
    const nMeta = s.bondedMetaCount;
    const memo = this.shared.reports;
    const dist = memo.distribution(r, s.S, s.pools.prepay, s.L, stage, nMeta, tau);
    const { R, t, m, mr } = dist;
    // E: resource nodes (memoised per op and pool amounts).
    const plan = r.plan(m.resource, t.resource, tau);
    // F: bonded meta nodes, equal split over the bonded count.
    const metas = this.bondedMeta();
    const metaMining = mr ? mr.mining : 0n;
    const metaPaid = mr ? mr.paid : 0n;
    const { taxRaw, taxWei, toRewardFromFoundation, toRewardFromPrepay, minedIncrement, trafficTotal, byClass } = memo.totals(dist, plan, metas.length);
    if (s.pools.foundation < minedIncrement) return fail("insufficient_foundation_balance");
    if (s.pools.prepay < trafficTotal) return fail("insufficient_unissued_prepay");

    // G: bookkeeping and transfers (nothing below can fail).
    const before = { P: s.pools.prepay, F: s.pools.foundation, L: s.L, M: s.M };
    const key = r.epoch + params.matureEpoch;
    const metaWallets = metas.map(metaWallet);
    const block = this.creditBlock(r, plan, metaWallets, metaMining, metaPaid, key);
    s.pools.foundation -= minedIncrement;
    s.pools.feeCollector += m.validators + t.validators;
    s.pools.rewardPool += toRewardFromFoundation + toRewardFromPrepay;
    s.pools.prepay -= trafficTotal;
    s.pools.communityPool += taxWei;
    s.immatureTotal += block.total;
    s.M += minedIncrement;
    s.lastEpoch = r.epoch;
    s.L += Y;
    s.rewardEpochs.push(r.epoch);
    s.rewardMining.push(minedIncrement);
    s.rewardTraffic.push(trafficTotal);
    s.historyHash = memo.historyStep(s.historyHash, r.epoch, minedIncrement, trafficTotal);
    this.checkReportIdentities(r.epoch, before, Y, R, minedIncrement, trafficTotal, m, t, r.wallets.length);
    const maturedBlocks = s.explicitBlocks ? 0 : matureDue(s, this.book, this.shared.maturity);

    const summary: ReportSummary = {
      epoch: r.epoch,
      totalVolume: Y,
      trafficRewardRaw: R,
      stage: stage.stage,
      outOfIssuance: stage.outOfIssuance,
      minedIncrement,
      trafficTotal,
      matureKey: key,
      maturedBlocks,
      byClass,
    };
    // Everything the breakdown reads is immutable (meta wallets were resolved by creditBlock).
    this.last = undefined;
    this.lastThunk = () => ({
      epoch: summary.epoch,
      totalVolume: Y,
      trafficRewardRaw: R,
      stage: summary.stage,
      outOfIssuance: summary.outOfIssuance,
      minedIncrement,
      trafficTotal,
      matureKey: key,
      maturedBlocks,
      byClass,
      reporter: r.reporter,
      trafficSplit: t,
      miningSplit: m,
      miningRewardWei: stage.param.rewardWei,
      // Per-entry values are recomputed on first access (and memoised with the report), not kept per report.
      get resource() {
        return { wallets: r.wallets, volumes: r.volumes, ...r.details(m.resource, t.resource, tau) };
      },
      meta: {
        networkAddresses: metas.map((n) => n.networkAddress),
        wallets: metaWallets,
        miningQuotientRaw: mr?.miningQuotientRaw ?? 0n,
        mining: metaMining,
        beforeRaw: mr?.beforeRaw ?? 0n,
        taxRaw: mr?.taxRaw ?? 0n,
        paid: metaPaid,
      },
      communityTaxRaw: taxRaw,
      communityTaxWei: taxWei,
      foundationToFeeCollector: m.validators,
      prepayToFeeCollector: t.validators,
      foundationToRewardPool: toRewardFromFoundation,
      prepayToRewardPool: toRewardFromPrepay,
    });
    return this.done(summary);
  }

  /** MsgWithdraw: pays up to the matured total from total_reward_pool to `target` (default: the wallet). */
  withdraw(wallet: string, amountWei: bigint, target?: string): Outcome {
    this.tx();
    if (amountWei <= 0n) return fail("invalid_amount");
    const h = this.book.find(wallet);
    const have = h < 0 ? 0n : this.st.mature.get(h);
    if (have < amountWei) return fail("insufficient_matured_reward");
    this.st.mature.set(h, have - amountWei);
    this.st.matureTotal -= amountWei;
    this.st.pools.rewardPool -= amountWei;
    this.credit(target || wallet, amountWei);
    return this.done(undefined);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private done<T>(value: T): Outcome<T> {
    this.st.version++;
    return ok(value);
  }

  private credit(addr: string, amt: bigint): void {
    const h = this.book.intern(addr);
    this.st.balances[h] = (this.st.balances[h] ?? 0n) + amt;
    this.st.balanceTotal += amt;
  }

  private debit(addr: string, amt: bigint): void {
    this.credit(addr, -amt);
  }

  private checkNewNode(networkAddress: string, owner: string, deposit: bigint): string | undefined {
    if (!networkAddress) return "invalid_network_address";
    if (!owner) return "invalid_owner_address";
    if (this.st.metaNodes.has(networkAddress)) return "meta_node_exists";
    if (this.st.resourceNodes.has(networkAddress)) return "resource_node_exists";
    if (deposit <= 0n) return "invalid_deposit";
    if (this.balance(owner) < deposit) return "insufficient_funds";
    return undefined;
  }

  private applyIncrease(z: bigint): bigint {
    const c = increaseOzoneLimit(this.st.S, this.st.L, z, this.st.params.depositNozRateRaw);
    this.st.S = c.S;
    this.st.L = c.L;
    return c.reportedChange;
  }

  private applyDecrease(z: bigint): bigint {
    const c = decreaseOzoneLimit(this.st.S, this.st.L, z, this.st.params.depositNozRateRaw);
    this.st.S = c.S;
    this.st.L = c.L;
    return c.reportedChange;
  }

  /** applyDecrease returning q(Z/r) before truncation (0 when S was 0 before: the limit then does not move). */
  private applyDecreaseRaw(z: bigint): bigint {
    const wasZero = this.st.S === 0n;
    const c = decreaseOzoneLimit(this.st.S, this.st.L, z, this.st.params.depositNozRateRaw);
    this.st.S = c.S;
    this.st.L = c.L;
    return wasZero ? 0n : c.limitDeltaRaw;
  }

  private market(): OzoneMarket {
    const s = this.st;
    return { effectiveDepositWei: s.S, unissuedPrepayWei: s.pools.prepay, remainingOzoneLimitNoz: s.L };
  }

  private bondMetaNode(n: MetaNode): void {
    n.status = "bonded";
    n.suspended = false;
    this.st.pools.metaNotBonded -= n.tokens;
    this.st.pools.metaBonded += n.tokens;
    this.st.bondedMetaCount++;
    this.applyIncrease(n.tokens);
    this.bondedMetaMemo = undefined;
  }

  private metaUnbondError(n: MetaNode): string | undefined {
    if (n.status === "unbonding") return "node_unbonding";
    if (n.status === "bonded") {
      if (n.suspended) return "suspended_node_cannot_unbond";
      if (!isUnbondable(this.st.L, n.tokens, this.st.params.depositNozRateRaw)) return "not_unbondable";
    } else if (this.st.regVotes.get(n.networkAddress)?.passed) return "invalid_node_status";
    return undefined;
  }

  private unbondMetaNode(n: MetaNode): UnbondResult {
    const s = this.st;
    const wasBonded = n.status === "bonded";
    if (wasBonded) {
      this.applyDecrease(n.tokens);
      s.bondedMetaCount--;
      s.pools.metaBonded -= n.tokens;
      s.pools.metaNotBonded += n.tokens;
    }
    s.regVotes.delete(n.networkAddress);
    // An unbonding node's kick pool is dropped at once (the chain cleans stale pools up periodically).
    s.kickVotes.delete(n.networkAddress);
    this.bondedMetaMemo = undefined;
    if (!s.explicitBlocks) {
      s.pools.metaNotBonded -= n.tokens;
      s.metaNodes.delete(n.networkAddress);
      return this.payOutDeposit(n.owner, n.tokens);
    }
    n.status = "unbonding";
    const completion = wasBonded ? this.bondedCompletionTime(n.createdAtSec) : n.createdAtSec + s.params.unbondingCompletionTimeSec;
    return this.enqueueUnbonding("meta", n, completion);
  }

  /** `calcUnbondingMatureTime` for a bonded node: max(creation + threshold, now) + completion time. */
  private bondedCompletionTime(createdAtSec: number): number {
    const p = this.st.params;
    return Math.max(createdAtSec + p.unbondingThresholdTimeSec, this.st.timeSec) + p.unbondingCompletionTimeSec;
  }

  /** Queues a node's whole deposit (already in its not-bonded pool), after entries completing no later. */
  private enqueueUnbonding(kind: "meta" | "resource", n: MetaNode | ResourceNode, completionTimeSec: number): UnbondResult {
    const q = this.st.unbonding;
    const e: UnbondingEntry = { kind, networkAddress: n.networkAddress, owner: n.owner, amountWei: n.tokens, completionTimeSec, startHeight: this.st.height };
    let i = q.length;
    while (i > 0 && q[i - 1]!.completionTimeSec > completionTimeSec) i--;
    q.splice(i, 0, e);
    return { unbondingWei: n.tokens, completionTimeSec };
  }

  private newVotePool(): VotePool {
    return { approvals: [], rejections: [], passed: false, expireTimeSec: this.st.timeSec + this.st.params.votingPeriodSec };
  }

  /** Unbonding completion: the owner's debt goes to the community pool first (`DeductSlashing`), the rest to the owner. */
  private payOutDeposit(owner: string, tokens: bigint): { returnedWei: bigint; slashedWei: bigint } {
    const s = this.st;
    const h = this.book.intern(owner);
    const debt = s.debts.get(h) ?? 0n;
    const slashedWei = min(debt, tokens);
    if (slashedWei > 0n) {
      if (debt === slashedWei) s.debts.delete(h);
      else s.debts.set(h, debt - slashedWei);
      s.pools.communityPool += slashedWei;
    }
    if (tokens > slashedWei) this.credit(owner, tokens - slashedWei);
    return { returnedWei: tokens - slashedWei, slashedWei };
  }

  private activeMetaCount(): number {
    let n = 0;
    for (const m of this.st.metaNodes.values()) if (m.status === "bonded" && !m.suspended) n++;
    return n;
  }

  /** Bonded meta nodes in store order (the KV store iterates by network address). */
  private bondedMeta(): MetaNode[] {
    if (!this.bondedMetaMemo) {
      this.bondedMetaMemo = [...this.st.metaNodes.values()]
        .filter((n) => n.status === "bonded")
        .sort((a, b) => (a.networkAddress < b.networkAddress ? -1 : a.networkAddress > b.networkAddress ? 1 : 0));
    }
    return this.bondedMetaMemo;
  }

  private signerCount(signers: readonly string[]): number {
    if (!this.strictSigners) return signers.length;
    const seen = new Set<string>();
    for (const k of signers) if (this.st.metaNodes.get(k)?.status === "bonded") seen.add(k);
    return seen.size;
  }

  /** Records the report's rewards as an immature block and adds them to immature(w). */
  private creditBlock(
    r: PreparedReport,
    plan: ResourcePlan,
    metaWallets: readonly string[],
    metaMining: bigint,
    metaPaid: bigint,
    key: number,
  ): RewardBlock {
    const s = this.st;
    // Replicas that share a cache and book build identical blocks: reuse the first one (blocks are immutable).
    const metaKey = metaWallets.join(",");
    const sig = `${key}|${metaKey}|${metaMining}|${metaPaid}`;
    let block = r.cachedBlock(this.book, plan, sig);
    if (!block) {
      const idx = r.handles(this.book);
      // The paid meta wallets rarely change: reuse their handles (blocks share them; they are immutable).
      if (this.metaIdxMemo?.key !== metaKey) {
        this.metaIdxMemo = { key: metaKey, idx: Int32Array.from(metaWallets, (w) => this.book.intern(w)) };
      }
      const metaIdx = this.metaIdxMemo.idx;
      const total = plan.miningSum + plan.paidSum + (metaMining + metaPaid) * BigInt(metaIdx.length);
      const hash = sha256Hex(`${r.epoch}|${r.txData}|${plan.miningToResource}|${plan.trafficToResource}|${plan.tauRaw}|${sig}`);
      block = { key, epoch: r.epoch, idx, limbs: plan.limbs, metaIdx, metaMining, metaPaid, total, hash };
      r.cacheBlock(this.book, plan, sig, block);
    }
    s.immature.ensure(this.book.size);
    s.mature.ensure(this.book.size);
    const { idx, metaIdx } = block;
    s.immature.addAll(idx, block.limbs.totHi, block.limbs.totLo);
    const metaAmount = metaMining + metaPaid;
    if (metaAmount > 0n) {
      const [mh, ml] = toLimbs(metaAmount);
      for (const h of metaIdx) s.immature.add(h, mh, ml);
    }
    s.pending.push(block);
    return block;
  }

  /**
   * The identities of spec §4, asserted after every accepted report. Rounded shares (18 decimals) can sum
   * to more than 1, so nodes may receive up to pool·n/(2·10^18) wei more than their pool (spec's
   * "share-rounding overshoot"); the "≤ ⌊R⌋" and "ΔM ≤ m" bounds allow exactly that much.
   */
  private checkReportIdentities(
    epoch: number,
    before: { P: bigint; F: bigint; L: bigint; M: bigint },
    Y: bigint,
    R: bigint,
    dM: bigint,
    traffic: bigint,
    mining: Split,
    trafficSplit: Split,
    entries: number,
  ): void {
    const s = this.st;
    const v = this.violations;
    const n = BigInt(entries);
    const overshoot = (pool: bigint) => (pool * n) / (2n * ONE) + n + BigInt(s.bondedMetaCount);
    if (s.pools.prepay - before.P !== -traffic) v.push(`epoch ${epoch}: ΔP ≠ −TotalReward.traffic`);
    if (s.pools.foundation - before.F !== -(s.M - before.M)) v.push(`epoch ${epoch}: Δfoundation ≠ −ΔM`);
    if (s.L - before.L !== Y) v.push(`epoch ${epoch}: ΔL ≠ Y`);
    if (traffic > truncRaw(R) + overshoot(trafficSplit.resource)) {
      v.push(`epoch ${epoch}: TotalReward.traffic ${traffic} > ⌊R⌋ ${truncRaw(R)} beyond share-rounding overshoot`);
    }
    const m = mining.validators + mining.resource + mining.meta;
    if (dM !== s.M - before.M || dM > m + overshoot(mining.resource)) v.push(`epoch ${epoch}: ΔM ${dM} exceeds the stage reward ${m}`);
  }
}

const NO_RESTORE = Object.freeze({ mintedWei: 0n, burnedWei: 0n });

const metaWallet = (n: MetaNode): string => (n.beneficiary.trim() === "" ? n.owner : n.beneficiary);

/** Opaque, immutable ledger snapshot (see PotLedger.snapshot). */
export interface LedgerSnapshot {
  readonly kind: "potsim/pot-ledger";
  readonly book: WalletBook;
  readonly addresses: readonly string[];
  readonly state: LedgerState;
}
