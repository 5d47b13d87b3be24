// A ledger started at a chosen state (S, P, L, M, E_last, n_meta) instead of a hand-built genesis:
// the genesis that yields exactly that state under the rules of spec §6.5, for researchers who want to
// ask "what does a report do when the market looks like this".

import { purchaseAmount, nozSupply } from "./formulas.js";
import { type LedgerOptions, PotLedger } from "./ledger.js";
import {
  defaultParams,
  type GenesisAccount,
  type GenesisConfig,
  type GenesisMetaNode,
  type GenesisResourceNode,
  miningCapWei,
  type PotParams,
} from "./params.js";

/** The state to start from. Amounts are bigints; omitted fields take the defaults named. */
export interface LedgerStateSpec {
  /** S_t (wei): held by the bonded meta nodes (equal deposits, the remainder on the first) plus the resource nodes' effective deposits. */
  readonly effectiveDepositWei: bigint;
  /** P_t (wei), the balance of total_unissued_prepay. Default 0. */
  readonly unissuedPrepayWei?: bigint;
  /**
   * L_t (noz), at most ⌊S/r⌋ (no report could be accepted above it). Default: with P = 0, ⌊S/r⌋ (a fresh
   * start); with P > 0, the limit left after one prepay of P from the fresh start, ⌊S/r⌋ − ⌊q(⌊S/r⌋·P/(S+P))⌋.
   */
  readonly remainingOzoneLimitNoz?: bigint;
  /** M (wei). Default 0. */
  readonly totalMinedWei?: bigint;
  /** n_meta: bonded meta nodes `meta-1` … `meta-n`, owned by `meta-owner-1` …. Default 7 (stratos-1 at launch). */
  readonly metaNodes?: number;
  /** Resource nodes; their effective deposits are part of S. Default none (any wallet can be paid by a report). */
  readonly resourceNodes?: readonly GenesisResourceNode[];
  /** E_last: the next report's epoch must exceed it. Default 0. */
  readonly lastEpoch?: number;
  /** The foundation's mining pool (wei). Default: the schedule's cap − M (0 past the cap). */
  readonly foundationWei?: bigint;
  /** Parameters. Default `defaultParams()` (code defaults: τ = 0.02, r = 10^6, mature epoch 2016). */
  readonly params?: PotParams;
  /** Wallet balances (e.g. users who will prepay). */
  readonly accounts?: readonly GenesisAccount[];
  /** Block time of genesis (s). Default 0. */
  readonly genesisTimeSec?: number;
}

/** Network address and owner of meta node i (1-based) of a ledger started with `ledgerAtState`. */
export const stateMetaAddress = (i: number): string => `meta-${i}`;
export const stateMetaOwner = (i: number): string => `meta-owner-${i}`;

/**
 * The genesis whose ledger has exactly the state `spec` describes (see LedgerStateSpec). Throws a
 * RangeError naming the field when the state cannot exist: a negative amount, fewer than 1 meta node,
 * S too small to give every meta node a positive deposit after the resource nodes' share, L above ⌊S/r⌋,
 * or L = 0 with P = 0 (genesis reads that pair as a fresh start). When the allocations (deposits, P, the
 * foundation, balances) exceed `params.initialTotalSupplyWei`, the initial total supply is raised to
 * them, so supply is conserved and RestoreTotalSupply has nothing to restore.
 */
export function genesisAtState(spec: LedgerStateSpec): GenesisConfig {
  const base = spec.params ?? defaultParams();
  const S = spec.effectiveDepositWei;
  const P = spec.unissuedPrepayWei ?? 0n;
  const M = spec.totalMinedWei ?? 0n;
  const n = spec.metaNodes ?? 7;
  const resourceNodes = spec.resourceNodes ?? [];
  if (P < 0n) throw new RangeError(`unissuedPrepayWei must be non-negative, got ${P}`);
  if (M < 0n) throw new RangeError(`totalMinedWei must be non-negative, got ${M}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`metaNodes must be a positive integer, got ${n}`);
  let resourceEffective = 0n;
  let resourceTokens = 0n;
  for (const r of resourceNodes) {
    if (!r.suspended) resourceEffective += r.effectiveTokensWei;
    resourceTokens += r.tokensWei;
  }
  const metaTotal = S - resourceEffective;
  if (metaTotal < BigInt(n)) {
    throw new RangeError(
      `effectiveDepositWei ${S} leaves ${metaTotal} wei for ${n} meta nodes after the resource nodes' effective deposits (${resourceEffective}); each needs at least 1 wei`,
    );
  }
  const supplyNoz = nozSupply(S, base.depositNozRateRaw);
  const L = spec.remainingOzoneLimitNoz ?? (P === 0n ? supplyNoz : supplyNoz - purchaseAmount(S, 0n, supplyNoz, P).purchasedNoz);
  if (L < 0n || L > supplyNoz) throw new RangeError(`remainingOzoneLimitNoz must be within [0, ⌊S/r⌋ = ${supplyNoz}], got ${L}`);
  if (L === 0n && P === 0n && supplyNoz > 0n) {
    throw new RangeError("remainingOzoneLimitNoz 0 with unissuedPrepayWei 0 is read by genesis as a fresh start (L = ⌊S/r⌋); give P > 0");
  }
  const share = metaTotal / BigInt(n);
  const metaNodes: GenesisMetaNode[] = [];
  for (let i = 1; i <= n; i++) {
    const depositWei = i === 1 ? share + (metaTotal - share * BigInt(n)) : share;
    metaNodes.push({ networkAddress: stateMetaAddress(i), owner: stateMetaOwner(i), depositWei });
  }
  const cap = miningCapWei(base);
  const foundationWei = spec.foundationWei ?? (cap > M ? cap - M : 0n);
  let placed = metaTotal + resourceTokens + P + foundationWei;
  for (const a of spec.accounts ?? []) placed += a.balanceWei;
  const params = placed > base.initialTotalSupplyWei ? { ...base, initialTotalSupplyWei: placed } : base;
  return {
    params,
    totalMinedWei: M,
    foundationWei,
    metaNodes,
    resourceNodes,
    accounts: spec.accounts,
    unissuedPrepayWei: P,
    remainingNozLimit: L,
    lastDistributedEpoch: spec.lastEpoch ?? 0,
    genesisTimeSec: spec.genesisTimeSec,
  };
}

/** A PotLedger at the state `spec` describes (genesisAtState); `options` as for the constructor (e.g. blockMode). */
export function ledgerAtState(spec: LedgerStateSpec, options: LedgerOptions = {}): PotLedger {
  return new PotLedger(genesisAtState(spec), options);
}
