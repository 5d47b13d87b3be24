// Canonical state digest (sha256 hex) of a ledger state. Addresses, never wallet handles, so two ledgers
// with different WalletBooks but equal states agree. Covers the block header (mode, height, time, open),
// the partly matured head block, the unbonding queue and RestoreTotalSupply's totals. Cost is
// O(wallets + nodes + pending blocks + unbondings), with each immature block contributing only its
// precomputed hash.

import type { WalletBook } from "./book.js";
import { fromLimbs } from "./fast/limbs.js";
import type { PotParams } from "./params.js";
import { sha256Hex } from "./sha256.js";
import type { LedgerState, MetaNode, ResourceNode, VotePool } from "./state.js";

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

const sortedKeys = <V>(m: Map<string, V>): string[] => [...m.keys()].sort();
const metaLine = (n: MetaNode) => `meta|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.status}|${n.suspended}|${n.createdAtSec}`;
const resLine = (n: ResourceNode) =>
  `res|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.effectiveTokens}|${n.status}|${n.suspended}|${n.createdAtSec}`;
const voteLine = (kind: string, k: string, v: VotePool) =>
  `${kind}|${k}|${v.approvals.join(",")}|${v.rejections.join(",")}|${v.passed}|${v.expireTimeSec}`;

/**
 * The state digest's memo for one wallet book (the replicas of a world share the book and this memo, in
 * their PotSharedCache; the book itself keeps the address order): each wallet's last line with the
 * values it was built from, the last digest with the text's parts, and the parameters' canonical text.
 * Lines and digests are pure functions of those values, so reuse never changes a digest; it saves
 * rebuilding ~one line per wallet for every replica at every checkpoint.
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
  lastParts: string[] = [];
  lastDigest = "";

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
  const out: string[] = ["potsim/pot-state/v2", paramsFingerprint(s.params, memo)];
  out.push(`block|${s.explicitBlocks ? "explicit" : "implicit"}|${s.height}|${s.timeSec}|${s.blockOpen}`);
  out.push(`scalars|${s.S}|${s.L}|${s.M}|${s.lastEpoch}|${s.maturedEpoch}|${s.bondedMetaCount}`);
  out.push(`supply|${s.genesisSupply}|${s.mintedWei}|${s.burnedWei}`);
  const p = s.pools;
  out.push(
    `pools|${p.foundation}|${p.prepay}|${p.rewardPool}|${p.feeCollector}|${p.communityPool}|${p.metaBonded}|${p.metaNotBonded}|${p.resourceBonded}|${p.resourceNotBonded}`,
  );

  // Live wallets in address order; a wallet's line is rebuilt only when one of its values changed.
  const m = memo;
  m.fit(book.size);
  const { sorted } = book.addressOrder();
  const { immature: im, mature: ma } = s;
  const n = book.size;
  for (let k = 0; k < n; k++) {
    const h = sorted[k]!;
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
    out.push(line);
  }

  for (const k of sortedKeys(s.metaNodes)) out.push(metaLine(s.metaNodes.get(k)!));
  for (const k of sortedKeys(s.resourceNodes)) out.push(resLine(s.resourceNodes.get(k)!));
  for (const k of sortedKeys(s.regVotes)) out.push(voteLine("reg", k, s.regVotes.get(k)!));
  for (const k of sortedKeys(s.kickVotes)) out.push(voteLine("kick", k, s.kickVotes.get(k)!));
  for (let i = s.pendingHead; i < s.pending.length; i++) {
    const b = s.pending[i]!;
    out.push(`blk|${b.key}|${b.hash}`);
  }
  out.push(`head|${s.headCursor}|${s.headMatured}`);
  for (const u of s.unbonding) out.push(`ubd|${u.kind}|${u.networkAddress}|${u.owner}|${u.amountWei}|${u.completionTimeSec}|${u.startHeight}`);
  out.push(`history|${s.rewardEpochs.length}|${s.historyHash}`);
  // The same text as the last digest's (typically another replica at the same checkpoint): same digest.
  const last = m.lastParts;
  if (last.length === out.length) {
    let same = true;
    for (let i = 0; i < out.length && same; i++) same = out[i] === last[i];
    if (same) return m.lastDigest;
  }
  m.lastParts = out;
  m.lastDigest = sha256Hex(out.join("\n"));
  return m.lastDigest;
}
