// Crash–restart persistence (S23): what a replica keeps on stable storage (PersistedReplica, a deep
// copy to treat as immutable), the replica's own checkpoints and proven-stable certificates it keeps
// there, and the conversions between the persisted record and the replica's live structures. The
// replica reads its durable part into persistReplica and takes restoreDurable's structures back; what
// a restart also does to the protocol (trusting its own view changes again, re-sending a VIEW-CHANGE,
// announcing itself) stays in Replica.restorePersisted.
// May import: ./client-table, ./log, ./messages (types), ./types (types), ./votes.

import { ClientTable } from "./client-table.js";
import { type PEntry, Slot } from "./log.js";
import type { Checkpoint, ClientEntry, NewView, ViewChange } from "./messages.js";
import type { Request } from "./types.js";
import { VoteSet } from "./votes.js";

/** A checkpoint this replica took: its digests, the application snapshot and the reply table then. */
export interface OwnCheckpoint {
  readonly seq: number;
  readonly digest: string;
  readonly appDigest: string;
  readonly snapshot: unknown;
  readonly snapshotSize: number;
  readonly table: ClientTable;
}

/** A checkpoint proven stable by Q matching CHECKPOINT messages (reached or not). */
export interface StableCert {
  readonly seq: number;
  readonly digest: string;
  readonly proof: ReadonlyArray<Checkpoint>;
}

export interface PersistedSlot {
  readonly seq: number;
  readonly view: number;
  readonly digest: string | null;
  readonly batch: ReadonlyArray<Request> | null;
  readonly prepares: ReadonlyArray<readonly [string, ReadonlyArray<number>]>;
  readonly commits: ReadonlyArray<readonly [string, ReadonlyArray<number>]>;
  readonly sentPrepare: boolean;
  readonly prepared: boolean;
  readonly committedInView: boolean;
  readonly committedDigest: string | null;
  readonly executed: boolean;
  readonly commitView?: number;
  readonly commitVoters?: ReadonlyArray<number> | null;
}

/** What survives a crash when the replica persists its state (S23). Deep copy; treat as immutable. */
export interface PersistedReplica {
  readonly version: 1;
  readonly id: number;
  readonly view: number;
  readonly viewChanging: boolean;
  readonly h: number;
  readonly stableDigest: string;
  readonly stableProof: ReadonlyArray<Checkpoint>;
  readonly lastExec: number;
  readonly nextSeq: number;
  readonly newViewTimeout: number;
  readonly slots: ReadonlyArray<PersistedSlot>;
  readonly pset: ReadonlyArray<{ seq: number; view: number; digest: string; voters: ReadonlyArray<number> }>;
  readonly bodies: ReadonlyArray<readonly [string, ReadonlyArray<Request>]>;
  readonly ownCheckpoints: ReadonlyArray<{
    seq: number;
    digest: string;
    appDigest: string;
    snapshot: unknown;
    snapshotSize: number;
    clientTable: ReadonlyArray<ClientEntry>;
  }>;
  readonly checkpointVotes: ReadonlyArray<Checkpoint>;
  readonly certs: ReadonlyArray<StableCert>;
  readonly clientTable: ReadonlyArray<ClientEntry>;
  readonly appSnapshot: unknown;
  readonly viewChanges: ReadonlyArray<ViewChange>;
  readonly ownViewChange: ViewChange | null;
  readonly lastNewView: NewView | null;
}

/** The durable part of a live replica, as persistReplica reads it. */
export interface DurableState {
  readonly id: number;
  readonly view: number;
  readonly viewChanging: boolean;
  readonly h: number;
  readonly stableDigest: string;
  readonly stableProof: ReadonlyArray<Checkpoint>;
  readonly lastExec: number;
  readonly nextSeq: number;
  readonly newViewTimeout: number;
  /** Log slots in sequence order. */
  readonly slots: ReadonlyArray<Slot>;
  readonly pset: ReadonlyMap<number, PEntry>;
  readonly bodies: ReadonlyMap<string, ReadonlyArray<Request>>;
  readonly own: ReadonlyMap<number, OwnCheckpoint>;
  readonly checkpointVotes: ReadonlyArray<Checkpoint>;
  readonly certs: ReadonlyMap<number, StableCert>;
  readonly clientTable: ClientTable;
  readonly appSnapshot: unknown;
  /** The latest valid VIEW-CHANGE per sender (own included), in sender order. */
  readonly viewChanges: ReadonlyArray<ViewChange>;
  readonly ownViewChange: ViewChange | null;
  readonly lastNewView: NewView | null;
}

/** A deep copy of everything a replica keeps on stable storage. */
export function persistReplica(d: DurableState): PersistedReplica {
  const slots: PersistedSlot[] = d.slots.map((slot) => ({
    seq: slot.seq,
    view: slot.view,
    digest: slot.digest,
    batch: slot.batch,
    prepares: slot.prepares.entries(),
    commits: slot.commits.entries(),
    sentPrepare: slot.sentPrepare,
    prepared: slot.prepared,
    committedInView: slot.committedInView,
    committedDigest: slot.committedDigest,
    executed: slot.executed,
    commitView: slot.commitView,
    commitVoters: slot.commitVoters?.toArray() ?? null,
  }));
  const pset = [...d.pset.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({ seq: e.seq, view: e.view, digest: e.digest, voters: e.voters.toArray() }));
  const own = [...d.own.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((c) => ({
      seq: c.seq,
      digest: c.digest,
      appDigest: c.appDigest,
      snapshot: c.snapshot,
      snapshotSize: c.snapshotSize,
      clientTable: c.table.entries(),
    }));
  return {
    version: 1,
    id: d.id,
    view: d.view,
    viewChanging: d.viewChanging,
    h: d.h,
    stableDigest: d.stableDigest,
    stableProof: [...d.stableProof],
    lastExec: d.lastExec,
    nextSeq: d.nextSeq,
    newViewTimeout: d.newViewTimeout,
    slots,
    pset,
    bodies: [...d.bodies.entries()].map(([dg, b]) => [dg, [...b]] as const),
    ownCheckpoints: own,
    checkpointVotes: d.checkpointVotes,
    certs: [...d.certs.values()].map((c) => ({ seq: c.seq, digest: c.digest, proof: [...c.proof] })),
    clientTable: d.clientTable.entries(),
    appSnapshot: d.appSnapshot,
    viewChanges: d.viewChanges,
    ownViewChange: d.ownViewChange,
    lastNewView: d.lastNewView,
  };
}

/** Fresh live structures (n replicas) for the log, P set, bodies, own checkpoints, certificates and reply table of `st`. */
export function restoreDurable(
  st: PersistedReplica,
  n: number,
): {
  slots: Slot[];
  pset: PEntry[];
  bodies: [string, Request[]][];
  own: OwnCheckpoint[];
  certs: StableCert[];
  clientTable: ClientTable;
} {
  const slots = st.slots.map((ps) => {
    const slot = new Slot(ps.seq, ps.view, n);
    slot.digest = ps.digest;
    slot.batch = ps.batch;
    for (const [d, ids] of ps.prepares) for (const j of ids) slot.prepares.add(d, j);
    for (const [d, ids] of ps.commits) for (const j of ids) slot.commits.add(d, j);
    slot.sentPrepare = ps.sentPrepare;
    slot.prepared = ps.prepared;
    slot.committedInView = ps.committedInView;
    slot.committedDigest = ps.committedDigest;
    slot.executed = ps.executed;
    slot.commitView = ps.commitView ?? -1;
    slot.commitVoters = ps.commitVoters ? VoteSet.fromArray(n, ps.commitVoters) : null;
    return slot;
  });
  const pset = st.pset.map((e) => ({ seq: e.seq, view: e.view, digest: e.digest, voters: VoteSet.fromArray(n, e.voters), cert: null }));
  const bodies = st.bodies.map(([d, b]): [string, Request[]] => [d, [...b]]);
  const own = st.ownCheckpoints.map((c) => ({
    seq: c.seq,
    digest: c.digest,
    appDigest: c.appDigest,
    snapshot: c.snapshot,
    snapshotSize: c.snapshotSize,
    table: ClientTable.fromEntries(c.clientTable),
  }));
  const certs = st.certs.map((c) => ({ seq: c.seq, digest: c.digest, proof: [...c.proof] }));
  return { slots, pset, bodies, own, certs, clientTable: ClientTable.fromEntries(st.clientTable) };
}
