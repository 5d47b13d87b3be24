// Scripted Byzantine replicas: a declarative schedule of protocol messages a faulty replica sends
// at a time or when an event happens (the world's trigger table fires the steps), built with the
// protocol's own constructors (protocols/pbft/messages.ts), to any set of replicas — k-way
// equivocation is k messages to k disjoint sets. Underneath, the replica's honest code keeps
// running; `suppress` silences the kinds of its own messages the script takes over.
//
// Authentication (authenticator.ts): every certificate a scripted message carries must be one this
// node could really hold. A prepared certificate names backups whose PREPAREs it holds (or that are
// faulty), a checkpoint proof consists of CHECKPOINTs it holds (or faulty ones), a NEW-VIEW's V of
// VIEW-CHANGEs it holds; a claim it cannot back is removed from the message and recorded (never
// sent). A step that names a client request this node has not yet received waits until it has.

import {
  batchDigest,
  type Checkpoint,
  ClientTable,
  canonical,
  checkpointDigest,
  hashString,
  KvApplication,
  type KvSnapshot,
  makeCheckpoint,
  makeCommit,
  makeNewView,
  makePrepare,
  makePrePrepare,
  makeStateMessage,
  makeViewChange,
  type Message,
  NULL_DIGEST,
  planNewView,
  type PreparedCert,
  type ReplicaMessage,
  type Request,
  type ViewChange,
} from "../protocols/pbft/index.js";
import { Holdings } from "./authenticator.js";
import type { ActiveBehaviour, Emit } from "./behaviours.js";
import type { BehaviourWindow, DigestChoice, RequestRef, ScriptMessage, ScriptStep } from "./plan.js";

/** The replica group a script runs in. */
export interface ScriptGroup {
  readonly n: number;
  readonly quorum: number;
  readonly logWindow: number;
  readonly faulty: ReadonlySet<number>;
  primaryOf(view: number): number;
}

/** What one scripted message became (the world's `script` table). */
export interface ScriptRecord {
  readonly time: number;
  readonly replica: number;
  /** Step number, 1-based, in declaration order. */
  readonly step: number;
  readonly kind: string;
  readonly to: readonly number[];
  /** "sent", "sent-trimmed" (a claim it could not back was removed) or "not-sent". */
  readonly outcome: "sent" | "sent-trimmed" | "not-sent";
  readonly detail: string;
}

export interface BuiltStep {
  readonly sends: ReadonlyArray<{ readonly to: number; readonly msg: ReplicaMessage }>;
  readonly records: readonly ScriptRecord[];
}

type Spec = Extract<BehaviourWindow["spec"], { type: "script" }>;

/** Thrown inside a build when a request the step names has not reached this node yet. */
class Missing {
  constructor(readonly ref: RequestRef) {}
}

export class ScriptBehaviour implements ActiveBehaviour {
  readonly holdings: Holdings;
  readonly steps: readonly ScriptStep[];
  private readonly suppressAll: boolean;
  private readonly suppressed: ReadonlySet<string>;
  readonly dropsReplies: boolean;

  constructor(
    readonly window: BehaviourWindow,
    private readonly self: number,
    private readonly group: ScriptGroup,
  ) {
    const spec = window.spec as Spec;
    this.steps = spec.steps;
    const kinds = spec.suppress ?? [];
    this.suppressAll = kinds.includes("all");
    this.suppressed = new Set(kinds);
    this.dropsReplies = this.suppressAll || this.suppressed.has("reply");
    this.holdings = new Holdings(self, group.faulty, (v) => group.primaryOf(v));
  }

  outgoing(to: number, msg: ReplicaMessage, emit: Emit): void {
    if (this.suppressAll || this.suppressed.has(msg.type)) return;
    emit(to, msg, 0);
  }

  incoming(): boolean {
    return true;
  }

  observeIncoming(from: number, msg: Message): void {
    this.holdings.received(from, msg);
  }

  observeOutgoing(msg: Message): void {
    this.holdings.sent(msg);
  }

  /** Step `index`'s messages, or null while a request it names has not reached this node. */
  build(index: number, now: number): BuiltStep | null {
    const step = this.steps[index]!;
    const sends: Array<{ to: number; msg: ReplicaMessage }> = [];
    const records: ScriptRecord[] = [];
    try {
      const built = step.send.map((m) => this.message(m));
      step.send.forEach((m, k) => {
        const { msg, trimmed } = built[k]!;
        const to = this.targets(m);
        const record = (outcome: ScriptRecord["outcome"], detail: string) =>
          records.push({ time: now, replica: this.self, step: index + 1, kind: m.type, to, outcome, detail });
        if (msg === null) {
          record("not-sent", trimmed.join("; "));
          return;
        }
        record(trimmed.length > 0 ? "sent-trimmed" : "sent", trimmed.join("; "));
        if (msg.type === "view-change") this.holdings.sent(msg);
        for (const t of to) for (let c = 0; c < m.copies; c++) sends.push({ to: t, msg });
      });
    } catch (e) {
      if (e instanceof Missing) return null;
      throw e;
    }
    return { sends, records };
  }

  /** Whether step `index` waits for a request this node has not received. */
  waitsFor(index: number): RequestRef | null {
    for (const m of this.steps[index]!.send) {
      for (const r of refsOf(m)) if (this.holdings.request(r.client, r.timestamp) === undefined) return r;
    }
    return null;
  }

  private targets(m: ScriptMessage): number[] {
    const to = m.to ?? Array.from({ length: this.group.n }, (_, i) => i);
    return [...new Set(to)].filter((j) => j !== this.self).sort((a, b) => a - b);
  }

  private request(r: RequestRef): Request {
    const req = this.holdings.request(r.client, r.timestamp);
    if (req === undefined) throw new Missing(r);
    return req;
  }

  private digestOf(c: DigestChoice): string {
    if (c.digest !== undefined) return c.digest;
    if (c.requests !== undefined) return batchDigest(c.requests.map((r) => this.request(r)));
    if (c.request !== undefined) return batchDigest([this.request(c.request)]);
    return NULL_DIGEST;
  }

  private message(m: ScriptMessage): { msg: ReplicaMessage | null; trimmed: string[] } {
    const self = this.self;
    switch (m.type) {
      case "pre-prepare": {
        const refs = m.requests ?? (m.request !== undefined ? [m.request] : []);
        return { msg: makePrePrepare(m.view, m.seq, refs.map((r) => this.request(r)), self), trimmed: [] };
      }
      case "prepare":
        return { msg: makePrepare(m.view, m.seq, this.digestOf(m), self), trimmed: [] };
      case "commit":
        return { msg: makeCommit(m.view, m.seq, this.digestOf(m), self), trimmed: [] };
      case "checkpoint":
        return { msg: makeCheckpoint(m.seq, m.digest ?? hashString(`scripted|${self}|${m.seq}`), self), trimmed: [] };
      case "view-change":
        return this.viewChange(m);
      case "new-view":
        return this.newView(m);
      case "state":
        return this.state(m);
    }
  }

  /** Q CHECKPOINT messages for (seq, digest) this node can present, or the shortfall. */
  private proof(seq: number, digest: string): { proof: Checkpoint[] } | { missing: string } {
    const held = this.holdings.checkpointsFor(seq, digest);
    const proof: Checkpoint[] = [];
    for (let j = 0; j < this.group.n && proof.length < this.group.quorum; j++) {
      const m = held.get(j);
      if (m !== undefined) proof.push(m);
      else if (this.holdings.signsFor(j)) proof.push(makeCheckpoint(seq, digest, j));
    }
    if (proof.length >= this.group.quorum) return { proof };
    return { missing: `holds CHECKPOINT(${seq}, ${short(digest)}) of ${proof.map((c) => c.replica).join(",") || "nobody"} only (needs ${this.group.quorum})` };
  }

  private viewChange(m: Extract<ScriptMessage, { type: "view-change" }>): { msg: ReplicaMessage; trimmed: string[] } {
    const trimmed: string[] = [];
    let stableSeq = 0;
    let stableDigest = "";
    let proof: Checkpoint[] = [];
    if (m.stable !== undefined && m.stable.seq > 0) {
      const seq = m.stable.seq;
      const candidates = m.stable.digest !== undefined ? [m.stable.digest] : this.holdings.checkpointDigests(seq).sort((a, b) => b.senders - a.senders).map((d) => d.digest);
      let reason = `no CHECKPOINT(${seq}) held`;
      for (const d of candidates) {
        const p = this.proof(seq, d);
        if ("proof" in p) {
          stableSeq = seq;
          stableDigest = d;
          proof = p.proof;
          break;
        }
        reason = p.missing;
      }
      if (stableSeq === 0) trimmed.push(`checkpoint claim ${seq} dropped: ${reason}`);
    }
    const prepared: PreparedCert[] = [];
    const certs = [...m.prepared].sort((a, b) => a.seq - b.seq);
    for (const c of certs) {
      const digest = this.digestOf(c);
      const where = `prepared certificate (view ${c.view}, seq ${c.seq})`;
      if (c.seq <= stableSeq) {
        trimmed.push(`${where} dropped: at or below the claimed checkpoint ${stableSeq}`);
        continue;
      }
      if (!this.holdings.hasPrePrepare(c.view, c.seq, digest)) {
        trimmed.push(`${where} dropped: holds no PRE-PREPARE of primary ${this.group.primaryOf(c.view)} for ${short(digest)}`);
        continue;
      }
      // Listed ids are claimed as listed (whether the view's primary counts is the receiver's rule,
      // R-PR1); by default the backups whose PREPAREs it holds.
      const primary = this.group.primaryOf(c.view);
      const wanted = c.prepares ?? Array.from({ length: this.group.n }, (_, j) => j).filter((j) => j !== primary);
      const backed = wanted.filter((j) => this.holdings.hasPrepare(j, c.view, c.seq, digest));
      const forged = wanted.filter((j) => !backed.includes(j));
      if (c.prepares !== undefined && forged.length > 0) trimmed.push(`${where}: PREPAREs of ${forged.join(",")} not held, not claimed`);
      const prepares = [...new Set(backed)].sort((a, b) => a - b).slice(0, this.group.quorum - 1);
      if (prepares.length < this.group.quorum - 1) {
        trimmed.push(`${where} dropped: holds PREPAREs of ${prepares.join(",") || "nobody"} only (needs ${this.group.quorum - 1})`);
        continue;
      }
      prepared.push({ seq: c.seq, view: c.view, digest, prepares });
    }
    return { msg: makeViewChange(m.view, this.self, stableSeq, stableDigest, proof, prepared), trimmed };
  }

  private newView(m: Extract<ScriptMessage, { type: "new-view" }>): { msg: ReplicaMessage; trimmed: string[] } {
    const trimmed: string[] = [];
    const vcs: ViewChange[] = [];
    const senders = m.viewChanges ?? Array.from({ length: this.group.n }, (_, j) => j);
    for (const j of [...new Set(senders)].sort((a, b) => a - b)) {
      if (m.viewChanges === undefined && vcs.length >= this.group.quorum) break;
      const held = this.holdings.viewChange(j, m.view);
      if (held !== undefined) vcs.push(held);
      else if (this.holdings.signsFor(j)) vcs.push(makeViewChange(m.view, j, 0, "", [], []));
      else if (m.viewChanges !== undefined) trimmed.push(`VIEW-CHANGE(${m.view}) of replica ${j} not held, left out of V`);
    }
    return { msg: makeNewView(m.view, this.self, vcs, planNewView(vcs)), trimmed };
  }

  private state(m: Extract<ScriptMessage, { type: "state" }>): { msg: ReplicaMessage; trimmed: string[] } {
    const keys = Object.keys(m.kv).sort();
    const snapshot: KvSnapshot = { entries: keys.map((k) => [k, canonical(m.kv[k]), m.kv[k]] as const) };
    const app = new KvApplication();
    app.restore(snapshot);
    const digest = m.digest ?? checkpointDigest(app.stateDigest(), new ClientTable().digest());
    // A proof it cannot back is left out (the receiver then has only the CHECKPOINTs it holds itself to go by).
    const p = this.proof(m.seq, digest);
    const trimmed = "proof" in p ? [] : [`checkpoint proof left out: ${p.missing}`];
    return { msg: makeStateMessage(m.seq, digest, this.self, snapshot, app.snapshotSize(), [], "proof" in p ? p.proof : []), trimmed };
  }
}

/** Requests a scripted message names. */
function refsOf(m: ScriptMessage): RequestRef[] {
  const out: RequestRef[] = [];
  const add = (c: { request?: RequestRef; requests?: RequestRef[] }) => {
    if (c.request !== undefined) out.push(c.request);
    if (c.requests !== undefined) out.push(...c.requests);
  };
  switch (m.type) {
    case "pre-prepare":
    case "prepare":
    case "commit":
      add(m);
      break;
    case "view-change":
      for (const c of m.prepared) add(c);
      break;
    default:
      break;
  }
  return out;
}

function short(digest: string): string {
  return digest.length > 16 ? digest.slice(0, 16) : digest || '""';
}
