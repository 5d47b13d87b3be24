// The PoT model as a runnable world: a PbftWorld whose replicas (the validators) run the PoT ledger
// as their application, and around it the economic actors — meta nodes (one PBFT client each: they
// observe served traffic, build and co-sign the per-epoch volume report, and suspend/restore offline
// resource nodes), gateway PBFT clients carrying users' and Sybils' prepays, users with a traffic
// model, resource nodes with churn and outages, and the economic faults. Every economic transaction is
// a client request ordered by PBFT and executed by every correct replica; the economic checker runs
// after each execution at each correct replica, and metrics are taken at the first correct replica to
// execute each transaction. Node ids: replicas 0..n-1, then meta nodes, then gateways (as PbftWorld).
// This file wires the parts (built by ./wiring) and runs the epoch cycle; ./results turns the finished
// run into the summary and tables.
// May import: kernel, protocols, faults, check, ../pbft, ../scenario (types), ../types, ./*.

import { EconomicsChecker } from "../../check/index.js";
import type { CoalitionPlan } from "../../faults/index.js";
import type { Stream } from "../../kernel/index.js";
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
import type { WorldObserver } from "../observe.js";
import { PbftWorld } from "../pbft/index.js";
import type { EconomicsSection } from "../scenario.js";
import type { World, WorldOutput } from "../types.js";
import type { BuiltReport, EpochVolumes, MetaCommittee, ResourceNodes, SybilGroup, Users } from "./actors.js";
import { ledgerOf, PACKED_REPORT, PotChainApp, ReportCodec } from "./app.js";
import { activeEpochs, buildGenesis, epochCount, type PotGenesis, type PotScenario } from "./config.js";
import type { TrafficFeed } from "./feed/index.js";
import { Fifo } from "./fifo.js";
import type { PotMetrics, ReportAttempt } from "./metrics.js";
import { metricsLedger, potOutput, RunTotals } from "./results.js";
import type { PotTraffic } from "./traffic.js";
import { economicSchedule } from "./schedule.js";
import { buildActors, NO_ATTACKS, planCoalitions, scheduleChurn, scheduleOutages, startTrafficFeed, userCount } from "./wiring.js";

export interface PotWorldOptions {
  /** Builds each replica's PoT application (tests substitute deliberately broken ledgers). */
  makePotApp?: (genesis: GenesisConfig, options: LedgerOptions) => PotApplication;
  /**
   * Draw aggregated traffic ahead on a worker thread (see feed/feed.ts; same outputs). For single
   * runs with a core to spare; ignored when the compiled worker is missing.
   */
  trafficThread?: boolean;
  /** Watches the whole world: the PBFT world's events and the economic ones (../observe.ts). */
  worldObserver?: WorldObserver;
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
  private readonly econ: EconomicsSection;
  private readonly perRequest: boolean;
  private readonly coalitions: CoalitionPlan[];
  private readonly queues: Fifo<OpRecord>[];
  private readonly recordOf = new WeakMap<object, OpRecord>();
  private readonly reportQueue = new Fifo<ReportJob>();
  private inflight: ReportJob | null = null;
  private readonly kEpoch: number;
  private readonly faulty: ReadonlySet<number>;
  private readonly churnRng: Stream;
  /** Resource nodes of each planned outage (for the attackers table). */
  private readonly outageNodes: (readonly number[])[];
  /** The planned outages with their nodes, and what the schedule table needs of the scenario. */
  private readonly outages: ReturnType<typeof scheduleOutages>;
  private readonly attacks: NonNullable<PotScenario["attacks"]>;
  private readonly trafficSection: PotScenario["traffic"];
  /** The worker drawing aggregated traffic, when trafficThread is on. */
  private readonly feed: TrafficFeed | undefined;
  private readonly totals = new RunTotals();
  private readonly watcher: WorldObserver | null;
  /** Highest reward key seen matured at a correct replica (for the observer's rewardMatured). */
  private maturedSeen = 0;

  get sim() {
    return this.pbft.sim;
  }

  constructor(scenario: PotScenario, seed: number, opts: PotWorldOptions = {}) {
    const e = scenario.economics;
    const p = scenario.pbft;
    if (!e) throw new Error("model pot needs an `economics` section");
    if (!p) throw new Error("model pot needs a `pbft` section (the validators)");
    const attacks = scenario.attacks ?? NO_ATTACKS;
    this.attacks = attacks;
    this.trafficSection = scenario.traffic;
    this.econ = e;
    this.perRequest = scenario.traffic?.mode === "perRequest";
    this.epochLength = e.epochLength;
    this.epochs = epochCount(e, scenario.until);
    this.metaCount = e.metaNodes.count;
    this.gateways = e.gateways;
    this.coalitions = planCoalitions(attacks.coalitions, this.metaCount);
    this.pot = buildGenesis(e, userCount(scenario.traffic), attacks.sybils, this.epochs);
    this.cache = createSharedCache();

    // The validators: a PBFT world whose replicas run the PoT ledger; its clients are the meta nodes, then the gateways.
    const clients = this.metaCount + this.gateways;
    const ledgerOptions: LedgerOptions = { shared: this.cache, strictSigners: e.strictSigners };
    const makePot = opts.makePotApp ?? ((g, o) => new PotApplication(g, o));
    const hook = {
      before: (r: number, l: PotLedger, ledgerOp: unknown) => this.checker.beforeExecute(r, l, isReportOp(ledgerOp)),
      after: (r: number, l: PotLedger, op: unknown, ledgerOp: unknown, res: OpResult, text: string, ctx: ExecContext) =>
        this.afterExecute(r, l, op, ledgerOp, res, text, ctx),
    };
    const validators = { ...scenario, pbft: { ...p, clients: { ...p.clients, count: clients, requests: 0 } } };
    this.pbft = new PbftWorld(validators, seed, {
      makeApp: (r) => new PotChainApp(r, makePot(this.pot.genesis, ledgerOptions), this.codec, hook),
      observer: { client: (c, ev) => this.onClient(c, ev) },
      worldObserver: opts.worldObserver,
    });
    this.watcher = opts.worldObserver ?? null;
    this.violations = this.pbft.violations;
    this.faulty = this.pbft.faultyReplicas;
    this.checker = new EconomicsChecker((r) => !this.faulty.has(r), this.violations);
    this.queues = Array.from({ length: clients }, () => new Fifo<OpRecord>());

    // Actors, then churn and outages (the order of kernel registrations is fixed).
    const sim = this.sim;
    const actors = buildActors({
      sim,
      economics: e,
      traffic: scenario.traffic,
      attacks,
      coalitions: this.coalitions,
      epochs: this.epochs,
      pot: this.pot,
      cache: this.cache,
      codec: this.codec,
    });
    ({ nodes: this.nodes, sybils: this.sybils, committee: this.committee, traffic: this.traffic, users: this.users, metrics: this.metrics } = actors);
    this.churnRng = sim.rng.stream("pot.churn");
    scheduleChurn(sim, this.nodes, scenario.traffic, this.churnRng);
    const outages = scheduleOutages(sim, this.nodes, attacks);
    this.outages = outages;
    this.outageNodes = outages.map((o) => o.nodes);
    this.feed =
      opts.trafficThread && !this.perRequest && scenario.traffic && this.traffic.userCount > 0
        ? startTrafficFeed({
            seed,
            economics: e,
            traffic: scenario.traffic,
            epochs: this.epochs,
            actors,
            coalitions: this.coalitions.length,
            outages,
          })
        : undefined;

    // Epoch cycle: prepays at t = 0, then one report per epoch.
    const kStart = sim.register("pot.start", () => this.prepays(1));
    sim.scheduleAt(0, 0, kStart);
    this.kEpoch = sim.register("pot.epoch", (_t, payload) => this.onEpoch(payload as number));
    if (this.epochs >= 1) sim.scheduleAt(this.epochLength, 0, this.kEpoch, 1);
    if (this.perRequest) this.traffic.startPerRequest(this.epochs * this.epochLength);
  }

  /** Whether a worker thread draws this world's aggregated traffic (PotWorldOptions.trafficThread). */
  get trafficThread(): boolean {
    return this.feed !== undefined;
  }

  // ─────────────────────────────── epoch cycle ───────────────────────────────

  private onEpoch(epoch: number): void {
    const t1 = epoch * this.epochLength;
    const t0 = t1 - this.epochLength;
    const churn = this.nodes.churn;
    if (churn && !this.perRequest) churn.advanceTo(t1, this.churnRng);
    // The online set is fixed for the rest of this event: one mask serves traffic, node watch and metrics.
    const online = this.nodes.refreshOnline();
    if (!this.perRequest) this.traffic.aggregated(t0, t1, this.nodes.onlineMask);
    const stats = this.traffic.takeEpochStats();
    const tot = this.totals;
    tot.requests += stats.requests;
    tot.unserved += stats.unservedNoNode + stats.unservedOzone;
    tot.demandNoz += stats.demandNoz;
    tot.servedNoz += stats.servedNoz;
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
      this.sim.postAt(t1 + this.epochLength, 0, this.kEpoch, epoch + 1);
    }
  }

  /** Prepays submitted at the start of `epoch`: users low on ozone, Sybil budgets. */
  private prepays(epoch: number): void {
    const due: number[] = [];
    this.users.due(this.traffic.ozone, due);
    const size = this.econ.txBytes;
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
    const e = this.econ;
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
    const e = this.econ;
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
    this.watcher?.economic(
      {
        type: "reportSubmitted",
        node: this.pbft.config.n + reporter,
        epoch: job.epoch,
        reporter,
        kind,
        entries: built.entries,
        signers: built.signers,
        volumeNoz: built.totalVolume,
      },
      this.sim.now,
    );
    this.submit(reporter, built.packed, 200 + e.reportEntryBytes * built.entries, rec);
  }

  // ─────────────────────────────── PBFT clients ───────────────────────────────

  private gateway(i: number): number {
    return this.metaCount + (i % this.gateways);
  }

  private submit(client: number, op: object, size: number, rec: OpRecord): void {
    this.queues[client]!.push(rec);
    this.recordOf.set(op, rec);
    if (rec.kind === "report") this.totals.submitted.reports++;
    else if (rec.kind === "prepay") this.totals.submitted.prepays++;
    else this.totals.submitted.other++;
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
          this.totals.suspensions++;
          this.totals.slashedWei += answer.value.slashedWei;
        }
        return;
      }
      case "restore": {
        this.nodes.busy[rec.node] = 0;
        if (answer?.ok) {
          this.nodes.suspended[rec.node] = 0;
          this.totals.restorations++;
        }
        return;
      }
    }
  }

  // ─────────────────────────────── execution hook ───────────────────────────────

  private afterExecute(replica: number, ledger: PotLedger, op: unknown, ledgerOp: unknown, result: OpResult, text: string, ctx: ExecContext): void {
    const now = this.sim.now;
    this.checker.afterExecute(replica, ledger, result, now, ctx.seq);
    if (this.watcher !== null) {
      this.pbft.reportViolations(now);
      if (!this.faulty.has(replica) && ledger.maturedEpoch > this.maturedSeen) {
        this.maturedSeen = ledger.maturedEpoch;
        this.watcher.economic({ type: "rewardMatured", node: replica, epoch: this.maturedSeen }, now);
      }
    }
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
      if (this.watcher !== null) this.observeExecution(replica, rec, result, now);
    }
    // Nothing more to do for this op (later executions would find it executed): forget it now rather
    // than when PBFT drops the op from its log.
    if (rec.executed && (rec.kind !== "report" || rec.executions >= hosts)) this.recordOf.delete(op);
  }

  /** The economic event of a transaction's first execution at a correct replica. */
  private observeExecution(replica: number, rec: OpRecord, result: OpResult, now: number): void {
    const w = this.watcher!;
    const reason = result.ok ? null : result.reason;
    switch (rec.kind) {
      case "report": {
        const a = rec.attempt;
        w.economic({ type: "reportExecuted", node: replica, epoch: a.epoch, reporter: a.reporter, kind: a.kind, accepted: result.ok, reason }, now);
        return;
      }
      case "prepay": {
        const purchasedNoz = result.ok && result.type === "prepay" ? result.value.purchasedNoz : 0n;
        w.economic(
          { type: "prepay", node: replica, payer: rec.who, index: rec.index, amountWei: rec.amountWei, accepted: result.ok, reason, purchasedNoz },
          now,
        );
        return;
      }
      case "suspend":
      case "restore":
        if (result.ok) {
          w.economic({ type: rec.kind === "suspend" ? "nodeSuspended" : "nodeRestored", node: replica, resourceNode: this.nodes.addresses[rec.node]! }, now);
        }
        return;
    }
  }

  /** The ledger of the lowest-id correct replica that is up. */
  private metricsLedger(): PotLedger | undefined {
    return metricsLedger(this.pbft, this.faulty);
  }

  // ─────────────────────────────── results ───────────────────────────────

  finish(): WorldOutput {
    this.feed?.close();
    const now = this.sim.now;
    for (const h of this.pbft.hosts.replicas) {
      if (!h.shadow && !this.faulty.has(h.replicaId)) this.checker.finalCheck(h.replicaId, ledgerOf(h), now);
    }
    this.pbft.reportViolations(now);
    const pbftOutput = this.pbft.finish();
    return potOutput({
      now,
      epochs: this.epochs,
      epochLength: this.epochLength,
      clients: this.metaCount + this.gateways,
      settleFraction: this.econ.metaNodes.settleFraction,
      initialMinedWei: this.pot.genesis.totalMinedWei,
      pbft: this.pbft,
      pbftOutput,
      faulty: this.faulty,
      ledger: this.metricsLedger(),
      metrics: this.metrics,
      committee: this.committee,
      users: this.users,
      nodes: this.nodes,
      sybils: this.sybils,
      coalitions: this.coalitions,
      outageNodes: this.outageNodes,
      outageStartsSec: this.outages.map((o) => o.at),
      pbftWarnings: this.pbft.warnings(),
      schedule: [
        ...this.pbft.scheduleItems(),
        ...economicSchedule({
          attacks: this.attacks,
          coalitions: this.coalitions,
          outages: this.outages,
          traffic: this.trafficSection,
          epochs: this.epochs,
          epochLength: this.epochLength,
          resourceNodes: this.nodes.count,
          reportQuorum: this.reportQuorum,
          graceEpochs: this.econ.resourceNodes.graceEpochs,
        }),
      ],
      totals: this.totals,
      pendingReports: this.reportQueue.size + (this.inflight ? 1 : 0),
      economicChecks: this.checker.checked,
      violations: this.violations,
    });
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
