// The PoT world's parts, built before it runs: coalition plans checked against the meta committee,
// the economic actors (resource nodes, Sybil groups, the meta committee, users' traffic, users, and
// the metrics with their reward slots), churn and outage events, and the traffic thread. The world
// calls these in a fixed order: kernel event kinds are numbered as they are registered, so the order
// is part of a run's determinism.
// May import: faults, kernel, protocols/pot, traffic, ../scenario (types), ./actors, ./app, ./config,
// ./feed, ./metrics, ./traffic.

import { type CoalitionPlan, planOutages } from "../../faults/index.js";
import type { Simulation, Stream } from "../../kernel/index.js";
import type { PotSharedCache } from "../../protocols/pot/index.js";
import { Churn } from "../../traffic/index.js";
import type { AttacksSection, CoalitionSpec, EconomicsSection, TrafficSection } from "../scenario.js";
import { MetaCommittee, ResourceNodes, SybilGroup, Users } from "./actors.js";
import type { ReportCodec } from "./app.js";
import { addr, type PotGenesis, stosToWei } from "./config.js";
import { type PlannedOutage, TrafficFeed } from "./feed/index.js";
import { PotMetrics, type WalletKind } from "./metrics.js";
import { PotTraffic } from "./traffic.js";

/** A scenario without an `attacks` section. */
export const NO_ATTACKS: AttacksSection = Object.freeze({ coalitions: [], sybils: [], offline: [] });

/** The coalitions' plans (open-ended ones run to the last epoch); every member must be a meta node. */
export function planCoalitions(specs: readonly CoalitionSpec[], metaCount: number): CoalitionPlan[] {
  return specs.map((c, i) => {
    for (const m of c.members) {
      if (m >= metaCount) throw new Error(`attacks.coalitions[${i}]: meta node ${m} does not exist (economics.metaNodes.count is ${metaCount})`);
    }
    return { ...c, toEpoch: c.toEpoch ?? Number.MAX_SAFE_INTEGER };
  });
}

/** Users over every traffic group (0 without traffic). */
export function userCount(traffic: TrafficSection | null): number {
  return traffic ? traffic.users.reduce((s, g) => s + g.count, 0) : 0;
}

/** The economic actors of one world. */
export interface PotActors {
  readonly nodes: ResourceNodes;
  readonly sybils: SybilGroup[];
  /** Every wallet slot the meta nodes count volume for: honest resource nodes, then Sybil wallets. */
  readonly walletNames: readonly string[];
  readonly committee: MetaCommittee;
  readonly traffic: PotTraffic;
  readonly users: Users;
  readonly metrics: PotMetrics;
}

export interface ActorInputs {
  readonly sim: Simulation;
  readonly economics: EconomicsSection;
  readonly traffic: TrafficSection | null;
  readonly attacks: AttacksSection;
  readonly coalitions: readonly CoalitionPlan[];
  readonly epochs: number;
  readonly pot: PotGenesis;
  readonly cache: PotSharedCache;
  readonly codec: ReportCodec;
}

export function buildActors(a: ActorInputs): PotActors {
  const e = a.economics;
  const R = e.resourceNodes.count;
  const epochLength = e.epochLength;
  const nodes = new ResourceNodes(R);
  const walletNames = [...nodes.wallets];
  const sybils = a.attacks.sybils.map((s, g) => {
    const group = new SybilGroup(g, s, walletNames.length, a.epochs);
    walletNames.push(...group.wallets);
    return group;
  });
  const committee = new MetaCommittee(e.metaNodes.count, walletNames, a.coalitions, a.cache, a.codec, e.metaNodes.settleFraction);
  const traffic = new PotTraffic(a.traffic, R, a.sim, committee.vol, nodes.online, e.resourceNodes.capacity, epochLength);
  const users = new Users(
    traffic.userCount,
    a.pot.userBalanceWei,
    stosToWei(e.users.prepayStos),
    (u) => traffic.meanDemandPerSecond(u) * epochLength,
    e.users.refillEpochs,
  );
  const slots: { wallet: string; kind: WalletKind; node: string }[] = [];
  for (let j = 0; j < R; j++) slots.push({ wallet: nodes.wallets[j]!, kind: "honest", node: nodes.addresses[j]! });
  for (const g of sybils) {
    for (let i = 0; i < g.wallets.length; i++) slots.push({ wallet: g.wallets[i]!, kind: "sybil", node: g.nodes[i]! });
  }
  a.coalitions.forEach((c, i) => {
    if (c.mode === "self") slots.push({ wallet: addr.coalitionWallet(i), kind: "coalition", node: "" });
  });
  const metrics = new PotMetrics(
    a.cache,
    slots,
    a.coalitions.map((c, i) => [...c.members.map((m) => committee.metas[m]!.wallet), addr.coalitionWallet(i)]),
    a.epochs,
  );
  return { nodes, sybils, walletNames, committee, traffic, users, metrics };
}

/**
 * Resource-node churn. Per request, every node's next flip is a kernel event; aggregated, churn is
 * only advanced at each epoch's end (by the world, with the same stream).
 */
export function scheduleChurn(sim: Simulation, nodes: ResourceNodes, traffic: TrafficSection | null, rng: Stream): void {
  const cfg = traffic?.churn ?? null;
  if (!cfg) return;
  const churn = new Churn(cfg, nodes.count);
  nodes.churn = churn;
  if (traffic?.mode === "perRequest") {
    const kChurn = sim.register("pot.churn", (j) => {
      churn.flip(j);
      sim.postAt(churn.nextTransition(j, sim.now, rng), j, kChurn);
    });
    for (let j = 0; j < nodes.count; j++) {
      churn.initialState(j, rng);
      sim.postAt(churn.nextTransition(j, 0, rng), j, kChurn);
    }
  } else churn.initAll(0, rng);
}

/** The planned outages, as kernel events forcing their nodes offline over [at, until). */
export function scheduleOutages(sim: Simulation, nodes: ResourceNodes, attacks: AttacksSection): PlannedOutage[] {
  const outages = planOutages(attacks.offline, nodes.count, sim.rng.stream("pot.outages"));
  const kOutage = sim.register("pot.outage", (_t, payload) => {
    const o = payload as { nodes: readonly number[]; delta: number };
    for (const j of o.nodes) nodes.forcedOff[j]! += o.delta;
  });
  for (const o of outages) {
    sim.postAt(o.at, 0, kOutage, { nodes: o.nodes, delta: 1 });
    sim.postAt(o.until, 0, kOutage, { nodes: o.nodes, delta: -1 });
  }
  return outages;
}

export interface FeedInputs {
  readonly seed: number;
  readonly economics: EconomicsSection;
  readonly traffic: TrafficSection;
  readonly epochs: number;
  readonly actors: PotActors;
  readonly coalitions: number;
  readonly outages: readonly PlannedOutage[];
}

/** The traffic thread of an aggregated run with users (undefined when the compiled worker is missing). */
export function startTrafficFeed(f: FeedInputs): TrafficFeed | undefined {
  const e = f.economics;
  const { sybils, committee, walletNames } = f.actors;
  // Honest reports depend on the traffic alone without Sybil wallets, coalitions, a settlement rule
  // or a node capacity (the world checks the rest per epoch): the feed encodes them too.
  const reportsFromTraffic = sybils.length === 0 && f.coalitions === 0 && e.metaNodes.settleFraction >= 1 && e.resourceNodes.capacity === undefined;
  const reports = reportsFromTraffic ? { wallets: walletNames, metas: committee.metas.map((m) => ({ address: m.address, owner: m.owner })) } : undefined;
  const spec = {
    seed: f.seed,
    section: f.traffic,
    nodeCount: e.resourceNodes.count,
    epochLength: e.epochLength,
    epochs: f.epochs,
    outages: f.outages,
    reports,
  };
  const feed = TrafficFeed.start(spec);
  if (feed) f.actors.traffic.useFeed(feed);
  return feed;
}
