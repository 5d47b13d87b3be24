// Economic invariants of a ledger state: supply conservation across every account and module pool (with
// RestoreTotalSupply's mints and burns as explicit terms), reward-pool backing of immature+mature
// rewards, bonded/not-bonded pool backing of node deposits (unbonding deposits included), non-negativity.
// The per-report identities of spec §4 are asserted by the ledger itself (they need before/after values).

import type { WalletBook } from "./book.js";
import type { LedgerState } from "./state.js";

export interface SupplyCheck {
  readonly ok: boolean;
  /** Genesis bank supply + minted − burned. */
  readonly expected: bigint;
  /** foundation + every module pool + every balance (the bank supply). */
  readonly actual: bigint;
  /** Totals RestoreTotalSupply minted into and burned from the community pool so far. */
  readonly mintedWei: bigint;
  readonly burnedWei: bigint;
  readonly breakdown: Readonly<Record<string, bigint>>;
}

/**
 * The last supply sums and the thirteen values they were computed from (the nine pools, the balance
 * total, the genesis supply and the minted and burned totals). The replicas of a world check their supply after
 * every execution and reach equal values, so a shared memo adds them up once per execution rather
 * than once per replica (bigint additions allocate). Equal inputs, equal sums: reuse never changes a
 * result (test/protocols/pot/ledger.test.ts checks the sums against ledgers that share nothing).
 */
export class SupplyMemo {
  private readonly inputs: bigint[] = new Array(13).fill(-1n);
  actual = 0n;
  expected = 0n;

  /** Whether the sums stored are those of `s`'s values; if not, records the values (then set the sums). */
  holds(s: LedgerState): boolean {
    const p = s.pools;
    const x = this.inputs;
    if (
      x[0] === p.foundation &&
      x[1] === p.prepay &&
      x[2] === p.rewardPool &&
      x[3] === p.feeCollector &&
      x[4] === p.communityPool &&
      x[5] === p.metaBonded &&
      x[6] === p.metaNotBonded &&
      x[7] === p.resourceBonded &&
      x[8] === p.resourceNotBonded &&
      x[9] === s.balanceTotal &&
      x[10] === s.genesisSupply &&
      x[11] === s.mintedWei &&
      x[12] === s.burnedWei
    ) {
      return true;
    }
    x[0] = p.foundation;
    x[1] = p.prepay;
    x[2] = p.rewardPool;
    x[3] = p.feeCollector;
    x[4] = p.communityPool;
    x[5] = p.metaBonded;
    x[6] = p.metaNotBonded;
    x[7] = p.resourceBonded;
    x[8] = p.resourceNotBonded;
    x[9] = s.balanceTotal;
    x[10] = s.genesisSupply;
    x[11] = s.mintedWei;
    x[12] = s.burnedWei;
    return false;
  }
}

/** A supply check's result; its breakdown is copied at once when the check fails, else built from the state if asked. */
class SupplyResult implements SupplyCheck {
  readonly #state: LedgerState;
  readonly #failed: Readonly<Record<string, bigint>> | undefined;

  constructor(
    readonly ok: boolean,
    readonly expected: bigint,
    readonly actual: bigint,
    readonly mintedWei: bigint,
    readonly burnedWei: bigint,
    state: LedgerState,
  ) {
    this.#state = state;
    // (callers of a passing check ask for the breakdown right away or not at all)
    this.#failed = ok ? undefined : breakdownOf(state);
  }

  get breakdown(): Readonly<Record<string, bigint>> {
    return this.#failed ?? breakdownOf(this.#state);
  }
}

/** foundation + all module pools + all balances = genesis bank supply + minted − burned. */
export function supplyCheck(s: LedgerState, memo?: SupplyMemo): SupplyCheck {
  let actual: bigint;
  let expected: bigint;
  if (memo?.holds(s)) {
    actual = memo.actual;
    expected = memo.expected;
  } else {
    // Runs after every execution at every replica: sum the fields directly.
    const p = s.pools;
    actual =
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
    expected = s.genesisSupply + s.mintedWei - s.burnedWei;
    if (memo) {
      memo.actual = actual;
      memo.expected = expected;
    }
  }
  return new SupplyResult(actual === expected, expected, actual, s.mintedWei, s.burnedWei, s);
}

function breakdownOf(s: LedgerState): Readonly<Record<string, bigint>> {
  return { ...s.pools, balances: s.balanceTotal };
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
  let blocks = -s.headMatured;
  for (let i = s.pendingHead; i < s.pending.length; i++) blocks += s.pending[i]!.total;
  if (blocks !== s.immatureTotal) v.push(`pending blocks ${blocks} (less the matured part of the head) ≠ immature ${s.immatureTotal}`);
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
  let resNotBonded = 0n;
  for (const r of s.resourceNodes.values()) {
    if (r.status === "bonded") resBonded += r.tokens;
    else resNotBonded += r.tokens;
    if (r.effectiveTokens < 0n || r.effectiveTokens > r.tokens) v.push(`resource node ${r.networkAddress}: effective out of range`);
  }
  if (resBonded !== s.pools.resourceBonded) v.push(`resource bonded pool ${s.pools.resourceBonded} ≠ Σ tokens ${resBonded}`);
  if (resNotBonded !== s.pools.resourceNotBonded) v.push(`resource not-bonded pool ${s.pools.resourceNotBonded} ≠ Σ tokens ${resNotBonded}`);
  // Every unbonding node has exactly its queued deposit in flight.
  const queued = new Map<string, bigint>();
  for (const u of s.unbonding) {
    const k = `${u.kind}|${u.networkAddress}`;
    queued.set(k, (queued.get(k) ?? 0n) + u.amountWei);
  }
  for (const m of s.metaNodes.values()) checkInFlight(v, queued, "meta", m.networkAddress, m.status, m.tokens);
  for (const r of s.resourceNodes.values()) checkInFlight(v, queued, "resource", r.networkAddress, r.status, r.tokens);
  for (const k of queued.keys()) v.push(`unbonding entry ${k} has no unbonding node`);
  if (s.headCursor < 0 || (s.headCursor > 0 && s.pendingHead >= s.pending.length)) v.push(`head cursor ${s.headCursor} without a pending block`);
  return v;
}

function checkInFlight(v: string[], queued: Map<string, bigint>, kind: string, addr: string, status: string, tokens: bigint): void {
  const k = `${kind}|${addr}`;
  const q = queued.get(k);
  queued.delete(k);
  if (status === "unbonding" && q !== tokens) v.push(`${kind} node ${addr} unbonding ${tokens} but ${q ?? 0n} queued`);
  if (status !== "unbonding" && q !== undefined) v.push(`${kind} node ${addr} is ${status} but has an unbonding entry`);
}
