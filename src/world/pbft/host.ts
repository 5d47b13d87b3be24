// Hosts for PBFT state machines: binds replicas and clients to kernel timers, the network and a
// serial CPU per node, routes their effects (including around Byzantine behaviours and twins),
// and forwards observations to checkers and metrics. The protocol objects stay pure. With a world
// observer, the hosts also report what only they see: timers firing, crashes and recoveries, and
// messages their Byzantine input filter discards. Scripted Byzantine steps (faults/script.ts) are
// fired here, at the host boundary, and a twins schedule (faults/twins.ts) routes replica traffic.

import {
  type ActiveBehaviour,
  type BehaviourEnv,
  type Emit,
  type FaultPlan,
  makeBehaviour,
  ScriptBehaviour,
  type ScriptGroup,
  type ScriptRecord,
  TwinNodes,
  TwinsRouter,
} from "../../faults/index.js";
import type { Simulation } from "../../kernel/index.js";
import type { Network } from "../../net/index.js";
import {
  type Application,
  type AuthPreset,
  Client,
  type ClientStrategy,
  type ClientObservation,
  type ClientTimerName,
  DEFAULT_COSTS,
  DEFAULT_SIZES,
  DigestMemo,
  checkpointCost,
  type Message,
  messageSize,
  type Observation,
  type PbftConfig,
  type PersistedReplica,
  primaryOf,
  Replica,
  type ReplicaMessage,
  type RequestMessage,
  receiveCost,
  SignedCheckpoints,
  sendCost,
  type TimerName,
} from "../../protocols/pbft/index.js";
import { CpuModel } from "../cpu.js";
import type { MessageFacts, WorldObserver } from "../observe.js";
import { describePbftMessage } from "./describe.js";
import type { Triggers } from "./triggers.js";
import { type ActiveSet, ActiveWindows, type Departure, DeparturePool, HostTimers } from "./departures.js";

const NO_BEHAVIOURS: ActiveSet<Emit> = { list: [], emitters: [] };

function dropsReplies(active: readonly ActiveBehaviour[]): boolean {
  for (const b of active) if (b.dropsReplies === true) return true;
  return false;
}

/** Builds a replica; `digests` is the world's memo of verified requests, to pass on to the replica. */
export type ReplicaFactory = (id: number, config: PbftConfig, app: Application, digests: DigestMemo) => Replica;

const defaultReplica: ReplicaFactory = (id, config, app, digests) => new Replica(id, config, app, digests);

export interface PbftHostListener {
  replica(replica: number, host: ReplicaHost, ev: Observation, now: number): void;
  client(client: number, ev: ClientObservation, now: number): void;
}

export interface ReplicaHost {
  readonly node: number;
  readonly replicaId: number;
  /** 0 or 1 with twins (the side this instance talks to); -1 otherwise. */
  readonly side: number;
  replica: Replica;
  up: boolean;
  readonly timers: HostTimers;
  readonly behaviours: ActiveBehaviour[];
  persisted: PersistedReplica | null;
  /** True for the second twin of a twinned replica (its views/metrics are not reported twice). */
  readonly shadow: boolean;
}

interface ClientHost {
  readonly node: number;
  readonly index: number;
  readonly side: number;
  readonly client: Client;
  timer: number;
}

export interface PbftHostOptions {
  sim: Simulation;
  net: Network;
  config: PbftConfig;
  auth: AuthPreset;
  cpu: boolean;
  clientCount: number;
  plan: FaultPlan;
  /** Builds a replica's application; called with the replica id (at start and on every recovery). */
  makeApp: (replicaId: number) => Application;
  replicaFactory?: ReplicaFactory;
  listener: PbftHostListener;
  /** Hears timers, crashes, recoveries and Byzantine input drops (observations go through `listener`). */
  observer?: WorldObserver | null;
  /** Protocol events scenarios wait for (script steps, held messages, crashes on an event); null: none declared. */
  triggers?: Triggers | null;
  /** Each client's sending strategy (default: the primary first). */
  clientStrategies?: readonly ClientStrategy[];
}

/** Node ids: replicas 0..n-1, clients n..n+C-1, second twins after that. */
export class PbftHosts {
  readonly replicas: ReplicaHost[] = [];
  readonly clients: ClientHost[] = [];
  readonly cpu: CpuModel;
  readonly nodeCount: number;
  /** What this world's replicas and clients already verified (requests, batches, byte payloads), and its signature oracle. */
  readonly digests = new DigestMemo(new SignedCheckpoints());
  /** Replicas with Byzantine behaviours (they sign as one another: signEmbeddedCheckpoints). */
  private readonly byzantine = new Set<number>();
  private readonly hostByNode: Array<ReplicaHost | ClientHost | undefined>;
  /** twinNode[r] = [node on side 0, node on side 1] for twinned replicas. */
  private readonly twinNode = new Map<number, [number, number]>();
  private readonly replicaSide: Int8Array;
  private readonly others: number[][];
  private readonly allReplicas: number[];
  private readonly kTimer: number;
  private readonly kClientTimer: number;
  private readonly kDepart: number;
  private readonly kLate: number;
  private readonly kSpam: number;
  private readonly n: number;
  private readonly observer: WorldObserver | null;
  private readonly triggers: Triggers | null;
  /** A twins schedule's router (per-view or per-window partitions); null for fixed sides or no twins. */
  private readonly router: TwinsRouter | null = null;
  private readonly facts: MessageFacts = { view: -1, seq: -1, digest: "" };
  /** What scripted Byzantine replicas sent (or could not), in order: the `script` table. */
  readonly scriptRecords: ScriptRecord[] = [];
  /** Script steps waiting for a request their replica has not received. */
  private readonly waiting: Array<{ host: ReplicaHost; script: ScriptBehaviour; index: number }> = [];
  private readonly kScript: number;
  private readonly departures = new DeparturePool<ReplicaHost>();
  /** Each host's active behaviours and their emitters (departures.ts), for hosts with behaviours. */
  private readonly windows = new Map<ReplicaHost, ActiveWindows<Emit>>();

  constructor(private readonly o: PbftHostOptions) {
    const { sim, config, clientCount, plan } = o;
    const n = config.n;
    this.n = n;
    this.observer = o.observer ?? null;
    this.triggers = o.triggers ?? null;
    const twins = plan.twins;
    const twinCount = twins ? twins.replicas.length : 0;
    this.nodeCount = n + clientCount + twinCount;
    this.hostByNode = new Array(this.nodeCount);
    this.cpu = new CpuModel(this.nodeCount);
    this.replicaSide = new Int8Array(n).fill(-1);
    const clientSide = new Int8Array(clientCount).fill(-1);
    if (twins) {
      twins.sides?.forEach((ids, s) => {
        for (const r of ids) this.replicaSide[r] = s;
      });
      twins.clientSides?.forEach((ids, s) => {
        for (const c of ids) clientSide[c] = s;
      });
      twins.replicas.forEach((r, k) => {
        this.twinNode.set(r, [r, n + clientCount + k]);
      });
      if (twins.schedule !== undefined) this.router = new TwinsRouter(new TwinNodes(n, twins.replicas, n + clientCount), this.nodeCount, twins.schedule);
    }
    const make = o.replicaFactory ?? defaultReplica;
    for (let r = 0; r < n; r++) {
      const side = this.twinNode.has(r) ? 0 : this.replicaSide[r]!;
      this.addReplicaHost(r, r, side, make, false);
    }
    if (twins) {
      for (const r of twins.replicas) this.addReplicaHost(this.twinNode.get(r)![1], r, 1, make, true);
    }
    for (let c = 0; c < clientCount; c++) {
      const strategy = o.clientStrategies?.[c] ?? "primary";
      const host: ClientHost = { node: n + c, index: c, side: clientSide[c]!, client: new Client(c, config, this.digests, strategy), timer: 0 };
      this.clients.push(host);
      this.hostByNode[n + c] = host;
    }
    const group: ScriptGroup = {
      n,
      quorum: config.quorum,
      logWindow: config.logWindow,
      faulty: plan.faulty,
      primaryOf: (v) => primaryOf(v, n, config.leaders),
    };
    const env: BehaviourEnv = { group, stream: (name) => sim.rng.stream(name) };
    for (const w of plan.behaviours) {
      for (const h of this.replicas) if (h.replicaId === w.replica) h.behaviours.push(makeBehaviour(w, w.replica, n, env));
      this.byzantine.add(w.replica);
    }
    this.allReplicas = Array.from({ length: n }, (_, i) => i);
    this.others = this.allReplicas.map((r) => this.allReplicas.filter((j) => j !== r));

    this.kTimer = sim.register("pbft.timer", (node, payload, now) => this.onTimer(node, payload as TimerName, now));
    this.kClientTimer = sim.register("pbft.clientTimer", (node, _p, now) => this.onClientTimer(node, now));
    this.kDepart = sim.register("pbft.depart", (_node, payload) => this.transmit(payload as Departure<ReplicaHost>));
    this.kLate = sim.register("pbft.lateSend", (node, payload) => {
      const p = payload as { to: number; msg: ReplicaMessage };
      this.sendRaw(node, p.to, p.msg);
    });
    this.kSpam = sim.register("pbft.spam", (node, payload, now) => this.onSpam(node, payload as ActiveBehaviour, now));
    // Registered only with a script (a new event kind would change every other world's trace hash).
    const scripted = this.replicas.some((h) => h.behaviours.some((b) => b instanceof ScriptBehaviour));
    this.kScript = !scripted
      ? -1
      : sim.register("pbft.script", (node, payload, now) => {
          const p = payload as { script: ScriptBehaviour; index: number; watch: boolean };
          const host = this.hostByNode[node] as ReplicaHost;
          const step = p.script.steps[p.index]!;
          if (p.watch && step.on !== undefined) this.triggers!.watch(step.on, () => this.fireScript(host, p.script, p.index, this.o.sim.now));
          else this.fireScript(host, p.script, p.index, now);
        });
    o.net.onDeliver((to, from, _kind, size, msg, now, id) => this.deliver(to, from, msg as Message, size, now, id));
    for (const h of this.replicas) {
      for (const b of h.behaviours) {
        if (b.interval !== undefined) sim.scheduleAt(b.window.from, h.node, this.kSpam, b);
        if (b instanceof ScriptBehaviour && !h.shadow) this.scheduleScript(h, b);
      }
    }
  }

  /** Each step at its time, or (from its time) on its event. */
  private scheduleScript(host: ReplicaHost, script: ScriptBehaviour): void {
    script.steps.forEach((step, index) => {
      const at = Math.max(step.at ?? 0, script.window.from);
      if (step.on !== undefined && this.triggers === null) throw new Error("script step on an event: the world has no trigger table");
      this.o.sim.scheduleAt(at, host.node, this.kScript, { script, index, watch: step.on !== undefined });
    });
  }

  /** Builds a script step and sends it (or lets it wait for a request its replica has not received). */
  private fireScript(host: ReplicaHost, script: ScriptBehaviour, index: number, now: number): void {
    if (now >= script.window.until) {
      const step = script.steps[index]!;
      for (const m of step.send) {
        this.scriptRecords.push({ time: now, replica: host.replicaId, step: index + 1, kind: m.type, to: m.to ?? [], outcome: "not-sent", detail: "after the fault's window" });
      }
      return;
    }
    const built = script.build(index, now);
    if (built === null) {
      this.waiting.push({ host, script, index });
      return;
    }
    this.scriptRecords.push(...built.records);
    for (const s of built.sends) this.sendRaw(host.node, s.to, s.msg);
  }

  /** Retries the waiting steps of `host` (a message it just received may carry the request they name). */
  private retryWaiting(host: ReplicaHost, now: number): void {
    const ready = this.waiting.filter((w) => w.host === host && w.script.waitsFor(w.index) === null);
    if (ready.length === 0) return;
    for (const w of ready) this.waiting.splice(this.waiting.indexOf(w), 1);
    for (const w of ready) this.fireScript(w.host, w.script, w.index, now);
  }

  private addReplicaHost(node: number, replicaId: number, side: number, make: ReplicaFactory, shadow: boolean): void {
    const host: ReplicaHost = {
      node,
      replicaId,
      side,
      replica: make(replicaId, this.o.config, this.o.makeApp(replicaId), this.digests),
      up: true,
      timers: new HostTimers(),
      behaviours: [],
      persisted: null,
      shadow,
    };
    this.replicas.push(host);
    this.hostByNode[node] = host;
  }

  /** Hosts of a replica id (two for twins). */
  hostsOf(replicaId: number): ReplicaHost[] {
    return this.replicas.filter((h) => h.replicaId === replicaId);
  }

  // ---- clients -----------------------------------------------------------------------------

  submit(clientIndex: number, op: unknown, size: number): void {
    const host = this.clients[clientIndex]!;
    host.client.submit(op, size, this.o.sim.now);
    this.clientEffects(host, this.o.sim.now);
  }

  private onClientTimer(node: number, now: number): void {
    const host = this.hostByNode[node] as ClientHost;
    host.timer = 0;
    if (this.observer !== null) this.observer.timer(node, "retransmit", now);
    host.client.timeout("retransmit" as ClientTimerName, now);
    this.clientEffects(host, now);
  }

  private clientEffects(host: ClientHost, now: number): void {
    // The client's effects in a reused batch (client.effectQueue: no array per step); what the client
    // produces meanwhile (a PoT client's next submission) goes to the next batch.
    const queue = host.client.effectQueue;
    const batch = queue.take();
    const count = batch.count;
    for (let i = 0; i < count; i++) {
      switch (batch.kinds[i]) {
        case "send":
          this.clientSend(host, batch.targets[i]!, batch.msg(i));
          break;
        case "broadcast":
          for (const r of this.allReplicas) this.clientSend(host, r, batch.msg(i));
          break;
        case "setTimer":
          if (host.timer) this.o.sim.cancel(host.timer);
          host.timer = this.o.sim.schedule(batch.delays[i]!, host.node, this.kClientTimer);
          break;
        case "cancelTimer":
          if (host.timer) this.o.sim.cancel(host.timer);
          host.timer = 0;
          break;
        case "observe":
          this.o.listener.client(host.index, batch.event(i), now);
          break;
      }
    }
    queue.release(batch);
  }

  private clientSend(host: ClientHost, replicaId: number, msg: Message): void {
    const size = messageSize(msg, this.n, this.o.auth);
    const twins = this.twinNode.get(replicaId);
    if (!twins) this.o.net.send(host.node, replicaId, msg.type, size, msg);
    else if (host.side >= 0 && this.router === null) this.o.net.send(host.node, twins[host.side]!, msg.type, size, msg);
    else for (const node of twins) this.o.net.send(host.node, node, msg.type, size, msg);
  }

  // ---- replicas ----------------------------------------------------------------------------

  private deliver(to: number, from: number, msg: Message, size: number, now: number, id: number): void {
    const target = this.hostByNode[to];
    if (target === undefined) return;
    if ("client" in target) {
      if (msg.type !== "reply") return;
      const sender = this.hostByNode[from];
      if (sender === undefined || "client" in sender) return;
      target.client.step(sender.replicaId, msg, now);
      this.clientEffects(target, now);
      return;
    }
    if (!target.up) return;
    const sender = this.hostByNode[from];
    if (sender === undefined) return;
    const fromReplica = "client" in sender ? -1 : sender.replicaId;
    if (target.behaviours.length > 0) {
      for (const b of target.behaviours) b.observeIncoming?.(fromReplica, msg);
      if (this.waiting.length > 0) this.retryWaiting(target, now);
    }
    if (this.triggers !== null) this.triggers.onReceived(target.replicaId, fromReplica, msg);
    if (target.behaviours.length > 0 && msg.type === "request") {
      for (const b of target.behaviours) {
        if (now >= b.window.from && now < b.window.until && !b.incoming(msg)) {
          if (this.observer !== null) this.observer.dropped(id, from, to, msg.type, size, msg, "byzantine", false, now);
          return;
        }
      }
    }
    if ("client" in sender ? msg.type !== "request" : msg.type === "reply") return;
    // Costed before the replica steps (as it receives the message), stored straight into the field.
    this.receivedCostSec = this.o.cpu ? receiveCost(msg, this.n, this.o.auth, DEFAULT_COSTS, DEFAULT_SIZES, size) : 0;
    if ("client" in sender) target.replica.receiveRequest(sender.index, msg as RequestMessage, now);
    else target.replica.step(sender.replicaId, msg as ReplicaMessage, now);
    this.replicaEffects(target, now);
  }

  private onTimer(node: number, timer: TimerName, now: number): void {
    const host = this.hostByNode[node] as ReplicaHost;
    host.timers.delete(timer);
    if (!host.up) return;
    if (this.observer !== null) this.observer.timer(node, timer, now);
    host.replica.timeout(timer, now);
    this.replicaEffects(host, now);
  }

  /**
   * CPU seconds of the delivery whose effects replicaEffects applies next (0 after a timer): a field
   * rather than an argument, since a double passed to a call V8 does not inline is allocated (once per
   * delivered message). replicaEffects reads and clears it.
   */
  private receivedCostSec = 0;

  /** Applies a replica's effects; its outgoing messages leave when its CPU is done. */
  private replicaEffects(host: ReplicaHost, now: number): void {
    // The replica's effects in a reused batch (replica.effectQueue: no array per step).
    const inCost = this.receivedCostSec;
    this.receivedCostSec = 0;
    const queue = host.replica.effectQueue;
    if (queue.count === 0 && inCost === 0) return;
    const batch = queue.take();
    const count = batch.count;
    let cost = inCost;
    let dep: Departure<ReplicaHost> | null = null;
    const n = this.n;
    const cpu = this.o.cpu;
    for (let i = 0; i < count; i++) {
      const kind = batch.kinds[i]!;
      switch (kind) {
        case "send":
        case "broadcast":
        case "reply": {
          // Sized once, for the CPU charge and the network; a broadcast goes to the n − 1 other replicas.
          const msg = batch.msg(i);
          const broadcast = kind === "broadcast";
          const size = messageSize(msg, n, this.o.auth);
          (dep ??= this.departures.take(host)).add(broadcast ? -1 : batch.targets[i]!, msg, broadcast, size);
          if (cpu) cost += sendCost(msg, n, broadcast ? n - 1 : 1, this.o.auth, DEFAULT_COSTS, DEFAULT_SIZES, size);
          break;
        }
        case "setTimer": {
          const timer = batch.timer(i);
          const old = host.timers.get(timer);
          if (old !== undefined) this.o.sim.cancel(old);
          host.timers.set(timer, this.o.sim.schedule(batch.delays[i]!, host.node, this.kTimer, timer));
          break;
        }
        case "cancelTimer": {
          const timer = batch.timer(i);
          const old = host.timers.get(timer);
          if (old !== undefined) {
            this.o.sim.cancel(old);
            host.timers.delete(timer);
          }
          break;
        }
        case "observe": {
          const event = batch.event(i);
          if (cpu) {
            const type = event.type;
            if (type === "executed") cost += event.requests.length * DEFAULT_COSTS.cExecBase;
            // Taking a checkpoint and installing a transferred state both cost a snapshot's worth.
            else if (type === "checkpoint" || type === "stateTransferred") cost += checkpointCost(host.replica.application.snapshotSize());
          }
          this.o.listener.replica(host.replicaId, host, event, now);
          break;
        }
      }
    }
    queue.release(batch);
    const done = cpu && cost > 0 ? this.cpu.charge(host.node, now, cost) : now;
    if (dep === null) return;
    if (done > now) this.o.sim.postAt(done, host.node, this.kDepart, dep);
    else this.transmit(dep);
  }

  /** The behaviours of `host` active now and their emitters (the same set until a window opens or closes). */
  private activeOf(host: ReplicaHost, now: number): ActiveSet<Emit> {
    return (this.windows.get(host) ?? this.startWindows(host)).at(now);
  }

  /**
   * The host's behaviour windows, apart from activeOf (which runs per departure): a function creating a
   * closure allocates the closure's context on every call, whether or not the closure is then created.
   */
  private startWindows(host: ReplicaHost): ActiveWindows<Emit> {
    const w = new ActiveWindows<Emit>(host.behaviours, (set, k) => (t, m, delay) => {
      if (delay > 0) this.o.sim.post(delay, host.node, this.kLate, { to: t, msg: m });
      else this.emitThrough(host, set, k + 1, t, m);
    });
    this.windows.set(host, w);
    return w;
  }

  private transmit(dep: Departure<ReplicaHost>): void {
    const host = dep.host!;
    if (!host.up) {
      this.departures.release(dep);
      return;
    }
    const now = this.o.sim.now;
    const set = host.behaviours.length > 0 ? this.activeOf(host, now) : null;
    const active = set === null ? null : set.list;
    for (let i = 0; i < dep.count; i++) {
      const itMsg = dep.msgs[i]!;
      const itTo = dep.to[i]!;
      const itSize = dep.sizes[i]!;
      if (itMsg.type === "reply") {
        if (active !== null && dropsReplies(active)) continue;
        let reply = itMsg;
        if (active) for (const b of active) if (b.reply) reply = b.reply(reply);
        const size = reply === itMsg ? itSize : messageSize(reply, this.n, this.o.auth);
        this.o.net.send(host.node, this.n + itTo, "reply", size, reply);
        continue;
      }
      const msg = itMsg;
      const broadcast = dep.broadcast[i]!;
      if ((active === null || active.length === 0) && this.twinNode.size === 0) {
        if (msg.type === "checkpoint" && msg.replica === host.replicaId) this.digests.signatures!.record(msg);
        if (broadcast) this.o.net.broadcast(host.node, this.others[host.replicaId]!, msg.type, itSize, msg);
        else this.o.net.send(host.node, itTo, msg.type, itSize, msg);
        if (this.triggers !== null) {
          if (broadcast) for (const to of this.others[host.replicaId]!) this.triggers.onSent(host.replicaId, to, msg);
          else this.triggers.onSent(host.replicaId, itTo, msg);
        }
        continue;
      }
      if (broadcast) for (const to of this.others[host.replicaId]!) this.emitThrough(host, set ?? NO_BEHAVIOURS, 0, to, msg);
      else this.emitThrough(host, set ?? NO_BEHAVIOURS, 0, itTo, msg);
    }
    this.departures.release(dep);
  }

  /** Passes one message through the active behaviours in order, then onto the network. */
  private emitThrough(host: ReplicaHost, active: ActiveSet<Emit>, k: number, to: number, msg: ReplicaMessage): void {
    if (k === active.list.length) {
      this.sendRaw(host.node, to, msg);
      return;
    }
    active.list[k]!.outgoing(to, msg, active.emitters[k]!, this.o.sim.now);
  }

  /**
   * A Byzantine replica (one with behaviours: a script, mutation) may embed in a checkpoint proof
   * CHECKPOINTs that it, or a colluding Byzantine replica, never transmitted: a faulty replica signs
   * what it likes as itself, and colluders share keys (pbft.md §1.4). Those are recorded as signed;
   * CHECKPOINTs under a correct replica's id are never recorded here, so a forged one stays unsigned.
   */
  private signEmbeddedCheckpoints(sender: ReplicaHost, msg: ReplicaMessage): void {
    if (msg.type !== "view-change" && msg.type !== "state" && msg.type !== "stable-proof") return;
    if (!Array.isArray(msg.proof)) return;
    for (const c of msg.proof) {
      if (c === null || typeof c !== "object") continue;
      if (c.replica === sender.replicaId || this.byzantine.has(c.replica)) this.digests.signatures!.record(c);
    }
  }

  /** Sends replica-to-replica, resolving twins by the sender's side (or the twins schedule). */
  private sendRaw(fromNode: number, toReplica: number, msg: ReplicaMessage): void {
    const sender = this.hostByNode[fromNode] as ReplicaHost;
    if (!sender.up) return;
    // The node signs as its replica: what it sends under another id is a forgery and stays unsigned.
    if (msg.type === "checkpoint" && msg.replica === sender.replicaId) this.digests.signatures!.record(msg);
    if (sender.behaviours.length > 0) this.signEmbeddedCheckpoints(sender, msg);
    const size = messageSize(msg, this.n, this.o.auth);
    if (sender.behaviours.length > 0) for (const b of sender.behaviours) b.observeOutgoing?.(msg);
    if (this.triggers !== null) this.triggers.onSent(sender.replicaId, toReplica, msg);
    const twins = this.twinNode.get(toReplica);
    if (this.router !== null) {
      describePbftMessage(msg, this.facts);
      const view = this.facts.view >= 0 ? this.facts.view : sender.replica.view;
      const now = this.o.sim.now;
      if (!twins) {
        if (this.router.connected(fromNode, toReplica, view, now)) this.o.net.send(fromNode, toReplica, msg.type, size, msg);
      } else {
        for (const node of twins) if (this.router.connected(fromNode, node, view, now)) this.o.net.send(fromNode, node, msg.type, size, msg);
      }
      return;
    }
    if (twins) {
      const side = sender.side >= 0 ? sender.side : -1;
      if (side >= 0) this.o.net.send(fromNode, twins[side]!, msg.type, size, msg);
      else for (const node of twins) this.o.net.send(fromNode, node, msg.type, size, msg);
      return;
    }
    // A twin only talks to correct replicas of its own side.
    if (this.twinNode.has(sender.replicaId) && this.replicaSide[toReplica]! >= 0 && this.replicaSide[toReplica] !== sender.side) return;
    this.o.net.send(fromNode, toReplica, msg.type, size, msg);
  }

  private onSpam(node: number, b: ActiveBehaviour, now: number): void {
    const host = this.hostByNode[node] as ReplicaHost;
    if (now >= b.window.until) return;
    if (host.up && b.fire) {
      b.fire((to, m) => this.sendRaw(node, to, m), now, host.replica.view, this.others[host.replicaId]!);
    }
    this.o.sim.post(b.interval!, node, this.kSpam, b);
  }

  /**
   * The timing adversary of a Twins search: the replica on `node` suspects its primary (as if its
   * request timer had fired) if it is up and in normal mode.
   */
  suspect(node: number, now: number): void {
    const host = this.hostByNode[node] as ReplicaHost;
    if (!host.up || host.replica.mode !== "normal") return;
    host.replica.suspectPrimary(now);
    this.replicaEffects(host, now);
  }

  // ---- crash and recovery ------------------------------------------------------------------

  crash(replicaId: number): void {
    const now = this.o.sim.now;
    for (const host of this.hostsOf(replicaId)) {
      if (!host.up) continue;
      host.persisted = host.replica.persist();
      host.up = false;
      for (const t of host.timers.values()) this.o.sim.cancel(t);
      host.timers.clear();
      this.cpu.reset(host.node, now);
      this.o.net.setNodeDown(host.node, true);
      this.observer?.host({ type: "crash", node: host.node, replica: replicaId }, now);
    }
  }

  recover(replicaId: number, state: "kept" | "lost", make: ReplicaFactory | undefined): void {
    const now = this.o.sim.now;
    for (const host of this.hostsOf(replicaId)) {
      if (host.up) continue;
      const app = this.o.makeApp(replicaId);
      if (state === "kept" && host.persisted) {
        const Ctor = host.replica.constructor as typeof Replica;
        host.replica = Ctor.fromPersisted(host.persisted, this.o.config, app, now, this.digests);
      } else {
        host.replica = (make ?? defaultReplica)(replicaId, this.o.config, app, this.digests);
        // An empty replica asks its peers where the group is (it cannot know it fell behind).
        host.replica.announce(now);
      }
      const log = state === "kept" && host.persisted ? "kept" : "lost";
      host.persisted = null;
      host.up = true;
      this.o.net.setNodeDown(host.node, false);
      this.observer?.host({ type: "recover", node: host.node, replica: replicaId, log }, now);
      this.replicaEffects(host, now);
    }
  }
}
