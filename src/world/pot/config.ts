// The PoT model's view of a resolved scenario (`economics`, `traffic`, `attacks` sections plus
// the PBFT part), the naming of every actor's addresses, STOS → wei conversion, and the genesis
// the validators' ledgers start from. Owns: these shapes and the genesis; no behaviour.
// May import: protocols/pot, traffic (config types), ../scenario (section types).

import {
  defaultGenesis,
  type GenesisAccount,
  type GenesisConfig,
  type GenesisMetaNode,
  type GenesisResourceNode,
  mainnetGenesis,
  mainnetMetaAddress,
  mainnetMetaOwner,
  miningCapWei,
  type PotParams,
  parseRaw,
  STOS,
} from "../../protocols/pot/index.js";
import type { TrafficConfig } from "../../traffic/index.js";
import type { EconomicsSection, RunnableScenario, SybilSpec, TrafficSection } from "../scenario.js";

export type { AttacksSection, CoalitionSpec, EconomicsSection, OfflineSpec, SybilSpec, TrafficSection } from "../scenario.js";

/** What PotWorld reads of a scenario (a scenario of `model: pot` has the pbft and economics sections). */
export type PotScenario = Pick<RunnableScenario, "name" | "until" | "network" | "check" | "pbft" | "economics" | "traffic" | "attacks">;

/** The traffic model's config for a scenario's traffic section and resource-node count. */
export function trafficConfigOf(section: TrafficSection, nodeCount: number): TrafficConfig {
  return {
    users: section.users,
    sizes: section.sizes,
    catalog: { ...section.catalog, replicas: Math.min(section.catalog.replicas, nodeCount), nodes: nodeCount },
    uploadFraction: section.uploadFraction,
  };
}

/** Addresses of every actor (short, so reports and their digests stay small). */
export const addr = {
  metaAddress: (i: number): string => mainnetMetaAddress(i + 1),
  metaOwner: (i: number): string => mainnetMetaOwner(i + 1),
  resourceNode: (j: number): string => `rn${j}`,
  resourceWallet: (j: number): string => `rw${j}`,
  user: (u: number): string => `u${u}`,
  sybilFunder: (g: number): string => `sybil${g}`,
  sybilNode: (g: number, w: number): string => `sy${g}n${w}`,
  sybilWallet: (g: number, w: number): string => `sy${g}w${w}`,
  coalitionWallet: (c: number): string => `coal${c}`,
} as const;

/** STOS (a float from the scenario) → wei, to micro-STOS precision. */
export function stosToWei(stos: number): bigint {
  if (!Number.isFinite(stos) || stos < 0) throw new Error(`invalid STOS amount ${stos}`);
  return BigInt(Math.round(stos * 1e6)) * 10n ** 12n;
}

/** wei → STOS as a float (for summaries and charts). */
export function weiToStos(wei: bigint): number {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  const v = Number(a / STOS) + Number(a % STOS) / 1e18;
  return neg ? -v : v;
}

/** Number of epochs a run reports. */
export function epochCount(e: EconomicsSection, until: number): number {
  return e.epochs ?? Math.floor(until / e.epochLength + 1e-9);
}

/** Epochs in [fromEpoch, min(toEpoch, last)] (0 when empty). */
export function activeEpochs(fromEpoch: number, toEpoch: number | undefined, last: number): number {
  return Math.max(0, Math.min(toEpoch ?? last, last) - fromEpoch + 1);
}

export interface PotGenesis {
  readonly genesis: GenesisConfig;
  readonly resourceDepositWei: bigint;
  readonly userBalanceWei: bigint;
  readonly sybilDepositWei: bigint[];
  readonly sybilFundWei: bigint[];
}

/**
 * Genesis of the validators' ledgers: the preset's parameters (with overrides), `metaNodes.count`
 * bonded meta nodes, every honest and Sybil resource node registered and bonded with its effective
 * deposit equal to its deposit (as the meta nodes would set it with MsgUpdateEffectiveDeposit; done at
 * genesis rather than by ops at t = 0), users and Sybil funders funded. The preset's foundation keeps its
 * mining pool; the rest of the initial supply sits in the genesis reserve account.
 */
export function buildGenesis(e: EconomicsSection, userCount: number, sybils: readonly SybilSpec[], epochs: number): PotGenesis {
  const base = e.genesis === "mainnet" ? mainnetGenesis() : defaultGenesis();
  let params: PotParams = base.params;
  if (e.communityTax !== undefined) params = { ...params, communityTaxRaw: parseRaw(e.communityTax.toFixed(18)) };
  if (e.matureEpoch !== undefined) params = { ...params, matureEpoch: e.matureEpoch };
  params = { ...params, resourceNodeRegEnabled: true };

  const metaDeposit = stosToWei(e.metaNodes.depositStos);
  const metaNodes: GenesisMetaNode[] = [];
  for (let i = 0; i < e.metaNodes.count; i++) {
    metaNodes.push({ networkAddress: addr.metaAddress(i), owner: addr.metaOwner(i), depositWei: metaDeposit });
  }
  const resourceDepositWei = stosToWei(e.resourceNodes.depositStos);
  const resourceNodes: GenesisResourceNode[] = [];
  for (let j = 0; j < e.resourceNodes.count; j++) {
    resourceNodes.push({
      networkAddress: addr.resourceNode(j),
      owner: addr.resourceWallet(j),
      tokensWei: resourceDepositWei,
      effectiveTokensWei: resourceDepositWei,
    });
  }
  const sybilDepositWei: bigint[] = [];
  const sybilFundWei: bigint[] = [];
  const accounts: GenesisAccount[] = [];
  sybils.forEach((s, g) => {
    const dep = stosToWei(s.depositStos);
    sybilDepositWei.push(dep);
    for (let w = 0; w < s.wallets; w++) {
      resourceNodes.push({ networkAddress: addr.sybilNode(g, w), owner: addr.sybilWallet(g, w), tokensWei: dep, effectiveTokensWei: dep });
    }
    const fund = stosToWei(s.budgetStos) * BigInt(activeEpochs(s.fromEpoch, s.toEpoch, epochs));
    sybilFundWei.push(fund);
    if (fund > 0n) accounts.push({ address: addr.sybilFunder(g), balanceWei: fund });
  });
  const userBalanceWei = stosToWei(e.users.initialStos);
  for (let u = 0; u < userCount; u++) accounts.push({ address: addr.user(u), balanceWei: userBalanceWei });

  const genesis: GenesisConfig = { ...base, params, metaNodes, resourceNodes, accounts };
  // Allocations beyond the initial supply would make the ledger throw; say which knob to turn.
  let placed = (base.foundationWei ?? (miningCapWei(params) - base.totalMinedWei)) + metaDeposit * BigInt(metaNodes.length);
  for (const r of resourceNodes) placed += r.tokensWei;
  for (const a of accounts) placed += a.balanceWei;
  if (placed > params.initialTotalSupplyWei) {
    throw new Error(
      `pot: genesis allocations (${placed / STOS} STOS: foundation, deposits, users, Sybil funds) exceed the initial supply of ${
        params.initialTotalSupplyWei / STOS
      } STOS`,
    );
  }
  return { genesis, resourceDepositWei, userBalanceWei, sybilDepositWei, sybilFundWei };
}
