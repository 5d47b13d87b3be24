// The PoT model as a runnable world: a PbftWorld whose replicas (the validators) run the PoT ledger
// as their application, and around it the economic actors — meta nodes (one PBFT client each: they
// observe served traffic, build and co-sign the per-epoch volume report, and suspend/restore offline
// resource nodes), gateway PBFT clients carrying users' and Sybils' prepays, users with a traffic
// model, resource nodes with churn and outages, and the economic faults. Every economic transaction is
// a client request ordered by PBFT and executed by every correct replica; the economic checker runs
// after each execution at each correct replica, and metrics are taken at the first correct replica to
// execute each transaction. Node ids: replicas 0..n-1, then meta nodes, then gateways (as PbftWorld).
// May import: kernel, net, protocols, faults, traffic, check, metrics.

import { EconomicsChecker } from "../../check/index.js";
import { type CoalitionPlan, planOutages } from "../../faults/index.js";
import type { Cell, Table } from "../../metrics/index.js";
import { round } from "../../metrics/index.js";
import type { ClientObservation, ExecContext } from "../../protocols/pbft/index.js";
import {
  createSharedCache,
  type GenesisConfig,
  type LedgerOptions,
  type OpResult,
  PotApplication,
  type PotLedger,
  type PotSharedCache,
  reportQuorum,
  type VolumeReportOp,
} from "../../protocols/pot/index.js";
import { Churn } from "../../traffic/index.js";
import { PACKED_REPORT, PotChainApp, ReportCodec } from "./app.js";
import {
  type BuiltReport,
  type EpochVolumes,
  MetaCommittee,
  ResourceNodes,
  SybilGroup,
  Users,
} from "./actors.js";
import { activeEpochs, addr, buildGenesis, epochCount, type PotGenesis, type PotScenario, stosToWei, weiToStos } from "./config.js";
import { PotMetrics, type ReportAttempt } from "./metrics.js";
import { PotTraffic } from "./traffic.js";
import { TrafficFeed } from "./feed/feed.js";
import { type PbftScenario, PbftWorld } from "../pbft/world.js";
import type { World, WorldOutput } from "../types.js";

export interface PotWorldOptions {
  /** Builds each replica's PoT application (tests substitute deliberately broken ledgers). */
  makePotApp?: (genesis: GenesisConfig, options: LedgerOptions) => PotApplication;
  /**
   * Draw aggregated traffic ahead on a worker thread (see feed/feed.ts; same outputs). For single
   * runs with a core to spare; ignored when the compiled worker is missing.
   */
  trafficThread?: boolean;
}

interface ReportJob {
  epoch: number;
  volumes: EpochVolumes;
  triedInflated: boolean;
}

/** An execution's typed result and its canonical text (the reply the executing replica sent). */
interface Answer {
  readonly result: OpResult;
  readonly text: string;
}

/**
 * A submitted op: what the world will do with the chain's answer. `answers` holds the distinct results
 * of its executions up to the first correct one (usually one): the client's accepted reply is one of
 * their texts, or not the chain's answer at all (a fabricated reply).
 */
type OpRecord = { executed: boolean; answers: Answer[] } & (
  | { kind: "report"; job: ReportJob | null; attempt: ReportAttempt; executions: number }
  | { kind: "prepay"; who: "user" | "sybil"; index: number; amountWei: bigint }
  | { kind: "suspend" | "restore"; node: number }
);

/** FIFO of a client's submitted ops (a PBFT client has one outstanding request and queues the rest). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head]!;
    this.items[this.head++] = undefined; // nothing stays reachable from a consumed slot
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  get size(): number {
    return this.items.length - this.head;
  }
}

const YEAR_S = 365 * 86_400;

/** The chain's answer behind an accepted reply: the result whose text it is (undefined: no execution answered that). */
function answerTo(rec: OpRecord, reply: string): OpResult | undefined {
  for (const a of rec.answers) if (a.text === reply) return a.result;
  return undefined;
}

const isReportOp = (op: unknown): boolean => typeof op === "object" && op !== null && (op as { type?: unknown }).type === "volumeReport";

export class PotWorld implements World {
  readonly pbft: PbftWorld;
  readonly violations;
  readonly checker: EconomicsChecker;
  readonly cache: PotSharedCache;
  readonly codec = new ReportCodec();
  readonly epochs: number;
  readonly epochLength: number;
  readonly metaCount: number;
  readonly gateways: number;
  readonly pot: PotGenesis;
  readonly nodes: ResourceNodes;
  readonly users: Users;
  readonly sybils: SybilGroup[];
  readonly committee: MetaCommittee;
  readonly traffic: PotTraffic;
  readonly metrics: PotMetrics;
  private readonly coalitions: CoalitionPlan[];
  private readonly queues: Fifo<OpRecord>[];
  private readonly recordOf = new WeakMap<object, OpRecord>();
  private readonly reportQueue = new Fifo<ReportJob>();
  private inflight: ReportJob | null = null;
  private readonly kEpoch: number;
  private readonly faulty: ReadonlySet<number>;
  private readonly initialMined: bigint;
  private slashedWei = 0n;
  private suspensions = 0;
  private restorations = 0;
  private unservedTotal = 0;
  private requestsTotal = 0;
  private demandTotal = 0;
  private servedTotal = 0;
  private submitted = { reports: 0, prepays: 0, other: 0 };

  get sim() {
    return this.pbft.sim;
  }

  constructor(
    private readonly scenario: PotScenario,
    seed: number,
    opts: PotWorldOptions = {},
  ) {
    const e = scenario.economics;
    const p = scenario.pbft;
    if (!e) throw new Error("model pot needs an `economics` section");
    if (!p) throw new Error("model pot needs a `pbft` section (the validators)");
    const attacks = scenario.attacks ?? { coalitions: [], sybils: [], offline: [] };
    this.epochLength = e.epochLength;
    this.epochs = epochCount(e, scenario.until);
    this.metaCount = e.metaNodes.count;
    this.gateways = e.gateways;
    this.coalitions = attacks.coalitions.map((c, i) => {
      for (const m of c.members) {
        if (m >= this.metaCount) throw new Error(`attacks.coalitions[${i}]: meta node ${m} does not exist (economics.metaNodes.count is ${this.metaCount})`);
      }
      return { ...c, toEpoch: c.toEpoch ?? Number.MAX_SAFE_INTEGER };
    });
    const userCount = scenario.traffic ? scenario.traffic.users.reduce((s, g) => s + g.count, 0) : 0;
    this.pot = buildGenesis(e, userCount, attacks.sybils, this.epochs);
    this.cache = createSharedCache();

    const clients = this.metaCount + this.gateways;
    const inner: PbftScenario = {
      name: scenario.name,
      until: scenario.until,
      network: scenario.network,
      check: scenario.check,
      pbft: { ...p, clients: { ...p.clients, count: clients, requests: 0 } },
    };
    const ledgerOptions: LedgerOptions = { shared: this.cache, strictSigners: e.strictSigners };
    const makePot = opts.makePotApp ?? ((g, o) => new PotApplication(g, o));
    const hook = {
      before: (r: number, l: PotLedger, ledgerOp: unknown) => this.checker.beforeExecute(r, l, isReportOp(ledgerOp)),
      after: (r: number, l: PotLedger, op: unknown, ledgerOp: unknown, res: OpResult, text: string, ctx: ExecContext) =>
        this.afterExecute(r, l, op, ledgerOp, res, text, ctx),
    };
    this.pbft = new PbftWorld(inner, seed, {
      makeApp: (r) => new PotChainApp(r, makePot(this.pot.genesis, ledgerOptions), this.codec, hook),
      observer: { client: (c, ev) => this.onClient(c, ev) },
    });
    this.violations = this.pbft.violations;
    this.faulty = this.pbft.faultyReplicas;
    this.checker = new EconomicsChecker((r) => !this.faulty.has(r), this.violations);
    this.queues = Array.from({ length: clients }, () => new Fifo<OpRecord>());
    this.initialMined = this.pot.genesis.totalMinedWei;

    // Actors.
    const sim = this.sim;
    const R = e.resourceNodes.count;
    this.nodes = new ResourceNodes(R);
    const walletNames = [...this.nodes.wallets];
    this.sybils = attacks.sybils.map((s, g) => {
      const group = new SybilGroup(g, s, walletNames.length, this.epochs);
      walletNames.push(...group.wallets);
      return group;
    });
    this.committee = new MetaCommittee(
      this.metaCount,
      walletNames,
      this.coalitions,
      this.cache,
      this.codec,
      e.metaNodes.settleFraction,
    );
    this.traffic = new PotTraffic(scenario.traffic, R, sim, this.committee.vol, this.nodes.online, e.resourceNodes.capacity, this.epochLength);
    this.users = new Users(
      this.traffic.userCount,
      this.pot.userBalanceWei,
      stosToWei(e.users.prepayStos),
      (u) => this.traffic.meanDemandPerSecond(u) * this.epochLength,
      e.users.refillEpochs,
    );
    const slots: { wallet: string; kind: "honest" | "sybil" | "coalition"; node: string }[] = [];
    for (let j = 0; j < R; j++) slots.push({ wallet: this.nodes.wallets[j]!, kind: "honest", node: this.nodes.addresses[j]! });
    for (const g of this.sybils) {
      for (let i = 0; i < g.wallets.length; i++) slots.push({ wallet: g.wallets[i]!, kind: "sybil", node: g.nodes[i]! });
    }
    this.coalitions.forEach((c, i) => {
      if (c.mode === "self") slots.push({ wallet: addr.coalitionWallet(i), kind: "coalition", node: "" });
    });
    this.metrics = new PotMetrics(
      this.cache,
      slots,
      this.coalitions.map((c, i) => [...c.members.map((m) => this.committee.metas[m]!.wallet), addr.coalitionWallet(i)]),
      this.epochs,
    );

    // Churn and outages.
    this.churnRng = sim.rng.stream("pot.churn");
    const churnCfg = scenario.traffic?.churn ?? null;
    const perRequest = scenario.traffic?.mode === "perRequest";
    if (churnCfg) {
      const churn = new Churn(churnCfg, R);
      this.nodes.churn = churn;
      const rng = this.churnRng;
      if (perRequest) {
        const kChurn = sim.register("pot.churn", (j) => {
          churn.flip(j);
          sim.scheduleAt(churn.nextTransition(j, sim.now, rng), j, kChurn);
        });
        for (let j = 0; j < R; j++) {
          churn.initialState(j, rng);
          sim.scheduleAt(churn.nextTransition(j, 0, rng), j, kChurn);
        }
      } else churn.initAll(0, rng);
    }
    const outages = planOutages(attacks.offline, R, sim.rng.stream("pot.outages"));
    const kOutage = sim.register("pot.outage", (_t, payload) => {
      const o = payload as { nodes: readonly number[]; delta: number };
      for (const j of o.nodes) this.nodes.forcedOff[j]! += o.delta;
    });
    for (const o of outages) {
      sim.scheduleAt(o.at, 0, kOutage, { nodes: o.nodes, delta: 1 });
      sim.scheduleAt(o.until, 0, kOutage, { nodes: o.nodes, delta: -1 });
    }
    this.outageNodes = outages.map((o) => o.nodes);
    if (opts.trafficThread && !perRequest && scenario.traffic && this.traffic.userCount > 0) {
      // Honest reports depend on the traffic alone without Sybil wallets, coalitions, a settlement rule
      // or a node capacity (the world checks the rest per epoch): the feed encodes them too.
      const reportsFromTraffic =
        this.sybils.length === 0 && this.coalitions.length === 0 && e.metaNodes.settleFraction >= 1 && e.resourceNodes.capacity === undefined;
      const reports = reportsFromTraffic
        ? { wallets: walletNames, metas: this.committee.metas.map((m) => ({ address: m.address, owner: m.owner })) }
        : undefined;
      const spec = { seed, section: scenario.traffic, nodeCount: R, epochLength: this.epochLength, epochs: this.epochs, outages, reports };
      this.feed = TrafficFeed.start(spec);
      if (this.feed) this.traffic.useFeed(this.feed);
    }

    // Epoch cycle: prepays at t = 0, then one report per epoch.
    const kStart = sim.register("pot.start", () => this.prepays(1));
    sim.scheduleAt(0, 0, kStart);
    this.kEpoch = sim.register("pot.epoch", (_t, payload) => this.onEpoch(payload as number));
    if (this.epochs >= 1) sim.scheduleAt(this.epochLength, 0, this.kEpoch, 1);
    if (perRequest) this.traffic.startPerRequest(this.epochs * this.epochLength);
  }

  private readonly outageNodes: (readonly number[])[];
  /** The worker drawing aggregated traffic, when trafficThread is on. */
  private readonly feed: TrafficFeed | undefined;

  /** Whether a worker thread draws this world's aggregated traffic (PotWorldOptions.trafficThread). */
  get trafficThread(): boolean {
    return this.feed !== undefined;
  }
  private readonly churnRng: ReturnType<PbftWorld["sim"]["rng"]["stream"]>;

  // ─────────────────────────────── epoch cycle ───────────────────────────────

  private onEpoch(epoch: number): void {
    const t1 = epoch * this.epochLength;
    const t0 = t1 - this.epochLength;
    const churn = this.nodes.churn;
    if (churn && this.scenario.traffic?.mode !== "perRequest") churn.advanceTo(t1, this.churnRng);
    // The online set is fixed for the rest of this event: one mask serves traffic, node watch and metrics.
    const online = this.nodes.refreshOnline();
    if (this.scenario.traffic?.mode !== "perRequest") this.traffic.aggregated(t0, t1, this.nodes.onlineMask);
    const stats = this.traffic.takeEpochStats();
    this.requestsTotal += stats.requests;
    this.unservedTotal += stats.unservedNoNode + stats.unservedOzone;
    this.demandTotal += stats.demandNoz;
    this.servedTotal += stats.servedNoz;
    for (const g of this.sybils) g.selfDownload(this.committee.vol);
    this.watchNodes(epoch);
    this.metrics.epochEnded(epoch, stats, online, this.nodes.suspendedCount());
    const volumes = this.committee.closeEpoch(this.traffic.takeFedReport());
    if (volumes) this.enqueueReport({ epoch, volumes, triedInflated: false });
    else {
      const l = this.metricsLedger();
      if (l) this.metrics.epochSkipped(epoch, l, this.sim.now);
    }
    if (epoch < this.epochs) {
      this.prepays(epoch + 1);
      this.sim.scheduleAt(t1 + this.epochLength, 0, this.kEpoch, epoch + 1);
    }
  }

  /** Prepays submitted at the start of `epoch`: users low on ozone, Sybil budgets. */
  private prepays(epoch: number): void {
    const due: number[] = [];
    this.users.due(this.traffic.ozone, due);
    const size = this.scenario.economics!.txBytes;
    const amountWei = this.users.prepayWei.toString();
    for (const u of due) {
      const op = { type: "prepay", sender: this.users.addresses[u]!, amountWei };
      this.submit(this.gateway(u), op, size, { kind: "prepay", who: "user", index: u, amountWei: this.users.prepayWei, executed: false, answers: [] });
    }
    for (const g of this.sybils) {
      if (!g.active(epoch) || g.pending) continue;
      g.pending = true;
      const op = { type: "prepay", sender: g.funder, amountWei: g.budgetWei.toString() };
      this.submit(this.gateway(g.group), op, size, { kind: "prepay", who: "sybil", index: g.group, amountWei: g.budgetWei, executed: false, answers: [] });
    }
  }

  /** Meta nodes suspend nodes offline for graceEpochs epochs and restore them once back (online set: refreshOnline). */
  private watchNodes(epoch: number): void {
    const e = this.scenario.economics!;
    const n = this.nodes;
    const size = e.txBytes;
    for (let j = 0; j < n.count; j++) {
      if (n.onlineMask[j] === 1) {
        n.offlineEpochs[j] = 0;
        if (n.suspended[j] && !n.busy[j]) {
          n.busy[j] = 1;
          const m = this.committee.metas[(epoch + j) % this.metaCount]!;
          const op = {
            type: "updateEffectiveDeposit",
            reporters: [m.address],
            reporterOwners: [m.owner],
            networkAddress: n.addresses[j]!,
            effectiveTokensWei: this.pot.resourceDepositWei.toString(),
          };
          this.submit(m.index, op, size, { kind: "restore", node: j, executed: false, answers: [] });
        }
      } else {
        n.offlineEpochs[j]!++;
        if (n.offlineEpochs[j]! >= e.resourceNodes.graceEpochs && !n.suspended[j] && !n.busy[j]) {
          n.busy[j] = 1;
          const m = this.committee.metas[(epoch + j) % this.metaCount]!;
          const op = {
            type: "slashResourceNode",
            reporters: [m.address],
            reporterOwners: [m.owner],
            networkAddress: n.addresses[j]!,
            walletAddress: n.wallets[j]!,
            slashingNoz: String(Math.floor(e.resourceNodes.slashNoz)),
            suspend: true,
          };
          this.submit(m.index, op, size, { kind: "suspend", node: j, executed: false, answers: [] });
        }
      }
    }
  }

  // ─────────────────────────────── reports ───────────────────────────────

  private enqueueReport(job: ReportJob): void {
    this.reportQueue.push(job);
    this.pumpReports();
  }

  /** Reports go one at a time (epochs must reach the chain in increasing order). */
  private pumpReports(): void {
    if (this.inflight) return;
    const job = this.reportQueue.shift();
    if (!job) return;
    this.inflight = job;
    this.submitReport(job);
  }

  private submitReport(job: ReportJob): void {
    const c = this.committee;
    const coalition = c.inflatingCoalition(job.epoch);
    let built: BuiltReport;
    let reporter: number;
    let kind: "honest" | "inflated";
    if (coalition >= 0 && !job.triedInflated) {
      job.triedInflated = true;
      reporter = c.reporterOf(job.epoch);
      built = c.inflated(job.epoch, reporter, coalition, job.volumes);
      kind = "inflated";
      this.metrics.inflatedStats(coalition).submitted++;
    } else {
      reporter = c.honestReporter(job.epoch);
      if (reporter < 0) {
        // Every meta node inflates this epoch: no honest report exists.
        this.inflight = null;
        this.pumpReports();
        return;
      }
      built = c.honest(job.epoch, reporter, job.volumes);
      kind = "honest";
      // The true consumption is no longer outstanding once it is reported.
      c.outstandingNoz -= built.totalVolume;
    }
    const e = this.scenario.economics!;
    const attempt: ReportAttempt = {
      epoch: job.epoch,
      kind,
      coalition: kind === "inflated" ? coalition : -1,
      reporter,
      entries: built.entries,
      signers: built.signers,
      totalVolume: built.totalVolume,
      epochEnd: job.epoch * this.epochLength,
    };
    const rec: OpRecord = { kind: "report", job, attempt, executed: false, answers: [], executions: 0 };
    this.submit(reporter, built.packed, 200 + e.reportEntryBytes * built.entries, rec);
  }

  // ─────────────────────────────── PBFT clients ───────────────────────────────

  private gateway(i: number): number {
    return this.metaCount + (i % this.gateways);
  }

  private submit(client: number, op: object, size: number, rec: OpRecord): void {
    this.queues[client]!.push(rec);
    this.recordOf.set(op, rec);
    if (rec.kind === "report") this.submitted.reports++;
    else if (rec.kind === "prepay") this.submitted.prepays++;
    else this.submitted.other++;
    this.pbft.hosts.submit(client, op, size);
  }

  private onClient(client: number, ev: ClientObservation): void {
    if (ev.type !== "accepted") return;
    const rec = this.queues[client]!.shift();
    if (!rec) return;
    const answer = answerTo(rec, ev.result);
    switch (rec.kind) {
      case "report": {
        const job = rec.job!;
        rec.job = null; // the record lives as long as PBFT keeps the op; the job's lists need not
        if (!answer?.ok && rec.attempt.kind === "inflated") {
          this.submitReport(job);
          return;
        }
        this.inflight = null;
        this.pumpReports();
        return;
      }
      case "prepay": {
        const ok = answer?.ok === true && answer.type === "prepay";
        const purchased = ok ? answer.value.purchasedNoz : 0n;
        if (ok) this.committee.outstandingNoz += purchased;
        if (rec.who === "user") {
          const u = rec.index;
          this.users.pending[u] = 0;
          if (ok) {
            this.users.balance[u]! -= rec.amountWei;
            this.traffic.ozone[u]! += Number(purchased);
            this.users.prepays++;
            this.users.prepaidWei += rec.amountWei;
            this.users.purchasedNoz += purchased;
          } else this.users.refused++;
        } else {
          const g = this.sybils[rec.index]!;
          g.pending = false;
          if (ok) {
            g.ozone += Number(purchased);
            g.costWei += rec.amountWei;
            g.purchasedNoz += purchased;
          }
        }
        return;
      }
      case "suspend": {
        this.nodes.busy[rec.node] = 0;
        if (answer?.ok && answer.type === "slashResourceNode") {
          this.nodes.suspended[rec.node] = 1;
          this.suspensions++;
          this.slashedWei += answer.value.slashedWei;
        }
        return;
      }
      case "restore": {
        this.nodes.busy[rec.node] = 0;
        if (answer?.ok) {
          this.nodes.suspended[rec.node] = 0;
          this.restorations++;
        }
        return;
      }
    }
  }

  // ─────────────────────────────── execution hook ───────────────────────────────

  private afterExecute(replica: number, ledger: PotLedger, op: unknown, ledgerOp: unknown, result: OpResult, text: string, ctx: ExecContext): void {
    const now = this.sim.now;
    this.checker.afterExecute(replica, ledger, result, now, ctx.seq);
    if (typeof op !== "object" || op === null) return;
    const rec = this.recordOf.get(op);
    if (!rec) return;
    const hosts = this.pbft.hosts.replicas.length;
    if (rec.kind === "report") {
      // Once every replica host executed a report, drop its decoded form (PBFT may keep the packed op
      // in its log until the next stable checkpoint; a late execution would decode it again).
      if (++rec.executions === hosts) this.codec.release(op);
    }
    if (!rec.executed && !rec.answers.some((a) => a.text === text)) rec.answers.push({ result, text });
    if (!this.faulty.has(replica) && !rec.executed) {
      rec.executed = true;
      if (rec.kind === "report") {
        if ((op as { type?: string }).type === PACKED_REPORT) this.metrics.reportExecuted(rec.attempt, ledgerOp as VolumeReportOp, ledger, result, text, now);
      } else if (rec.kind === "prepay") this.metrics.prepayExecuted(rec.amountWei, result);
    }
    // Nothing more to do for this op (later executions would find it executed): forget it now rather
    // than when PBFT drops the op from its log.
    if (rec.executed && (rec.kind !== "report" || rec.executions >= hosts)) this.recordOf.delete(op);
  }

  /** The settlement rule's figures, only when one applies (runs without one keep their summary as it was). */
  private settlementSummary(): { settleFraction: number; carriedNoz: number } | Record<string, never> {
    const fraction = this.scenario.economics!.metaNodes.settleFraction;
    return fraction < 1 ? { settleFraction: fraction, carriedNoz: this.committee.carriedNoz } : {};
  }

  /** The ledger of the lowest-id correct replica that is up. */
  private metricsLedger(): PotLedger | undefined {
    for (const h of this.pbft.hosts.replicas) {
      if (!h.shadow && h.up && !this.faulty.has(h.replicaId)) return (h.replica.application as PotChainApp).ledger;
    }
    return undefined;
  }

  // ─────────────────────────────── results ───────────────────────────────

  finish(): WorldOutput {
    this.feed?.close();
    const now = this.sim.now;
    const correctHosts = this.pbft.hosts.replicas.filter((h) => !h.shadow && !this.faulty.has(h.replicaId));
    for (const h of correctHosts) this.checker.finalCheck(h.replicaId, (h.replica.application as PotChainApp).ledger, now);
    const base = this.pbft.finish();
    const ledger = this.metricsLedger();
    const pbftSummary = base.summary;
    const up = correctHosts.filter((h) => h.up);
    const maxExec = Math.max(0, ...up.map((h) => h.replica.lastExecuted));
    const synced = up.filter((h) => h.replica.lastExecuted === maxExec);
    const digests = new Set(synced.map((h) => h.replica.application.stateDigest()));
    const years = now / YEAR_S;
    const minedWei = ledger ? ledger.M - this.initialMined : 0n;
    const supply = ledger?.params.initialTotalSupplyWei ?? 0n;
    const sc = ledger?.totalSupplyCheck();
    const pools = ledger?.pools();
    const m = this.metrics;
    const stos = (w: bigint) => round(weiToStos(w), 12);
    const attackers = this.attackersTable();
    const summary: Record<string, unknown> = {
      model: "pot",
      epochs: this.epochs,
      epochLength_s: this.epochLength,
      simulatedYears: round(years),
      reports: {
        submitted: this.submitted.reports,
        accepted: m.accepted,
        rejected: m.rejected,
        rejectedByReason: Object.fromEntries([...m.rejectedByReason].sort(([a], [b]) => (a < b ? -1 : 1))),
        skippedNoTraffic: m.skipped,
        pending: this.reportQueue.size + (this.inflight ? 1 : 0),
        lastAcceptedEpoch: m.lastAcceptedEpoch,
        clampedToOzoneSold: this.committee.clampedEpochs,
        ...this.settlementSummary(),
        inflated: Object.fromEntries(
          [...m.inflated].map(([c, s]) => [`coalition${c}`, { submitted: s.submitted, accepted: s.accepted, rejected: s.rejected, drainedStos: stos(s.drainedWei) }]),
        ),
      },
      consensus: {
        n: pbftSummary.n,
        f: pbftSummary.f,
        clients: this.metaCount + this.gateways,
        requestsIssued: pbftSummary.requestsIssued,
        requestsCompleted: pbftSummary.requestsCompleted,
        allCommitted: pbftSummary.requestsIssued === pbftSummary.requestsCompleted,
        viewChanges: pbftSummary.viewChanges,
        finalView: pbftSummary.finalView,
        executedSeq: pbftSummary.executedSeq,
        faultyReplicas: pbftSummary.faultyReplicas,
        messages: pbftSummary.messages,
        latency: pbftSummary.latency,
      },
      issuance: {
        minedStos: stos(minedWei),
        minedPerYearStos: years > 0 ? round(weiToStos(minedWei) / years) : null,
        inflationPerYear: years > 0 && supply > 0n ? round(weiToStos(minedWei) / weiToStos(supply) / years) : null,
        totalMinedStos: ledger ? stos(ledger.M) : null,
        stage: ledger?.stage().stage ?? null,
        trafficPaidStos: stos(m.traffic.validators + m.traffic.meta + m.traffic.resource + m.communityTaxWei),
      },
      rewardsByClass: {
        validators: { miningStos: stos(m.mining.validators), trafficStos: stos(m.traffic.validators) },
        meta: { miningStos: stos(m.mining.meta), trafficStos: stos(m.traffic.meta) },
        resource: { miningStos: stos(m.mining.resource), trafficStos: stos(m.traffic.resource) },
        communityTaxStos: stos(m.communityTaxWei),
        giniResource: round(m.finalGini(), 9),
      },
      finalDistribution: pools
        ? {
            foundationStos: stos(pools.foundation),
            validatorsFeeCollectorStos: stos(pools.feeCollector),
            rewardPoolStos: stos(pools.rewardPool),
            unissuedPrepayStos: stos(pools.prepay),
            communityPoolStos: stos(pools.communityPool),
            metaBondedStos: stos(pools.metaBonded),
            resourceBondedStos: stos(pools.resourceBonded),
            balancesStos: sc ? stos(sc.breakdown.balances ?? 0n) : null,
          }
        : null,
      market: ledger ? { ozonePrice: ledger.price() ?? null, S_wei: String(ledger.S), P_wei: String(ledger.P), L_noz: String(ledger.L) } : null,
      users: {
        count: this.users.count,
        prepays: this.users.prepays,
        prepaidStos: stos(this.users.prepaidWei),
        prepaysRefused: this.users.refused,
        requests: this.requestsTotal,
        unservedRequests: this.unservedTotal,
        demandNoz: Math.round(this.demandTotal),
        servedNoz: Math.round(this.servedTotal),
      },
      resourceNodes: {
        count: this.nodes.count,
        suspensions: this.suspensions,
        restorations: this.restorations,
        suspendedAtEnd: this.nodes.suspendedCount(),
        slashedStos: stos(this.slashedWei),
      },
      attackers: attackers.rows.map((r) => Object.fromEntries(attackers.columns.map((c, i) => [c, typeof r[i] === "bigint" ? String(r[i]) : r[i]]))),
      supplyOk: sc?.ok ?? false,
      ledgerDigestsAgree: digests.size <= 1,
      correctReplicasInSync: synced.length === up.length,
      economicChecks: this.checker.checked,
      violationCount: this.violations.length,
    };
    const tables: Table[] = [...base.tables, m.epochsTable(), m.resourceTable(), this.metaTable(), attackers];
    return { summary, tables, violations: this.violations };
  }

  private metaTable(): Table {
    const rows: Cell[][] = this.committee.metas.map((meta) => {
      const mining = this.metrics.metaMining.get(meta.wallet) ?? 0n;
      const traffic = this.metrics.metaTraffic.get(meta.wallet) ?? 0n;
      const c = this.coalitions.findIndex((k) => k.members.includes(meta.index));
      return [meta.index, meta.address, meta.wallet, mining, traffic, mining + traffic, c >= 0 ? c : null, this.pbft.config.n + meta.index];
    });
    return { name: "meta_rewards", columns: ["meta", "address", "wallet", "mining_wei", "traffic_wei", "total_wei", "coalition", "node"], rows };
  }

  private attackersTable(): Table {
    const rows: Cell[][] = [];
    const roc = (rewards: bigint, cost: bigint): number | null => (cost > 0n ? round(weiToStos(rewards - cost) / weiToStos(cost), 9) : null);
    this.sybils.forEach((g) => {
      let rewards = 0n;
      for (const w of g.wallets) {
        const r = this.metrics.walletRewards(w);
        rewards += r.mining + r.traffic;
      }
      rows.push([`sybil${g.group}`, g.costWei, rewards, roc(rewards, g.costWei), "sybil", g.wallets.length, rewards - g.costWei]);
    });
    this.coalitions.forEach((c, i) => {
      const s = this.metrics.inflated.get(i);
      const rewards = s?.rewardsWei ?? 0n;
      rows.push([`coalition${i}`, 0n, rewards, null, "coalition", c.members.length, rewards]);
    });
    this.outageNodes.forEach((nodes, i) => {
      let rewards = 0n;
      for (const j of nodes) {
        const r = this.metrics.walletRewards(this.nodes.wallets[j]!);
        rewards += r.mining + r.traffic;
      }
      let debt = 0n;
      const l = this.metricsLedger();
      if (l) for (const j of nodes) debt += l.debt(this.nodes.wallets[j]!);
      rows.push([`offline${i}`, debt, rewards, roc(rewards, debt), "offline", nodes.length, rewards - debt]);
    });
    return { name: "attackers", columns: ["group", "cost_wei", "rewards_wei", "return_on_cost", "kind", "members", "profit_wei"], rows };
  }

  /** Quorum of the meta committee (for tests and summaries). */
  get reportQuorum(): number {
    return reportQuorum(this.metaCount);
  }

  /** Epochs Sybil group g buys ozone for. */
  sybilEpochs(g: number): number {
    const s = this.sybils[g]!.spec;
    return activeEpochs(s.fromEpoch, s.toEpoch, this.epochs);
  }
}
