// net/network: the Network — message delivery between node ids on the kernel.
//
// Send (from != to): draw the primary copy's delay, loss and duplication (always, in that order,
// from separate streams), then drop if the sender is down, the link is cut, or a drop rule fires;
// otherwise serialize FIFO on the directed link (finite bandwidth only: start = max(now,
// linkFreeAt), depart = start + size*8/bandwidth); a lost message still occupied the link; the
// survivor arrives at depart + model latency + reorder jitter + spike extra + rule delay. Copies
// (random or by rule) share the transmission and get their own delay.
// Deliver: re-check that the receiver is up and the link is not cut *now* — a partition that
// starts while a message is in flight drops it (TigerBeetle semantics); one that starts and heals
// in between does not. Then count and call the host's handler.
// Self-sends bypass link, latency and every fault except "node down"; they arrive after zero delay.
// Rules (rules.ts) may also hold a message — it is in flight, but scheduled only when its rule's
// release time or event comes (then at the later of that moment and its own arrival time) — or
// redirect it: the copy is dropped for its receiver and sent afresh, by the same sender and
// past every rule, to each node of the rule's `deliverTo`.
//
// Hot path: no allocation per message once pools have grown. In-flight messages live in
// recycled slots of typed arrays; the kernel payload is the slot number (a small integer).
// Observation: every send gets a message id (1, 2, 3, … in send order; a network duplicate keeps
// its original's id). An observer set with `observe` hears each send, delivery and drop with that
// id and the drop's reason; with none set, the cost is one comparison per send and delivery.
// May import: kernel, ./config, ./kinds, ./latency, ./partitions, ./reachability, ./rules, ./stats.

import type { Simulation, Stream } from "../kernel/index.js";
import type { NetworkConfig, NetworkRule, ReleaseEvent } from "./config.js";
import { KindTable } from "./kinds.js";
import { Propagation, SpikeTable } from "./latency.js";
import { type ControlAction, PartitionManager, type PartitionEvent } from "./partitions.js";
import { Reachability, checkNode } from "./reachability.js";
import { type CompiledRule, type MessageReader, RULE_DROP, RULE_HOLD, RULE_PASS, RuleTable } from "./rules.js";
import { DROP_DOWN, DROP_LOSS, DROP_PARTITION, DROP_REASONS, DROP_RULE, type DropReason, NetCounters, type NetStats } from "./stats.js";

/**
 * Called once per delivered copy of a message. `msg` is the object passed to send (never copied);
 * `id` is the message id the observer heard at its send.
 */
export type DeliverHandler = (to: number, from: number, kind: string, size: number, msg: unknown, now: number, id: number) => void;

/**
 * Hears every message the network handles, in processing order. A send is reported before any
 * drop or delivery of its id; a duplicated message is delivered (or dropped) once per copy under
 * the one id. Drops at send time (sender down, link cut, rule, loss) follow their send at once;
 * drops at arrival (receiver down, partition started in flight) happen at the arrival time.
 * Deliveries are reported just before the delivery handler runs. Observers must not send.
 */
export interface NetObserver {
  sent(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, now: number): void;
  delivered(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, now: number): void;
  /** `atSend`: dropped when sent (else on arrival). */
  dropped(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, reason: DropReason, atSend: boolean, now: number): void;
}

const noDeliver: DeliverHandler = () => {};

/**
 * What the world tells the network about its protocol, for rules on protocol fields and rules held
 * until a protocol event: how to read a message, and how to learn that an event happened.
 */
export interface NetProtocol {
  readonly reader: MessageReader;
  /** Calls `open` (once) when `event` happens; an event the world cannot watch is its error to report. */
  gate(event: ReleaseEvent, open: () => void): void;
}

/** A copy held by a rule until its release. */
interface Held {
  readonly rule: CompiledRule;
  readonly arrival: number;
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly kind: number;
  readonly size: number;
  readonly msg: unknown;
}

export class Network {
  readonly nodeCount: number;
  private readonly sim: Simulation;
  private readonly kinds = new KindTable();
  private readonly counters: NetCounters;
  private readonly reach: Reachability;
  private readonly rules: RuleTable;
  private readonly partitions: PartitionManager;
  private readonly primary: Propagation;
  private readonly copy: Propagation;
  private readonly spikes: SpikeTable | null;
  private readonly deliverKind: number;
  private handler: DeliverHandler = noDeliver;
  private observer: NetObserver | null = null;
  /** Id of the last message sent (ids start at 1). */
  private lastId = 0;
  private readonly protocol: NetProtocol | null;
  /** Copies held by rules until an event (in hold order). */
  private held: Held[] = [];
  /** True while a redirected copy is being sent (it passes no rule). */
  private redirecting = false;

  // per directed link (from * n + to): when its transmitter is next free; null = infinite bandwidth
  private readonly linkFreeAt: Float64Array | null;
  private readonly secondsPerByte: number;

  private readonly loss: number;
  private readonly duplicate: number;
  // one stream per concern, so enabling one feature never shifts another's draws
  private readonly lossRng: Stream;
  private readonly duplicateRng: Stream;

  // in-flight pool: slot -> message fields
  private slotFrom: Int32Array = new Int32Array(1024);
  private slotKind: Int32Array = new Int32Array(1024);
  private slotSize: Float64Array = new Float64Array(1024);
  private slotId: Float64Array = new Float64Array(1024);
  private slotMsg: unknown[] = new Array(1024).fill(undefined);
  private freeSlots: Int32Array = new Int32Array(1024);
  private freeTop = 0;
  private slotsUsed = 0;
  private flying = 0;

  constructor(sim: Simulation, config: NetworkConfig, nodeCount: number, protocol: NetProtocol | null = null) {
    this.protocol = protocol;
    if (!(Number.isInteger(nodeCount) && nodeCount >= 1)) throw new RangeError(`nodeCount must be a positive integer, got ${nodeCount}`);
    this.sim = sim;
    this.nodeCount = nodeCount;
    this.counters = new NetCounters(nodeCount);
    this.reach = new Reachability(nodeCount);
    this.primary = new Propagation(config, nodeCount, sim.rng.stream("net.latency"), sim.rng.stream("net.reorder"));
    this.copy = new Propagation(config, nodeCount, sim.rng.stream("net.latency.copy"), sim.rng.stream("net.reorder.copy"));
    this.spikes = config.spikes.length > 0 ? new SpikeTable(config.spikes) : null;
    this.loss = config.loss;
    this.duplicate = config.duplicate;
    this.lossRng = sim.rng.stream("net.loss");
    this.duplicateRng = sim.rng.stream("net.duplicate");
    if (config.bandwidth === null || config.bandwidth === Number.POSITIVE_INFINITY) {
      this.linkFreeAt = null;
      this.secondsPerByte = 0;
    } else {
      // n² doubles: 8 MB for 1000 nodes; only paid when bandwidth is finite
      this.linkFreeAt = new Float64Array(nodeCount * nodeCount);
      this.secondsPerByte = 8 / config.bandwidth;
    }

    this.deliverKind = sim.register("net.deliver", (to, payload, now) => this.deliver(to, payload as number, now));
    const controlKind = sim.register("net.control", (_t, payload, now) => (payload as ControlAction).fire(now));
    this.rules = new RuleTable(nodeCount, (name) => this.internKind(name), sim.rng.stream("net.rules"), protocol?.reader ?? null);
    for (const r of config.rules) this.addRule(r);
    this.partitions = new PartitionManager(
      this.reach,
      () => sim.now,
      (time, action) => sim.postAt(time, -1, controlKind, action),
    );
    this.partitions.schedule(config.partitions);
    if (config.randomPartitions !== null) this.partitions.scheduleRandom(config.randomPartitions, sim.rng.stream("net.partitions"));
  }

  /** Sets the single delivery handler (replacing any previous one). */
  onDeliver(handler: DeliverHandler): void {
    this.handler = handler;
  }

  /** Sets the single observer of sends, deliveries and drops (null: none). */
  observe(observer: NetObserver | null): void {
    this.observer = observer;
  }

  /** Listens to partitions starting and healing (scheduled, random and manual). */
  onPartitionChange(listener: (e: PartitionEvent) => void): void {
    this.partitions.onChange(listener);
  }

  /**
   * Sends one message. A self-send (from === to) skips the link and every network fault: it is
   * delivered after zero delay (as a separate event, after events already due now), unless the
   * node is down.
   */
  send(from: number, to: number, kind: string, sizeBytes: number, msg: unknown): void {
    checkNode(from, this.nodeCount);
    checkNode(to, this.nodeCount);
    this.transmit(from, to, this.internKind(kind), sizeBytes, msg);
  }

  /** Sends the same `msg` object to every node in `tos`, in order (each as a separate send). */
  broadcast(from: number, tos: ArrayLike<number>, kind: string, sizeBytes: number, msg: unknown): void {
    checkNode(from, this.nodeCount);
    const kid = this.internKind(kind);
    for (let i = 0; i < tos.length; i++) {
      const to = tos[i]!;
      checkNode(to, this.nodeCount);
      this.transmit(from, to, kid, sizeBytes, msg);
    }
  }

  // ---- fault API -------------------------------------------------------------------------

  /** Cuts `node` off in both directions until `reconnect` (independent of partitions). */
  isolate(node: number): void {
    checkNode(node, this.nodeCount);
    this.reach.isolate(node);
  }

  reconnect(node: number): void {
    checkNode(node, this.nodeCount);
    this.reach.reconnect(node);
  }

  /** Cuts the directed link from → to (the reverse direction is unaffected). */
  cutLink(from: number, to: number): void {
    checkNode(from, this.nodeCount);
    checkNode(to, this.nodeCount);
    this.reach.cutLink(from, to);
  }

  restoreLink(from: number, to: number): void {
    checkNode(from, this.nodeCount);
    checkNode(to, this.nodeCount);
    this.reach.restoreLink(from, to);
  }

  /**
   * A down node neither sends nor receives: its sends are dropped at once, and messages reaching
   * it while down are dropped at delivery. Messages it sent before going down stay in flight.
   */
  setNodeDown(node: number, down: boolean): void {
    checkNode(node, this.nodeCount);
    this.reach.setDown(node, down);
  }

  isDown(node: number): boolean {
    return this.reach.isDown(node);
  }

  /** Whether a message from `from` could reach `to` now: partitions, isolation and cut links (down nodes aside). */
  connected(from: number, to: number): boolean {
    return this.reach.connected(from, to);
  }

  /** Whether a message from → to would currently pass every cut (ignores down nodes and rules). */
  reachable(from: number, to: number): boolean {
    return this.reach.connected(from, to);
  }

  /** Adds a targeted rule; returns its id for `removeRule`. Config rules have ids 1, 2, … */
  addRule(rule: NetworkRule): number {
    const compiled = this.rules.add(rule);
    const event = compiled.releaseEvent;
    if (event !== null) {
      if (this.protocol === null) throw new Error(`network rule held until "${event.event}": this world reports no protocol events`);
      this.protocol.gate(event, () => this.release(compiled));
    }
    return compiled.id;
  }

  /** Copies held by rules and not yet released. */
  get heldCount(): number {
    return this.held.length;
  }

  removeRule(id: number): boolean {
    return this.rules.remove(id);
  }

  /** Installs the manual partition, replacing a previous manual one (see ScheduledPartition.groups/symmetric). */
  partition(groups: readonly (readonly number[])[], symmetric: boolean): void {
    this.partitions.setManual(groups, symmetric);
  }

  /** Heals the manual partition. Scheduled/random partitions, isolations and cut links stay. */
  heal(): void {
    this.partitions.healManual();
  }

  // ---- introspection ---------------------------------------------------------------------

  /** Copies scheduled but not yet delivered or dropped. */
  get inFlight(): number {
    return this.flying;
  }

  /** Number of partitions currently in force (scheduled, random and manual). */
  get activePartitions(): number {
    return this.reach.partitionCount;
  }

  stats(): NetStats {
    return this.counters.snapshot(this.kinds);
  }

  // ---- hot path --------------------------------------------------------------------------

  private internKind(name: string): number {
    const id = this.kinds.intern(name);
    this.counters.ensureKinds(id + 1);
    return id;
  }

  private transmit(from: number, to: number, kind: number, size: number, msg: unknown): void {
    const now = this.sim.now;
    const counters = this.counters;
    const id = ++this.lastId;
    counters.sent(kind, from, size);
    if (this.observer !== null) this.observer.sent(id, from, to, this.kinds.name(kind), size, msg, now);
    if (from === to) {
      if (this.reach.isDown(from)) this.drop(id, from, to, kind, size, msg, DROP_DOWN, true);
      else this.enqueue(now, id, from, to, kind, size, msg);
      return;
    }
    // Draw the primary copy's delay, loss and duplication before deciding anything, so the k-th
    // send gets the same numbers whether or not partitions, rules or down nodes drop it
    // (common random numbers across scenario variants).
    const delay = this.primary.delay(from, to);
    const lost = this.loss > 0 && this.lossRng.next() < this.loss;
    let copies = this.duplicate > 0 && this.duplicateRng.next() < this.duplicate ? 1 : 0;
    if (this.reach.isDown(from)) {
      this.drop(id, from, to, kind, size, msg, DROP_DOWN, true);
      return;
    }
    if (!this.reach.connected(from, to)) {
      this.drop(id, from, to, kind, size, msg, DROP_PARTITION, true);
      return;
    }
    let extra = 0;
    let holding: CompiledRule | null = null;
    if (this.rules.size > 0 && !this.redirecting) {
      const outcome = this.rules.evaluate(kind, from, to, now, msg);
      if (outcome !== RULE_PASS) {
        if (outcome === RULE_DROP) {
          this.drop(id, from, to, kind, size, msg, DROP_RULE, true);
          return;
        }
        const rule = this.rules.decisive!;
        if (outcome !== RULE_HOLD) {
          this.drop(id, from, to, kind, size, msg, DROP_RULE, true);
          this.redirect(from, rule.deliverTo, kind, size, msg);
          return;
        }
        holding = rule;
      } else {
        extra = this.rules.extraDelay;
        copies += this.rules.extraCopies;
      }
    }
    // the sender's link carries the bits even if the packet is then lost in transit
    let depart = now;
    const linkFreeAt = this.linkFreeAt;
    if (linkFreeAt !== null) {
      const link = from * this.nodeCount + to;
      depart = Math.max(linkFreeAt[link]!, now) + size * this.secondsPerByte;
      linkFreeAt[link] = depart;
    }
    if (lost) {
      this.drop(id, from, to, kind, size, msg, DROP_LOSS, true);
      return;
    }
    if (this.spikes !== null) extra += this.spikes.extraAt(now);
    if (holding !== null) {
      this.hold(holding, depart + extra + delay, id, from, to, kind, size, msg);
      for (let c = 0; c < copies; c++) {
        counters.duplicated(kind);
        this.hold(holding, depart + extra + this.copy.delay(from, to), id, from, to, kind, size, msg);
      }
      return;
    }
    this.enqueue(depart + extra + delay, id, from, to, kind, size, msg);
    // copies share the original's transmission but travel with their own delay, drawn from
    // separate streams so that duplication does not shift the primary copies' delays
    for (let c = 0; c < copies; c++) {
      counters.duplicated(kind);
      this.enqueue(depart + extra + this.copy.delay(from, to), id, from, to, kind, size, msg);
    }
  }

  /** A copy caught by a hold rule: scheduled at once when the rule releases at a time, else kept until its event. */
  private hold(rule: CompiledRule, arrival: number, id: number, from: number, to: number, kind: number, size: number, msg: unknown): void {
    if (rule.releaseEvent === null) {
      this.enqueue(Math.max(arrival, rule.holdUntil), id, from, to, kind, size, msg);
      return;
    }
    this.flying++;
    this.held.push({ rule, arrival, id, from, to, kind, size, msg });
  }

  /** A hold rule's event happened: its copies go out (each at the later of now and its own arrival time), and it holds no more. */
  private release(rule: CompiledRule): void {
    if (rule.released) return;
    rule.released = true;
    const now = this.sim.now;
    const keep: Held[] = [];
    for (const h of this.held) {
      if (h.rule !== rule) {
        keep.push(h);
        continue;
      }
      this.flying--;
      this.enqueue(Math.max(now, h.arrival), h.id, h.from, h.to, h.kind, h.size, h.msg);
    }
    this.held = keep;
  }

  /** A redirected copy: sent afresh from `from` to each target (not back to the sender), past every rule. */
  private redirect(from: number, targets: readonly number[], kind: number, size: number, msg: unknown): void {
    this.redirecting = true;
    try {
      for (const t of targets) if (t !== from) this.transmit(from, t, kind, size, msg);
    } finally {
      this.redirecting = false;
    }
  }

  /** Counts a dropped copy and tells the observer. */
  private drop(id: number, from: number, to: number, kind: number, size: number, msg: unknown, reason: number, atSend: boolean): void {
    this.counters.dropped(kind, reason);
    if (this.observer !== null) this.observer.dropped(id, from, to, this.kinds.name(kind), size, msg, DROP_REASONS[reason]!, atSend, this.sim.now);
  }

  private enqueue(time: number, id: number, from: number, to: number, kind: number, size: number, msg: unknown): void {
    let slot: number;
    if (this.freeTop > 0) slot = this.freeSlots[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.slotFrom.length) this.growSlots();
      slot = this.slotsUsed++;
    }
    this.slotFrom[slot] = from;
    this.slotKind[slot] = kind;
    this.slotSize[slot] = size;
    this.slotId[slot] = id;
    this.slotMsg[slot] = msg;
    this.flying++;
    this.sim.postAt(time, to, this.deliverKind, slot);
  }

  private deliver(to: number, slot: number, now: number): void {
    const from = this.slotFrom[slot]!;
    const kind = this.slotKind[slot]!;
    const size = this.slotSize[slot]!;
    const msg = this.slotMsg[slot];
    const id = this.slotId[slot]!;
    // free the slot first: the handler may send, and should reuse it
    this.slotMsg[slot] = undefined;
    this.freeSlots[this.freeTop++] = slot;
    this.flying--;
    if (this.reach.isDown(to)) {
      this.drop(id, from, to, kind, size, msg, DROP_DOWN, false);
      return;
    }
    if (!this.reach.connected(from, to)) {
      this.drop(id, from, to, kind, size, msg, DROP_PARTITION, false);
      return;
    }
    this.counters.delivered(kind, to, size);
    const name = this.kinds.name(kind);
    if (this.observer !== null) this.observer.delivered(id, from, to, name, size, msg, now);
    this.handler(to, from, name, size, msg, now, id);
  }

  private growSlots(): void {
    const c = this.slotFrom.length * 2;
    const grow32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(c);
      b.set(a);
      return b;
    };
    this.slotFrom = grow32(this.slotFrom);
    this.slotKind = grow32(this.slotKind);
    this.freeSlots = grow32(this.freeSlots);
    const size = new Float64Array(c);
    size.set(this.slotSize);
    this.slotSize = size;
    const ids = new Float64Array(c);
    ids.set(this.slotId);
    this.slotId = ids;
    // a fresh packed array copied over: much faster than pushing one element at a time
    const msgs: unknown[] = new Array(c).fill(undefined);
    for (let i = 0; i < this.slotMsg.length; i++) msgs[i] = this.slotMsg[i];
    this.slotMsg = msgs;
  }
}
