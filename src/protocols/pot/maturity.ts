// Reward maturity (spec §7): moves immature reward blocks whose key ≤ E_last into the wallets' matured
// totals, deducting slashing debt to the community pool first. The chain's MatureCountPerBlock throttle
// (≈100 wallets per block for the newest epoch) is not modelled: everything due matures at once.

import { fromLimbs, toLimbs } from "./limbs.js";
import type { LedgerState, RewardBlock } from "./state.js";

/** Matures every pending block with key ≤ E_last; returns how many blocks matured. */
export function matureDue(s: LedgerState): number {
  let count = 0;
  while (s.pendingHead < s.pending.length && s.pending[s.pendingHead]!.key <= s.lastEpoch) {
    const b = s.pending[s.pendingHead]!;
    matureBlock(s, b);
    // E_mat follows the last key that had entries (every block has some), as in the chain.
    s.maturedEpoch = b.key;
    s.pendingHead++;
    count++;
  }
  if (s.pendingHead > 256 && s.pendingHead * 2 > s.pending.length) {
    s.pending = s.pending.slice(s.pendingHead);
    s.pendingHead = 0;
  }
  return count;
}

function matureBlock(s: LedgerState, b: RewardBlock): void {
  const { totHi, totLo } = b.limbs;
  const { immature: im, mature: ma, debts } = s;
  const hasDebt = debts.size > 0;
  let deducted = 0n;
  if (!hasDebt) {
    // The common case: each wallet's amount moves from immature to mature, in one bulk pass.
    im.moveAll(ma, b.idx, totHi, totLo);
  } else {
    for (let d = 0; d < b.idx.length; d++) {
      const h = b.idx[d]!;
      if (debts.has(h)) {
        deducted += matureWithDebt(s, h, fromLimbs(totHi[d]!, totLo[d]!));
        continue;
      }
      ma.add(h, totHi[d]!, totLo[d]!);
      im.sub(h, totHi[d]!, totLo[d]!);
    }
  }
  const metaAmount = b.metaMining + b.metaPaid;
  if (metaAmount > 0n) {
    const [mh, ml] = toLimbs(metaAmount);
    for (const h of b.metaIdx) {
      if (hasDebt && debts.has(h)) {
        deducted += matureWithDebt(s, h, metaAmount);
        continue;
      }
      ma.add(h, mh, ml);
      im.sub(h, mh, ml);
    }
  }
  s.immatureTotal -= b.total;
  s.matureTotal += b.total - deducted;
  s.pools.rewardPool -= deducted;
  s.pools.communityPool += deducted;
}

/** `DeductSlashing` on a maturing amount: min(debt, amount) leaves the reward pool for the community pool. */
function matureWithDebt(s: LedgerState, h: number, amount: bigint): bigint {
  const debt = s.debts.get(h)!;
  const ded = debt < amount ? debt : amount;
  if (debt === ded) s.debts.delete(h);
  else s.debts.set(h, debt - ded);
  s.mature.set(h, s.mature.get(h) + amount - ded);
  s.immature.set(h, s.immature.get(h) - amount);
  return ded;
}
