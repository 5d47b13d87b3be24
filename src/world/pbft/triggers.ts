// The PBFT world's trigger table: waits for protocol events that scenarios name (a message
// received or sent by a replica, a view entered, a sequence number executed) on behalf of network
// rules held until an event, scripted Byzantine steps and crashes on an event. The hosts report
// deliveries, sends and observations to it; a watch whose event has happened `count` times fires
// once, as a kernel event at the current time (after the event being processed has finished), so
// whatever it does (release messages, send, crash) never runs inside a replica's own step.
// Built only when a scenario declares such a watch: otherwise the hosts pay one null test.

import type { FieldMatch } from "../../net/index.js";
import type { Message, Observation } from "../../protocols/pbft/index.js";
import type { Simulation } from "../../kernel/index.js";
import type { TriggerSpec } from "../../faults/index.js";
import type { MessageFacts } from "../observe.js";
import type { PbftMessageReader } from "./reader.js";

interface Watch {
  readonly spec: TriggerSpec;
  left: number;
  readonly fire: () => void;
}

export class Triggers {
  private received: Watch[] = [];
  private sent: Watch[] = [];
  private views: Watch[] = [];
  private executed: Watch[] = [];
  private readonly facts: MessageFacts = { view: -1, seq: -1, digest: "" };
  private readonly kFire: number;

  constructor(
    private readonly sim: Simulation,
    private readonly reader: PbftMessageReader,
  ) {
    this.kFire = sim.register("pbft.trigger", (_t, payload) => (payload as () => void)());
  }

  /** Calls `fire` once, when `spec` has happened `spec.count` times from now on. */
  watch(spec: TriggerSpec, fire: () => void): void {
    const w: Watch = { spec, left: spec.count, fire };
    switch (spec.event) {
      case "received":
        this.received.push(w);
        break;
      case "sent":
        this.sent.push(w);
        break;
      case "viewEntered":
        this.views.push(w);
        break;
      case "executed":
        this.executed.push(w);
        break;
    }
  }

  /** Replica `replica` got `msg` from replica `from` (−1: from a client). */
  onReceived(replica: number, from: number, msg: Message): void {
    if (this.received.length === 0) return;
    this.received = this.scan(this.received, (s) => s.event === "received" && (s.from === undefined || s.from === from) && this.matches(s, replica, msg));
  }

  /** Replica `replica` sent `msg` to replica `to`. */
  onSent(replica: number, to: number, msg: Message): void {
    if (this.sent.length === 0) return;
    this.sent = this.scan(this.sent, (s) => s.event === "sent" && (s.to === undefined || s.to === to) && this.matches(s, replica, msg));
  }

  onObservation(replica: number, ev: Observation): void {
    if (ev.type === "newViewInstalled") {
      if (this.views.length === 0) return;
      const v = ev.view;
      this.views = this.scan(this.views, (s) => s.event === "viewEntered" && v >= s.view && (s.replica === undefined || s.replica === replica));
    } else if (ev.type === "executed" || ev.type === "stateTransferred") {
      if (this.executed.length === 0) return;
      const seq = ev.type === "executed" ? ev.seq : ev.toSeq;
      this.executed = this.scan(this.executed, (s) => s.event === "executed" && seq >= s.seq && (s.replica === undefined || s.replica === replica));
    }
  }

  /** Counts down the watches `hit` matches; returns those still waiting. */
  private scan(list: Watch[], hit: (s: TriggerSpec) => boolean): Watch[] {
    let fired = false;
    for (const w of list) {
      if (w.left > 0 && hit(w.spec) && --w.left === 0) {
        fired = true;
        this.sim.schedule(0, -1, this.kFire, w.fire);
      }
    }
    return fired ? list.filter((w) => w.left > 0) : list;
  }

  private matches(s: Extract<TriggerSpec, { event: "received" | "sent" }>, replica: number, msg: Message): boolean {
    if (s.replica !== undefined && s.replica !== replica) return false;
    if (s.kind !== undefined && s.kind !== msg.type) return false;
    if (s.view !== undefined || s.seq !== undefined) {
      this.reader.read(msg, this.facts);
      if (s.view !== undefined && !fieldMatches(s.view, this.facts.view)) return false;
      if (s.seq !== undefined && !fieldMatches(s.seq, this.facts.seq)) return false;
    }
    if (s.client !== undefined && !this.reader.hasRequest(msg, s.client, -1)) return false;
    return true;
  }
}

/** Whether `x` (−1: the message has no such field) matches a value, list or range. */
export function fieldMatches(m: FieldMatch, x: number): boolean {
  if (x < 0) return false;
  if (typeof m === "number") return x === m;
  if (Array.isArray(m)) return (m as readonly number[]).includes(x);
  const r = m as { min?: number; max?: number };
  return x >= (r.min ?? Number.NEGATIVE_INFINITY) && x <= (r.max ?? Number.POSITIVE_INFINITY);
}
