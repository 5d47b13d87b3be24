// Genesis initialisation (spec §6.5): S_0 from bonded meta nodes and effective resource deposits,
// L_0 = ⌊S_0/r⌋ on a fresh start, P_0, M_0, the foundation's mining pool, balances, a reserve account
// holding the rest of the genesis bank supply so that supply is conserved from the start, and the
// block clock at height 0 and the genesis time.

import type { WalletBook } from "./book.js";
import { genesisOzoneLimit } from "./formulas.js";
import { LimbVec } from "./fast/limbs.js";
import { type GenesisConfig, miningCapWei } from "./params.js";
import { emptyPools, type HistoryRoots, historyRoots, type LedgerState, type MetaNode, type ResourceNode } from "./state.js";

/** Receives the unallocated part of the initial total supply unless `reserveAddress` is given. */
export const DEFAULT_RESERVE = "genesis-reserve";

/** Builds the initial state; throws if the allocations exceed the genesis bank supply. */
export function initialState(g: GenesisConfig, book: WalletBook, explicitBlocks: boolean, history: HistoryRoots = historyRoots()): LedgerState {
  const params = g.params;
  const genesisTimeSec = g.genesisTimeSec ?? 0;
  const genesisSupply = g.totalSupplyWei ?? params.initialTotalSupplyWei;
  const pools = emptyPools();
  const metaNodes = new Map<string, MetaNode>();
  const resourceNodes = new Map<string, ResourceNode>();
  let S = 0n;
  for (const m of g.metaNodes) {
    metaNodes.set(m.networkAddress, {
      networkAddress: m.networkAddress,
      owner: m.owner,
      beneficiary: m.beneficiary ?? "",
      tokens: m.depositWei,
      status: "bonded",
      suspended: false,
      createdAtSec: genesisTimeSec,
    });
    pools.metaBonded += m.depositWei;
    S += m.depositWei;
  }
  for (const r of g.resourceNodes ?? []) {
    const suspended = r.suspended ?? false;
    resourceNodes.set(r.networkAddress, {
      networkAddress: r.networkAddress,
      owner: r.owner,
      beneficiary: r.beneficiary ?? "",
      tokens: r.tokensWei,
      effectiveTokens: suspended ? 0n : r.effectiveTokensWei,
      status: "bonded",
      suspended,
      createdAtSec: genesisTimeSec,
    });
    pools.resourceBonded += r.tokensWei;
    if (!suspended) S += r.effectiveTokensWei;
  }
  pools.prepay = g.unissuedPrepayWei ?? 0n;
  const cap = miningCapWei(params);
  pools.foundation = g.foundationWei ?? (cap > g.totalMinedWei ? cap - g.totalMinedWei : 0n);

  const balances: bigint[] = [];
  let balanceTotal = 0n;
  for (const a of g.accounts ?? []) {
    const h = book.intern(a.address);
    balances[h] = (balances[h] ?? 0n) + a.balanceWei;
    balanceTotal += a.balanceWei;
  }
  let placed = balanceTotal;
  for (const v of Object.values(pools)) placed += v;
  const reserve = genesisSupply - placed;
  if (reserve < 0n) throw new Error(`invalid PoT genesis: allocations exceed the total supply by ${-reserve} wei`);
  if (reserve > 0n) {
    const h = book.intern(g.reserveAddress ?? DEFAULT_RESERVE);
    balances[h] = (balances[h] ?? 0n) + reserve;
    balanceTotal += reserve;
  }
  const L = genesisOzoneLimit(S, pools.prepay, g.remainingNozLimit, params);
  const immature = new LimbVec(Math.max(64, book.size));
  const mature = new LimbVec(Math.max(64, book.size));
  return {
    params,
    explicitBlocks,
    height: 0,
    timeSec: genesisTimeSec,
    blockOpen: false,
    S,
    L,
    M: g.totalMinedWei,
    lastEpoch: g.lastDistributedEpoch ?? 0,
    maturedEpoch: params.matureEpoch,
    pools,
    balances,
    balanceTotal,
    immature,
    mature,
    immatureTotal: 0n,
    matureTotal: 0n,
    debts: new Map(),
    metaNodes,
    bondedMetaCount: g.metaNodes.length,
    resourceNodes,
    regVotes: new Map(),
    kickVotes: new Map(),
    pending: [],
    pendingHead: 0,
    headCursor: 0,
    headMatured: 0n,
    unbonding: [],
    genesisSupply,
    mintedWei: 0n,
    burnedWei: 0n,
    rewardEpochs: history.epochs.clone(),
    rewardMining: history.mining.clone(),
    rewardTraffic: history.traffic.clone(),
    historyHash: "genesis",
    version: 0,
  };
}
