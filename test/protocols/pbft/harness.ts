// Tiny deterministic in-test network for the PBFT state machines (no project kernel): a queue
// ordered by (time, insertion seq), constant latency, per-message filter (drop / extra delay),
// crashes, timers with generations, and logs of sent messages, timers and observations.

import {
  Client,
  type ClientEffect,
  type ClientObservation,
  type ClientTimerName,
  DigestMemo,
  type Effect,
  KvApplication,
  type Message,
  makeConfig,
  type Observation,
  type PbftConfig,
  type PbftConfigInput,
  Replica,
  type ReplicaMessage,
  type Reply,
  type Request,
  type RequestMessage,
  type TimerName,
} from "../../../src/protocols/pbft/index.js";

export type NodeKind = "replica" | "client";

export interface Envelope {
  readonly from: number;
  readonly fromKind: NodeKind;
  readonly to: number;
  readonly toKind: NodeKind;
  readonly msg: Message;
}

/** "drop" drops the message, a number adds that much delay, anything else delivers normally. */
export type Verdict = "drop" | number | undefined;
export type Filter = (e: Envelope, now: number) => Verdict;

type Ev =
  | { t: number; seq: number; kind: "msg"; env: Envelope }
  | { t: number; seq: number; kind: "timer"; nodeKind: NodeKind; id: number; timer: TimerName | ClientTimerName; gen: number }
  | { t: number; seq: number; kind: "call"; fn: () => void };

export interface SentRecord {
  readonly t: number;
  readonly env: Envelope;
  readonly dropped: boolean;
}

export interface TimerRecord {
  readonly t: number;
  readonly id: number;
  readonly timer: string;
  readonly delay: number;
}

export type ReplicaCtor = new (id: number, config: PbftConfig, app: KvApplication, digests?: DigestMemo) => Replica;

export interface PumpOptions {
  readonly n: number;
  readonly config?: Omit<PbftConfigInput, "n">;
  readonly latency?: number;
  /** Replica class for every replica (default Replica). */
  readonly replicaClass?: ReplicaCtor;
  /** Replica class per id (overrides replicaClass). */
  readonly replicaClassFor?: (id: number) => ReplicaCtor;
  /** Client ids to create (default [100]). */
  readonly clients?: ReadonlyArray<number>;
}

export class Pump {
  now = 0;
  readonly config: PbftConfig;
  readonly n: number;
  /** Shared by the pump's replicas and clients, as a world's hosts share theirs. */
  readonly digests = new DigestMemo();
  latency: number;
  filter: Filter | null = null;
  /** Rewrites what a replica sends (Byzantine behaviour): returns the messages actually sent. */
  tamper: ((e: Envelope) => Message[]) | null = null;
  readonly replicas: Replica[] = [];
  readonly apps: KvApplication[] = [];
  readonly clients = new Map<number, Client>();
  readonly obs: Observation[][] = [];
  readonly clientObs = new Map<number, ClientObservation[]>();
  readonly sent: SentRecord[] = [];
  readonly timers: TimerRecord[] = [];
  readonly down = new Set<number>();
  private heap: Ev[] = [];
  private seq = 0;
  private readonly timerGen = new Map<string, number>();
  processed = 0;

  constructor(opts: PumpOptions) {
    this.n = opts.n;
    this.config = makeConfig({ n: opts.n, ...(opts.config ?? {}) });
    this.latency = opts.latency ?? 0.01;
    for (let i = 0; i < opts.n; i++) {
      const Ctor: ReplicaCtor = opts.replicaClassFor?.(i) ?? opts.replicaClass ?? Replica;
      const app = new KvApplication();
      this.apps.push(app);
      this.replicas.push(new Ctor(i, this.config, app, this.digests));
      this.obs.push([]);
    }
    for (const c of opts.clients ?? [100]) {
      this.clients.set(c, new Client(c, this.config, this.digests));
      this.clientObs.set(c, []);
    }
  }

  // ---- scheduling -----------------------------------------------------------------------

  private push(ev: Ev): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Ev | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }

  /** Runs `fn` at absolute time `t`. */
  at(t: number, fn: () => void): void {
    this.push({ t, seq: this.seq++, kind: "call", fn });
  }

  /** Processes events up to and including time `until`. */
  run(until: number): void {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.t > until) break;
      this.pop();
      this.now = top.t;
      this.handle(top);
    }
    if (this.now < until) this.now = until;
  }

  /** Runs until `pred()` holds (checked after every event) or time `maxT`; returns whether it held. */
  runUntil(pred: () => boolean, maxT: number): boolean {
    if (pred()) return true;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.t > maxT) {
        this.now = Math.max(this.now, maxT);
        return pred();
      }
      this.pop();
      this.now = top.t;
      this.handle(top);
      if (pred()) return true;
    }
  }

  private handle(ev: Ev): void {
    this.processed++;
    if (ev.kind === "call") {
      ev.fn();
      return;
    }
    if (ev.kind === "timer") {
      const key = `${ev.nodeKind}:${ev.id}:${ev.timer}`;
      if (this.timerGen.get(key) !== ev.gen) return;
      this.timerGen.delete(key);
      if (ev.nodeKind === "replica") {
        if (this.down.has(ev.id)) return;
        const r = this.replicas[ev.id]!;
        r.timeout(ev.timer as TimerName, this.now);
        this.flushReplica(ev.id);
      } else {
        const c = this.clients.get(ev.id)!;
        c.timeout("retransmit", this.now);
        this.flushClient(ev.id);
      }
      return;
    }
    const env = ev.env;
    if (env.toKind === "replica") {
      if (this.down.has(env.to)) return;
      const r = this.replicas[env.to]!;
      if (env.fromKind === "client") r.receiveRequest(env.from, env.msg as RequestMessage, this.now);
      else r.step(env.from, env.msg as ReplicaMessage, this.now);
      this.flushReplica(env.to);
    } else {
      const c = this.clients.get(env.to);
      if (c === undefined) return;
      c.step(env.from, env.msg as Reply, this.now);
      this.flushClient(env.to);
    }
  }

  // ---- sending --------------------------------------------------------------------------

  private enqueue(env: Envelope, extra = 0, bypassFilter = false): void {
    if (this.tamper !== null && !bypassFilter && env.fromKind === "replica") {
      const out = this.tamper(env);
      if (out.length !== 1 || out[0] !== env.msg) {
        for (const m of out) this.enqueue({ ...env, msg: m }, extra, true);
        return;
      }
    }
    let delay = this.latency + extra;
    let dropped = false;
    if (env.fromKind === "replica" && this.down.has(env.from) && !bypassFilter) dropped = true;
    if (!dropped && !bypassFilter && this.filter !== null) {
      const v = this.filter(env, this.now);
      if (v === "drop") dropped = true;
      else if (typeof v === "number") delay += v;
    }
    this.sent.push({ t: this.now, env, dropped });
    if (!dropped) this.push({ t: this.now + delay, seq: this.seq++, kind: "msg", env });
  }

  /** Delivers `msg` as if replica `from` sent it to replica `to` (Byzantine injection; no filter). */
  inject(from: number, to: number, msg: ReplicaMessage, delay = this.latency): void {
    this.enqueue({ from, fromKind: "replica", to, toKind: "replica", msg }, delay - this.latency, true);
  }

  /** Delivers a client request to replica `to` as if client `req.client` sent it. */
  injectRequest(req: Request, to: number, delay = this.latency): void {
    const msg: RequestMessage = { type: "request", request: req };
    this.enqueue({ from: req.client, fromKind: "client", to, toKind: "replica", msg }, delay - this.latency, true);
  }

  /** Client `id` submits `op` now. */
  submit(id: number, op: unknown, size = 16): void {
    const c = this.clients.get(id)!;
    c.submit(op, size, this.now);
    this.flushClient(id);
  }

  flushReplica(id: number): void {
    const effects: Effect[] = this.replicas[id]!.drainEffects();
    for (const e of effects) {
      switch (e.kind) {
        case "send":
          this.enqueue({ from: id, fromKind: "replica", to: e.to, toKind: "replica", msg: e.msg });
          break;
        case "broadcast":
          for (let j = 0; j < this.n; j++) {
            if (j !== id) this.enqueue({ from: id, fromKind: "replica", to: j, toKind: "replica", msg: e.msg });
          }
          break;
        case "reply":
          this.enqueue({ from: id, fromKind: "replica", to: e.client, toKind: "client", msg: e.msg });
          break;
        case "setTimer":
          this.setTimer("replica", id, e.timer, e.delay);
          this.timers.push({ t: this.now, id, timer: e.timer, delay: e.delay });
          break;
        case "cancelTimer":
          this.timerGen.delete(`replica:${id}:${e.timer}`);
          break;
        case "observe":
          this.obs[id]!.push(e.event);
          break;
      }
    }
  }

  flushClient(id: number): void {
    const effects: ClientEffect[] = this.clients.get(id)!.drainEffects();
    for (const e of effects) {
      switch (e.kind) {
        case "send":
          this.enqueue({ from: id, fromKind: "client", to: e.to, toKind: "replica", msg: e.msg });
          break;
        case "broadcast":
          for (let j = 0; j < this.n; j++) this.enqueue({ from: id, fromKind: "client", to: j, toKind: "replica", msg: e.msg });
          break;
        case "setTimer":
          this.setTimer("client", id, e.timer, e.delay);
          break;
        case "cancelTimer":
          this.timerGen.delete(`client:${id}:${e.timer}`);
          break;
        case "observe":
          this.clientObs.get(id)!.push(e.event);
          break;
      }
    }
  }

  private setTimer(kind: NodeKind, id: number, timer: TimerName | ClientTimerName, delay: number): void {
    const key = `${kind}:${id}:${timer}`;
    const gen = this.seq++;
    this.timerGen.set(key, gen);
    this.push({ t: this.now + delay, seq: this.seq++, kind: "timer", nodeKind: kind, id, timer, gen });
  }

  // ---- faults ---------------------------------------------------------------------------

  crash(id: number): void {
    this.down.add(id);
    for (const k of [...this.timerGen.keys()]) if (k.startsWith(`replica:${id}:`)) this.timerGen.delete(k);
  }

  /** Replaces replica `id` (restart) and flushes whatever the new instance emitted. */
  restart(id: number, replica: Replica, app: KvApplication): void {
    this.down.delete(id);
    this.replicas[id] = replica;
    this.apps[id] = app;
    this.flushReplica(id);
  }

  // ---- queries --------------------------------------------------------------------------

  executed(id: number): Array<Extract<Observation, { type: "executed" }>> {
    return this.obs[id]!.filter((o): o is Extract<Observation, { type: "executed" }> => o.type === "executed");
  }

  /** seq → batch digest executed at replica `id` (in execution order). */
  executedSeqs(id: number): Array<[number, string]> {
    return this.executed(id).map((o) => [o.seq, o.digest]);
  }

  /** Request digests executed at `id`, in order. */
  executedRequests(id: number): string[] {
    return this.executed(id).flatMap((o) => o.requests.map((r) => r.digest));
  }

  ofType<T extends Observation["type"]>(id: number, type: T): Array<Extract<Observation, { type: T }>> {
    return this.obs[id]!.filter((o): o is Extract<Observation, { type: T }> => o.type === type);
  }

  /** Every alarm observed at any replica. */
  alarmsAnywhere(): Array<Extract<Observation, { type: "alarm" }>> {
    const out: Array<Extract<Observation, { type: "alarm" }>> = [];
    for (let i = 0; i < this.n; i++) out.push(...this.ofType(i, "alarm"));
    return out;
  }

  accepted(client: number): Array<Extract<ClientObservation, { type: "accepted" }>> {
    return this.clientObs
      .get(client)!
      .filter((o): o is Extract<ClientObservation, { type: "accepted" }> => o.type === "accepted");
  }

  /** Messages of `type` actually put on the wire (not dropped), optionally from time `since`. */
  count(type: Message["type"], since = 0, pred?: (e: Envelope) => boolean): number {
    let c = 0;
    for (const s of this.sent) {
      if (!s.dropped && s.t >= since && s.env.msg.type === type && (pred === undefined || pred(s.env))) c++;
    }
    return c;
  }

  sentOf<T extends Message["type"]>(type: T, pred?: (e: Envelope) => boolean): Array<Extract<Message, { type: T }>> {
    const out: Array<Extract<Message, { type: T }>> = [];
    for (const s of this.sent) {
      if (s.env.msg.type === type && (pred === undefined || pred(s.env))) out.push(s.env.msg as Extract<Message, { type: T }>);
    }
    return out;
  }

  /** Submits ops sequentially from client `id`, each after the previous was accepted. */
  runSequential(id: number, ops: ReadonlyArray<unknown>, maxT: number): boolean {
    for (const op of ops) {
      const before = this.accepted(id).length;
      this.submit(id, op);
      if (!this.runUntil(() => this.accepted(id).length > before, maxT)) return false;
    }
    return true;
  }
}

function less(a: Ev, b: Ev): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

/** put x = value ops for tests. */
export function put(key: string, value: unknown): { type: "put"; key: string; value: unknown } {
  return { type: "put", key, value };
}
