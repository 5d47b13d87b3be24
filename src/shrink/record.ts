// What the seed drew in one run, message by message, so a shrink can declare it instead: which
// copies random loss dropped, which random duplication copied, what probabilistic network rules did
// (drop, delay, duplicate, hold, redirect), and when random partitions started and healed.
//
// How it knows, exactly and without touching the network: the recorder is a world observer (it only
// watches), and it replays the network's own decisions beside the run.
//   * Loss and duplication: the network draws both for every send between two nodes, in send order,
//     from their own streams ("net.loss", "net.duplicate"; net/network.ts, "common random numbers"),
//     so the same streams of the same seed give the same answers here. The replayed losses are
//     checked against the drops the network reports with reason "loss"; any difference is an error
//     (the contract this file relies on changed).
//   * Rules: a shadow rule table (net/rules.ts, the network's own class) with the scenario's rules and
//     the "net.rules" stream of the same seed is shown every copy that reached the real table, in the
//     same order (sends minus those dropped at once because the sender was down or the link cut, and
//     minus the copies a redirect sends afresh); a second shadow with the probabilistic rules switched
//     off (probability 0) says what the deterministic rules alone do. Where the two differ, the
//     difference is what the draw did to that copy.
//   * Latency and reordering jitter (only when no other explicit form was found): each copy's time in
//     flight, less the rule delays and latency spikes the capsule keeps, over a constant latency at
//     most the smallest of them; the rest becomes a delay rule on that copy, chosen so that the copy
//     arrives at its recorded time to the last bit where floating point allows (exactDelay). A copy
//     still in flight when the recording ended is delayed past `until`, where it then was.
//   Hold rules released by a protocol event are never released in the shadows (the trigger table is
//   the world's); a scenario with both such rules and probabilistic rules may be recorded inexactly.
//   The shrink verifies every conversion by running it, so inexactness costs a conversion, not a
//   wrong answer.
// Each message that reached the rule table is keyed by kind, endpoints, view and sequence number
// (the fields explicit rules match on; the k-th occurrence of a key identifies one copy).

import { RngTree, type Stream } from "../kernel/index.js";
import type { MessageFacts, TraceDropReason, WorldDescription } from "../world/index.js";
import { NoopObserver, type HostEvent } from "../world/index.js";
import type { ClientObservation } from "../protocols/pbft/index.js";
import { KindTable } from "../net/kinds.js";
import { SpikeTable } from "../net/latency.js";
import { RULE_DROP, RULE_HOLD, RULE_PASS, RULE_REDIRECT, RuleTable, type CompiledRule } from "../net/rules.js";
import { PbftMessageReader } from "../world/pbft/reader.js";
import type { Scenario } from "./edit.js";

type Rule = Scenario["network"]["rules"][number];

/** A copy that reached the network's rule table, in the order it did. */
export interface RecordedMessage {
  readonly kind: string;
  readonly from: number;
  readonly to: number;
  /** −1 when the message has no view / sequence number. */
  readonly view: number;
  readonly seq: number;
  /** Send time (s). */
  readonly time: number;
  /** kind|from|to|view|seq: copies with one key are told apart by occurrence. */
  readonly key: string;
}

/** What the draw did to one recorded copy. `msg` indexes Recording.messages. */
export type Effect =
  | { readonly msg: number; readonly action: "drop"; readonly source: "loss" | "rule" }
  | { readonly msg: number; readonly action: "delay"; readonly delay: number; readonly source: "rule" | "latency" }
  /** The copy-th extra copy (1, 2, …) of the message. */
  | { readonly msg: number; readonly action: "duplicate"; readonly copy: number; readonly source: "duplicate" | "rule" }
  | { readonly msg: number; readonly action: "hold"; readonly until: NonNullable<Extract<Rule, { action: "hold" }>["until"]> }
  | { readonly msg: number; readonly action: "redirect"; readonly deliverTo: number[] };

/** A random partition as it happened: sides per node (all nodes), start and heal times. */
export interface PartitionEpisode {
  readonly at: number;
  heal?: number;
  readonly sides: readonly number[];
}

export interface Recording {
  readonly messages: RecordedMessage[];
  readonly effects: Effect[];
  readonly partitions: PartitionEpisode[];
  /** Losses replayed and confirmed by the network's own drop reports. */
  readonly losses: number;
  /** The constant latency the "latency" effects add to (s); null when latency was not recorded. */
  readonly latency: number | null;
}

/** Which random sources the recorder replays (the others are not looked at). */
export interface RecordSources {
  readonly loss: boolean;
  readonly duplicate: boolean;
  readonly rules: boolean;
  readonly latency: boolean;
}

export function isProbabilistic(r: { probability: number }): boolean {
  return r.probability > 0 && r.probability < 1;
}

interface Pending {
  id: number;
  from: number;
  to: number;
  kind: string;
  msg: unknown;
  time: number;
  reached: boolean;
  lost: boolean;
  duplicated: boolean;
}

/** Records one run (attach as its world observer, then call `finish`). */
export class Recorder extends NoopObserver {
  private readonly messages: RecordedMessage[] = [];
  private readonly effects: Effect[] = [];
  private readonly episodes: PartitionEpisode[] = [];
  private readonly lossRng: Stream | null;
  private readonly duplicateRng: Stream | null;
  /** The "net.rules" stream of the run's seed, for the shadow that keeps the probabilistic rules. */
  private readonly rulesRng: Stream;
  private readonly reader = new PbftMessageReader();
  private full: RuleTable | null = null;
  private det: RuleTable | null = null;
  private describe: WorldDescription["describe"] | null = null;
  private readonly kinds = new KindTable();
  private readonly facts: MessageFacts = { view: -1, seq: -1, digest: "" };
  private pending: Pending | null = null;
  /** Copies a redirect is about to send afresh (they pass no rule). */
  private redirectCopies = 0;
  private readonly predictedLoss = new Set<number>();
  private readonly observedLoss = new Set<number>();
  /** Lost copies that no rule can name (a redirect's fresh copies): excluded from the loss check. */
  private readonly unnamedLoss = new Set<number>();
  /** Latency recording: message index by network id, the rule delay of each copy let through, first arrival. */
  private readonly indexOf = new Map<number, number>();
  private readonly ruleDelay = new Map<number, number>();
  private readonly arrival = new Map<number, number>();
  private readonly spikes: SpikeTable | null;

  constructor(
    private readonly scenario: Scenario,
    seed: number,
    private readonly sources: RecordSources,
  ) {
    super();
    const tree = new RngTree(seed);
    const net = scenario.network;
    this.lossRng = net.loss > 0 ? tree.stream("net.loss") : null;
    this.duplicateRng = net.duplicate > 0 ? tree.stream("net.duplicate") : null;
    this.rulesRng = tree.stream("net.rules");
    this.spikes = net.spikes.length > 0 ? new SpikeTable(net.spikes) : null;
  }

  override begin(world: WorldDescription): void {
    this.describe = world.describe;
    const rules = this.scenario.network.rules;
    // The shadows also tell which sends are a redirect's fresh copies, so they are built whenever there are rules.
    if (rules.length === 0) return;
    const intern = (name: string) => this.kinds.intern(name);
    const nodes = world.nodes.length;
    this.full = new RuleTable(nodes, intern, this.rulesRng, this.reader);
    // The deterministic half never draws: its stream is never read.
    this.det = new RuleTable(nodes, intern, new RngTree("shrink.unused").stream("unused"), this.reader);
    for (const r of rules) {
      this.full.add(r);
      this.det.add(isProbabilistic(r) ? { ...r, probability: 0 } : r);
    }
  }

  override sent(id: number, from: number, to: number, kind: string, _bytes: number, msg: unknown, now: number): void {
    this.flush();
    if (from === to) return;
    const lost = this.lossRng !== null && this.lossRng.next() < this.scenario.network.loss;
    const duplicated = this.duplicateRng !== null && this.duplicateRng.next() < this.scenario.network.duplicate;
    const reached = this.redirectCopies === 0;
    if (!reached) {
      this.redirectCopies--;
      if (lost) this.unnamedLoss.add(id);
    }
    this.pending = { id, from, to, kind, msg, time: now, reached, lost, duplicated };
  }

  override dropped(id: number, _from: number, _to: number, _kind: string, _bytes: number, _msg: unknown, reason: TraceDropReason, atSend: boolean, now: number): void {
    const p = this.pending;
    if (p !== null && p.id === id && atSend && (reason === "down" || reason === "partition")) p.reached = false;
    this.flush();
    if (reason === "loss") this.observedLoss.add(id);
    // A copy dropped on arrival (receiver down, partition started in flight) was still in flight that long.
    if (!atSend) this.arrived(id, now);
  }

  override delivered(id: number, _from: number, _to: number, _kind: string, _bytes: number, _msg: unknown, now: number): void {
    this.flush();
    this.arrived(id, now);
  }

  /** The first arrival of a recorded copy (a duplicate's later copies keep the constant latency). */
  private arrived(id: number, now: number): void {
    const i = this.indexOf.get(id);
    if (i !== undefined && !this.arrival.has(i)) this.arrival.set(i, now);
  }

  override replica(): void {
    this.flush();
  }

  override timer(): void {
    this.flush();
  }

  override economic(): void {
    this.flush();
  }

  override violation(): void {
    this.flush();
  }

  override client(_node: number, client: number, ev: ClientObservation, _now: number): void {
    this.flush();
    if (ev.type === "submitted") this.reader.submitted(client, ev.timestamp, ev.digest);
  }

  override host(ev: HostEvent, now: number): void {
    this.flush();
    if ((ev.type !== "partitionStart" && ev.type !== "partitionHeal") || ev.source !== "random") return;
    if (ev.type === "partitionStart") this.episodes.push({ at: now, sides: [...ev.sides] });
    else {
      const same = (e: PartitionEpisode) => e.heal === undefined && e.sides.length === ev.sides.length && e.sides.every((s, i) => s === ev.sides[i]);
      const open = [...this.episodes].reverse().find(same);
      if (open) open.heal = now;
    }
  }

  /** The recording (call once, after the run). */
  finish(): Recording {
    this.flush();
    const observed = [...this.observedLoss].filter((id) => !this.unnamedLoss.has(id));
    const predicted = [...this.predictedLoss];
    if (observed.length !== predicted.length || observed.some((id) => !this.predictedLoss.has(id))) {
      throw new Error(
        `shrink: replaying the network's loss draws gave ${predicted.length} lost copies, the network reported ${observed.length}: the recorder no longer matches net/network.ts`,
      );
    }
    return { messages: this.messages, effects: this.effects, partitions: this.episodes, losses: predicted.length, latency: this.latencyEffects() };
  }

  /**
   * Delay effects for each copy's time in flight over the smallest one (rounded down to 3 digits). A
   * copy still in flight when the recording ended is delayed past `until`, where it was then.
   */
  private latencyEffects(): number | null {
    if (!this.sources.latency) return null;
    const parts: Array<[number, number]> = [];
    let min = Number.POSITIVE_INFINITY;
    for (const [i, delay] of this.ruleDelay) {
      const at = this.arrival.get(i);
      const m = this.messages[i]!;
      const x = at === undefined ? Number.NaN : at - m.time - delay - (this.spikes?.extraAt(m.time) ?? 0);
      parts.push([i, x]);
      if (x < min) min = x;
    }
    if (!(min > 0 && Number.isFinite(min))) return null;
    const base = floorDigits(min, 3);
    for (const [msg, x] of parts) {
      const m = this.messages[msg]!;
      const at = this.arrival.get(msg);
      // With nothing else delaying the copy, the network computes (sent + delay) + latency: pick the
      // delay that gives the recorded arrival to the last bit.
      const plain = x === at! - m.time;
      const delay = Number.isNaN(x) ? this.scenario.until - m.time : plain ? exactDelay(m.time, base, at!) : x - base;
      if (delay > 0) this.effects.push({ msg, action: "delay", delay, source: "latency" });
    }
    return base;
  }

  /** Decides what happened to the pending copy (the network decided it during its send). */
  private flush(): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    if (!p.reached) return;
    const index = this.messages.length;
    this.describe!(p.msg, this.facts);
    const { view, seq } = this.facts;
    this.messages.push({ kind: p.kind, from: p.from, to: p.to, view, seq, time: p.time, key: `${p.kind}|${p.from}|${p.to}|${view}|${seq}` });

    let fullCode = RULE_PASS;
    let detCode = RULE_PASS;
    let fullDelay = 0;
    let detDelay = 0;
    let fullCopies = 0;
    let detCopies = 0;
    let fullRule: CompiledRule | null = null;
    let detRule: CompiledRule | null = null;
    if (this.full !== null && this.det !== null) {
      const kind = this.kinds.intern(p.kind);
      fullCode = this.full.evaluate(kind, p.from, p.to, p.time, p.msg);
      fullDelay = this.full.extraDelay;
      fullCopies = this.full.extraCopies;
      fullRule = fullCode === RULE_HOLD || fullCode === RULE_REDIRECT ? this.full.decisive : null;
      detCode = this.det.evaluate(kind, p.from, p.to, p.time, p.msg);
      detDelay = this.det.extraDelay;
      detCopies = this.det.extraCopies;
      detRule = detCode === RULE_HOLD || detCode === RULE_REDIRECT ? this.det.decisive : null;
    }
    if (fullCode === RULE_REDIRECT) this.redirectCopies = fullRule!.deliverTo.filter((t) => t !== p.from).length;

    // Loss applies to copies the rules let through or hold (net/network.ts transmit): a lost copy is gone.
    const throughRules = fullCode === RULE_PASS || fullCode === RULE_HOLD;
    if (throughRules && p.lost) {
      this.predictedLoss.add(p.id);
      if (this.sources.loss) this.effects.push({ msg: index, action: "drop", source: "loss" });
      return;
    }
    const rules = this.sources.rules;
    // Same outcome from the deterministic rules alone (for a drop the table names no rule: the code decides).
    const sameFate = fullCode === detCode && fullRule?.id === detRule?.id;
    if (!sameFate && !(fullCode === RULE_PASS && detCode !== RULE_PASS) && rules) {
      const original = fullRule === null ? undefined : this.scenario.network.rules[fullRule.id - 1];
      if (fullCode === RULE_DROP) this.effects.push({ msg: index, action: "drop", source: "rule" });
      else if (fullCode === RULE_HOLD && original?.action === "hold") this.effects.push({ msg: index, action: "hold", until: original.until });
      else if (fullCode === RULE_REDIRECT && original?.action === "redirect") {
        this.effects.push({ msg: index, action: "redirect", deliverTo: typeof original.deliverTo === "number" ? [original.deliverTo] : [...original.deliverTo] });
      }
    }
    if (!throughRules || !sameFate) return;
    if (rules && fullCode === RULE_PASS && fullDelay > detDelay) this.effects.push({ msg: index, action: "delay", delay: fullDelay - detDelay, source: "rule" });
    if (this.sources.latency && fullCode === RULE_PASS) {
      this.indexOf.set(p.id, index);
      this.ruleDelay.set(index, fullDelay);
    }
    let copy = 0;
    if (rules) for (let c = detCopies; c < fullCopies; c++) this.effects.push({ msg: index, action: "duplicate", copy: ++copy, source: "rule" });
    if (p.duplicated && this.sources.duplicate) this.effects.push({ msg: index, action: "duplicate", copy: ++copy, source: "duplicate" });
  }
}

/** The largest number with `digits` significant digits not above x (x > 0). */
function floorDigits(x: number, digits: number): number {
  const step = 10 ** (Math.floor(Math.log10(x)) - digits + 1);
  const v = Number((Math.floor(x / step) * step).toPrecision(digits));
  return v <= x ? v : Number((v - step).toPrecision(digits));
}

/** d with (sent + d) + latency === arrival in floating point, if one lies within a few units in the last place of the plain difference. */
export function exactDelay(sent: number, latency: number, arrival: number): number {
  const d0 = arrival - latency - sent;
  let lo = d0;
  let hi = d0;
  for (let k = 0; k <= 8; k++) {
    if (sent + hi + latency === arrival) return hi;
    if (sent + lo + latency === arrival) return lo;
    hi = nextAfter(hi, Number.POSITIVE_INFINITY);
    lo = nextAfter(lo, Number.NEGATIVE_INFINITY);
  }
  return d0;
}

/** The next double after x towards `to` (x finite). */
function nextAfter(x: number, to: number): number {
  if (x === to) return x;
  if (x === 0) return to > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, (to > x) === (x > 0) ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}
