// Canonical state digest (sha256 hex) of a ledger state. Addresses, never wallet handles, so two ledgers
// with different WalletBooks but equal states agree. Covers the block header (mode, height, time, open),
// the partly matured head block, the unbonding queue and RestoreTotalSupply's totals. Cost is
// O(wallets + nodes + pending blocks + unbondings), with each immature block contributing only its
// precomputed hash.

import type { WalletBook } from "./book.js";
import { fromLimbs } from "./fast/limbs.js";
import type { PotParams } from "./params.js";
import { sha256Hex } from "./sha256.js";
import type { LedgerState, MetaNode, ResourceNode, RewardBlock, UnbondingEntry, VotePool } from "./state.js";

/** Canonical text of the parameters (memoised per params object in `memo`, when given). */
export function paramsFingerprint(p: PotParams, memo?: StateDigestMemo): string {
  let s = memo?.paramsPrints.get(p);
  if (s === undefined) {
    const stages = p.miningRewardParams
      .map((m) => `${m.startWei}-${m.endWei}:${m.rewardWei}:${m.resourceBp}/${m.metaBp}/${m.chainBp}`)
      .join(",");
    s =
      `params|${p.matureEpoch}|${p.communityTaxRaw}|${stages}|${p.initialTotalSupplyWei}|${p.depositNozRateRaw}|${p.resourceNodeMinDepositWei}|${p.resourceNodeRegEnabled}` +
      `|${p.unbondingThresholdTimeSec}|${p.unbondingCompletionTimeSec}|${p.votingPeriodSec}|${p.matureCountPerBlock}|${p.supplyRestoreIntervalBlocks}|${p.kickPoolCleanupIntervalBlocks}`;
    memo?.paramsPrints.set(p, s);
  }
  return s;
}

const metaLine = (n: MetaNode) => `meta|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.status}|${n.suspended}|${n.createdAtSec}`;
const resLine = (n: ResourceNode) =>
  `res|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.effectiveTokens}|${n.status}|${n.suspended}|${n.createdAtSec}`;
const voteLine = (kind: string, k: string, v: VotePool) =>
  `${kind}|${k}|${v.approvals.join(",")}|${v.rejections.join(",")}|${v.passed}|${v.expireTimeSec}`;

/**
 * One line of the digest text and the values it was built from: `see` each value in a fixed order,
 * then `stale()` says whether any differed from the last build (the caller then rebuilds `line`).
 * Values compare with `!==` (bigints by value), so an unchanged line costs no allocation.
 */
class LineMemo {
  line = "";
  private readonly values: unknown[];
  private changed = true;

  constructor(size: number) {
    this.values = new Array(size).fill(undefined);
  }

  see(i: number, v: unknown): void {
    if (this.values[i] !== v) {
      this.values[i] = v;
      this.changed = true;
    }
  }

  stale(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }
}

/** A node's line, memoised by network address (meta and resource nodes apart). */
function nodeLine(memo: Map<string, LineMemo>, kind: "meta" | "res", n: MetaNode | ResourceNode): string {
  let l = memo.get(n.networkAddress);
  if (l === undefined) {
    l = new LineMemo(7);
    memo.set(n.networkAddress, l);
  }
  l.see(0, n.owner);
  l.see(1, n.beneficiary);
  l.see(2, n.tokens);
  l.see(3, kind === "res" ? (n as ResourceNode).effectiveTokens : undefined);
  l.see(4, n.status);
  l.see(5, n.suspended);
  l.see(6, n.createdAtSec);
  if (l.stale()) l.line = kind === "res" ? resLine(n as ResourceNode) : metaLine(n);
  return l.line;
}

/** A map's keys in sorted order, re-sorted only when the key set changed (same size, every key present: same set). */
class SortedKeys {
  private keys: string[] = [];

  of(m: ReadonlyMap<string, unknown>): readonly string[] {
    let same = this.keys.length === m.size;
    for (let i = 0; same && i < this.keys.length; i++) same = m.has(this.keys[i]!);
    if (!same) this.keys = [...m.keys()].sort();
    return this.keys;
  }
}

/**
 * The state digest's memo for one wallet book (the replicas of a world share the book and this memo, in
 * their PotSharedCache; the book itself keeps the address order): every line of the digest text with the
 * values it was built from (per wallet, per node, per immutable reward block and unbonding entry, and the
 * header lines), the last digest with its lines, and the parameters' canonical text. Lines and digests
 * are pure functions of those values, so reuse never changes a digest (test/protocols/pot/
 * digest-memo.equiv.test.ts compares with ledgers that share nothing); it saves rebuilding the text for
 * every replica at every checkpoint: when every line is reused and in the same order as the last
 * digest's, the text is the same and so is the digest, and nothing is allocated.
 */
export class StateDigestMemo {
  readonly paramsPrints = new WeakMap<PotParams, string>();
  /** Wallets (book size) the per-wallet arrays cover. */
  bookSize = 0;
  readonly lineOf: (string | undefined)[] = [];
  readonly balOf: (bigint | undefined)[] = [];
  readonly debtOf: (bigint | undefined)[] = [];
  imHi = new Float64Array(0);
  imLo = new Float64Array(0);
  maHi = new Float64Array(0);
  maLo = new Float64Array(0);
  readonly block = new LineMemo(4);
  readonly scalars = new LineMemo(6);
  readonly supply = new LineMemo(3);
  readonly pools = new LineMemo(9);
  readonly head = new LineMemo(2);
  readonly history = new LineMemo(2);
  readonly metaLines = new Map<string, LineMemo>();
  readonly resLines = new Map<string, LineMemo>();
  readonly metaKeys = new SortedKeys();
  readonly resKeys = new SortedKeys();
  readonly blockLines = new WeakMap<RewardBlock, string>();
  readonly unbondingLines = new WeakMap<UnbondingEntry, string>();
  /** The last digest's lines (the first lastCount entries) and digest; the next text is built in `parts`. */
  lastParts: string[] = [];
  lastCount = -1;
  lastDigest = "";
  parts: string[] = [];

  /** Sizes the per-wallet arrays to a book of n wallets (values kept). */
  fit(n: number): void {
    if (this.bookSize === n) return;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a.subarray(0, Math.min(a.length, n)));
      return b;
    };
    this.imHi = grow(this.imHi);
    this.imLo = grow(this.imLo);
    this.maHi = grow(this.maHi);
    this.maLo = grow(this.maLo);
    this.bookSize = n;
  }
}

/**
 * Deterministic digest of the whole state. `memo` must only ever see states of ledgers on `book` (a
 * fresh memo by default: then nothing is reused).
 */
export function computeStateDigest(s: LedgerState, book: WalletBook, memo: StateDigestMemo = new StateDigestMemo()): string {
  const m = memo;
  const out = m.parts;
  let k = 0;
  out[k++] = "potsim/pot-state/v2";
  out[k++] = paramsFingerprint(s.params, m);
  const bl = m.block;
  bl.see(0, s.explicitBlocks);
  bl.see(1, s.height);
  bl.see(2, s.timeSec);
  bl.see(3, s.blockOpen);
  if (bl.stale()) bl.line = `block|${s.explicitBlocks ? "explicit" : "implicit"}|${s.height}|${s.timeSec}|${s.blockOpen}`;
  out[k++] = bl.line;
  const sc = m.scalars;
  sc.see(0, s.S);
  sc.see(1, s.L);
  sc.see(2, s.M);
  sc.see(3, s.lastEpoch);
  sc.see(4, s.maturedEpoch);
  sc.see(5, s.bondedMetaCount);
  if (sc.stale()) sc.line = `scalars|${s.S}|${s.L}|${s.M}|${s.lastEpoch}|${s.maturedEpoch}|${s.bondedMetaCount}`;
  out[k++] = sc.line;
  const su = m.supply;
  su.see(0, s.genesisSupply);
  su.see(1, s.mintedWei);
  su.see(2, s.burnedWei);
  if (su.stale()) su.line = `supply|${s.genesisSupply}|${s.mintedWei}|${s.burnedWei}`;
  out[k++] = su.line;
  const p = s.pools;
  const po = m.pools;
  po.see(0, p.foundation);
  po.see(1, p.prepay);
  po.see(2, p.rewardPool);
  po.see(3, p.feeCollector);
  po.see(4, p.communityPool);
  po.see(5, p.metaBonded);
  po.see(6, p.metaNotBonded);
  po.see(7, p.resourceBonded);
  po.see(8, p.resourceNotBonded);
  if (po.stale()) {
    po.line = `pools|${p.foundation}|${p.prepay}|${p.rewardPool}|${p.feeCollector}|${p.communityPool}|${p.metaBonded}|${p.metaNotBonded}|${p.resourceBonded}|${p.resourceNotBonded}`;
  }
  out[k++] = po.line;

  // Live wallets in address order; a wallet's line is rebuilt only when one of its values changed.
  m.fit(book.size);
  const { sorted } = book.addressOrder();
  const { immature: im, mature: ma } = s;
  const n = book.size;
  for (let i = 0; i < n; i++) {
    const h = sorted[i]!;
    const b = s.balances[h];
    const debt = s.debts.get(h);
    const imH = h < im.hi.length ? im.hi[h]! : 0;
    const imL = h < im.lo.length ? im.lo[h]! : 0;
    const maH = h < ma.hi.length ? ma.hi[h]! : 0;
    const maL = h < ma.lo.length ? ma.lo[h]! : 0;
    if ((b === undefined || b === 0n) && imH === 0 && imL === 0 && maH === 0 && maL === 0 && debt === undefined) continue;
    let line = m.lineOf[h];
    if (
      line === undefined ||
      m.balOf[h] !== b ||
      m.debtOf[h] !== debt ||
      m.imHi[h] !== imH ||
      m.imLo[h] !== imL ||
      m.maHi[h] !== maH ||
      m.maLo[h] !== maL
    ) {
      line = `w|${book.address(h)}|${b ?? 0n}|${fromLimbs(imH, imL)}|${fromLimbs(maH, maL)}|${debt ?? 0n}`;
      m.lineOf[h] = line;
      m.balOf[h] = b;
      m.debtOf[h] = debt;
      m.imHi[h] = imH;
      m.imLo[h] = imL;
      m.maHi[h] = maH;
      m.maLo[h] = maL;
    }
    out[k++] = line;
  }

  for (const key of m.metaKeys.of(s.metaNodes)) out[k++] = nodeLine(m.metaLines, "meta", s.metaNodes.get(key)!);
  for (const key of m.resKeys.of(s.resourceNodes)) out[k++] = nodeLine(m.resLines, "res", s.resourceNodes.get(key)!);
  // Vote pools are rare and mutable (their lists grow): built each time.
  if (s.regVotes.size > 0) for (const key of [...s.regVotes.keys()].sort()) out[k++] = voteLine("reg", key, s.regVotes.get(key)!);
  if (s.kickVotes.size > 0) for (const key of [...s.kickVotes.keys()].sort()) out[k++] = voteLine("kick", key, s.kickVotes.get(key)!);
  for (let i = s.pendingHead; i < s.pending.length; i++) {
    const b = s.pending[i]!;
    let line = m.blockLines.get(b);
    if (line === undefined) {
      line = `blk|${b.key}|${b.hash}`;
      m.blockLines.set(b, line);
    }
    out[k++] = line;
  }
  const hd = m.head;
  hd.see(0, s.headCursor);
  hd.see(1, s.headMatured);
  if (hd.stale()) hd.line = `head|${s.headCursor}|${s.headMatured}`;
  out[k++] = hd.line;
  for (const u of s.unbonding) {
    let line = m.unbondingLines.get(u);
    if (line === undefined) {
      line = `ubd|${u.kind}|${u.networkAddress}|${u.owner}|${u.amountWei}|${u.completionTimeSec}|${u.startHeight}`;
      m.unbondingLines.set(u, line);
    }
    out[k++] = line;
  }
  const hi = m.history;
  hi.see(0, s.rewardEpochs.length);
  hi.see(1, s.historyHash);
  if (hi.stale()) hi.line = `history|${s.rewardEpochs.length}|${s.historyHash}`;
  out[k++] = hi.line;

  // The same lines as the last digest's (typically another replica at the same checkpoint): same text,
  // same digest. Reused lines are the same string objects, so this is a pointer comparison per line.
  const last = m.lastParts;
  if (k === m.lastCount) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = out[i] === last[i];
    if (same) return m.lastDigest;
  }
  out.length = k;
  m.lastDigest = sha256Hex(out.join("\n"));
  m.lastParts = out;
  m.lastCount = k;
  m.parts = last;
  return m.lastDigest;
}
