// The PBFT model as a runnable world: n replicas running the key-value application, clients
// with a closed- or open-loop workload, the network model, scheduled and random faults, the
// continuous checkers, and consensus metrics (latency, throughput, views, messages, CPU). A world
// observer (../observe.ts), when given, hears the network, the hosts, every observation and every
// violation as it is recorded. The adversary language lives around it: network rules read protocol
// fields through the world's message reader (reader.ts); held messages, scripted Byzantine steps and
// crashes wait for protocol events in the trigger table (triggers.ts); a Twins search draws its
// schedule and leaders per seed before anything else is built.

import { LivenessChecker, PbftSafetyChecker, type ReplicaPosition, type Violation } from "../../check/index.js";
import { type FaultSpec, generateTwins, planFaults, type TriggerSpec } from "../../faults/index.js";
import { Simulation } from "../../kernel/index.js";
import { type Cell, quantiles, round, type Table } from "../../metrics/index.js";
import { type NetProtocol, type NetStats, Network } from "../../net/index.js";
import {
  type Application,
  type ClientObservation,
  KvApplication,
  makeConfig,
  type Observation,
  type PbftConfig,
} from "../../protocols/pbft/index.js";
import { type PbftHostListener, PbftHosts, type ReplicaFactory, type ReplicaHost } from "./host.js";
import { RequestLog } from "./requests.js";
import { consensusSchedule, type PartitionRecord, type ScheduleItem, scheduleTable } from "./schedule.js";
import { ReplicaTimeline } from "./timeline.js";
import { PbftMessageReader } from "./reader.js";
import { Triggers } from "./triggers.js";
import type { WorldObserver } from "../observe.js";
import type { PbftSection, RunnableScenario } from "../scenario.js";
import type { RunWarning, World, WorldOutput } from "../types.js";
import { pbftWarnings } from "./warnings.js";

type MutablePosition = { -readonly [K in keyof ReplicaPosition]: ReplicaPosition[K] };

/** What PbftWorld reads of a scenario: the pbft section is required. */
export type PbftScenario = Pick<RunnableScenario, "name" | "until" | "network" | "check"> & { readonly pbft: PbftSection };

/** `s` with its pbft section checked present (a scenario of `model: pbft` always has one). */
export function pbftScenarioOf<S extends Pick<RunnableScenario, "name" | "until" | "network" | "check" | "pbft">>(
  s: S,
): S & { readonly pbft: PbftSection } {
  const { pbft } = s;
  if (!pbft) throw new Error(`scenario ${s.name}: model pbft needs a \`pbft\` section`);
  return { ...s, pbft };
}

export interface PbftWorldOptions {
  /** Builds replicas (mutation tests substitute broken ones; never exposed in scenarios). */
  replicaFactory?: ReplicaFactory;
  /** The replicated service (default: the key-value application); called with the replica id. */
  makeApp?: (replicaId: number) => Application;
  /**
   * A fresh copy of the application for INV-K's replay of the agreed history (default: on for
   * the key-value application, off when `makeApp` is given unless this is too).
   */
  makeReferenceApp?: () => Application;
  /** Extra observers called after the world's own bookkeeping (e.g. the PoT world's actors and metrics). */
  observer?: PbftObserver;
  /** Watches the whole world (traces, coverage); see ../observe.ts for what it hears and when. */
  worldObserver?: WorldObserver;
}

/** Replica and client observations, forwarded as they happen. */
export interface PbftObserver {
  replica?(replica: number, host: ReplicaHost, ev: Observation, now: number): void;
  client?(client: number, ev: ClientObservation, now: number): void;
}

export function pbftConfigOf(p: PbftSection, leaders: readonly number[] | undefined = p.leaders): PbftConfig {
  return makeConfig({
    n: p.n,
    checkpointInterval: p.checkpointInterval,
    logWindow: p.logWindow,
    requestTimeout: p.requestTimeout,
    newViewTimeout: p.newViewTimeout,
    viewChangeResendInterval: p.viewChangeResendInterval,
    clientRetransmitTimeout: p.clientRetransmitTimeout,
    maxBatchSize: p.maxBatchSize,
    maxInFlight: p.maxInFlight,
    batchTimeout: p.batchTimeout,
    ...(leaders === undefined ? {} : { leaders }),
  });
}

/** Whether a scenario waits for protocol events (so the world builds its trigger table). */
function waitsForEvents(scenario: PbftScenario): boolean {
  const rules = scenario.network.rules.some((r) => r.action === "hold" && typeof r.until !== "number");
  const faults = scenario.pbft.faults.some(
    (f) => (f.type === "crash" && f.on !== undefined) || (f.type === "script" && f.steps.some((s) => s.on !== undefined)),
  );
  return rules || faults;
}

export class PbftWorld implements World {
  readonly sim: Simulation;
  readonly net: Network;
  readonly hosts: PbftHosts;
  readonly config: PbftConfig;
  readonly violations: Violation[] = [];
  readonly safety: PbftSafetyChecker;
  readonly liveness: LivenessChecker | null;
  private readonly requests = new RequestLog();
  private readonly viewEvents: Cell[][] = [];
  private readonly newViews = new Set<number>();
  private readonly plan;
  private readonly submittedPerClient: number[];
  private readonly kSubmit: number;
  private readonly watcher: WorldObserver | null;
  /** Violations already handed to the world observer. */
  private reportedViolations = 0;
  /** Each replica's status, view, execution and checkpoint over time (replica_timeline.csv). */
  private readonly timeline: ReplicaTimeline;
  /** Partitions as they started and healed (for schedule.csv). */
  private readonly partitions: PartitionRecord[] = [];

  constructor(
    private readonly scenario: PbftScenario,
    seed: number,
    opts: PbftWorldOptions = {},
  ) {
    const p = scenario.pbft;
    this.sim = new Simulation(seed);
    // A Twins search draws this seed's leaders and partitions first (its own stream: nothing else shifts).
    const search = p.twinsSearch;
    const generated =
      search === undefined
        ? null
        : generateTwins(
            p.n,
            { replicas: search.replicas, views: search.views, leaders: search.leaders ?? search.views, maxGroups: search.maxGroups, viewLength: search.viewLength },
            this.sim.rng.stream("faults.twins"),
          );
    this.config = pbftConfigOf(p, generated?.leaders ?? p.leaders);
    const declared: FaultSpec[] = generated === null ? p.faults : [...p.faults, { type: "twins", at: 0, replicas: search!.replicas, schedule: generated.schedule }];
    this.plan = planFaults(p.n, this.config.f, declared, p.randomFaults, this.sim.rng.stream("faults"));
    const twinCount = this.plan.twins ? this.plan.twins.replicas.length : 0;
    const reader = new PbftMessageReader();
    const triggers = waitsForEvents(scenario) ? new Triggers(this.sim, reader) : null;
    const protocol: NetProtocol = {
      reader,
      gate: (event, open) => {
        if (triggers === null) throw new Error(`network rule held until "${event.event}": no trigger table`);
        triggers.watch(event as TriggerSpec, open);
      },
    };
    this.net = new Network(this.sim, scenario.network, p.n + p.clients.count + twinCount, protocol);
    const learnsRequests = scenario.network.rules.some((r) => r.client !== undefined);
    // A Twins search's timing adversary: every window after the first starts with a view change (twins.ts).
    const rotations = generated?.rotations ?? [];
    const kRotate = rotations.length === 0 ? -1 : this.sim.register("pbft.twins.rotate", (node, _p, now) => this.hosts.suspect(node, now));
    const faulty = this.plan.faulty;
    this.safety = new PbftSafetyChecker(p.n, (r) => !faulty.has(r), () => true, this.violations);
    const reference = opts.makeReferenceApp ? opts.makeReferenceApp() : opts.makeApp ? null : new KvApplication();
    if (reference) this.safety.enableReplay({ app: reference, checkpointInterval: this.config.checkpointInterval });
    const stabilization = scenario.check.stabilization ?? this.defaultStabilization();
    const convergence = scenario.check.convergence ?? scenario.check.livenessBound;
    const converges = convergence > 0 && (scenario.check.stabilization !== undefined || this.faultsHeal());
    this.liveness = scenario.check.liveness
      ? new LivenessChecker(stabilization, scenario.check.livenessBound, this.violations, converges ? convergence : null)
      : null;
    const watcher = opts.worldObserver ?? null;
    this.watcher = watcher;
    const net = this.net;
    this.timeline = new ReplicaTimeline(p.n, this.config.quorum, (a, b) => net.connected(a, b));
    this.net.onPartitionChange((e) => {
      if (e.type === "start") this.partitions.push({ start: e.time, end: null, source: e.source, side: e.side, symmetric: e.symmetric });
      else {
        const open = this.partitions.find((r) => r.side === e.side && r.end === null);
        if (open) open.end = e.time;
      }
      this.timeline.partitionsChanged(e.time);
    });
    if (watcher !== null) {
      this.net.observe(watcher);
      this.net.onPartitionChange((e) =>
        watcher.host(
          { type: e.type === "start" ? "partitionStart" : "partitionHeal", source: e.source, sides: Array.from(e.side), symmetric: e.symmetric },
          e.time,
        ),
      );
    }
    const listener: PbftHostListener = {
      replica: (replica, host, ev, now) => {
        if (watcher !== null) {
          watcher.replica(host.node, replica, ev, now);
          this.safety.onReplica(replica, ev, now);
          this.reportViolations(now);
        } else this.safety.onReplica(replica, ev, now);
        if (triggers !== null) triggers.onObservation(replica, ev);
        if (host.shadow) return;
        this.timeline.observe(replica, ev, now);
        if (ev.type === "viewChangeStarted" || ev.type === "newViewInstalled") {
          this.viewEvents.push([
            round(now),
            replica,
            ev.view,
            ev.type === "viewChangeStarted" ? "view_change_started" : "new_view_installed",
          ]);
          if (ev.type === "newViewInstalled" && !faulty.has(replica)) this.newViews.add(ev.view);
        }
        opts.observer?.replica?.(replica, host, ev, now);
      },
      client: (client, ev, now) => {
        if (watcher !== null) {
          watcher.client(this.config.n + client, client, ev, now);
          this.safety.onClient(client, ev, now);
          this.reportViolations(now);
        } else this.safety.onClient(client, ev, now);
        if (ev.type === "submitted") {
          if (learnsRequests) reader.submitted(client, ev.timestamp, ev.digest);
          this.requests.submitted(client, ev.timestamp, now);
          this.liveness?.submitted(client, ev.timestamp, now);
        } else if (ev.type === "retransmitted") {
          this.requests.retransmitted(client, ev.timestamp);
        } else if (ev.type === "accepted") {
          this.requests.accepted(client, ev.timestamp, now);
          this.liveness?.completed(client, ev.timestamp, now);
          this.onAccepted(client, now);
        }
        opts.observer?.client?.(client, ev, now);
      },
    };
    this.hosts = new PbftHosts({
      sim: this.sim,
      net: this.net,
      config: this.config,
      auth: p.auth,
      cpu: p.cpu,
      clientCount: p.clients.count,
      plan: this.plan,
      makeApp: opts.makeApp ?? (() => new KvApplication()),
      replicaFactory: opts.replicaFactory,
      listener,
      observer: watcher,
      triggers,
      clientStrategies: strategiesOf(p),
    });

    watcher?.host({ type: "faultPlan", faulty: [...faulty].sort((a, b) => a - b) }, 0);
    for (const t of rotations) for (const h of this.hosts.replicas) this.sim.scheduleAt(t, h.node, kRotate, null);
    const kFault = this.sim.register("fault", (_t, payload) => {
      const a = payload as (typeof this.plan.actions)[number];
      if (a.action === "crash") {
        const crash = () => {
          this.hosts.crash(a.replica);
          this.timeline.crashed(a.replica, this.sim.now);
        };
        if (a.on !== undefined) triggers!.watch(a.on, crash);
        else crash();
      } else {
        this.hosts.recover(a.replica, a.state ?? "kept", opts.replicaFactory);
        const h = this.hosts.replicas.find((x) => x.replicaId === a.replica && !x.shadow);
        if (h?.up) {
          const r = h.replica;
          this.timeline.recovered(a.replica, r.view, r.mode === "view-changing", r.lastExecuted, r.lowWatermark, this.sim.now);
        }
      }
    });
    for (const a of this.plan.actions) this.sim.scheduleAt(a.at, a.replica, kFault, a);

    this.submittedPerClient = new Array(p.clients.count).fill(0);
    this.kSubmit = this.sim.register("client.submit", (c) => this.submitNext(c));
    const wl = p.clients.workload;
    const arrivals = this.sim.rng.stream("workload");
    for (let c = 0; c < p.clients.count; c++) {
      if (p.clients.requests === 0) continue;
      if (wl.model === "closed") this.sim.scheduleAt(p.clients.start, c, this.kSubmit);
      else {
        let t = p.clients.start;
        for (let i = 0; i < p.clients.requests; i++) {
          t += arrivals.exponential(1 / wl.rate);
          this.sim.scheduleAt(t, c, this.kSubmit);
        }
      }
    }
    if (this.liveness) {
      const kPoll = this.sim.register("check.liveness", (_t, _p, now) => {
        this.liveness!.poll(now);
        this.liveness!.pollReplicas(now, this.positions());
        this.reportViolations(now);
        this.sim.post(Math.max(0.1, scenario.check.livenessBound / 4), 0, kPoll);
      });
      this.sim.schedule(Math.max(0.1, scenario.check.livenessBound / 4), 0, kPoll);
    }
  }

  /** Hands violations recorded since the last call to the world observer (call right after a checker ran). */
  reportViolations(now: number): void {
    const w = this.watcher;
    if (w === null) return;
    while (this.reportedViolations < this.violations.length) w.violation(this.violations[this.reportedViolations++]!, now);
  }

  /** Replicas the fault plan makes faulty (Byzantine, amnesia or twinned). */
  get faultyReplicas(): ReadonlySet<number> {
    return this.plan.faulty;
  }

  /** After the last fault change, partition heal, latency spike and network rule with an end. */
  private defaultStabilization(): number {
    let t = this.plan.lastChange;
    for (const part of this.scenario.network.partitions) t = Math.max(t, part.heal ?? part.at);
    for (const s of this.scenario.network.spikes) t = Math.max(t, s.until);
    for (const r of this.scenario.network.rules) if (r.end !== undefined) t = Math.max(t, r.end);
    const rp = this.scenario.network.randomPartitions;
    if (rp?.end !== undefined) t = Math.max(t, rp.end);
    return t;
  }

  /**
   * Whether every network fault ends: LIV-2 cannot hold while a replica stays cut off (a partition
   * that never heals, random partitions without an end, a rule that drops all matching messages
   * forever). Lossy rules (probability < 1) are weather the protocol must ride out, not faults.
   */
  private faultsHeal(): boolean {
    const net = this.scenario.network;
    if (net.partitions.some((p) => p.heal === undefined)) return false;
    if (net.randomPartitions !== null && net.randomPartitions.end === undefined) return false;
    return !net.rules.some((r) => r.action === "drop" && r.probability >= 1 && r.end === undefined);
  }

  /** One position record per replica host, rewritten at every LIV-2 poll (see positions()). */
  private readonly positionRecords: MutablePosition[] = [];
  /** The list positions() returns, rewritten in place at every poll. */
  private readonly positionList: ReplicaPosition[] = [];

  /**
   * LIV-2's view of the correct replicas that are up (twins' second copies are not counted). The world
   * polls every livenessBound/4 s: 21 million polls in ten simulated years of tokenomics.yaml, so the
   * list and its records are reused (they were a quarter of everything the PoT world allocated). Valid
   * until the next call: the checker reads it during pollReplicas and keeps nothing of it
   * (test/world/pbft/positions.test.ts: a reused list holds exactly this poll's replicas and values).
   */
  private positions(): readonly ReplicaPosition[] {
    const out = this.positionList;
    const hosts = this.hosts.replicas;
    let k = 0;
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      if (h.shadow || !h.up || this.plan.faulty.has(h.replicaId)) continue;
      const r = h.replica;
      let rec = this.positionRecords[i];
      if (rec === undefined) this.positionRecords[i] = rec = { replica: 0, view: 0, normal: false, lastExecuted: 0 };
      rec.replica = h.replicaId;
      rec.view = r.view;
      rec.normal = r.mode === "normal";
      rec.lastExecuted = r.lastExecuted;
      out[k++] = rec;
    }
    if (out.length !== k) out.length = k;
    return out;
  }

  private submitNext(client: number): void {
    const p = this.scenario.pbft;
    const i = this.submittedPerClient[client]!;
    if (i >= p.clients.requests) return;
    this.submittedPerClient[client] = i + 1;
    const op = { type: "put", key: `k${(client * 7 + i) % p.clients.keys}`, value: `${client}.${i}` };
    this.hosts.submit(client, op, p.clients.opSize);
  }

  /** What the scenario declared that this run never saw (./warnings.ts); call after the run. */
  warnings(): RunWarning[] {
    const p = this.scenario.pbft;
    return pbftWarnings({
      faults: this.plan.resolved,
      network: this.scenario.network,
      endTimeSec: this.sim.now,
      requestsPlanned: p.clients.count * p.clients.requests,
      requestsIssued: this.requests.issued,
      requestsCompleted: this.requests.completed,
      clientsStartSec: p.clients.start,
    });
  }

  private onAccepted(client: number, _now: number): void {
    const wl = this.scenario.pbft.clients.workload;
    if (wl.model === "closed") this.sim.post(wl.thinkTime, client, this.kSubmit);
  }

  finish(): WorldOutput {
    const now = this.sim.now;
    this.liveness?.poll(now);
    this.liveness?.pollReplicas(now, this.positions());
    this.reportViolations(now);
    const p = this.scenario.pbft;
    const latencies = this.requests.latencies();
    const [p50, p95, p99] = quantiles(latencies, [0.5, 0.95, 0.99]);
    const correct = this.hosts.replicas.filter((h) => !h.shadow && !this.plan.faulty.has(h.replicaId));
    const stats = this.net.stats();
    const tables: Table[] = [
      this.requestsTable(),
      this.throughputTable(),
      { name: "views", columns: ["time_s", "replica", "view", "event"], rows: this.viewEvents },
      this.messagesTable(stats),
      this.nodeMessagesTable(stats),
      this.cpuTable(),
      this.replicasTable(),
      this.timeline.table(now),
      scheduleTable(this.scheduleItems(), now),
    ];
    if (p.faults.some((f) => f.type === "script")) tables.push(this.scriptTable());
    const totalRequests = p.clients.count * p.clients.requests;
    return {
      summary: {
        model: "pbft",
        n: p.n,
        f: this.config.f,
        clients: p.clients.count,
        requestsIssued: this.requests.issued,
        requestsPlanned: totalRequests,
        requestsCompleted: this.requests.completed,
        allCompleted: this.requests.completed === totalRequests,
        latency: {
          mean_s: round(latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : Number.NaN),
          p50_s: round(p50!),
          p95_s: round(p95!),
          p99_s: round(p99!),
        },
        viewChanges: this.newViews.size,
        finalView: Math.max(0, ...correct.map((h) => h.replica.view)),
        executedSeq: Math.max(0, ...correct.map((h) => h.replica.lastExecuted)),
        faultyReplicas: [...this.plan.faulty].sort((a, b) => a - b),
        faults: this.plan.resolved,
        messages: stats.kinds.reduce((a, k) => a + k.sent, 0),
        violationCount: this.violations.length,
        warnings: this.warnings(),
      },
      tables,
      violations: this.violations,
    };
  }

  /** The consensus part of schedule.csv (the PoT world adds its economic rows to these). */
  scheduleItems(): ScheduleItem[] {
    return consensusSchedule(this.plan, this.scenario.pbft.faults.length, this.partitions, this.scenario.network);
  }

  private requestsTable(): Table {
    return this.requests.table();
  }

  private throughputTable(): Table {
    const until = Math.max(this.sim.now, 1e-9);
    const bucket = until <= 600 ? 1 : until / 600;
    const buckets = new Array(Math.max(1, Math.ceil(until / bucket))).fill(0);
    this.requests.eachCompletion((t) => {
      buckets[Math.min(buckets.length - 1, Math.floor(t / bucket))]++;
    });
    return {
      name: "throughput",
      columns: ["time_s", "commits", "bucket_s"],
      rows: buckets.map((c, i) => [round(i * bucket), c, round(bucket)]),
    };
  }

  private messagesTable(stats: NetStats): Table {
    const kinds = stats.kinds;
    return {
      name: "messages",
      columns: ["kind", "sent", "delivered", "dropped", "bytes"],
      rows: kinds.map((k) => [k.kind, k.sent, k.delivered, k.dropped, k.bytesSent]),
    };
  }

  private nodeMessagesTable(stats: NetStats): Table {
    const nodes = stats.nodes;
    return {
      name: "node_messages",
      columns: ["node", "kind", "sent", "bytes_sent", "received", "bytes_received"],
      rows: nodes.map((r) => [r.node, r.kind, r.messagesSent, r.bytesSent, r.messagesReceived, r.bytesReceived]),
    };
  }

  private cpuTable(): Table {
    const rows: Cell[][] = [];
    const elapsed = this.sim.now;
    for (const h of this.hosts.replicas) {
      rows.push([h.node, h.shadow ? "twin" : "replica", h.replicaId, round(this.hosts.cpu.busySeconds(h.node)), round(this.hosts.cpu.utilisation(h.node, elapsed))]);
    }
    return { name: "cpu", columns: ["node", "role", "replica", "busy_s", "utilisation"], rows };
  }

  private scriptTable(): Table {
    const rows: Cell[][] = this.hosts.scriptRecords.map((r) => [round(r.time), r.replica, r.step, r.kind, r.to.join(" "), r.outcome, r.detail]);
    return { name: "script", columns: ["time_s", "replica", "step", "kind", "to", "outcome", "detail"], rows };
  }

  private replicasTable(): Table {
    const rows: Cell[][] = this.hosts.replicas.map((h) => [
      h.replicaId,
      h.node,
      !h.shadow && !this.plan.faulty.has(h.replicaId),
      h.up,
      h.replica.view,
      h.replica.lastExecuted,
      h.replica.stableCheckpoint.seq,
      h.replica.application.stateDigest(),
    ]);
    return {
      name: "replicas",
      columns: ["replica", "node", "correct", "up", "view", "last_executed", "stable_checkpoint", "state_digest"],
      rows,
    };
  }
}

/** Each client's sending strategy (pbft.clients.strategy: one for all, or one per client). */
function strategiesOf(p: PbftSection): Array<"primary" | "broadcast"> | undefined {
  const s = p.clients.strategy;
  if (s === undefined) return undefined;
  return Array.from({ length: p.clients.count }, (_, c) => (typeof s === "string" ? s : (s[c] ?? "primary")));
}
