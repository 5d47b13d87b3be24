// Canonical state digest (sha256 hex) of a ledger state. Addresses, never wallet handles, so two ledgers
// with different WalletBooks but equal states agree. Cost is O(wallets + nodes + pending blocks), with
// each immature block contributing only its precomputed hash.

import type { WalletBook } from "./book.js";
import type { PotParams } from "./params.js";
import { sha256Hex } from "./report.js";
import type { LedgerState, MetaNode, ResourceNode, VotePool } from "./state.js";

const paramsPrints = new WeakMap<PotParams, string>();

/** Canonical text of the parameters (memoised per params object). */
export function paramsFingerprint(p: PotParams): string {
  let s = paramsPrints.get(p);
  if (s === undefined) {
    const stages = p.miningRewardParams
      .map((m) => `${m.startWei}-${m.endWei}:${m.rewardWei}:${m.resourceBp}/${m.metaBp}/${m.chainBp}`)
      .join(",");
    s = `params|${p.matureEpoch}|${p.communityTaxRaw}|${stages}|${p.initialTotalSupplyWei}|${p.depositNozRateRaw}|${p.resourceNodeMinDepositWei}|${p.resourceNodeRegEnabled}`;
    paramsPrints.set(p, s);
  }
  return s;
}

const sortedKeys = <V>(m: Map<string, V>): string[] => [...m.keys()].sort();
const metaLine = (n: MetaNode) => `meta|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.status}|${n.suspended}`;
const resLine = (n: ResourceNode) =>
  `res|${n.networkAddress}|${n.owner}|${n.beneficiary}|${n.tokens}|${n.effectiveTokens}|${n.status}|${n.suspended}`;
const voteLine = (kind: string, k: string, v: VotePool) => `${kind}|${k}|${v.approvals.join(",")}|${v.rejections.join(",")}|${v.passed}`;

/** Deterministic digest of the whole state. */
export function computeStateDigest(s: LedgerState, book: WalletBook): string {
  const out: string[] = ["potsim/pot-state/v1", paramsFingerprint(s.params)];
  out.push(`scalars|${s.S}|${s.L}|${s.M}|${s.lastEpoch}|${s.maturedEpoch}|${s.bondedMetaCount}`);
  const p = s.pools;
  out.push(
    `pools|${p.foundation}|${p.prepay}|${p.rewardPool}|${p.feeCollector}|${p.communityPool}|${p.metaBonded}|${p.metaNotBonded}|${p.resourceBonded}|${p.resourceNotBonded}`,
  );

  const live: number[] = [];
  const n = book.size;
  const { immature: im, mature: ma } = s;
  for (let h = 0; h < n; h++) {
    const b = s.balances[h];
    if ((b !== undefined && b !== 0n) || !im.isZero(h) || !ma.isZero(h) || s.debts.has(h)) live.push(h);
  }
  const addr = live.map((h) => book.address(h));
  const order = live.map((_, i) => i).sort((a, b) => (addr[a]! < addr[b]! ? -1 : addr[a]! > addr[b]! ? 1 : 0));
  for (const i of order) {
    const h = live[i]!;
    out.push(`w|${addr[i]}|${s.balances[h] ?? 0n}|${im.get(h)}|${ma.get(h)}|${s.debts.get(h) ?? 0n}`);
  }

  for (const k of sortedKeys(s.metaNodes)) out.push(metaLine(s.metaNodes.get(k)!));
  for (const k of sortedKeys(s.resourceNodes)) out.push(resLine(s.resourceNodes.get(k)!));
  for (const k of sortedKeys(s.regVotes)) out.push(voteLine("reg", k, s.regVotes.get(k)!));
  for (const k of sortedKeys(s.kickVotes)) out.push(voteLine("kick", k, s.kickVotes.get(k)!));
  for (let i = s.pendingHead; i < s.pending.length; i++) {
    const b = s.pending[i]!;
    out.push(`blk|${b.key}|${b.hash}`);
  }
  out.push(`history|${s.rewardEpochs.length}|${s.historyHash}`);
  return sha256Hex(out.join("\n"));
}
