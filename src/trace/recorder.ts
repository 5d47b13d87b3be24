// The trace recorder: a world observer that turns what the world reports into trace rows (data.ts),
// applying the filters (kinds, nodes, time window) and the row limit. It only watches: it never
// sends, schedules or draws random numbers, so a traced run is the same run as an untraced one.
//
// Ids: every event the world offers gets the next id (0, 1, 2, …), kept or filtered out, so an id
// names the same event whatever the filters. A violation is always written (filters aside), with
// `cause` = the id of the event being processed when the checker found it; if that event was
// filtered out it is written anyway (its row is still in place: a filtered row is only overwritten
// by the next event). Once `limit` rows are written the recorder stops writing altogether.

import type { Violation } from "../check/index.js";
import type { ClientObservation, Observation } from "../protocols/pbft/index.js";
import type { EconomicEvent, HostEvent, MessageFacts, TraceDropReason, WorldDescription, WorldObserver } from "../world/observe.js";
import { TraceColumns, type TraceData, type TraceEnd, type TraceMeta } from "./data.js";
import type { TraceFilters } from "./filters.js";
import { DROP_REASON_NAMES, EV } from "./vocabulary.js";

export interface RecorderOptions {
  scenario: string;
  seed: number;
  filters: TraceFilters;
  /** Row limit: tracing stops once this many rows are written. */
  limit: number;
}

const DROP_CODE: Record<TraceDropReason, number> = Object.fromEntries(DROP_REASON_NAMES.map((r, i) => [r, i])) as Record<TraceDropReason, number>;

export class TraceRecorder implements WorldObserver {
  readonly rows = new TraceColumns(1 << 16);
  private world: WorldDescription | null = null;
  private readonly facts: MessageFacts = { view: -1, seq: -1, digest: "" };
  private seen = 0;
  /** Whether the last offered event's row was filtered out (it sits at rows.count until the next event). */
  private lastFiltered = false;
  private truncatedAt: number | null = null;
  private stopped = false;
  private readonly kinds: ReadonlySet<string> | null;
  private readonly nodes: ReadonlySet<number> | null;
  private readonly t0: number;
  private readonly t1: number;
  /** No filter given: every event is kept (skips the checks). */
  private readonly unfiltered: boolean;
  /** Id of the first view_change / violation row written (−1: none). */
  firstViewChange = -1;
  firstViolation = -1;

  constructor(private readonly o: RecorderOptions) {
    this.kinds = o.filters.kinds === null ? null : new Set(o.filters.kinds);
    this.nodes = o.filters.nodes === null ? null : new Set(o.filters.nodes);
    this.t0 = o.filters.window?.[0] ?? Number.NEGATIVE_INFINITY;
    this.t1 = o.filters.window?.[1] ?? Number.POSITIVE_INFINITY;
    this.unfiltered = this.kinds === null && this.nodes === null && o.filters.window === null;
  }

  get truncated(): boolean {
    return this.truncatedAt !== null;
  }

  /** Events offered so far (the next event's id). */
  get eventsSeen(): number {
    return this.seen;
  }

  // ---- rows ------------------------------------------------------------------------------

  private row(t: number, ev: number, node: number): number {
    return this.rows.open(this.seen++, t, ev, node);
  }

  /** Keeps or drops the row just filled; stops the trace at the limit. */
  private close(keep: boolean): void {
    if (!keep) {
      this.lastFiltered = true;
      return;
    }
    this.lastFiltered = false;
    if (++this.rows.count >= this.o.limit) this.stopped = true;
  }

  private inWindow(t: number): boolean {
    return t >= this.t0 && t <= this.t1;
  }

  private keepNodeEvent(ev: string, node: number, t: number): boolean {
    if (!this.inWindow(t)) return false;
    if (this.nodes !== null && node >= 0 && !this.nodes.has(node)) return false;
    return this.kinds === null || this.kinds.has(ev);
  }

  /** Marks the first event not written because of the limit. */
  private full(t: number): boolean {
    if (!this.stopped) return false;
    if (this.truncatedAt === null) this.truncatedAt = t;
    this.seen++;
    return true;
  }

  // ---- WorldObserver ---------------------------------------------------------------------

  begin(world: WorldDescription): void {
    this.world = world;
    for (const k of world.messageKinds) this.rows.kindOf(k);
  }

  sent(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, now: number): void {
    this.message(EV.send, "send", from, id, from, to, kind, bytes, msg, -1, 0, now);
  }

  delivered(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, now: number): void {
    this.message(EV.deliver, "deliver", to, id, from, to, kind, bytes, msg, -1, 0, now);
  }

  dropped(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, reason: TraceDropReason, atSend: boolean, now: number): void {
    this.message(EV.drop, "drop", atSend ? from : to, id, from, to, kind, bytes, msg, DROP_CODE[reason], atSend ? 1 : 0, now);
  }

  /** Writes a message row, every field before it is counted. */
  private message(
    ev: number,
    evName: string,
    node: number,
    id: number,
    from: number,
    to: number,
    kind: string,
    bytes: number,
    msg: unknown,
    reason: number,
    atSend: number,
    now: number,
  ): void {
    if (this.full(now)) return;
    const rows = this.rows;
    const f = this.facts;
    this.world!.describe(msg, f);
    rows.openMessage(this.seen++, now, ev, node, id, from, to, rows.kindOf(kind), bytes, f.view, f.seq, f.digest, reason, atSend);
    if (this.unfiltered) {
      this.close(true);
      return;
    }
    let keep = this.inWindow(now);
    if (keep && this.nodes !== null) keep = this.nodes.has(from) || this.nodes.has(to);
    if (keep && this.kinds !== null) keep = this.kinds.has(kind) || this.kinds.has(evName);
    this.close(keep);
  }

  timer(node: number, timer: string, now: number): void {
    if (this.full(now)) return;
    const r = this.row(now, EV.timer, node);
    this.rows.extra[r] = { timer };
    this.close(this.keepNodeEvent("timer", node, now));
  }

  host(e: HostEvent, now: number): void {
    if (this.full(now)) return;
    switch (e.type) {
      case "faultPlan": {
        const r = this.row(now, EV.fault_plan, -1);
        this.rows.extra[r] = { faulty: e.faulty };
        this.close(this.keepNodeEvent("fault_plan", -1, now));
        return;
      }
      case "crash": {
        const r = this.row(now, EV.crash, e.node);
        this.rows.extra[r] = { replica: e.replica };
        this.close(this.keepNodeEvent("crash", e.node, now));
        return;
      }
      case "recover": {
        const r = this.row(now, EV.recover, e.node);
        this.rows.extra[r] = { replica: e.replica, log: e.log };
        this.close(this.keepNodeEvent("recover", e.node, now));
        return;
      }
      case "partitionStart":
      case "partitionHeal": {
        const name = e.type === "partitionStart" ? "partition_start" : "partition_heal";
        const r = this.row(now, EV[name], -1);
        this.rows.extra[r] = { source: e.source, sides: e.sides, symmetric: e.symmetric };
        this.close(this.keepNodeEvent(name, -1, now));
        return;
      }
    }
  }

  replica(node: number, _replica: number, e: Observation, now: number): void {
    if (this.full(now)) return;
    const rows = this.rows;
    let name: keyof typeof EV;
    let r: number;
    switch (e.type) {
      case "prepared":
      case "committedLocal":
        name = e.type === "prepared" ? "prepared" : "committed";
        r = this.row(now, EV[name], node);
        rows.view[r] = e.view;
        rows.seq[r] = e.seq;
        rows.digest[r] = e.digest;
        break;
      case "executed": {
        name = "execute";
        r = this.row(now, EV.execute, node);
        rows.view[r] = e.view;
        rows.seq[r] = e.seq;
        rows.digest[r] = e.digest;
        rows.extra[r] = { requests: e.requests.map((q) => [q.client, q.timestamp]) };
        break;
      }
      case "checkpoint":
        name = "checkpoint";
        r = this.row(now, EV.checkpoint, node);
        rows.seq[r] = e.seq;
        rows.digest[r] = e.stateDigest;
        break;
      case "checkpointStable":
        name = "checkpoint_stable";
        r = this.row(now, EV.checkpoint_stable, node);
        rows.seq[r] = e.seq;
        rows.digest[r] = e.stateDigest;
        rows.extra[r] = { collected: e.collected };
        break;
      case "viewChangeStarted":
        name = "view_change";
        r = this.row(now, EV.view_change, node);
        rows.view[r] = e.view;
        break;
      case "newViewInstalled":
        name = "new_view";
        r = this.row(now, EV.new_view, node);
        rows.view[r] = e.view;
        rows.extra[r] = { o_set: e.oSet, null_fills: e.nullFills };
        break;
      case "stateTransferStarted":
        name = "state_transfer_start";
        r = this.row(now, EV.state_transfer_start, node);
        rows.seq[r] = e.seq;
        rows.extra[r] = { from_seq: e.fromSeq };
        break;
      case "stateTransferred":
        name = "state_transfer_end";
        r = this.row(now, EV.state_transfer_end, node);
        rows.seq[r] = e.toSeq;
        rows.digest[r] = e.stateDigest;
        rows.extra[r] = { installed: true, from_seq: e.fromSeq };
        break;
      case "stateTransferEnded":
        name = "state_transfer_end";
        r = this.row(now, EV.state_transfer_end, node);
        rows.seq[r] = e.seq;
        rows.extra[r] = { installed: false };
        break;
      case "bodyFetched":
        name = "body_fetched";
        r = this.row(now, EV.body_fetched, node);
        rows.digest[r] = e.digest;
        break;
      case "equivocation":
        name = "equivocation";
        r = this.row(now, EV.equivocation, node);
        rows.view[r] = e.view;
        rows.seq[r] = e.seq;
        rows.digest[r] = e.digest;
        rows.extra[r] = { other: e.other.slice(0, 8), primary: e.primary };
        break;
      case "alarm":
        name = "alarm";
        r = this.row(now, EV.alarm, node);
        rows.view[r] = e.view;
        rows.seq[r] = e.seq;
        rows.extra[r] = { reason: e.reason };
        break;
    }
    const keep = this.keepNodeEvent(name, node, now);
    if (keep && name === "view_change" && this.firstViewChange < 0) this.firstViewChange = rows.id[r]!;
    this.close(keep);
  }

  client(node: number, client: number, e: ClientObservation, now: number): void {
    if (this.full(now)) return;
    const rows = this.rows;
    let name: "submit" | "retransmit" | "accept";
    let r: number;
    switch (e.type) {
      case "submitted":
        name = "submit";
        r = this.row(now, EV.submit, node);
        rows.digest[r] = e.digest;
        rows.extra[r] = { client, timestamp: e.timestamp };
        break;
      case "retransmitted":
        name = "retransmit";
        r = this.row(now, EV.retransmit, node);
        rows.extra[r] = { client, timestamp: e.timestamp };
        break;
      case "accepted":
        name = "accept";
        r = this.row(now, EV.accept, node);
        rows.view[r] = e.view;
        rows.digest[r] = e.digest;
        rows.extra[r] = { client, timestamp: e.timestamp };
        break;
    }
    this.close(this.keepNodeEvent(name, node, now));
  }

  economic(e: EconomicEvent, now: number): void {
    if (this.full(now)) return;
    const rows = this.rows;
    let name: keyof typeof EV;
    let extra: Record<string, unknown>;
    switch (e.type) {
      case "prepay":
        name = "prepay";
        extra = {
          payer: e.payer,
          index: e.index,
          amount_wei: e.amountWei.toString(),
          accepted: e.accepted,
          reason: e.reason,
          purchased_noz: e.purchasedNoz.toString(),
        };
        break;
      case "reportSubmitted":
        name = "report_submit";
        extra = { epoch: e.epoch, reporter: e.reporter, report_kind: e.kind, entries: e.entries, signers: e.signers, volume_noz: e.volumeNoz.toString() };
        break;
      case "reportExecuted":
        name = e.accepted ? "report_accept" : "report_reject";
        extra = e.accepted
          ? { epoch: e.epoch, reporter: e.reporter, report_kind: e.kind }
          : { epoch: e.epoch, reporter: e.reporter, report_kind: e.kind, reason: e.reason };
        break;
      case "nodeSuspended":
      case "nodeRestored":
        name = e.type === "nodeSuspended" ? "node_suspend" : "node_restore";
        extra = { resource_node: e.resourceNode };
        break;
      case "rewardMatured":
        name = "reward_matured";
        extra = { epoch: e.epoch };
        break;
    }
    const r = this.row(now, EV[name], e.node);
    rows.extra[r] = extra;
    this.close(this.keepNodeEvent(name, e.node, now));
  }

  violation(v: Violation, now: number): void {
    if (this.full(now)) return;
    const cause = this.seen - 1;
    // The event being processed was filtered out: keep its row (still in place) so the cause is in the trace.
    if (this.lastFiltered && cause >= 0) this.close(true);
    if (this.full(now)) return;
    const rows = this.rows;
    const r = this.row(now, EV.violation, -1);
    if (v.view !== undefined) rows.view[r] = v.view;
    if (v.seq !== undefined) rows.seq[r] = v.seq;
    rows.extra[r] = { invariant: v.invariant, replicas: v.replicas ?? [], detail: v.detail, cause: cause >= 0 ? cause : null };
    if (this.firstViolation < 0) this.firstViolation = rows.id[r]!;
    this.close(true);
  }

  // ---- result ----------------------------------------------------------------------------

  /** The finished trace (call after the run). */
  data(simTime: number): TraceData {
    const w = this.world;
    if (w === null) throw new Error("trace: the recorder was never attached to a world");
    const f = this.o.filters;
    const meta: TraceMeta = {
      model: w.model,
      scenario: this.o.scenario,
      seed: this.o.seed,
      n: w.n,
      f: w.f,
      nodes: w.nodes,
      kinds: w.messageKinds,
      filters: { kinds: f.kinds, nodes: f.nodes, window: f.window },
      limit: this.o.limit,
    };
    const end: TraceEnd = { seen: this.seen, written: this.rows.count, truncated: this.truncated, truncatedAt: this.truncatedAt, simTime };
    return { meta, rows: this.rows, end };
  }
}
