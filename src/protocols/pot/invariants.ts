// Economic invariants of a ledger state: supply conservation across every account and module pool,
// reward-pool backing of immature+mature rewards, bonded-pool backing of node deposits, non-negativity.
// The per-report identities of spec §4 are asserted by the ledger itself (they need before/after values).

import type { WalletBook } from "./book.js";
import type { LedgerState } from "./state.js";

export interface SupplyCheck {
  readonly ok: boolean;
  readonly expected: bigint;
  readonly actual: bigint;
  readonly breakdown: Readonly<Record<string, bigint>>;
}

/** foundation + all module pools + all balances = initial total supply. */
export function supplyCheck(s: LedgerState): SupplyCheck {
  // Runs after every execution at every replica: sum the fields directly; the breakdown (a copy) only on demand.
  const p = s.pools;
  const actual =
    p.foundation +
    p.prepay +
    p.rewardPool +
    p.feeCollector +
    p.communityPool +
    p.metaBonded +
    p.metaNotBonded +
    p.resourceBonded +
    p.resourceNotBonded +
    s.balanceTotal;
  const expected = s.params.initialTotalSupplyWei;
  const balances = s.balanceTotal;
  const pools = { ...p };
  return {
    ok: actual === expected,
    expected,
    actual,
    get breakdown(): Readonly<Record<string, bigint>> {
      return { ...pools, balances };
    },
  };
}

/** All violated invariants (empty when healthy). `deep` recomputes every running total from scratch. */
export function stateViolations(s: LedgerState, book: WalletBook, deep: boolean): string[] {
  const v: string[] = [];
  const sc = supplyCheck(s);
  if (!sc.ok) v.push(`supply: expected ${sc.expected}, got ${sc.actual}`);
  const pools = s.pools as unknown as Record<string, bigint>;
  for (const k in pools) if (pools[k]! < 0n) v.push(`pool ${k} negative: ${pools[k]}`);
  if (s.pools.rewardPool !== s.immatureTotal + s.matureTotal) {
    v.push(`reward pool ${s.pools.rewardPool} ≠ immature ${s.immatureTotal} + mature ${s.matureTotal}`);
  }
  if (!deep) return v;

  const n = book.size;
  let bal = 0n;
  s.balances.forEach((b, h) => {
    if (b === undefined) return;
    if (b < 0n) v.push(`balance of ${book.address(h)} negative: ${b}`);
    bal += b;
  });
  if (bal !== s.balanceTotal) v.push(`balances sum ${bal} ≠ tracked ${s.balanceTotal}`);
  const im = s.immature.sum(n);
  const ma = s.mature.sum(n);
  if (im !== s.immatureTotal) v.push(`immature sum ${im} ≠ tracked ${s.immatureTotal}`);
  if (ma !== s.matureTotal) v.push(`mature sum ${ma} ≠ tracked ${s.matureTotal}`);
  let blocks = 0n;
  for (let i = s.pendingHead; i < s.pending.length; i++) blocks += s.pending[i]!.total;
  if (blocks !== s.immatureTotal) v.push(`pending blocks ${blocks} ≠ immature ${s.immatureTotal}`);
  for (const [h, d] of s.debts) if (d <= 0n) v.push(`non-positive debt kept for ${book.address(h)}`);

  let metaBonded = 0n;
  let metaNotBonded = 0n;
  let bondedCount = 0;
  for (const m of s.metaNodes.values()) {
    if (m.status === "bonded") {
      metaBonded += m.tokens;
      bondedCount++;
    } else metaNotBonded += m.tokens;
  }
  if (metaBonded !== s.pools.metaBonded) v.push(`meta bonded pool ${s.pools.metaBonded} ≠ Σ tokens ${metaBonded}`);
  if (metaNotBonded !== s.pools.metaNotBonded) v.push(`meta not-bonded pool ${s.pools.metaNotBonded} ≠ Σ tokens ${metaNotBonded}`);
  if (bondedCount !== s.bondedMetaCount) v.push(`bonded meta count ${s.bondedMetaCount} ≠ ${bondedCount}`);
  let resBonded = 0n;
  for (const r of s.resourceNodes.values()) {
    resBonded += r.tokens;
    if (r.effectiveTokens < 0n || r.effectiveTokens > r.tokens) v.push(`resource node ${r.networkAddress}: effective out of range`);
  }
  if (resBonded !== s.pools.resourceBonded) v.push(`resource bonded pool ${s.pools.resourceBonded} ≠ Σ tokens ${resBonded}`);
  return v;
}
