// The authentication model for scripted Byzantine replicas. PBFT's correct replicas sign (or MAC)
// everything they send, so a faulty replica can present a certificate — a prepared certificate in a
// VIEW-CHANGE, a checkpoint proof, the VIEW-CHANGEs of a NEW-VIEW — only if it holds every message
// in it: messages signed by itself or another faulty replica (colluders share keys), plus messages
// correct replicas really sent and it really received. The honest replica checks certificates by
// the ids they list (protocols/pbft/replica.ts: validPreparedCert, validCheckpointProof), which is
// sound only while no fault invents those ids; this is where that is enforced. `Holdings` is one
// Byzantine node's record of what it received and sent; a script asks it before it claims anything
// (script.ts), and drops and records a claim it could not back.
// Memory: each index keeps at most HOLDINGS_LIMIT entries (oldest forgotten first).

import type { Checkpoint, Message, Request, ViewChange } from "../protocols/pbft/index.js";

/** Entries kept per index of one Byzantine node's holdings. */
export const HOLDINGS_LIMIT = 65_536;

/** A bounded insertion-ordered map: beyond the limit the oldest entry is forgotten. */
class Bounded<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  set(key: string, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > HOLDINGS_LIMIT) this.map.delete(this.map.keys().next().value!);
  }
  values(): IterableIterator<V> {
    return this.map.values();
  }
}

const voteKey = (j: number, view: number, seq: number, digest: string) => `${j}|${view}|${seq}|${digest}`;

export class Holdings {
  /** PREPAREs and PRE-PREPAREs received, by (sender, view, seq, digest). */
  private readonly prepares = new Bounded<true>();
  private readonly prePrepares = new Bounded<true>();
  /** CHECKPOINTs received, by (seq, digest) then sender. */
  private readonly checkpoints = new Bounded<Map<number, Checkpoint>>();
  /** Latest VIEW-CHANGE received per (sender, view). */
  private readonly viewChanges = new Bounded<ViewChange>();
  /** Client requests seen (in REQUESTs, pre-prepare bodies, BATCHes), by client:timestamp. */
  private readonly requests = new Bounded<Request>();

  constructor(
    readonly self: number,
    private readonly faulty: ReadonlySet<number>,
    private readonly primaryOf: (view: number) => number,
  ) {}

  /** A replica this node may sign for: itself or a colluding faulty replica. */
  signsFor(j: number): boolean {
    return j === this.self || this.faulty.has(j);
  }

  /** Records a message delivered to this node from replica `from` (−1: a client). */
  received(from: number, msg: Message): void {
    if (typeof msg !== "object" || msg === null) return;
    switch (msg.type) {
      case "request":
        this.noteRequest(msg.request);
        return;
      case "pre-prepare":
        if (msg.replica !== from) return;
        this.prePrepares.set(voteKey(from, msg.view, msg.seq, msg.digest), true);
        if (Array.isArray(msg.requests)) for (const r of msg.requests) this.noteRequest(r);
        return;
      case "prepare":
        if (msg.replica === from) this.prepares.set(voteKey(from, msg.view, msg.seq, msg.digest), true);
        return;
      case "checkpoint": {
        if (msg.replica !== from) return;
        const k = `${msg.seq}|${msg.digest}`;
        let by = this.checkpoints.get(k);
        if (by === undefined) {
          by = new Map();
          this.checkpoints.set(k, by);
        }
        if (!by.has(from)) by.set(from, msg);
        return;
      }
      case "view-change":
        if (msg.replica === from) this.viewChanges.set(`${from}|${msg.view}`, msg);
        return;
      case "new-view":
        // O's pre-prepares are signed by the new primary; they back certificates of that view.
        if (Array.isArray(msg.prePrepares)) for (const p of msg.prePrepares) this.prePrepares.set(voteKey(msg.replica, p.view, p.seq, p.digest), true);
        return;
      case "batch":
        if (Array.isArray(msg.requests)) for (const r of msg.requests) this.noteRequest(r);
        return;
      default:
        return;
    }
  }

  /** Records a message this node sent itself (its own signature, e.g. the honest replica's VIEW-CHANGE underneath a script). */
  sent(msg: Message): void {
    if (msg.type === "view-change") this.viewChanges.set(`${this.self}|${msg.view}`, msg);
  }

  /** Whether it can present replica j's PREPARE for (view, seq, digest). */
  hasPrepare(j: number, view: number, seq: number, digest: string): boolean {
    return this.signsFor(j) || this.prepares.has(voteKey(j, view, seq, digest));
  }

  /** Whether it can present the pre-prepare of (view, seq, digest) signed by that view's primary. */
  hasPrePrepare(view: number, seq: number, digest: string): boolean {
    const p = this.primaryOf(view);
    return this.signsFor(p) || this.prePrepares.has(voteKey(p, view, seq, digest));
  }

  /** CHECKPOINT messages it holds for (seq, digest) from correct replicas, by sender. */
  checkpointsFor(seq: number, digest: string): ReadonlyMap<number, Checkpoint> {
    return this.checkpoints.get(`${seq}|${digest}`) ?? new Map();
  }

  /** Digests of checkpoint `seq` it holds CHECKPOINTs for, with their holders (ascending by digest). */
  checkpointDigests(seq: number): Array<{ digest: string; senders: number }> {
    const out: Array<{ digest: string; senders: number }> = [];
    for (const by of this.checkpoints.values()) {
      const first = by.values().next().value;
      if (first !== undefined && first.seq === seq) out.push({ digest: first.digest, senders: by.size });
    }
    return out.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  }

  /** The VIEW-CHANGE for `view` it holds from replica j (received, or its own). */
  viewChange(j: number, view: number): ViewChange | undefined {
    return this.viewChanges.get(`${j}|${view}`);
  }

  request(client: number, timestamp: number): Request | undefined {
    return this.requests.get(`${client}:${timestamp}`);
  }

  /** Every request seen, oldest first. */
  allRequests(): Request[] {
    return [...this.requests.values()];
  }

  private noteRequest(r: Request): void {
    if (typeof r === "object" && r !== null && Number.isInteger(r.client) && Number.isInteger(r.timestamp)) this.requests.set(`${r.client}:${r.timestamp}`, r);
  }
}
