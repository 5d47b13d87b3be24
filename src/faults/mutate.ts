// Message mutation (ByzzFuzz-style, Winter et al. OOPSLA 2023): a Byzantine replica's own protocol
// messages are altered on the way out with a seeded probability, each copy independently (so one
// broadcast can reach different receivers in different versions). Mutations, drawn uniformly among
// those that apply to the message:
//   view   — view ± 1 (PRE-PREPARE, PREPARE, COMMIT, VIEW-CHANGE);
//   seq    — sequence number ± 1 (PRE-PREPARE, PREPARE, COMMIT, CHECKPOINT);
//   replay — an earlier proposal (a pre-prepare, or PREPARE/COMMIT) of this replica re-sent in the
//            later view of the message it replaces;
//   digest — the digest swapped for the batch digest of another request this replica knows of and
//            has not seen executed (a pre-prepare gets that request as its body).
// Only fields this replica signs itself are touched: the certificates inside a VIEW-CHANGE are
// never edited (that would forge correct replicas' signatures, see authenticator.ts).

import type { Stream } from "../kernel/index.js";
import { batchDigest, type Message, type PrePrepare, type ReplicaMessage, type Request } from "../protocols/pbft/index.js";
import type { ActiveBehaviour, Emit } from "./behaviours.js";
import type { BehaviourWindow, MutationKind } from "./plan.js";

/** Requests remembered as swap candidates, and earlier proposals as replay candidates (most recent kept). */
export const MUTATION_MEMORY = 64;

type Spec = Extract<BehaviourWindow["spec"], { type: "mutate" }>;
type Ordering = Extract<ReplicaMessage, { type: "pre-prepare" | "prepare" | "commit" }>;

export class MutateBehaviour implements ActiveBehaviour {
  private readonly probability: number;
  private readonly kinds: ReadonlySet<MutationKind>;
  /** Requests seen and not yet executed as far as this replica knows (insertion order, bounded). */
  private readonly requests = new Map<string, Request>();
  /** Own earlier ordering messages, oldest first (bounded). */
  private readonly history: Ordering[] = [];
  /** Mutations applied so far, by kind (for tests and the summary). */
  readonly applied: Record<MutationKind, number> = { view: 0, seq: 0, replay: 0, digest: 0 };

  constructor(
    readonly window: BehaviourWindow,
    private readonly rng: Stream,
  ) {
    const spec = window.spec as Spec;
    this.probability = spec.probability;
    this.kinds = new Set(spec.mutations);
  }

  incoming(): boolean {
    return true;
  }

  observeIncoming(_from: number, msg: Message): void {
    if (msg.type === "request") this.remember(msg.request);
    else if (msg.type === "pre-prepare" && Array.isArray(msg.requests)) for (const r of msg.requests) this.remember(r);
  }

  outgoing(to: number, msg: ReplicaMessage, emit: Emit): void {
    if (msg.type === "pre-prepare" || msg.type === "prepare" || msg.type === "commit") this.record(msg);
    if (!(this.rng.next() < this.probability)) {
      emit(to, msg, 0);
      return;
    }
    const options = this.options(msg);
    if (options.length === 0) {
      emit(to, msg, 0);
      return;
    }
    const kind = options[this.rng.int(options.length)]!;
    this.applied[kind]++;
    emit(to, this.mutate(kind, msg), 0);
  }

  private options(msg: ReplicaMessage): MutationKind[] {
    const out: MutationKind[] = [];
    const t = msg.type;
    const ordering = t === "pre-prepare" || t === "prepare" || t === "commit";
    if (this.kinds.has("view") && (ordering || t === "view-change")) out.push("view");
    if (this.kinds.has("seq") && (ordering || t === "checkpoint")) out.push("seq");
    if (this.kinds.has("replay") && ordering && this.earlier(msg as Ordering) !== null) out.push("replay");
    if (this.kinds.has("digest") && ordering && this.other(msg as Ordering) !== null) out.push("digest");
    return out;
  }

  private mutate(kind: MutationKind, msg: ReplicaMessage): ReplicaMessage {
    const delta = this.rng.next() < 0.5 ? -1 : 1;
    switch (kind) {
      case "view": {
        const m = msg as Ordering | Extract<ReplicaMessage, { type: "view-change" }>;
        return { ...m, view: Math.max(m.type === "view-change" ? 1 : 0, m.view + delta) };
      }
      case "seq": {
        const m = msg as Ordering | Extract<ReplicaMessage, { type: "checkpoint" }>;
        return { ...m, seq: Math.max(1, m.seq + delta) };
      }
      case "replay": {
        const m = msg as Ordering;
        return { ...this.earlier(m)!, view: m.view };
      }
      case "digest": {
        const m = msg as Ordering;
        const req = this.other(m)!;
        if (m.type === "pre-prepare") return { ...m, digest: batchDigest([req]), requests: [req] } satisfies PrePrepare;
        return { ...m, digest: batchDigest([req]) };
      }
    }
  }

  /** The most recent own message of the same type from an earlier view. */
  private earlier(msg: Ordering): Ordering | null {
    for (let i = this.history.length - 1; i >= 0; i--) {
      const h = this.history[i]!;
      if (h.type === msg.type && h.view < msg.view) return h;
    }
    return null;
  }

  /** The most recently seen request whose batch digest differs from the message's. */
  private other(msg: Ordering): Request | null {
    const reqs = [...this.requests.values()];
    for (let i = reqs.length - 1; i >= 0; i--) {
      const r = reqs[i]!;
      if (batchDigest([r]) !== msg.digest) return r;
    }
    return null;
  }

  private remember(r: Request): void {
    if (typeof r !== "object" || r === null || !Number.isInteger(r.client)) return;
    const key = `${r.client}:${r.timestamp}`;
    this.requests.delete(key);
    this.requests.set(key, r);
    // one pending request per client (C1): an older one of the same client is done
    for (const [k, old] of this.requests) if (old.client === r.client && old.timestamp < r.timestamp) this.requests.delete(k);
    if (this.requests.size > MUTATION_MEMORY) this.requests.delete(this.requests.keys().next().value!);
  }

  private record(msg: Ordering): void {
    const last = this.history[this.history.length - 1];
    if (last === msg) return;
    this.history.push(msg);
    if (this.history.length > MUTATION_MEMORY) this.history.shift();
  }
}
