// PBFT client as a pure state machine (C1–C3, C6): one outstanding request (further submits are
// queued), send to the believed primary (or, with the "broadcast" strategy, to every replica from
// the first attempt), accept after f+1 matching REPLYs (same timestamp and result) from distinct
// replicas, re-broadcast to all replicas on timeout, learn the view.

import type { PbftConfig } from "./config.js";
import { primaryOf } from "./config.js";
import { DigestMemo, makeRequest } from "./digest.js";
import { EffectQueue } from "./effect-queue.js";
import type { ClientEffect, ClientTimerName, Reply, RequestMessage } from "./messages.js";
import type { Request } from "./types.js";

/** Where a client sends a new request: the primary it believes in (C1), or every replica at once. */
export type ClientStrategy = "primary" | "broadcast";

/** The request in flight; its replies are counted in the client's ReplyTallies. */
interface Outstanding {
  readonly req: Request;
  readonly msg: RequestMessage;
}

/**
 * The reply tallies of an outstanding request, reused from one request to the next (a client has one
 * outstanding at a time): emptied by `reset` when a request is sent, so a request counts only its own
 * replies (test/protocols/pbft/client.test.ts: a second request after an accepted one).
 */
class ReplyTallies {
  /** Result first reported by each replica (a replica's later, different replies are ignored). */
  readonly byReplica: Array<string | undefined>;
  readonly viewByReplica: Int32Array;
  readonly counts = new Map<string, number>();

  constructor(n: number) {
    this.byReplica = new Array<string | undefined>(n).fill(undefined);
    this.viewByReplica = new Int32Array(n);
  }

  reset(): void {
    this.byReplica.fill(undefined);
    this.viewByReplica.fill(0);
    this.counts.clear();
  }
}

export class Client {
  readonly id: number;
  readonly config: PbftConfig;
  private curView = 0;
  private lastTimestamp = 0;
  private outstanding: Outstanding | null = null;
  private readonly backlog: Array<{ op: unknown; size: number }> = [];
  private backlogHead = 0;
  private readonly effects = new EffectQueue<ClientEffect>();
  private readonly tallies: ReplyTallies;
  /** Scratch of kthHighestView (grown to n). */
  private viewScratch = new Int32Array(16);
  /** The world's memo (see DigestMemo): its replicas need not re-verify this client's requests. */
  private readonly digests: DigestMemo;

  constructor(
    id: number,
    config: PbftConfig,
    digests: DigestMemo = new DigestMemo(),
    readonly strategy: ClientStrategy = "primary",
  ) {
    this.id = id;
    this.config = config;
    this.digests = digests;
    this.tallies = new ReplyTallies(config.n);
  }

  drainEffects(): ClientEffect[] {
    return this.effects.drain();
  }

  /** drainEffects without an array per step (see Replica.effectQueue). */
  get effectQueue(): EffectQueue<ClientEffect> {
    return this.effects;
  }

  /** Invokes `op` (simulated size `size` bytes); queued while another request is outstanding. */
  submit(op: unknown, size: number, _now: number): void {
    if (this.outstanding !== null) {
      this.backlog.push({ op, size });
      return;
    }
    this.send(op, size);
  }

  /** A REPLY from replica `fromReplica` (the authenticated sender). */
  step(fromReplica: number, reply: Reply, _now: number): void {
    const o = this.outstanding;
    if (o === null || typeof reply !== "object" || reply === null || reply.type !== "reply") return;
    if (!Number.isInteger(fromReplica) || fromReplica < 0 || fromReplica >= this.config.n) return;
    if (reply.replica !== fromReplica || reply.client !== this.id || reply.timestamp !== o.req.timestamp) return;
    if (typeof reply.result !== "string" || !Number.isInteger(reply.view) || reply.view < 0) return;
    const t = this.tallies;
    if (t.byReplica[fromReplica] !== undefined) return;
    t.byReplica[fromReplica] = reply.result;
    t.viewByReplica[fromReplica] = reply.view;
    const c = (t.counts.get(reply.result) ?? 0) + 1;
    t.counts.set(reply.result, c);
    if (c < this.config.weakQuorum) return;
    // C6: adopt the highest view vouched for by at least one correct replica among the f+1.
    if (this.viewScratch.length < this.config.n) this.viewScratch = new Int32Array(this.config.n);
    const v = kthHighestView(t, reply.result, this.config.n, this.config.weakQuorum, this.viewScratch);
    if (v > this.curView) this.curView = v;
    this.outstanding = null;
    this.effects.cancelTimer("retransmit");
    this.effects.observe({ type: "accepted", timestamp: o.req.timestamp, digest: o.req.digest, result: reply.result, view: this.curView });
    if (this.backlogHead < this.backlog.length) {
      const next = this.backlog[this.backlogHead++]!;
      if (this.backlogHead === this.backlog.length) {
        this.backlog.length = 0;
        this.backlogHead = 0;
      }
      this.send(next.op, next.size);
    }
  }

  /** The retransmission timer fired: re-send the outstanding request to every replica (C3). */
  timeout(timer: ClientTimerName, _now: number): void {
    if (timer !== "retransmit" || this.outstanding === null) return;
    this.effects.broadcast(this.outstanding.msg);
    this.effects.observe({ type: "retransmitted", timestamp: this.outstanding.req.timestamp });
    this.effects.setTimer("retransmit", this.config.clientRetransmitTimeout);
  }

  get view(): number {
    return this.curView;
  }
  get busy(): boolean {
    return this.outstanding !== null;
  }
  get queued(): number {
    return this.backlog.length - this.backlogHead;
  }
  /** The outstanding request, if any. */
  get current(): Request | null {
    return this.outstanding?.req ?? null;
  }

  private send(op: unknown, size: number): void {
    const req = makeRequest(this.id, ++this.lastTimestamp, op, size, this.digests);
    const msg: RequestMessage = { type: "request", request: req };
    const n = this.config.n;
    this.tallies.reset();
    this.outstanding = { req, msg };
    if (this.strategy === "broadcast") this.effects.broadcast(msg);
    else this.effects.send(primaryOf(this.curView, n, this.config.leaders), msg);
    this.effects.observe({ type: "submitted", timestamp: req.timestamp, digest: req.digest, op: req.op });
    this.effects.setTimer("retransmit", this.config.clientRetransmitTimeout);
  }
}

/**
 * The k-th highest view among the replicas that replied `result`, NaN if fewer did (as reading past
 * a sorted array's end: no view is adopted): an insertion sort of a handful of integers in a reused
 * buffer, without the array and sort scratch of Array.prototype.sort.
 */
function kthHighestView(o: ReplyTallies, result: string, n: number, k: number, views: Int32Array): number {
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (o.byReplica[j] !== result) continue;
    const v = o.viewByReplica[j]!;
    let i = m++;
    for (; i > 0 && views[i - 1]! < v; i--) views[i] = views[i - 1]!;
    views[i] = v;
  }
  return k >= 1 && k <= m ? views[k - 1]! : Number.NaN;
}
