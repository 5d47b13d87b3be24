// Wire messages between clients and replicas, their constructors, the effects a state machine asks
// its host to perform, and timer names. Messages are plain immutable objects: never mutate one after
// it has been emitted or received (hosts share one object across all receivers of a broadcast).
// The constructors at the end are how the replica builds its messages; fault scripts (src/faults)
// build theirs with the same functions, so a scripted message has exactly the protocol's shape.

import { batchDigest } from "./digest.js";
import type { ClientObservation, Observation, Request } from "./types.js";

/** Client → replica (also replica → primary when a backup forwards a request, C5). */
export interface RequestMessage {
  readonly type: "request";
  readonly request: Request;
}

/** Replica → client. */
export interface Reply {
  readonly type: "reply";
  readonly view: number;
  readonly timestamp: number;
  readonly client: number;
  readonly replica: number;
  readonly result: string;
}

/**
 * Primary → backups. `requests` is the batch body (empty for the null request); it is `null`
 * for pre-prepares carried inside a NEW-VIEW, which name the digest only.
 */
export interface PrePrepare {
  readonly type: "pre-prepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
  readonly requests: ReadonlyArray<Request> | null;
}

export interface Prepare {
  readonly type: "prepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
}

export interface Commit {
  readonly type: "commit";
  readonly view: number;
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
}

/** `digest` is the checkpoint digest: application state digest combined with the reply table. */
export interface Checkpoint {
  readonly type: "checkpoint";
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
}

/**
 * A prepared certificate inside a VIEW-CHANGE: the pre-prepare ⟨view, seq, digest⟩ of
 * primary(view) and the ids of ≥ Q−1 distinct backups whose matching PREPAREs were logged
 * (signatures are modelled as unforgeable, so the ids stand for the signed messages).
 */
export interface PreparedCert {
  readonly seq: number;
  readonly view: number;
  readonly digest: string;
  readonly prepares: ReadonlyArray<number>;
}

export interface ViewChange {
  readonly type: "view-change";
  /** The view being moved to (v+1). */
  readonly view: number;
  readonly replica: number;
  /** n_s: last stable checkpoint of the sender. */
  readonly stableSeq: number;
  readonly stableDigest: string;
  /** C: Q CHECKPOINT messages proving (stableSeq, stableDigest); empty when stableSeq = 0. */
  readonly proof: ReadonlyArray<Checkpoint>;
  /** P: latest prepared certificate per sequence number above stableSeq, ascending by seq. */
  readonly prepared: ReadonlyArray<PreparedCert>;
}

export interface NewView {
  readonly type: "new-view";
  readonly view: number;
  readonly replica: number;
  /** V: the VIEW-CHANGE messages used, ascending by sender. */
  readonly viewChanges: ReadonlyArray<ViewChange>;
  /** min-s and max-s as computed from V (receivers recompute them). */
  readonly minS: number;
  readonly maxS: number;
  /** O: one pre-prepare (digest only) per sequence number in (minS, maxS], ascending. */
  readonly prePrepares: ReadonlyArray<PrePrepare>;
}

/** State transfer request for checkpoint (seq, digest). */
export interface FetchState {
  readonly type: "fetch-state";
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
}

export interface ClientEntry {
  readonly client: number;
  readonly timestamp: number;
  readonly result: string;
}

/** State transfer answer: the checkpoint (seq, digest) with the state it covers. */
export interface StateMessage {
  readonly type: "state";
  readonly seq: number;
  readonly digest: string;
  readonly replica: number;
  readonly snapshot: unknown;
  readonly snapshotSize: number;
  readonly clientTable: ReadonlyArray<ClientEntry>;
  /** Q CHECKPOINT messages proving the checkpoint stable, when the sender has them (else empty). */
  readonly proof: ReadonlyArray<Checkpoint>;
}

/** Asks for the body of a batch by digest. */
export interface FetchBatch {
  readonly type: "fetch-batch";
  readonly digest: string;
  readonly replica: number;
}

export interface BatchMessage {
  readonly type: "batch";
  readonly digest: string;
  readonly replica: number;
  readonly requests: ReadonlyArray<Request>;
}

/** Asks for the NEW-VIEW message of a view (a replica that missed it). */
export interface FetchNewView {
  readonly type: "fetch-new-view";
  readonly view: number;
  readonly replica: number;
}

/**
 * Retransmission helper (Castro's status scheme, simplified): a replica that made no progress for
 * a while advertises where it is; peers that are ahead answer with what it lacks.
 */
export interface Status {
  readonly type: "status";
  readonly replica: number;
  readonly view: number;
  readonly viewChanging: boolean;
  readonly h: number;
  readonly lastExec: number;
}

/** A commit certificate: the batch and ≥ Q distinct replicas whose matching COMMITs were logged. */
export interface CommitCert {
  readonly seq: number;
  readonly view: number;
  readonly digest: string;
  readonly requests: ReadonlyArray<Request>;
  readonly commits: ReadonlyArray<number>;
}

/** Answer to a STATUS: commit certificates for sequence numbers the sender has not executed. */
export interface CommitCerts {
  readonly type: "commit-certs";
  readonly replica: number;
  readonly certs: ReadonlyArray<CommitCert>;
}

/** Answer to a STATUS from a replica below our stable checkpoint: the checkpoint and its proof. */
export interface StableProof {
  readonly type: "stable-proof";
  readonly replica: number;
  readonly seq: number;
  readonly digest: string;
  readonly proof: ReadonlyArray<Checkpoint>;
}

/** Everything a replica may receive from another replica through `Replica.step`. */
export type ReplicaMessage =
  | RequestMessage
  | PrePrepare
  | Prepare
  | Commit
  | Checkpoint
  | ViewChange
  | NewView
  | FetchState
  | StateMessage
  | FetchBatch
  | BatchMessage
  | FetchNewView
  | Status
  | CommitCerts
  | StableProof;

/** Every message type on the wire. */
export type Message = ReplicaMessage | Reply;
export type MessageType = Message["type"];

export type TimerName =
  | "request"
  | "newView"
  | "viewChangeResend"
  | "batch"
  | "stateTransfer"
  | "fetchBatch"
  | "catchUp"
  | "status"
  | "laggard";

export type ClientTimerName = "retransmit";

/**
 * What a replica asks its host to do. `send`/`broadcast` go to replicas (`broadcast` = every
 * replica except the sender, sharing one message object), `reply` goes to a client.
 * `setTimer` (re)arms the named timer, replacing a pending one of the same name.
 *
 * Ordering contract (what the host owes the replica, as etcd raft's `Ready` spells out for its nodes):
 * 1. After every call into the replica (step, receiveRequest, timeout, announce, suspectPrimary,
 *    setExecutionPaused, and after fromPersisted), drain the effects and handle them before the next
 *    call: the replica's state already reflects every one of them.
 * 2. Durable before sent. A batch's send, broadcast and reply effects announce state the replica has
 *    already taken on (a PREPARE or COMMIT vote, an executed request's reply, a checkpoint). A host
 *    that restarts replicas from persisted state (S23) must make `persist()` of that state durable
 *    before any of the batch's messages leave, as raft requires HardState and entries to be saved
 *    before messages are sent; otherwise a restarted replica could contradict a vote it already sent.
 *    The simulator's hosts model synchronous stable storage: they persist at the crash instant,
 *    and a batch's messages leave no earlier than the batch (later, when the node's CPU is done), so
 *    nothing a replica sent is ever newer than what it would restart from.
 * 3. Apply the effects in order. Timers: a setTimer replaces the pending timer of that name, a
 *    cancelTimer removes it, the later effect for a name wins; call timeout(name) only for a timer
 *    still pending (a firing the replica no longer expects is ignored: see timers.ts). Observations
 *    go to checkers and metrics in order, before anything else happens to the replica.
 * 4. Messages may be delayed, reordered, duplicated or lost on the way (the protocol needs no FIFO
 *    channel), but never altered: they are immutable once emitted, and received ones are shared.
 */
export type Effect =
  | { readonly kind: "send"; readonly to: number; readonly msg: ReplicaMessage }
  | { readonly kind: "broadcast"; readonly msg: ReplicaMessage }
  | { readonly kind: "reply"; readonly client: number; readonly msg: Reply }
  | { readonly kind: "setTimer"; readonly timer: TimerName; readonly delay: number }
  | { readonly kind: "cancelTimer"; readonly timer: TimerName }
  | { readonly kind: "observe"; readonly event: Observation };

/** What a client asks its host to do. `broadcast` = to every replica (0 … n−1). */
export type ClientEffect =
  | { readonly kind: "send"; readonly to: number; readonly msg: RequestMessage }
  | { readonly kind: "broadcast"; readonly msg: RequestMessage }
  | { readonly kind: "setTimer"; readonly timer: ClientTimerName; readonly delay: number }
  | { readonly kind: "cancelTimer"; readonly timer: ClientTimerName }
  | { readonly kind: "observe"; readonly event: ClientObservation };

// =========================================================================================
// Constructors (field order is the wire shape every message of that type has)
// =========================================================================================

/** PRE-PREPARE with its batch attached; the digest is the batch's (the null request for an empty batch). */
export function makePrePrepare(view: number, seq: number, requests: ReadonlyArray<Request>, replica: number, digest = batchDigest(requests)): PrePrepare {
  return { type: "pre-prepare", view, seq, digest, replica, requests };
}

/** PRE-PREPARE naming a digest only (the O set of a NEW-VIEW). */
export function makeDigestPrePrepare(view: number, seq: number, digest: string, replica: number): PrePrepare {
  return { type: "pre-prepare", view, seq, digest, replica, requests: null };
}

export function makePrepare(view: number, seq: number, digest: string, replica: number): Prepare {
  return { type: "prepare", view, seq, digest, replica };
}

export function makeCommit(view: number, seq: number, digest: string, replica: number): Commit {
  return { type: "commit", view, seq, digest, replica };
}

export function makeCheckpoint(seq: number, digest: string, replica: number): Checkpoint {
  return { type: "checkpoint", seq, digest, replica };
}

export function makeViewChange(
  view: number,
  replica: number,
  stableSeq: number,
  stableDigest: string,
  proof: ReadonlyArray<Checkpoint>,
  prepared: ReadonlyArray<PreparedCert>,
): ViewChange {
  return { type: "view-change", view, replica, stableSeq, stableDigest, proof, prepared };
}

export function makeStateMessage(
  seq: number,
  digest: string,
  replica: number,
  snapshot: unknown,
  snapshotSize: number,
  clientTable: ReadonlyArray<ClientEntry>,
  proof: ReadonlyArray<Checkpoint>,
): StateMessage {
  return { type: "state", seq, digest, replica, snapshot, snapshotSize, clientTable, proof };
}
